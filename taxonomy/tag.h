#pragma once
// What the tagger says about one passage: plain data, stored by the indexer, shown by search.
#include <string>
#include <vector>

namespace mandala::taxonomy {

struct Tag {
    std::string category;               // task-category id, e.g. "ddr"
    double score = 0.0;                 // calibrated confidence in [0, 1]
    std::vector<std::string> evidence;  // terms and phrases that fired, e.g. "ex-combatants"
    double model_share = 0.0;           // share of the score from the statistical layer
};

struct Tagging {
    std::vector<Tag> tags;  // best first; empty when the passage is about no task category
    std::string primary;    // id of the best category, empty when untagged
};

}  // namespace mandala::taxonomy
