// Trace by mission and year over the real development documents (../shared/corpus-web, read only
// here): lines grouped by mission in date order, variant forms with counts, CSV that parses back.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <set>

#include "indexer/pipeline.h"
#include "search/trace.h"
#include "tests/indexer/test_helpers.h"

using namespace mandala;

namespace {

struct WebIndex {
    test::TempDir dir;
    WebIndex() {
        indexer::IndexOptions options;
        options.corpus_dirs = {std::filesystem::path(MANDALA_SHARED_DIR) / "corpus-web"};
        options.db_dir = dir / "db";
        indexer::run_index(options);
    }
};

WebIndex& web_index() {
    static WebIndex index;
    return index;
}

// RFC 4180: fields separated by commas, quoted when they hold a comma, quote or line break.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
    std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        auto& field = rows.back().back();
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += '"', ++i;
            else if (c == '"') quoted = false;
            else field += c;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            rows.back().emplace_back();
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            ++i;
            rows.emplace_back(1);
        } else {
            field += c;
        }
    }
    if (rows.back().size() == 1 && rows.back()[0].empty()) rows.pop_back();
    return rows;
}

}  // namespace

TEST_CASE("trace groups lines by mission in date order with variant forms", "[trace][integration]") {
    const search::Searcher searcher(web_index().dir / "db");
    const auto r = search::trace_phrase(searcher, "all necessary means");
    REQUIRE_FALSE(r.lines.empty());
    REQUIRE_FALSE(r.missions.empty());
    std::size_t with_mission = 0;
    for (const auto& m : r.missions) {
        INFO(m.mission);
        // Date order, lines of unknown year (0) last.
        auto year = [&](std::size_t k) { const int y = r.lines[m.lines[k]].hit.year; return y ? y : 1 << 30; };
        for (std::size_t k = 1; k < m.lines.size(); ++k) CHECK(year(k - 1) <= year(k));
        CHECK(m.first_year == r.lines[m.lines.front()].hit.year);
        CHECK(m.last_year == r.lines[m.lines.back()].hit.year);
        for (std::size_t i : m.lines) {
            const auto& missions = r.lines[i].missions;
            CHECK((m.mission.empty() ? missions.empty() : std::count(missions.begin(), missions.end(), m.mission) == 1));
        }
        with_mission += !m.mission.empty();
    }
    CHECK(with_mission >= 3);
    // Missions by first appearance.
    auto first = [&](std::size_t k) { const int y = r.missions[k].first_year; return y ? y : 1 << 30; };
    for (std::size_t k = 1; k < r.missions.size(); ++k)
        if (!r.missions[k].mission.empty()) CHECK(first(k - 1) <= first(k));

    // Variant forms: the exact one first, counts add up to the lines, each recounted by hand.
    REQUIRE_FALSE(r.forms.empty());
    CHECK(r.forms.front().form == "all necessary means");
    CHECK(r.forms.front().exact);
    std::map<std::string, std::size_t> recount;
    for (const auto& l : r.lines) ++recount[l.form];
    std::size_t total = 0;
    for (const auto& f : r.forms) {
        CHECK(f.count == recount[f.form]);
        total += f.count;
        if (!f.exact) CHECK((!f.missing.empty() || !f.extra.empty()));
    }
    CHECK(total == r.lines.size());

    // Years: missions per year recounted.
    for (const auto& y : r.years) {
        std::set<std::string> missions;
        for (const auto& l : r.lines)
            if (l.hit.year == y.year) missions.insert(l.missions.begin(), l.missions.end());
        CHECK(y.missions == missions.size());
    }
}

TEST_CASE("trace keeps or drops chosen variant forms", "[trace][integration]") {
    const search::Searcher searcher(web_index().dir / "db");
    search::TraceOptions only;
    only.forms = {"All necessary MEANS"};  // folded like the text
    const auto exact = search::trace_phrase(searcher, "all necessary means", only);
    REQUIRE_FALSE(exact.lines.empty());
    for (const auto& l : exact.lines) CHECK(l.form == "all necessary means");
    search::TraceOptions except;
    except.exclude_forms = {"all necessary means"};
    for (const auto& l : search::trace_phrase(searcher, "all necessary means", except).lines) CHECK(l.form != "all necessary means");
}

