// Mandate lineage: alignment, word diff, sentence changes, operative verbs and task profiles as
// plain functions, then over an index of three invented renewals of one mission
// (tests/fixtures/lineage, written for these tests) whose changes are known.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <set>
#include <sstream>

#include "indexer/pipeline.h"
#include "search/lineage.h"
#include "taxonomy/tagger.h"
#include "tests/indexer/test_helpers.h"
#include "text/errors.h"

using namespace mandala;
using search::kNone;

namespace {

// Rebuilds each side of a diff: equal + removed is the old text, equal + added the new one.
std::pair<std::string, std::string> sides(const std::vector<search::DiffSpan>& diff) {
    std::string before, after;
    for (const auto& s : diff) {
        if (s.op != search::DiffOp::added) before += s.text;
        if (s.op != search::DiffOp::removed) after += s.text;
    }
    return {before, after};
}

std::size_t equal_words(const std::vector<search::DiffSpan>& diff) {
    std::size_t n = 0;
    for (const auto& s : diff) {
        if (s.op != search::DiffOp::equal) continue;
        std::istringstream words(s.text);
        for (std::string w; words >> w;) ++n;
    }
    return n;
}

// The plain recursive LCS length of two word lists (the reference for word_diff's table).
std::size_t lcs_length(const std::vector<std::string>& a, const std::vector<std::string>& b, std::size_t i = 0, std::size_t j = 0) {
    if (i == a.size() || j == b.size()) return 0;
    if (a[i] == b[j]) return 1 + lcs_length(a, b, i + 1, j + 1);
    return std::max(lcs_length(a, b, i + 1, j), lcs_length(a, b, i, j + 1));
}

const search::ParagraphLink* link_from(const std::vector<search::ParagraphLink>& links, std::size_t before) {
    for (const auto& l : links)
        if (l.before == before) return &l;
    return nullptr;
}

}  // namespace

TEST_CASE("paragraphs are aligned with moved, added and removed ones found", "[lineage][unit]") {
    const std::vector<std::string> before = {
        "The council met in the capital to review the situation of the region.",
        "It decided to extend the mission for one more year with the same troops.",
        "Patrols shall be increased along the southern border crossings at night.",
        "The council will remain seized of the matter until further notice.",
    };
    const std::vector<std::string> after = {
        "The council met in the capital to review the situation of the region.",
        "Patrols shall be increased along the southern border crossings at night.",
        "It decided to extend the mission for two more years with the same troops.",
        "Schools destroyed in the fighting will be rebuilt with donor funds.",
    };
    const auto links = search::align_paragraphs(before, after);
    REQUIRE(links.size() == 5);
    CHECK(link_from(links, 0)->after == 0);
    CHECK(link_from(links, 0)->same());
    CHECK(link_from(links, 1)->after == 2);
    CHECK_FALSE(link_from(links, 1)->same());
    CHECK(link_from(links, 2)->after == 1);
    // Exactly one of the two swapped paragraphs is out of the longest in-order run.
    CHECK(link_from(links, 1)->moved != link_from(links, 2)->moved);
    CHECK(link_from(links, 3)->removed());
    const auto added = std::find_if(links.begin(), links.end(), [](const auto& l) { return l.added(); });
    REQUIRE(added != links.end());
    CHECK(added->after == 3);
    // Links follow the new document's order.
    std::size_t last = 0;
    for (const auto& l : links) {
        if (l.after == kNone) continue;
        CHECK(l.after >= last);
        last = l.after;
    }
}

TEST_CASE("identical documents align one to one; empty sides give only added or removed", "[lineage][unit]") {
    const std::vector<std::string> text = {"One paragraph here.", "Another paragraph there.", "A third, longer paragraph follows."};
    for (const auto& l : search::align_paragraphs(text, text)) {
        CHECK(l.same());
        CHECK_FALSE(l.moved);
        CHECK(l.before == l.after);
    }
    for (const auto& l : search::align_paragraphs({}, text)) CHECK(l.added());
    for (const auto& l : search::align_paragraphs(text, {})) CHECK(l.removed());
}

