// `mandala eval search --qrels FILE [--db DIR] [--rounds N] [--no-thesaurus] [--no-expansion]
// [--no-collapse] [--json]`: Mandala against the FTS5 baseline on graded judgments, plus search latency.
#include <iomanip>
#include <iostream>

#include "cli/args.h"
#include "cli/commands.h"
#include "search/eval.h"

namespace mandala::cli {
namespace {

void row(const std::string& label, const search::Metrics& m) {
    std::cout << std::left << std::setw(24) << label << std::right << std::fixed << std::setprecision(3) << std::setw(9)
              << m.ndcg10 << std::setw(8) << m.mrr << std::setw(8) << m.p5 << std::setw(11) << m.recall20 << "\n";
}

}  // namespace

int run_eval_search(const Arguments& argv, const Config& config) {
    Args args(argv, {"--db", "--shard", "--qrels", "--rounds", "--weights"},
              {"--json", "--no-thesaurus", "--no-expansion", "--no-collapse"});
    if (!args.has("--qrels"))
        throw UsageError("usage: mandala eval search --qrels FILE [--db DIR] [--shard LOCATION ...] [--rounds N] "
                         "[--weights S,H,P,C,L[,K1,B[,CAT[,FILLER[,ENTITY]]]]] [--no-thesaurus] [--no-expansion] [--no-collapse] [--json]");
    // --no-thesaurus: without search/data/thesaurus.json; --no-expansion: without any synonym group.
    search::SynonymSources sources;
    sources.thesaurus = !args.has("--no-thesaurus") && !args.has("--no-expansion");
    sources.corpus = sources.taxonomy = !args.has("--no-expansion");
    const std::filesystem::path db = db_dir(args, config);
    const search::Searcher searcher(db, args.values("--shard"), search::Synonyms::load(db, sources),
                                    args.has("--weights") ? search::parse_weights(args.value("--weights")) : search::RankingWeights{});
    search::EvalOptions options;
    options.latency_rounds = args.integer("--rounds", 20, 0, 10000);
    options.collapse_identical = !args.has("--no-collapse");
    const auto ev = search::evaluate_search(searcher, search::load_qrels(args.value("--qrels")), options);
    if (args.has("--json")) {
        std::cout << search::to_json(ev) << "\n";
        return 0;
    }
    std::cout << std::left << std::setw(24) << "query" << std::right << std::setw(9) << "nDCG@10" << std::setw(8) << "MRR"
              << std::setw(8) << "P@5" << std::setw(11) << "recall@20" << "\n";
    for (const auto& q : ev.queries) {
        row(q.id + " mandala", q.mandala);
        row(q.id + " fts5", q.fts5);
        if (q.missing_quotes) std::cout << "  " << q.missing_quotes << " judged quote(s) found in no passage\n";
    }
    std::cout << "\n";
    row("overall mandala", ev.mandala);
    row("overall fts5", ev.fts5);
    std::cout << "nDCG@10 ratio mandala/fts5: " << std::setprecision(2) << ev.ndcg_ratio << "\n";
    std::cout << "latency (facets + snippets, " << ev.latency_samples << " searches): p50 " << std::setprecision(2)
              << ev.p50_ms << " ms, p95 " << ev.p95_ms << " ms\n";
    if (ev.missing_quotes) std::cout << "judged quotes found in no passage: " << ev.missing_quotes << "\n";
    return 0;
}

}  // namespace mandala::cli
