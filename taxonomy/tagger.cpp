#include "taxonomy/tagger.h"

#include <algorithm>
#include <cmath>

#include "taxonomy/json_util.h"
#include "text/analyzer.h"

namespace mandala::taxonomy {
namespace {

void add_heading_hits(LexicalHits& hits, const LexicalHits& heading_hits) {
    for (std::size_t c = 0; c < hits.size(); ++c)
        for (const auto& h : heading_hits[c]) {
            auto same = [&](const LexicalHit& x) { return x.surface == h.surface; };
            if (std::none_of(hits[c].begin(), hits[c].end(), same))
                hits[c].push_back({h.surface + " (heading)", h.weight * kHeadingHitFactor});
        }
}

double max_lexical(const LexicalHits& hits) {
    double best = 0.0;
    for (const auto& h : hits) best = std::max(best, lexical_score(h));
    return best;
}

double rounded3(double x) { return std::round(x * 1000.0) / 1000.0; }

}  // namespace

std::string heading_path(const std::vector<std::string>& headings) {
    std::string out;
    for (const auto& heading : headings) out += (out.empty() ? "" : " \u203A ") + heading;
    return out;
}

const text::Analyzer& thread_analyzer() {
    static thread_local text::Analyzer analyzer;
    return analyzer;
}

StemCounts content_stems(std::span<const text::Token> tokens) {
    StemCounts out;
    for (const auto& t : tokens)
        if (!t.is_number && t.folded.size() > 1 && !text::is_stopword(t.folded)) ++out[t.stem];
    return out;
}

TaxonomyTagger::TaxonomyTagger(const std::filesystem::path& dir)
    : TaxonomyTagger(load_taxonomy(dir / kTaxonomyFile), TaggerModel::from_json(json::read_file(dir / kModelFile))) {}

TaxonomyTagger::TaxonomyTagger(Taxonomy taxonomy, TaggerModel model)
    : taxonomy_(std::move(taxonomy)),
      model_(std::move(model)),
      lexicon_(std::make_unique<Lexicon>(taxonomy_, thread_analyzer())),
      labels_(std::make_unique<LabelMatcher>(taxonomy_)) {
    const auto& classes = model_.centroids.classes();
    for (const auto& c : taxonomy_.categories) {
        auto it = std::find(classes.begin(), classes.end(), c.id);
        model_class_.push_back(it == classes.end() ? std::string::npos : static_cast<std::size_t>(it - classes.begin()));
    }
}

TaxonomyTagger::~TaxonomyTagger() = default;

std::vector<CategoryScore> TaxonomyTagger::score_span(std::string_view passage, std::span<const text::Token> tokens,
                                                      const LexicalHits* heading_hits, bool on_its_own) const {
    LexicalHits hits = lexicon_->match(passage, tokens);
    if (heading_hits) add_heading_hits(hits, *heading_hits);
    auto similarities = model_.centroids.similarities(content_stems(tokens));
    similarities.push_back(0.0);  // where categories the model never saw point
    const std::size_t unseen = similarities.size() - 1;
    double best_lexical = max_lexical(hits);
    std::vector<CategoryScore> out;
    out.reserve(taxonomy_.categories.size());
    for (std::size_t c = 0; c < taxonomy_.categories.size(); ++c) {
        std::size_t k = model_class_[c] == std::string::npos ? unseen : model_class_[c];
        double lexical = lexical_score(hits[c]);
        CategoryScore s{c, pair_features(lexical, on_its_own ? lexical : best_lexical, similarities, k), 0.0, std::move(hits[c])};
        s.probability = model_.calibration.probability(s.features);
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<CategoryScore> TaxonomyTagger::score(std::string_view passage, std::string_view section_title) const {
    return score(passage, section_title, thread_analyzer().tokens(passage));
}

std::vector<CategoryScore> TaxonomyTagger::score(std::string_view passage, std::string_view section_title,
                                                 const std::vector<text::Token>& tokens) const {
    LexicalHits heading_hits;
    if (!section_title.empty()) heading_hits = lexicon_->match(section_title, thread_analyzer().tokens(section_title));
    auto out = score_span(passage, tokens, section_title.empty() ? nullptr : &heading_hits, false);
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.probability > b.probability; });
    return out;
}

std::vector<ScoredSentence> TaxonomyTagger::score_sentences(std::string_view passage,
                                                            const std::vector<text::Token>& tokens) const {
    std::vector<ScoredSentence> out;
    std::size_t first = 0;
    for (const auto& span : split_sentences(passage)) {
        while (first < tokens.size() && tokens[first].begin < span.begin) ++first;
        std::size_t last = first;
        while (last < tokens.size() && tokens[last].end <= span.end) ++last;
        std::span<const text::Token> words(tokens.data() + first, last - first);
        if (!words.empty()) out.push_back({span, score_span(passage, words, nullptr, true)});
        first = last;
    }
    return out;
}

namespace {

std::vector<std::string> surfaces(const std::vector<LexicalHit>& hits) {
    std::vector<std::string> out;
    for (const auto& h : hits) out.push_back(h.surface);
    return out;
}

// The sentences with terms of `category`, best first, at most kSentencesPerTag.
std::vector<SentenceEvidence> sentence_evidence(std::size_t category, const std::vector<ScoredSentence>& sentences,
                                                const Calibration& calibration) {
    std::vector<SentenceEvidence> out;
    for (const auto& sentence : sentences) {
        const CategoryScore& s = sentence.scores[category];
        if (s.hits.empty()) continue;
        out.push_back({sentence.span.begin, sentence.span.end, rounded3(s.probability),
                       rounded3(calibration.model_share(s.features)), surfaces(s.hits), lexical_score(s.hits)});
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.score > b.score; });
    if (out.size() > kSentencesPerTag) out.resize(kSentencesPerTag);
    return out;
}

// A sentence assigns a category when it names one of its key terms (support terms alone do not).
bool assigns(const SentenceEvidence& s) { return s.lexical >= kKeyTermWeight; }

// Primary first (the best category of the passage as a whole), then the others best first.
void order_tags(Tagging& tagging, const std::string& primary) {
    std::stable_sort(tagging.tags.begin(), tagging.tags.end(), [&](const Tag& a, const Tag& b) {
        if ((a.category == primary) != (b.category == primary)) return a.category == primary;
        return a.score > b.score;
    });
    tagging.primary = primary;
}

}  // namespace