TEST_CASE("trace CSV parses back with one row per line", "[trace][integration]") {
    const search::Searcher searcher(web_index().dir / "db");
    const auto r = search::trace_phrase(searcher, "all necessary means");
    const auto rows = parse_csv(search::to_csv(r));
    std::size_t expected = 0;
    for (const auto& m : r.missions) expected += m.lines.size();
    REQUIRE(rows.size() == expected + 1);
    CHECK(rows[0][0] == "mission");
    std::size_t row = 1;
    for (const auto& m : r.missions)
        for (std::size_t i : m.lines) {
            const auto& l = r.lines[i];
            REQUIRE(rows[row].size() == 14);
            CHECK(rows[row][0] == m.mission);
            CHECK(rows[row][5] == l.hit.id);
            CHECK(rows[row][12] == l.match);
            CHECK(rows[row][11] == l.before);
            ++row;
        }
}

namespace {

std::vector<std::string> ids(const std::vector<search::TraceLine>& lines) {
    std::vector<std::string> out;
    for (const auto& l : lines) out.push_back(l.hit.id);
    return out;
}

}  // namespace

TEST_CASE("trace returns a page of lines and summaries over all of them", "[trace][integration]") {
    const search::Searcher searcher(web_index().dir / "db");
    const auto all = search::trace_phrase(searcher, "all necessary means");
    REQUIRE(all.lines.size() >= 5);
    CHECK(all.total == all.lines.size());
    CHECK(all.selected == all.lines.size());
    // Exact matches first, in date order (unknown year last).
    std::size_t exact = 0;
    while (exact < all.lines.size() && all.lines[exact].exact) ++exact;
    for (std::size_t i = exact; i < all.lines.size(); ++i) CHECK_FALSE(all.lines[i].exact);
    auto year = [&](std::size_t i) { const int y = all.lines[i].hit.year; return y ? y : 1 << 30; };
    for (std::size_t i = 1; i < exact; ++i) CHECK(year(i - 1) <= year(i));

    search::TraceOptions paged;
    paged.limit = 3;
    paged.offset = 2;
    const auto page = search::trace_phrase(searcher, "all necessary means", paged);
    CHECK(page.total == all.total);
    CHECK(page.selected == all.total);
    const auto all_ids = ids(all.lines);
    CHECK(ids(page.lines) == std::vector<std::string>(all_ids.begin() + 2, all_ids.begin() + 5));
    for (std::size_t i = 0; i < page.lines.size(); ++i) {
        CHECK(page.lines[i].match == all.lines[i + 2].match);
        CHECK(page.lines[i].missions == all.lines[i + 2].missions);
        CHECK(page.lines[i].date == all.lines[i + 2].date);
    }
    REQUIRE(page.forms.size() == all.forms.size());
    for (std::size_t i = 0; i < all.forms.size(); ++i) CHECK(page.forms[i].count == all.forms[i].count);
    REQUIRE(page.missions.size() == all.missions.size());
    for (std::size_t g = 0; g < all.missions.size(); ++g) {
        CHECK(page.missions[g].mission == all.missions[g].mission);
        CHECK(page.missions[g].count == all.missions[g].lines.size());
        std::size_t in_years = 0;
        for (const auto& y : page.missions[g].years) in_years += y.lines;
        CHECK(in_years == page.missions[g].count);
        for (std::size_t i : page.missions[g].lines) CHECK(i < page.lines.size());
    }
    CHECK(page.years.size() == all.years.size());

    search::TraceOptions none;
    none.limit = 0;
    const auto summaries = search::trace_phrase(searcher, "all necessary means", none);
    CHECK(summaries.lines.empty());
    CHECK(summaries.total == all.total);
}