TEST_CASE("the word diff rebuilds both texts and keeps a longest common subsequence", "[lineage][unit]") {
    const std::string a = "Expressing deep concern at the clashes in the northern provinces, and their toll;";
    const std::string b = "Expressing grave concern at the continued clashes in the northern and eastern provinces, and their toll;";
    const auto diff = search::word_diff(a, b);
    const auto [before, after] = sides(diff);
    CHECK(before == a);
    CHECK(after == b);
    std::vector<std::string> removed, added;
    for (const auto& s : diff) {
        if (s.op == search::DiffOp::removed) removed.push_back(s.text);
        if (s.op == search::DiffOp::added) added.push_back(s.text);
    }
    CHECK(removed == std::vector<std::string>{"deep "});
    CHECK(added == std::vector<std::string>{"grave ", "continued ", "and eastern "});

    // Random word lists against the plain recursive LCS.
    std::mt19937 random(7);
    const std::vector<std::string> vocabulary = {"alpha", "beta", "gamma", "delta", "eps"};
    for (int round = 0; round < 50; ++round) {
        std::vector<std::string> x(random() % 9), y(random() % 9);
        for (auto& w : x) w = vocabulary[random() % vocabulary.size()];
        for (auto& w : y) w = vocabulary[random() % vocabulary.size()];
        std::string sx, sy;
        for (const auto& w : x) sx += w + " ";
        for (const auto& w : y) sy += w + " ";
        const auto d = search::word_diff(sx, sy);
        CHECK(sides(d).first == sx);
        CHECK(sides(d).second == sy);
        CHECK((x.empty() || y.empty() ? 0 : equal_words(d)) == lcs_length(x, y));
    }
}

TEST_CASE("sentences are compared across the whole document", "[lineage][unit]") {
    const std::vector<std::string> before = {"The road was closed. The bridge was repaired by engineers.", "Water points were opened in the camps."};
    const std::vector<std::string> after = {"Water points were opened in the camps.", "The bridge was quickly repaired by engineers. Night flights resumed."};
    const auto c = search::sentence_changes(before, after);
    CHECK(c.removed == std::vector<std::string>{"The road was closed."});
    CHECK(c.added == std::vector<std::string>{"Night flights resumed."});
    REQUIRE(c.changed.size() == 1);
    CHECK(c.changed[0].after == "The bridge was quickly repaired by engineers.");
}

TEST_CASE("operative verbs and their strength", "[lineage][unit]") {
    using search::Strength;
    CHECK(search::operative_verb("1. Decides to extend the mandate until next year;").strength == Strength::decides);
    CHECK(search::operative_verb("Further authorizes the Force to use all necessary means").strength == Strength::authorizes);
    CHECK(search::operative_verb("Requests the Secretary-General to report every month").strength == Strength::requests);
    CHECK(search::operative_verb("Encourages the parties to resume talks").strength == Strength::encourages);
    const auto calls = search::operative_verb("Calls upon all Member States to cooperate fully");
    CHECK(calls.strength == Strength::calls_upon);
    CHECK(calls.surface == "Calls upon");
    CHECK(search::operative_verb("Recalling its earlier statements on the region,").strength == Strength::none);
    CHECK(search::strength_name(Strength::calls_upon) == "calls upon");
}

TEST_CASE("a task profile inherits a lead-in's verb and keeps the strongest per category", "[lineage][unit]") {
    search::LineageDocument doc;
    doc.paragraphs = {{"p1", "Recalling the ceasefire agreement,"},
                      {"p2", "Decides that the mission shall have the following tasks:"},
                      {"p3", "(a) To patrol the buffer zone;"},
                      {"p4", "(b) To clear mines from the roads;"},
                      {"p5", "Encourages the parties to hold talks on the buffer zone."},
                      {"p6", "The weather in the region is mild in winter."}};
    auto tags = [](std::vector<std::string> categories) {
        taxonomy::Tagging t;
        for (auto& c : categories) t.tags.push_back({c, 0.9, {}, 0});
        return t;
    };
    const std::vector<taxonomy::Tagging> taggings = {tags({"political-processes"}), tags({}), tags({"monitoring-verification"}),
                                                     tags({"mine-action-arms-control"}), tags({"monitoring-verification", "political-processes"}),
                                                     tags({"environment-natural-resources"})};
    const auto profile = search::task_profile(doc, taggings);
    std::map<std::string, search::TaskEntry> by;
    for (const auto& t : profile.tasks) by[t.category] = t;
    CHECK(by.size() == 3);  // the preamble and the paragraph after the list assign nothing
    CHECK(by["monitoring-verification"].strength == search::Strength::decides);
    CHECK(by["monitoring-verification"].passage == "p3");
    CHECK(by["mine-action-arms-control"].strength == search::Strength::decides);
    CHECK(by["political-processes"].strength == search::Strength::encourages);
    CHECK(by["political-processes"].passage == "p5");

    search::TaskProfile later;
    later.tasks = {by["monitoring-verification"], by["political-processes"]};
    later.tasks[1].strength = search::Strength::requests;
    const auto changes = search::compare_profiles(profile, later);
    CHECK(changes.gained.empty());
    REQUIRE(changes.lost.size() == 1);
    CHECK(changes.lost[0].category == "mine-action-arms-control");
    REQUIRE(changes.strength.size() == 1);
    CHECK(changes.strength[0].after.strength == search::Strength::requests);
}

