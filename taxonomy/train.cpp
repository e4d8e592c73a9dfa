#include "taxonomy/train.h"

#include <algorithm>
#include <fstream>
#include <set>

#include "taxonomy/json_util.h"
#include "taxonomy/lexicon.h"
#include "taxonomy/quote.h"
#include "taxonomy/tagger.h"
#include "text/analyzer.h"
#include "text/errors.h"

namespace mandala::taxonomy {
namespace {

// Exemplars shorter than this say too little to teach the model anything.
constexpr std::size_t kMinContentStems = 8;

struct Prepared {
    StemCounts stems;
    LexicalHits hits;
    std::size_t label = 0;  // class index; the last class is "no category"
};

std::string category_of(const Taxonomy& taxonomy, const SourcePassage& p, bool& declared) {
    declared = false;
    for (const auto& c : taxonomy.categories)
        for (const auto& e : c.exemplars)
            if (e.doc == p.doc && section_matches(p.section, e.section)) return declared = true, c.id;
    for (const auto& e : taxonomy.no_category_exemplars)
        if (e.doc == p.doc && section_matches(p.section, e.section)) return declared = true, std::string();
    return {};
}

bool contains_any(const std::string& normalized, const std::vector<std::string>& quotes) {
    return std::any_of(quotes.begin(), quotes.end(),
                       [&](const std::string& q) { return normalized.find(q) != std::string::npos; });
}

std::vector<std::string> held_out_quotes(const TrainingOptions& options) {
    std::vector<std::string> quotes;
    for (const auto& file : options.held_out)
        for (const auto& q : read_gold_quotes(file)) quotes.push_back(normalize_for_quote_match(q));
    return quotes;
}

std::vector<Prepared> prepare(const std::vector<TrainingExample>& examples, const std::vector<std::string>& classes,
                              const Lexicon& lexicon) {
    const auto& analyzer = thread_analyzer();
    std::vector<Prepared> out;
    for (const auto& e : examples) {
        auto tokens = analyzer.tokens(e.passage.text);
        Prepared p{content_stems(tokens), lexicon.match(e.passage.text, tokens), 0};
        auto heading = analyzer.tokens(e.passage.heading);
        auto heading_hits = lexicon.match(e.passage.heading, heading);
        for (std::size_t c = 0; c < heading_hits.size(); ++c)
            for (auto& h : heading_hits[c]) p.hits[c].push_back({h.surface + " (heading)", h.weight * kHeadingHitFactor});
        p.label = static_cast<std::size_t>(std::find(classes.begin(), classes.end(), e.category) - classes.begin());
        out.push_back(std::move(p));
    }
    return out;
}

// Similarities of every example to centroids trained without its fold: what an unseen passage
// would get, so the calibration does not learn to trust an over-fitted model.
std::vector<std::vector<double>> out_of_fold_similarities(const std::vector<Prepared>& data,
                                                          const std::vector<std::string>& classes, int folds) {
    std::vector<std::vector<double>> sims(data.size());
    for (int f = 0; f < folds; ++f) {
        std::vector<StemCounts> docs;
        std::vector<std::size_t> labels;
        for (std::size_t i = 0; i < data.size(); ++i)
            if (static_cast<int>(i % static_cast<std::size_t>(folds)) != f) docs.push_back(data[i].stems), labels.push_back(data[i].label);
        auto model = CentroidModel::train(classes, docs, labels);
        for (std::size_t i = static_cast<std::size_t>(f); i < data.size(); i += static_cast<std::size_t>(folds))
            sims[i] = model.similarities(data[i].stems);
    }
    return sims;
}

// Our own no-category passages: they belong to no corpus document, so no document left out for
// scoring ever holds them.
void add_authored(const Taxonomy& taxonomy, std::vector<TrainingExample>& out) {
    for (const auto& text : taxonomy.authored_no_category)
        out.push_back({SourcePassage{std::string(kAuthoredDoc), "authored", "", text, false}, std::string()});
}

}  // namespace

std::set<std::string> exemplar_docs(const Taxonomy& taxonomy) {
    std::set<std::string> docs;
    for (const auto& c : taxonomy.categories)
        for (const auto& e : c.exemplars) docs.insert(e.doc);
    for (const auto& e : taxonomy.no_category_exemplars) docs.insert(e.doc);
    return docs;
}

std::vector<std::string> read_gold_quotes(const std::filesystem::path& gold) {
    std::ifstream in(gold);
    if (!in) throw InputError("cannot read " + gold.string());
    std::vector<std::string> quotes;
    for (std::string line; std::getline(in, line);) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        quotes.push_back(json::required_string(json::parse_object(line, gold.string()), "quote"));
    }
    return quotes;
}