TEST_CASE("trace gives the lines of one mission and year in date order", "[trace][integration]") {
    const search::Searcher searcher(web_index().dir / "db");
    const auto all = search::trace_phrase(searcher, "all necessary means");
    const auto with_lines = std::find_if(all.missions.begin(), all.missions.end(),
                                         [](const search::MissionTrace& m) { return !m.mission.empty(); });
    REQUIRE(with_lines != all.missions.end());
    const search::MissionTrace& m = *with_lines;
    search::TraceOptions of_mission;
    of_mission.mission = m.mission;
    const auto mission = search::trace_phrase(searcher, "all necessary means", of_mission);
    CHECK(mission.selected == m.lines.size());
    std::vector<std::string> want;
    for (std::size_t i : m.lines) want.push_back(all.lines[i].hit.id);
    CHECK(ids(mission.lines) == want);  // the group's date order

    search::TraceOptions cell = of_mission;
    cell.year = m.years.front().year;
    const auto one = search::trace_phrase(searcher, "all necessary means", cell);
    CHECK(one.selected == m.years.front().lines);
    for (const auto& l : one.lines) {
        CHECK(l.hit.year == m.years.front().year);
        CHECK(std::count(l.missions.begin(), l.missions.end(), m.mission) == 1);
    }
    search::TraceOptions unnamed;
    unnamed.mission = "";
    for (const auto& l : search::trace_phrase(searcher, "all necessary means", unnamed).lines) CHECK(l.missions.empty());
}

TEST_CASE("the addressee is read from the words before the match", "[trace][unit]") {
    CHECK(search::addressee_of("Authorizes MINUSMA to use ", {"MINUSMA"}) == search::Addressee::mission);
    CHECK(search::addressee_of("Calls on the Government to take ", {}) == search::Addressee::other);
    CHECK(search::addressee_of("authorizes the Mission to take ", {}) == search::Addressee::mission);
    CHECK(search::addressee_of("to take ", {}) == search::Addressee::unknown);
    std::vector<std::string> missing, extra;
    search::explain_form({"all", "necessary", "means"}, {"all", "necessary", "measures"}, missing, extra);
    CHECK(missing == std::vector<std::string>{"means"});
    CHECK(extra == std::vector<std::string>{"measures"});
}

namespace {

// Standard output of the mandala binary run with `args`, and its exit status.
std::pair<std::string, int> run_cli(const std::string& args) {
    const std::string cmd = std::string(MANDALA_BINARY) + " " + args + " 2>/dev/null";
    std::FILE* p = popen(cmd.c_str(), "r");
    REQUIRE(p);
    std::string out;
    std::array<char, 1 << 16> buf{};
    for (std::size_t n; (n = std::fread(buf.data(), 1, buf.size(), p)) > 0;) out.append(buf.data(), n);
    return {out, pclose(p)};
}

}  // namespace

TEST_CASE("mandala trace prints missions in date order and CSV that parses back", "[trace][integration]") {
    const std::string db = (web_index().dir / "db").string();
    const auto [csv, status] = run_cli("trace \"all necessary means\" --db " + db + " --format csv");
    REQUIRE(status == 0);
    const search::Searcher searcher(web_index().dir / "db");
    const auto r = search::trace_phrase(searcher, "all necessary means");
    CHECK(csv == search::to_csv(r));
    const auto rows = parse_csv(csv);
    std::size_t lines = 0;
    for (const auto& m : r.missions) lines += m.lines.size();
    CHECK(rows.size() == lines + 1);
    for (const auto& row : rows) CHECK(row.size() == 14);

    const auto [text, text_status] = run_cli("trace \"all necessary means\" --db " + db);
    REQUIRE(text_status == 0);
    CHECK(text.find("variant forms") != std::string::npos);
    std::size_t at = 0;
    for (const auto& m : r.missions) {  // each mission's heading, in the response's order
        if (m.mission.empty()) continue;
        const auto found = text.find("\n" + m.mission + "  ", at);
        CHECK(found != std::string::npos);
        if (found != std::string::npos) at = found;
    }
    CHECK(run_cli("trace \"all necessary means\" --db " + db + " --format xml").second != 0);
}