// ---- three renewals of an invented mission ----

namespace {

struct LineageIndex {
    test::TempDir dir;
    LineageIndex() {
        indexer::IndexOptions options;
        options.corpus_dirs = {test::fixtures() / "lineage"};
        options.db_dir = dir / "db";
        indexer::run_index(options);
    }
};

LineageIndex& lineage_index() {
    static LineageIndex index;
    return index;
}

// The index of the paragraph of `d` whose text holds `part`.
std::size_t paragraph(const search::LineageDocument& d, const std::string& part) {
    for (std::size_t i = 0; i < d.paragraphs.size(); ++i)
        if (d.paragraphs[i].text.find(part) != std::string::npos) return i;
    FAIL("no paragraph with '" << part << "' in " << d.doc);
    return kNone;
}

std::set<std::string> categories(const std::vector<search::TaskEntry>& tasks) {
    std::set<std::string> out;
    for (const auto& t : tasks) out.insert(t.category);
    return out;
}

bool has_sentence_starting(const std::vector<std::string>& sentences, const std::string& start) {
    return std::any_of(sentences.begin(), sentences.end(), [&](const std::string& s) { return s.rfind(start, 0) == 0; });
}

}  // namespace

TEST_CASE("lineage of the fixture renewals: documents in date order, every kept paragraph aligned", "[lineage][integration]") {
    const auto l = search::mission_lineage(lineage_index().dir / "db", "unsmca");  // the key or an alias, any case
    CHECK(l.mission == "UNSMCA");
    REQUIRE(l.documents.size() == 3);
    CHECK(l.documents[0].year == 2019);
    CHECK(l.documents[1].year == 2020);
    CHECK(l.documents[2].year == 2021);
    REQUIRE(l.steps.size() == 2);

    // 2019 -> 2020: the paragraphs kept (some edited, two swapped), DDR removed, SSR added.
    const auto& a = l.documents[0];
    const auto& b = l.documents[1];
    const auto& step = l.steps[0];
    const std::vector<std::pair<std::string, std::string>> kept = {
        {"Recalling", "Recalling"}, {"Expressing deep", "Expressing grave"}, {"1. Decides to extend", "1. Decides to extend"},
        {"Decides that the mandate", "Decides that the mandate"}, {"(a) To protect", "(a) To protect"}, {"(c) To monitor", "(b) To monitor"},
        {"3. Requests", "3. Requests"}, {"4. Encourages", "4. Encourages"}, {"5. Decides to remain", "5. Decides to remain"}};
    for (const auto& [from, to] : kept) {
        INFO(from << " -> " << to);
        const auto* link = link_from(step.links, paragraph(a, from));
        REQUIRE(link);
        CHECK(link->after == paragraph(b, to));
    }
    CHECK(link_from(step.links, paragraph(a, "3. Requests"))->moved != link_from(step.links, paragraph(a, "4. Encourages"))->moved);
    CHECK(link_from(step.links, paragraph(a, "(b) To support the disarmament"))->removed());
    const auto ssr = std::find_if(step.links.begin(), step.links.end(), [&](const auto& x) { return x.after == paragraph(b, "(c) To support the reform"); });
    REQUIRE(ssr != step.links.end());
    CHECK(ssr->added());
    // The edited paragraph's diff names the words changed.
    const auto* edited = link_from(step.links, paragraph(a, "Expressing deep"));
    const auto& diff = step.diffs[static_cast<std::size_t>(edited - step.links.data())];
    const auto [before, after] = sides(diff);
    CHECK(before == a.paragraphs[edited->before].text);
    CHECK(after == b.paragraphs[edited->after].text);

    // Sentences: the DDR task removed, the SSR task added, nothing else.
    CHECK(step.sentences.removed.size() == 1);
    CHECK(has_sentence_starting(step.sentences.removed, "(b) To support the disarmament"));
    CHECK(step.sentences.added.size() == 1);
    CHECK(has_sentence_starting(step.sentences.added, "(c) To support the reform"));
}

