#pragma once
// What the tagger says about one passage: plain data, stored by the indexer, shown by search.
#include <cstddef>
#include <string>
#include <vector>

namespace mandala::taxonomy {

// One sentence of the passage that speaks for a category: where it is, what fired in it.
struct SentenceEvidence {
    std::size_t begin = 0;           // byte offsets of the sentence in the passage text
    std::size_t end = 0;
    double score = 0.0;              // the sentence's own calibrated score for the category
    double model_share = 0.0;        // share of that score from the statistical layer
    std::vector<std::string> terms;  // terms and phrases that fired in the sentence
    double lexical = 0.0;            // their summed weights (key term 1.0, support term 0.3)
};

struct Tag {
    std::string category;               // task-category id, e.g. "ddr"
    double score = 0.0;                 // calibrated confidence in [0, 1]
    std::vector<std::string> evidence;  // terms and phrases that fired, e.g. "ex-combatants"
    double model_share = 0.0;           // share of the score from the statistical layer
    std::vector<SentenceEvidence> sentences;  // the sentences with terms of the category, best first
};

struct Tagging {
    std::vector<Tag> tags;  // primary first, then best first; empty when about no task category
    std::string primary;    // id of the best category, empty when untagged
    // Categories that fell within kNearMissMargin below the threshold, best first: they explain
    // an empty or short answer. Not stored by the indexer.
    std::vector<Tag> near_misses;
};

}  // namespace mandala::taxonomy
