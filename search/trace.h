#pragma once
// Language tracing: every passage that contains a phrase or a near-variant of it. Candidates come
// from the index (the exact phrase, then the phrase's words); each is scored by shingle
// similarity: the share of the phrase's word bigrams (stems, stop words kept) found in the best
// window of the passage. Exact matches (the folded word sequence occurs) come first.
#include <string>
#include <vector>

#include "search/search.h"

namespace mandala::search {

struct TraceOptions {
    double min_similarity = 0.5;    // near-variants below this are dropped
    std::size_t candidates = 400;   // best word matches examined for near-variants
    std::size_t context_words = 10; // words of context either side in the KWIC line
};

struct TraceLine {
    SearchHit hit;
    double similarity = 0;  // 1 for exact matches
    bool exact = false;
    std::string before, match, after;  // keyword in context
};

struct TraceResponse {
    std::string phrase;
    std::vector<TraceLine> lines;  // exact first, then by similarity, then by year and id
};

// Shingle similarity of `phrase` to the best window of `passage` (both token lists of stems):
// share of the phrase's bigrams (unigrams for one word) present in the window; `where` receives
// the window's first and last token index.
double shingle_similarity(const std::vector<std::string>& phrase, const std::vector<std::string>& passage,
                          std::pair<std::size_t, std::size_t>* where = nullptr);

// Throws InputError for an empty phrase and LimitExceeded for one over kMaxQueryWords words.
TraceResponse trace_phrase(const Searcher& searcher, const std::string& phrase, const TraceOptions& options = {});

std::string to_json(const TraceResponse& response);

}  // namespace mandala::search
