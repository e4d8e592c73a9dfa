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
    for (auto& p : indexer::load_passages(db)) out.push_back({p.id, p.source, taxonomy::heading_path(p.section), std::move(p.text)});
    return out;
}

}  // namespace

int run_eval_tagging(const Arguments& argv) {
    Args args(argv, {"--gold", "--db", "--taxonomy"}, {"--json"});
    if (!args.has("--gold")) {
        throw UsageError("usage: mandala eval tagging --gold FILE [--db DIR] [--taxonomy DIR] [--json]");
    }
    taxonomy::TaxonomyTagger tagger(args.value("--taxonomy", taxonomy::default_taxonomy_dir().string()));
    auto report = taxonomy::evaluate_tagging(taxonomy::load_tagging_gold(args.value("--gold")), indexed_passages(db_dir(args)),
                                             [&](const taxonomy::EvalPassage& p) { return tagger.tag(p.text, p.section); });
    std::cout << (args.has("--json") ? report.to_json() : report.to_text());
    return 0;
}

// `mandala eval WHAT ...`: the first argument names the gold set's kind.
int run_eval(const Arguments& argv) {
    const Arguments rest(argv.empty() ? argv.end() : argv.begin() + 1, argv.end());
    if (!argv.empty() && argv.front() == "tagging") return run_eval_tagging(rest);
    if (!argv.empty() && argv.front() == "search") return run_eval_search(rest);
    if (!argv.empty() && argv.front() == "entities") return run_eval_entities(rest);
    if (!argv.empty() && argv.front() == "dates") return run_eval_dates(rest);
    throw UsageError("usage: mandala eval (tagging --gold FILE | search --qrels FILE | entities --gold FILE | "
                     "dates --gold FILE) [--db DIR] [--json]");
}

}  // namespace mandala::cli
