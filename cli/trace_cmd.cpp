// `mandala trace "PHRASE" [--db DIR] [--shard LOCATION ...] [--min-similarity X] [--form F ...]
// [--exclude-form F ...] [--format text|csv|json] [--json]`: keyword-in-context lines of every passage
// holding the phrase or a near-variant, grouped by mission (the passage's, else its document's) in
// date order, with each mission's first and last appearance, missions per year and the variant forms.
#include <algorithm>
#include <iomanip>
#include <iostream>

#include "cli/args.h"
#include "cli/commands.h"
#include "search/trace.h"

namespace mandala::cli {
namespace {

constexpr const char* kUsage =
    "usage: mandala trace \"PHRASE\" [--db DIR] [--shard LOCATION ...] [--min-similarity X] [--form F ...] "
    "[--exclude-form F ...] [--format text|csv|json] [--json]";

std::string join(const std::vector<std::string>& v, const char* separator = ", ") {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : separator) + s;
    return out;
}

void print_forms(const search::TraceResponse& r) {
    std::cout << "variant forms (" << r.forms.size() << ")\n";
    for (const auto& f : r.forms) {
        std::cout << "  " << std::setw(4) << f.count << "  " << f.form;
        if (f.first_year) std::cout << "  " << f.first_year << "-" << f.last_year;
        if (!f.missing.empty() || !f.extra.empty())
            std::cout << "  (" << (f.missing.empty() ? "" : "without: " + join(f.missing, " ")) << (f.missing.empty() || f.extra.empty() ? "" : "; ")
                      << (f.extra.empty() ? "" : "with: " + join(f.extra, " ")) << ")";
        if (!f.missions.empty()) std::cout << "  [" << join(f.missions) << "]";
        std::cout << "\n";
    }
    std::cout << "\n";
}

void print_years(const search::TraceResponse& r) {
    if (r.years.empty()) return;
    std::cout << "missions per year:";
    for (const auto& y : r.years) std::cout << "  " << y.year << ": " << y.missions;
    std::cout << "\n\n";
}

void print_line(const search::TraceLine& l) {
    std::cout << "    " << std::fixed << std::setprecision(2) << l.similarity << "  " << l.hit.id;
    if (l.addressee == search::Addressee::other) std::cout << "  (addressed to others)";
    std::cout << "\n      …" << l.before << "[" << l.match << "]" << l.after << "…\n";
}

void print_mission(const search::TraceResponse& r, const search::MissionTrace& m) {
    auto year = [](int y) { return y ? std::to_string(y) : std::string("?"); };
    std::cout << (m.mission.empty() ? std::string("(no mission)") : m.mission) << "  " << m.lines.size() << " lines, "
              << year(m.first_year) << "-" << year(m.last_year) << " (first: " << m.first_doc << ", last: " << m.last_doc << ")\n";
    std::string doc;
    for (std::size_t i : m.lines) {
        const auto& l = r.lines[i];
        if (l.hit.doc != doc) {
            doc = l.hit.doc;
            std::cout << "  " << (l.date.empty() ? (l.hit.year ? std::to_string(l.hit.year) : std::string("----")) : l.date) << "  "
                      << l.hit.title << (l.mission_from_document ? "  (the document's mission)" : "") << "\n";
        }
        print_line(l);
    }
    std::cout << "\n";
}

search::TraceOptions trace_options(const Args& args) {
    search::TraceOptions options;
    if (args.has("--min-similarity")) {
        try {
            options.min_similarity = std::stod(args.value("--min-similarity"));
        } catch (const std::exception&) {
            throw UsageError("--min-similarity must be a number from 0 to 1");
        }
        if (options.min_similarity < 0 || options.min_similarity > 1) throw UsageError("--min-similarity must be from 0 to 1");
    }
    for (const auto& f : args.values("--form")) options.forms.insert(f);
    for (const auto& f : args.values("--exclude-form")) options.exclude_forms.insert(f);
    return options;
}

}  // namespace

int run_trace(const Arguments& argv, const Config& config) {
    Args args(argv, {"--db", "--shard", "--min-similarity", "--form", "--exclude-form", "--format"}, {"--json"});
    if (args.positionals().empty()) throw UsageError(kUsage);
    const std::string format = args.has("--json") ? "json" : args.value("--format", "text");
    if (format != "text" && format != "csv" && format != "json") throw UsageError("--format must be text, csv or json");
    const std::string phrase = join(args.positionals(), " ");
    const search::Searcher searcher(db_dir(args, config), args.values("--shard"));
    const auto r = search::trace_phrase(searcher, phrase, trace_options(args));
    if (format == "json") {
        std::cout << search::to_json(r) << "\n";
        return 0;
    }
    if (format == "csv") {
        std::cout << search::to_csv(r);
        return 0;
    }
    const auto exact = std::count_if(r.lines.begin(), r.lines.end(), [](const auto& l) { return l.exact; });
    const auto named = std::count_if(r.missions.begin(), r.missions.end(), [](const auto& m) { return !m.mission.empty(); });
    std::cout << "\"" << phrase << "\": " << exact << " exact, " << r.lines.size() - static_cast<std::size_t>(exact)
              << " near-variants, " << named << " missions\n\n";
    print_forms(r);
    print_years(r);
    for (const auto& m : r.missions) print_mission(r, m);
    return 0;
}

}  // namespace mandala::cli
