// `mandala eval tagging --gold FILE [--db DIR] [--json]`: tags every indexed passage that a gold
// quote locates and prints micro/macro P/R/F1, primary accuracy, the share of no-category
// passages left untagged, a per-category table, the worst confusions and the unlocated quotes.
// The passages are re-tagged with the current taxonomy/model so a tuning loop needs no re-index.
#include <iostream>

#include "cli/args.h"
#include "cli/commands.h"
#include "indexer/store.h"
#include "taxonomy/evaluation.h"
#include "taxonomy/tagger.h"

namespace mandala::cli {
namespace {

// The tagger reads the whole heading path, as the indexer hands it over: "4.4 Output: Freedom of
// Movement Recovered › 4.4.3 Responsibilities and Coordination".
std::string heading_path(const std::vector<std::string>& section) {
    std::string out;
    for (const auto& heading : section) out += (out.empty() ? "" : " \u203A ") + heading;
    return out;
}

std::vector<taxonomy::EvalPassage> indexed_passages(const std::string& db) {
    std::vector<taxonomy::EvalPassage> out;
    for (auto& p : indexer::load_passages(db)) out.push_back({p.id, p.source, heading_path(p.section), std::move(p.text)});
    return out;
}

}  // namespace

int run_eval_tagging(const Arguments& all) {
    // Tolerate a dispatcher that passes the "tagging" word along with the options.
    Arguments argv(all.begin() + (!all.empty() && all.front() == "tagging" ? 1 : 0), all.end());
    Args args(argv, {"--gold", "--db", "--taxonomy"}, {"--json"});
    if (!args.has("--gold")) {
        std::cerr << "usage: mandala eval tagging --gold FILE [--db DIR] [--taxonomy DIR] [--json]\n";
        return 2;
    }
    taxonomy::TaxonomyTagger tagger(args.value("--taxonomy", taxonomy::default_taxonomy_dir().string()));
    auto report = taxonomy::evaluate_tagging(taxonomy::load_tagging_gold(args.value("--gold")), indexed_passages(db_dir(args)),
                                             [&](const taxonomy::EvalPassage& p) { return tagger.tag(p.text, p.section); });
    std::cout << (args.has("--json") ? report.to_json() : report.to_text());
    return 0;
}

}  // namespace mandala::cli
