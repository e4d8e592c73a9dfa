#pragma once
// Search evaluation: graded judgments (shared/eval/qrels-*.jsonl) located by quote, Mandala's
// ranking scored with nDCG@10, MRR, P@5 and recall@20, beside an SQLite FTS5 baseline (porter
// tokenizer, bm25, the query's words OR-ed) over the same passages, plus search latency.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "catalog/paths.h"
#include "catalog/reader.h"
#include "search/search.h"

namespace mandala::search {

struct Judgment {
    std::string doc, quote;
    int grade = 0;
    std::string passage_id;  // the passage containing the quote; "" when none does (a miss)
};

struct EvalQuery {
    std::string id, query;
    std::vector<Judgment> judgments;
};

struct Metrics {
    double ndcg10 = 0, mrr = 0, p5 = 0, recall20 = 0;
};

// One JSON object per line; throws InputError on malformed lines.
std::vector<EvalQuery> load_qrels(const std::filesystem::path& file);

// Fills Judgment::passage_id: the passage of the judged document whose text contains the quote,
// both normalized as shared/eval/README.md says.
void locate_judgments(std::vector<EvalQuery>& queries, const std::vector<catalog::StoredPassage>& passages);

// Scores a ranking (passage ids, best first) against a query's judgments.
Metrics score_ranking(const std::vector<std::string>& ranked, const std::vector<Judgment>& judgments);

// The FTS5 baseline: an in-memory table over the passages' text.
class Fts5Baseline {
public:
    explicit Fts5Baseline(const std::vector<catalog::StoredPassage>& passages);
    ~Fts5Baseline();
    Fts5Baseline(const Fts5Baseline&) = delete;
    Fts5Baseline& operator=(const Fts5Baseline&) = delete;
    std::vector<std::string> search(const std::string& query, std::size_t k) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

struct QueryEvaluation {
    std::string id, query;
    Metrics mandala, fts5;
    std::vector<std::string> mandala_top, fts5_top;  // first 10 ids
    bool relevant_in_top5 = false;                   // Mandala ranks a judged passage in its top 5
    std::size_t missing_quotes = 0;
};

struct SearchEvaluation {
    std::vector<QueryEvaluation> queries;
    Metrics mandala, fts5;  // means over queries
    double ndcg_ratio = 0;  // mandala / fts5 nDCG@10
    double p50_ms = 0, p95_ms = 0;
    std::size_t latency_samples = 0, missing_quotes = 0;
};

struct EvalOptions {
    // Timed passes over all queries (after one warm-up pass), each a full search with facets and
    // snippets as `mandala search` runs it.
    int latency_rounds = 20;
    bool collapse_identical = true;  // as SearchRequest: identical passages ranked once
};

SearchEvaluation evaluate_search(const Searcher& searcher, std::vector<EvalQuery> queries, EvalOptions options);
inline SearchEvaluation evaluate_search(const Searcher& searcher, std::vector<EvalQuery> queries, int latency_rounds = 20) {
    EvalOptions options;
    options.latency_rounds = latency_rounds;
    return evaluate_search(searcher, std::move(queries), options);
}

std::string to_json(const SearchEvaluation& evaluation);

}  // namespace mandala::search
