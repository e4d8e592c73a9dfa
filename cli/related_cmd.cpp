// `mandala related ID [--db DIR] [--shard LOCATION ...] [--limit N] [--json]`: passages like the given one, with reasons.
#include <iostream>

#include "cli/args.h"
#include "cli/commands.h"
#include "search/related.h"

namespace mandala::cli {

int run_related(const Arguments& argv, const Config& config) {
    Args args(argv, {"--db", "--shard", "--limit"}, {"--json"});
    if (args.positionals().size() != 1) throw UsageError("usage: mandala related PASSAGE_ID [--db DIR] [--shard LOCATION ...] [--limit N] [--json]");
    const search::Searcher searcher(db_dir(args, config), args.values("--shard"));
    const auto limit = static_cast<std::size_t>(args.integer("--limit", 10, 1, 100));
    const auto r = search::related_passages(searcher, args.positionals()[0], limit);
    if (args.has("--json")) {
        std::cout << search::to_json(r) << "\n";
        return 0;
    }
    std::cout << "like " << r.source.id << " (" << r.source.title << ")\n";
    for (const auto& x : r.results) {
        std::cout << x.hit.rank << ". " << x.hit.id << "  (" << x.hit.score << ")\n   shared: ";
        for (std::size_t i = 0; i < x.shared_terms.size(); ++i) std::cout << (i ? ", " : "") << x.shared_terms[i];
        std::cout << "\n   " << x.hit.text.substr(0, 200) << "\n";
    }
    return 0;
}

}  // namespace mandala::cli