std::vector<TrainingExample> gather_exemplars(const Taxonomy& taxonomy, const TrainingOptions& options) {
    auto quotes = held_out_quotes(options);
    const auto& analyzer = thread_analyzer();
    std::vector<TrainingExample> out;
    for (const auto& doc : exemplar_docs(taxonomy)) {
        const auto& left_out = options.left_out_docs;
        if (std::find(left_out.begin(), left_out.end(), doc) != left_out.end()) continue;
        for (auto& p : split_source_text(json::read_file(options.corpus_dir / doc), doc)) {
            bool declared = false;
            std::string category = category_of(taxonomy, p, declared);
            if (!declared || p.footnote || contains_any(normalize_for_quote_match(p.text), quotes)) continue;
            if (content_stems(analyzer.tokens(p.text)).size() < kMinContentStems) continue;
            out.push_back({std::move(p), std::move(category)});
        }
    }
    add_authored(taxonomy, out);
    return out;
}

TaggerModel train_model(const Taxonomy& taxonomy, const TrainingOptions& options) {
    auto examples = gather_exemplars(taxonomy, options);
    std::vector<std::string> classes = taxonomy.ids();
    classes.push_back("");  // no category
    Lexicon lexicon(taxonomy, thread_analyzer());
    auto data = prepare(examples, classes, lexicon);
    auto sims = out_of_fold_similarities(data, classes, options.folds);
    std::vector<Features> x;
    std::vector<int> y;
    for (std::size_t i = 0; i < data.size(); ++i) {
        double best = 0.0;
        for (const auto& h : data[i].hits) best = std::max(best, lexical_score(h));
        for (std::size_t c = 0; c + 1 < classes.size(); ++c) {
            x.push_back(pair_features(lexical_score(data[i].hits[c]), best, sims[i], c));
            y.push_back(data[i].label == c ? 1 : 0);
        }
    }
    TaggerModel model;
    model.calibration = Calibration::fit(x, y);
    std::vector<StemCounts> docs;
    std::vector<std::size_t> labels;
    for (const auto& d : data) docs.push_back(d.stems), labels.push_back(d.label);
    model.centroids = CentroidModel::train(classes, docs, labels);
    model.training_stats["examples"] = static_cast<double>(data.size());
    model.training_stats["no_category_examples"] =
        static_cast<double>(std::count_if(examples.begin(), examples.end(), [](const auto& e) { return e.category.empty(); }));
    model.training_stats["folds"] = options.folds;
    return model;
}

std::map<std::string, std::unique_ptr<TaxonomyTagger>> taggers_without_each(const Taxonomy& taxonomy,
                                                                           const TrainingOptions& base,
                                                                           const std::set<std::string>& scored) {
    std::map<std::string, std::unique_ptr<TaxonomyTagger>> out;
    for (const auto& doc : exemplar_docs(taxonomy)) {
        if (!scored.count(doc)) continue;
        TrainingOptions options = base;
        options.left_out_docs.push_back(doc);
        out[doc] = std::make_unique<TaxonomyTagger>(taxonomy, train_model(taxonomy, options));
    }
    return out;
}

}  // namespace mandala::taxonomy
