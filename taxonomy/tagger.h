#pragma once
// TaxonomyTagger: scores a passage and each of its sentences against every task category and
// keeps the calibrated ones, with the evidence a reader can check (the sentences and terms that
// fired, the statistical model's share) and the near misses that explain what was left out.
//
// Load once, share freely: tag() is const and thread-safe (each thread gets its own ICU word
// breaker, built once per thread, never per call).
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "taxonomy/arrows.h"
#include "taxonomy/lexicon.h"
#include "taxonomy/model.h"
#include "taxonomy/sentences.h"
#include "taxonomy/tag.h"
#include "taxonomy/taxonomy.h"

namespace mandala::taxonomy {

// Everything the tagger computes for one (passage, category) pair, before thresholding.
struct CategoryScore {
    std::size_t category = 0;  // index into Taxonomy::categories
    Features features{};
    double probability = 0.0;
    std::vector<LexicalHit> hits;
};

// Sentence rule: in a passage of at most kMaxSentencesForSentenceRule sentences (a mandate
// paragraph, a list item, a news lead), a category is kept when one of its sentences names a key
// term of it, even when the passage as a whole is mostly about something else and the calibrated
// score is low ("mandate summaries get every task they list"). In longer, analytical paragraphs a
// single sentence naming a task is too often an aside, so there the passage score alone decides.
// Tuned on the two dev sets (docs/evaluation.md): 3 sentences, and no floor on the sentence's
// score in short passages (floors of 0.1-0.2 cost web recall and gained nothing on the study).
inline constexpr std::size_t kMaxSentencesForSentenceRule = 3;
// Words (tokens) beyond which a paragraph of few but long sentences is analytical rather than a
// mandate paragraph, list item or news lead: there the sentence naming a key term must also reach
// the threshold on its own (an aside in one clause does not). Tuned on both dev sets: 60 words
// cost web recall, 100 and more left the study's asides in (docs/evaluation.md).
inline constexpr std::size_t kMaxWordsForKeyTermRule = 80;
// Near misses: categories not kept whose score is within this margin below the threshold, or
// that have terms in the passage; at most kMaxNearMisses, best first.
inline constexpr double kNearMissMargin = 0.15;
inline constexpr std::size_t kMaxNearMisses = 5;
// Evidence kept per tag: its best sentences.
inline constexpr std::size_t kSentencesPerTag = 3;

// One sentence of a passage, scored like a passage (without the heading).
struct ScoredSentence {
    SentenceSpan span;
    std::vector<CategoryScore> scores;  // in category order
};

// A section's headings from the top down, joined as the tagger and its training sources read
// them: "4.4 Output: Freedom of Movement Recovered › 4.4.3 Responsibilities and Coordination".
std::string heading_path(const std::vector<std::string>& headings);

class TaxonomyTagger {
public:
    // Reads task-categories.json and model.json from `dir`.
    explicit TaxonomyTagger(const std::filesystem::path& dir = default_taxonomy_dir());
    TaxonomyTagger(Taxonomy taxonomy, TaggerModel model);
    ~TaxonomyTagger();

    // `section_title` is the heading (or heading path) of the passage's section; headings that
    // name a category's key terms count as weak evidence for it.
    Tagging tag(std::string_view passage_text, std::string_view section_title = {}) const;
    // The same with the passage's tokens already made by text::Analyzer::tokens(passage_text):
    // the indexer analyses each passage once for extraction, tagging and the index.
    Tagging tag(std::string_view passage_text, std::string_view section_title,
                const std::vector<text::Token>& passage_tokens) const;

    // Scores of every category, best first: what tag() thresholds (for evaluation and training).
    std::vector<CategoryScore> score(std::string_view passage_text, std::string_view section_title = {}) const;
    std::vector<CategoryScore> score(std::string_view passage_text, std::string_view section_title,
                                     const std::vector<text::Token>& passage_tokens) const;

    // See-also arrows in a passage of a section about `section_category`: (from, to) pairs.
    std::vector<std::pair<std::string, std::string>> arrow_links(std::string_view section_category,
                                                                 std::string_view passage_text) const;

    const Taxonomy& taxonomy() const { return taxonomy_; }
    const TaggerModel& model() const { return model_; }

private:
    // Scores of one span of the passage (the whole of it or one sentence) in category order.
    // `on_its_own`: each category's lexical evidence is not weighed against the span's best
    // category (a sentence listing several tasks speaks for each of them).
    std::vector<CategoryScore> score_span(std::string_view passage, std::span<const text::Token> tokens,
                                          const LexicalHits* heading_hits, bool on_its_own) const;
    std::vector<ScoredSentence> score_sentences(std::string_view passage, const std::vector<text::Token>& tokens) const;

    Taxonomy taxonomy_;
    TaggerModel model_;
    std::unique_ptr<Lexicon> lexicon_;
    std::unique_ptr<LabelMatcher> labels_;
    std::vector<std::size_t> model_class_;  // per category: its class in the model, or npos
};

// Stems the statistical layer reads: content words only, numbers and stop words dropped.
StemCounts content_stems(std::span<const text::Token> tokens);

// The analyzer of the calling thread (ICU break iterators are stateful and costly to build).
const text::Analyzer& thread_analyzer();

}  // namespace mandala::taxonomy
