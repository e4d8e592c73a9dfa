// `mandala trace "PHRASE" [--db DIR] [--shard LOCATION ...] [--min-similarity X] [--json]`: keyword-in-context lines of
// every passage holding the phrase or a near-variant, grouped by document (with its missions and
// year), exact matches first.
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <map>

#include "cli/args.h"
#include "cli/commands.h"
#include "search/trace.h"

namespace mandala::cli {
namespace {

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
}

void print_group(const char* title, const std::vector<const search::TraceLine*>& lines) {
    if (lines.empty()) return;
    std::cout << title << " (" << lines.size() << ")\n";
    std::string doc;
    for (const auto* l : lines) {
        if (l->hit.doc != doc) {
            doc = l->hit.doc;
            std::cout << "\n  " << l->hit.title;
            if (l->hit.year) std::cout << " (" << l->hit.year << ")";
            std::cout << "\n";
        }
        std::cout << "    " << std::fixed << std::setprecision(2) << l->similarity << "  " << l->hit.id;
        if (!l->hit.missions.empty()) std::cout << "  [" << join(l->hit.missions) << "]";
        std::cout << "\n      …" << l->before << "[" << l->match << "]" << l->after << "…\n";
    }
    std::cout << "\n";
}

}  // namespace

int run_trace(const std::vector<std::string>& argv) {
    Args args(argv, {"--db", "--shard", "--min-similarity"}, {"--json"});
    if (args.positionals().empty()) throw UsageError("usage: mandala trace \"PHRASE\" [--db DIR] [--shard LOCATION ...] [--min-similarity X] [--json]");
    std::string phrase;
    for (const auto& p : args.positionals()) phrase += (phrase.empty() ? "" : " ") + p;
    search::TraceOptions options;
    if (args.has("--min-similarity")) {
        try {
            options.min_similarity = std::stod(args.value("--min-similarity"));
        } catch (const std::exception&) {
            throw UsageError("--min-similarity must be a number from 0 to 1");
        }
        if (options.min_similarity < 0 || options.min_similarity > 1) throw UsageError("--min-similarity must be from 0 to 1");
    }
    const search::Searcher searcher(db_dir(args), args.values("--shard"));
    const auto r = search::trace_phrase(searcher, phrase, options);
    if (args.has("--json")) {
        std::cout << search::to_json(r) << "\n";
        return 0;
    }
    // Group by document within exact and near: stable order by document, then as ranked.
    std::vector<const search::TraceLine*> exact, near;
    for (const auto& l : r.lines) (l.exact ? exact : near).push_back(&l);
    auto by_doc = [](std::vector<const search::TraceLine*>& v) {
        std::stable_sort(v.begin(), v.end(), [](auto* a, auto* b) {
            return a->hit.year != b->hit.year ? a->hit.year < b->hit.year : a->hit.doc < b->hit.doc;
        });
    };
    by_doc(exact);
    by_doc(near);
    std::cout << "\"" << phrase << "\": " << exact.size() << " exact, " << near.size() << " near-variants\n\n";
    print_group("exact", exact);
    print_group("near-variants", near);
    return 0;
}

}  // namespace mandala::cli
