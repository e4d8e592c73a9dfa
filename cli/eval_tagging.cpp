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

std::vector<taxonomy::EvalPassage> indexed_passages(const std::string& db) {
    std::vector<taxonomy::EvalPassage> out;
    for (auto& p : indexer::load_passages(db))
        out.push_back({p.id, p.source, p.section.empty() ? std::string() : p.section.back(), std::move(p.text)});
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