Tagging TaxonomyTagger::tag(std::string_view passage, std::string_view section_title) const {
    return tag(passage, section_title, thread_analyzer().tokens(passage));
}

// A category is kept when the passage as a whole reaches the threshold (a secondary one in a
// passage of more than kMaxSentencesForSentenceRule sentences only when two of its sentences
// assign it), or, in a short passage, when one of its sentences assigns it (a key term of the
// category in that very sentence; in a passage of more than kMaxWordsForKeyTermRule words the
// sentence must also reach the threshold on its own).
Tagging TaxonomyTagger::tag(std::string_view passage, std::string_view section_title,
                            const std::vector<text::Token>& tokens) const {
    const double threshold = model_.calibration.threshold;
    auto sentences = score_sentences(passage, tokens);
    // In a long paragraph a key term in one clause is often an aside: the sentence must then be
    // about the task on its own (reach the threshold), not merely name it.
    const double sentence_needs = tokens.size() <= kMaxWordsForKeyTermRule ? 0.0 : threshold;
    Tagging tagging;
    std::string primary;
    for (auto& s : score(passage, section_title, tokens)) {
        Tag tag{taxonomy_.categories[s.category].id, rounded3(s.probability), surfaces(s.hits),
                rounded3(model_.calibration.model_share(s.features)), sentence_evidence(s.category, sentences, model_.calibration)};
        double sentence_best = tag.sentences.empty() ? 0.0 : tag.sentences.front().score;
        const bool short_passage = sentences.size() <= kMaxSentencesForSentenceRule;
        const auto assigning = std::count_if(tag.sentences.begin(), tag.sentences.end(), [&](const SentenceEvidence& x) {
            return assigns(x) && x.score >= sentence_needs;
        });
        bool kept = (s.probability >= threshold && (short_passage || primary.empty() || assigning >= 2)) ||
                    (short_passage && assigning > 0);
        if (kept && primary.empty()) primary = tag.category;  // score() lists the passage's best first
        if (kept) tag.score = std::max(tag.score, sentence_best);
        if (kept) tagging.tags.push_back(std::move(tag));
        else if (tagging.near_misses.size() < kMaxNearMisses &&
                 (tag.score >= threshold - kNearMissMargin || !tag.evidence.empty()))
            tagging.near_misses.push_back(std::move(tag));
    }
    order_tags(tagging, primary);
    return tagging;
}

std::vector<std::pair<std::string, std::string>> TaxonomyTagger::arrow_links(std::string_view section_category,
                                                                             std::string_view passage) const {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& link : labels_->links(section_category, passage, thread_analyzer()))
        if (std::find(out.begin(), out.end(), std::pair{link.from, link.to}) == out.end())
            out.emplace_back(link.from, link.to);
    return out;
}

}  // namespace mandala::taxonomy
