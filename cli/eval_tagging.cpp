// `mandala eval tagging --gold FILE [--db DIR] [--corpus DIR] [--in-sample] [--json]`: tags every
// indexed passage that a gold quote locates and prints micro/macro P/R/F1, primary accuracy, the
// share of no-category passages left untagged, a per-category table, the worst confusions and the
// unlocated quotes. The passages are re-tagged with the current taxonomy/model so a tuning loop
// needs no re-index.
//
// Leave one document out by default: a gold passage of a document that holds training exemplars
// is tagged by a model retrained without that document, so the figure measures tagging, not the
// memory of the document's sections. `--in-sample` scores with the committed model instead.
#include <iostream>
#include <set>

#include "cli/args.h"
#include "cli/commands.h"
#include "indexer/store.h"
#include "taxonomy/evaluation.h"
#include "taxonomy/tagger.h"
#include "taxonomy/train.h"

namespace mandala::cli {
namespace {

std::vector<taxonomy::EvalPassage> indexed_passages(const std::string& db) {
    std::vector<taxonomy::EvalPassage> out;
    for (auto& p : indexer::load_passages(db)) out.push_back({p.id, p.source, taxonomy::heading_path(p.section), std::move(p.text)});
    return out;
}

std::string protocol_line(bool in_sample, const std::set<std::string>& retrained) {
    if (in_sample) return "protocol: in-sample (the committed model, whose exemplars may come from the scored documents)";
    std::string line = "protocol: leave one document out (";
    if (retrained.empty()) return line + "no scored document holds training exemplars: the committed model never saw them)";
    std::string docs;
    for (const auto& d : retrained) docs += (docs.empty() ? "" : ", ") + d;
    return line + "retrained without " + docs + " for its passages)";
}

}  // namespace

int run_eval_tagging(const Arguments& argv, const Config& config) {
    Args args(argv, {"--gold", "--db", "--taxonomy", "--corpus"}, {"--json", "--in-sample"});
    if (!args.has("--gold")) {
        throw UsageError("usage: mandala eval tagging --gold FILE [--db DIR] [--corpus DIR] [--taxonomy DIR] [--in-sample] [--json]");
    }
    const bool in_sample = args.has("--in-sample");
    taxonomy::TaxonomyTagger committed(args.value("--taxonomy", taxonomy::default_taxonomy_dir().string()));
    auto gold = taxonomy::load_tagging_gold(args.value("--gold"));
    std::set<std::string> scored;
    for (const auto& g : gold) scored.insert(g.doc);
    // The training corpus: where the exemplar documents live (the seed corpus by default).
    taxonomy::TrainingOptions training{config.with_flags(args).corpus_dirs.at(0), {}, 5, {}};
    auto left_out = in_sample ? decltype(taxonomy::taggers_without_each(committed.taxonomy(), training, scored)){}
                              : taxonomy::taggers_without_each(committed.taxonomy(), training, scored);
    std::set<std::string> retrained;
    for (const auto& [doc, tagger] : left_out) retrained.insert(doc);
    auto report = taxonomy::evaluate_tagging(gold, indexed_passages(db_dir(args, config)), [&](const taxonomy::EvalPassage& p) {
        auto it = left_out.find(p.source);
        return (it == left_out.end() ? committed : *it->second).tag(p.text, p.section);
    });
    report.protocol = protocol_line(in_sample, retrained);
    std::cout << (args.has("--json") ? report.to_json() : report.to_text());
    return 0;
}

// `mandala eval WHAT ...`: the first argument names the gold set's kind.
int run_eval(const Arguments& argv, const Config& config) {
    const Arguments rest(argv.empty() ? argv.end() : argv.begin() + 1, argv.end());
    if (!argv.empty() && argv.front() == "tagging") return run_eval_tagging(rest, config);
    if (!argv.empty() && argv.front() == "search") return run_eval_search(rest, config);
    if (!argv.empty() && argv.front() == "entities") return run_eval_entities(rest, config);
    if (!argv.empty() && argv.front() == "dates") return run_eval_dates(rest, config);
    throw UsageError("usage: mandala eval (tagging --gold FILE | search --qrels FILE | entities --gold FILE | "
                     "dates --gold FILE) [--db DIR] [--json]");
}

}  // namespace mandala::cli