TEST_CASE("lineage of the fixture renewals: sentences and tasks gained and lost", "[lineage][integration]") {
    const auto l = search::mission_lineage(lineage_index().dir / "db", "UNSMCA");
    REQUIRE(l.steps.size() == 2);
    const auto& first = l.steps[0].tasks;
    CHECK(categories(first.lost) == std::set<std::string>{"ddr"});
    CHECK(categories(first.gained).count("ssr") == 1);
    CHECK_FALSE(categories(first.gained).count("ddr"));

    const auto& second = l.steps[1];
    CHECK(categories(second.tasks.lost) == std::set<std::string>{"human-rights"});
    CHECK(categories(second.tasks.gained).count("mine-action-arms-control") == 1);
    // Elections: encouraged in 2020, requested of the mission in 2021.
    const auto elections = std::find_if(second.tasks.strength.begin(), second.tasks.strength.end(),
                                        [](const auto& c) { return c.after.category == "elections"; });
    REQUIRE(elections != second.tasks.strength.end());
    CHECK(elections->before.strength == search::Strength::encourages);
    CHECK(elections->after.strength == search::Strength::requests);
    CHECK(second.sentences.removed.size() == 2);
    CHECK(has_sentence_starting(second.sentences.removed, "(b) To monitor"));
    CHECK(has_sentence_starting(second.sentences.removed, "4. Encourages"));
    CHECK(second.sentences.added.size() == 2);
    CHECK(has_sentence_starting(second.sentences.added, "(c) To assist the national authorities"));
    CHECK(has_sentence_starting(second.sentences.added, "4. Requests the Mission"));

    // The stored tags and the tagger called directly give the same profile.
    const taxonomy::TaxonomyTagger tagger;
    for (std::size_t i = 0; i < l.documents.size(); ++i)
        CHECK(categories(search::task_profile(l.documents[i], tagger).tasks) == categories(l.profiles[i].tasks));
    // Each task's evidence is a sentence of the document with an operative verb or under a lead-in.
    for (const auto& t : l.profiles[0].tasks) CHECK_FALSE(t.sentence.empty());
}

TEST_CASE("lineage errors are typed", "[lineage][integration]") {
    CHECK_THROWS_AS(search::mission_lineage(lineage_index().dir / "db", "NOSUCHMISSION"), NotFound);
    CHECK_THROWS_AS(search::mission_lineage(lineage_index().dir / "db", ""), InputError);
    const auto json = search::to_json(search::mission_lineage(lineage_index().dir / "db", "UNSMCA"));
    CHECK(json.find("\"steps\"") != std::string::npos);
}

TEST_CASE("mandala lineage prints the changes and exports DOCX and HTML through the pack exporter", "[lineage][integration]") {
    const std::string db = (lineage_index().dir / "db").string();
    const std::string cmd = std::string(MANDALA_BINARY) + " lineage UNSMCA --db " + db + " 2>&1";
    std::FILE* p = popen(cmd.c_str(), "r");
    REQUIRE(p);
    std::string out;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    CHECK(pclose(p) == 0);
    CHECK(out.find("task gained: ssr (decides)") != std::string::npos);
    CHECK(out.find("task lost: ddr (decides)") != std::string::npos);
    CHECK(out.find("task elections: encourages → requests") != std::string::npos);
    CHECK(out.find("[-deep -]{+grave +}") != std::string::npos);
    for (const std::string format : {"html", "docx"}) {
        const auto file = lineage_index().dir / ("lineage." + format);
        const std::string export_cmd = std::string(MANDALA_BINARY) + " lineage UNSMCA --db " + db + " --export " + format +
                                       " --output " + file.string();
        CHECK(std::system(export_cmd.c_str()) == 0);
        REQUIRE(std::filesystem::exists(file));
        CHECK(std::filesystem::file_size(file) > 500);
    }
}
