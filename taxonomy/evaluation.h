#pragma once
// Tagging evaluation against a gold set (shared/eval/tagging-dev.jsonl format): locates each gold
// passage by its quote, compares categories and primaries, and reports the figures of issue 3.
// Pure computation: the caller supplies the passages and how to tag them.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "taxonomy/tag.h"

namespace mandala::taxonomy {

struct GoldPassage {
    std::string doc;    // file name in the corpus
    std::string quote;  // excerpt from the start of the passage
    std::vector<std::string> labels;
    std::string primary;  // empty when the passage has no category
};

std::vector<GoldPassage> load_tagging_gold(const std::filesystem::path& file);

struct EvalPassage {
    std::string id;
    std::string source;   // file name the passage comes from
    std::string section;  // heading of its section, handed to the tagger
    std::string text;
};

struct CategoryFigures {
    std::string category;
    int tp = 0, fp = 0, fn = 0;
    double precision() const;
    double recall() const;
    double f1() const;
};

struct Confusion {
    std::string gold;       // gold primary, "(none)" for a no-category passage, or a missed label
    std::string predicted;  // a predicted label not in gold, or "(missed)"
    int count = 0;
};

struct TaggingReport {
    std::string protocol;  // how the scored passages relate to the model's training data
    int gold_passages = 0;
    int located = 0;
    int with_category = 0;          // gold passages with at least one category
    int primary_correct = 0;
    int no_category = 0;            // gold passages with no category
    int no_category_untagged = 0;
    double micro_precision = 0, micro_recall = 0, micro_f1 = 0;
    double macro_precision = 0, macro_recall = 0, macro_f1 = 0;  // over categories present in gold
    std::vector<CategoryFigures> per_category;                   // categories in gold or predicted
    std::vector<Confusion> confusions;                            // worst first
    std::vector<GoldPassage> unlocated;                           // counted as misses

    double primary_accuracy() const;
    double untagged_share() const;
    std::string to_text() const;
    std::string to_json() const;
};

using PassageTagger = std::function<Tagging(const EvalPassage&)>;

// The gold passage is the passage (preferably of the same source file) that contains the quote,
// both normalized as in taxonomy/quote.h.
TaggingReport evaluate_tagging(const std::vector<GoldPassage>& gold, const std::vector<EvalPassage>& passages,
                               const PassageTagger& tag);

}  // namespace mandala::taxonomy
