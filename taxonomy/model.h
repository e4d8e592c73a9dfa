#pragma once
// The statistical layer and the calibration that joins it with the lexical layer.
//
// Statistical layer: a tf-idf centroid classifier over stems, one centroid per category plus one
// for "no category" (leadership, budgets, staffing, coordination), trained on exemplar passages.
// Calibration: one logistic model, shared by all categories, mapping a passage-category pair's
// features (lexical evidence, similarity to the category, similarity relative to the best class)
// to a probability; one global threshold on that probability decides which tags are kept.
#include <array>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mandala::taxonomy {

// Bag of stems of one passage, the unit the centroid model reads.
using StemCounts = std::map<std::string, int>;

class CentroidModel {
public:
    // `labels[i]` is an index into `classes`; classes.back() is conventionally "" (no category).
    static CentroidModel train(const std::vector<std::string>& classes, const std::vector<StemCounts>& docs,
                               const std::vector<std::size_t>& labels);
    // Cosine similarity of the passage to every class centroid, in class order.
    std::vector<double> similarities(const StemCounts& stems) const;
    const std::vector<std::string>& classes() const { return classes_; }

    friend struct ModelCodec;

private:
    // Per stem: its idf and its weight in every centroid holding it; built once so scoring a
    // passage costs one hash lookup per distinct stem.
    struct Posting {
        double idf = 0.0;
        std::vector<std::pair<std::size_t, double>> weights;  // (class, centroid weight)
    };
    void build_postings();

    std::vector<std::string> classes_;
    std::map<std::string, double> idf_;
    std::vector<std::map<std::string, double>> centroids_;  // unit length
    std::unordered_map<std::string, Posting> postings_;
};

inline constexpr std::size_t kFeatureCount = 4;
using Features = std::array<double, kFeatureCount>;

// Features of (passage, category c). `similarities` covers every class incl. "no category".
Features pair_features(double lexical, double max_lexical, const std::vector<double>& similarities, std::size_t c);

// Indices of the features that come from the statistical layer (for model_share).
inline constexpr std::array<bool, kFeatureCount> kModelFeature = {false, false, true, true};

struct Calibration {
    double bias = 0.0;
    Features weights{};
    double threshold = 0.5;  // on the calibrated probability

    double probability(const Features& f) const;
    // Share of the positive evidence that comes from the statistical layer, in [0, 1].
    double model_share(const Features& f) const;
    // Logistic regression by gradient descent, deterministic; threshold maximising F1.
    static Calibration fit(const std::vector<Features>& x, const std::vector<int>& y);
};

struct TaggerModel {
    CentroidModel centroids;
    Calibration calibration;
    std::map<std::string, double> training_stats;  // sizes and cross-validated figures, for docs

    std::string to_json() const;
    static TaggerModel from_json(std::string_view json);
};

}  // namespace mandala::taxonomy
