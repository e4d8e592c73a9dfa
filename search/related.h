#pragma once
// More like this: passages that share the most telling terms of a given passage (Xapian's expand
// set over a relevance set of that one passage), its neighbours in the same section excluded,
// each with the shared terms as the reason.
#include <string>
#include <vector>

#include "search/search.h"

namespace mandala::search {

struct RelatedHit {
    SearchHit hit;
    std::vector<std::string> shared_terms;  // expand-set terms this passage contains
};

struct RelatedResponse {
    SearchHit source;
    std::vector<std::string> terms;  // the expand set used as the query, best first
    std::vector<RelatedHit> results;
};

// Throws NotFound when `passage_id` is not indexed.
RelatedResponse related_passages(const Searcher& searcher, const std::string& passage_id, std::size_t limit = 10,
                                 std::size_t expand_terms = 24);

std::string to_json(const RelatedResponse& response);

}  // namespace mandala::search
