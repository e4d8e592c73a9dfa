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

StemCounts content_stems(const std::vector<text::Token>& tokens) {
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

std::vector<CategoryScore> TaxonomyTagger::score(std::string_view passage, std::string_view section_title) const {
    return score(passage, section_title, thread_analyzer().tokens(passage));
}

std::vector<CategoryScore> TaxonomyTagger::score(std::string_view passage, std::string_view section_title,
                                                 const std::vector<text::Token>& tokens) const {
    const auto& analyzer = thread_analyzer();
    LexicalHits hits = lexicon_->match(passage, tokens);
    if (!section_title.empty()) add_heading_hits(hits, lexicon_->match(section_title, analyzer.tokens(section_title)));
    auto similarities = model_.centroids.similarities(content_stems(tokens));
    similarities.push_back(0.0);  // where categories the model never saw point
    const std::size_t unseen = similarities.size() - 1;
    double best_lexical = max_lexical(hits);
    std::vector<CategoryScore> out;
    for (std::size_t c = 0; c < taxonomy_.categories.size(); ++c) {
        std::size_t k = model_class_[c] == std::string::npos ? unseen : model_class_[c];
        CategoryScore s{c, pair_features(lexical_score(hits[c]), best_lexical, similarities, k), 0.0, std::move(hits[c])};
        s.probability = model_.calibration.probability(s.features);
        out.push_back(std::move(s));
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.probability > b.probability; });
    return out;
}

Tagging TaxonomyTagger::tag(std::string_view passage, std::string_view section_title) const {
    return tag(passage, section_title, thread_analyzer().tokens(passage));
}

Tagging TaxonomyTagger::tag(std::string_view passage, std::string_view section_title,
                            const std::vector<text::Token>& tokens) const {
    Tagging tagging;
    for (auto& s : score(passage, section_title, tokens)) {
        if (s.probability < model_.calibration.threshold) break;
        Tag tag{taxonomy_.categories[s.category].id, rounded3(s.probability), {},
                rounded3(model_.calibration.model_share(s.features))};
        for (auto& h : s.hits) tag.evidence.push_back(std::move(h.surface));
        tagging.tags.push_back(std::move(tag));
    }
    if (!tagging.tags.empty()) tagging.primary = tagging.tags.front().category;
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
