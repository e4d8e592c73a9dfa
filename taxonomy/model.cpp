#include "taxonomy/model.h"

#include <Poco/JSON/Object.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "taxonomy/json_util.h"
#include "text/errors.h"

namespace mandala::taxonomy {
namespace {

// Centroids keep their strongest stems only: the tail is noise and would bloat model.json.
constexpr std::size_t kTermsPerCentroid = 400;

double sublinear_tf(int count) { return 1.0 + std::log(static_cast<double>(count)); }

void normalize(std::map<std::string, double>& v) {
    double norm = 0.0;
    for (const auto& [k, w] : v) norm += w * w;
    if (norm <= 0.0) return;
    norm = std::sqrt(norm);
    for (auto& [k, w] : v) w /= norm;
}

std::map<std::string, double> prune(const std::map<std::string, double>& v, std::size_t keep) {
    std::vector<std::pair<std::string, double>> items(v.begin(), v.end());
    std::stable_sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    if (items.size() > keep) items.resize(keep);
    return {items.begin(), items.end()};
}

// Rounded so that model.json is stable text and retraining compares exactly.
double rounded(double x) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.6g", x);
    return std::strtod(buffer, nullptr);
}

double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

// The threshold where F1 is best once the F1 curve is smoothed over neighbouring thresholds
// (+-0.03): the curve is flat near its top, and its raw maximum jumps between the plateau's ends
// when a feature changes a little (0.39 -> 0.27 for one lexicon rule); the middle of the plateau
// stays put and serves passages the calibration did not see just as well.
double best_f1_threshold(const std::vector<double>& p, const std::vector<int>& y) {
    std::vector<double> thresholds, f1s;
    for (int step = 5; step <= 95; ++step) {
        const double t = step / 100.0;
        int tp = 0, fp = 0, fn = 0;
        for (std::size_t i = 0; i < p.size(); ++i) {
            bool predicted = p[i] >= t;
            tp += predicted && y[i];
            fp += predicted && !y[i];
            fn += !predicted && y[i];
        }
        thresholds.push_back(t);
        f1s.push_back(tp == 0 ? 0.0 : 2.0 * tp / (2.0 * tp + fp + fn));
    }
    constexpr std::size_t kHalfWindow = 3;
    double best = 0.5, best_f1 = -1.0;
    for (std::size_t i = 0; i < f1s.size(); ++i) {
        const std::size_t from = i >= kHalfWindow ? i - kHalfWindow : 0, to = std::min(f1s.size(), i + kHalfWindow + 1);
        double sum = 0.0;
        for (std::size_t j = from; j < to; ++j) sum += f1s[j];
        const double smoothed = sum / static_cast<double>(to - from);
        if (smoothed > best_f1 + 1e-12) best_f1 = smoothed, best = thresholds[i];
    }
    return rounded(best);
}

}  // namespace

CentroidModel CentroidModel::train(const std::vector<std::string>& classes, const std::vector<StemCounts>& docs,
                                   const std::vector<std::size_t>& labels) {
    CentroidModel m;
    m.classes_ = classes;
    std::map<std::string, int> df;
    for (const auto& d : docs)
        for (const auto& [stem, count] : d) ++df[stem];
    const double n = static_cast<double>(docs.size());
    for (const auto& [stem, count] : df) m.idf_[stem] = rounded(std::log((1.0 + n) / (1.0 + count)) + 1.0);
    m.centroids_.assign(classes.size(), {});
    for (std::size_t i = 0; i < docs.size(); ++i) {
        std::map<std::string, double> v;
        for (const auto& [stem, count] : docs[i]) v[stem] = sublinear_tf(count) * m.idf_[stem];
        normalize(v);
        for (const auto& [stem, w] : v) m.centroids_[labels[i]][stem] += w;
    }
    for (auto& c : m.centroids_) {
        c = prune(c, kTermsPerCentroid);
        normalize(c);
        for (auto& [stem, w] : c) w = rounded(w);
    }
    m.build_postings();
    return m;
}

void CentroidModel::build_postings() {
    postings_.clear();
    for (const auto& [stem, idf] : idf_) postings_[stem].idf = idf;
    for (std::size_t c = 0; c < centroids_.size(); ++c)
        for (const auto& [stem, w] : centroids_[c]) postings_[stem].weights.emplace_back(c, w);
}

std::vector<double> CentroidModel::similarities(const StemCounts& stems) const {
    std::vector<double> out(centroids_.size(), 0.0);
    double norm = 0.0;
    for (const auto& [stem, count] : stems) {
        auto it = postings_.find(stem);
        if (it == postings_.end()) continue;  // unseen stems cannot meet any centroid
        double w = sublinear_tf(count) * it->second.idf;
        norm += w * w;
        for (const auto& [c, weight] : it->second.weights) out[c] += w * weight;
    }
    if (norm <= 0.0) return out;
    norm = std::sqrt(norm);
    for (auto& x : out) x /= norm;
    return out;
}

Features pair_features(double lexical, double max_lexical, const std::vector<double>& similarities, std::size_t c) {
    double best = *std::max_element(similarities.begin(), similarities.end());
    double sim = similarities[c];
    return {std::log1p(lexical), max_lexical > 0.0 ? lexical / max_lexical : 0.0, sim, best > 0.0 ? sim / best : 0.0};
}

double Calibration::probability(const Features& f) const {
    double z = bias;
    for (std::size_t k = 0; k < kFeatureCount; ++k) z += weights[k] * f[k];
    return sigmoid(z);
}

double Calibration::model_share(const Features& f) const {
    double model = 0.0, total = 0.0;
    for (std::size_t k = 0; k < kFeatureCount; ++k) {
        double contribution = std::max(0.0, weights[k] * f[k]);
        total += contribution;
        if (kModelFeature[k]) model += contribution;
    }
    return total > 0.0 ? model / total : 0.0;
}

Calibration Calibration::fit(const std::vector<Features>& x, const std::vector<int>& y) {
    Calibration cal;
    const double n = static_cast<double>(x.size());
    const double l2 = 1e-3, rate = 0.5;
    for (int epoch = 0; epoch < 3000; ++epoch) {
        double grad_bias = 0.0;
        Features grad{};
        for (std::size_t i = 0; i < x.size(); ++i) {
            double error = cal.probability(x[i]) - y[i];
            grad_bias += error;
            for (std::size_t k = 0; k < kFeatureCount; ++k) grad[k] += error * x[i][k];
        }
        cal.bias -= rate * grad_bias / n;
        for (std::size_t k = 0; k < kFeatureCount; ++k) cal.weights[k] -= rate * (grad[k] / n + l2 * cal.weights[k]);
    }
    cal.bias = rounded(cal.bias);
    for (auto& w : cal.weights) w = rounded(w);
    std::vector<double> p;
    for (const auto& f : x) p.push_back(cal.probability(f));
    cal.threshold = best_f1_threshold(p, y);
    return cal;
}

// Reads and writes TaggerModel as JSON; a friend so the centroid internals stay private.
struct ModelCodec {
    static Poco::JSON::Object::Ptr centroids(const CentroidModel& m) {
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("classes", json::to_array(m.classes_));
        Poco::JSON::Object::Ptr idf = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        for (const auto& [stem, w] : m.idf_) idf->set(stem, w);
        o->set("idf", idf);
        Poco::JSON::Array::Ptr centroids = new Poco::JSON::Array;
        for (const auto& c : m.centroids_) {
            Poco::JSON::Object::Ptr weights = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
            for (const auto& [stem, w] : c) weights->set(stem, w);
            centroids->add(weights);
        }
        o->set("centroids", centroids);
        return o;
    }
    static std::map<std::string, double> weights(const Poco::JSON::Object::Ptr& o) {
        std::map<std::string, double> out;
        if (!o) throw InputError("model: missing weights");
        for (const auto& [key, value] : *o) out[key] = value.convert<double>();
        return out;
    }
    static CentroidModel centroids(const Poco::JSON::Object::Ptr& o) {
        CentroidModel m;
        m.classes_ = json::string_list(o, "classes");
        m.idf_ = weights(o->getObject("idf"));
        auto array = o->getArray("centroids");
        if (!array || array->size() != m.classes_.size()) throw InputError("model: centroids do not match classes");
        for (std::size_t i = 0; i < array->size(); ++i) m.centroids_.push_back(weights(array->getObject(static_cast<unsigned>(i))));
        m.build_postings();
        return m;
    }
};

std::string TaggerModel::to_json() const {
    Poco::JSON::Object::Ptr root = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    root->set("format", "mandala-tagger-model/1");
    Poco::JSON::Object::Ptr cal = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    cal->set("bias", calibration.bias);
    Poco::JSON::Array::Ptr w = new Poco::JSON::Array;
    for (double x : calibration.weights) w->add(x);
    cal->set("weights", w);
    cal->set("threshold", calibration.threshold);
    root->set("calibration", cal);
    Poco::JSON::Object::Ptr stats = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& [k, v] : training_stats) stats->set(k, v);
    root->set("training", stats);
    root->set("centroids", ModelCodec::centroids(centroids));
    return json::stringify(root, 1) + "\n";
}

TaggerModel TaggerModel::from_json(std::string_view text) {
    auto root = json::parse_object(text, "tagger model");
    TaggerModel m;
    try {
        if (json::optional_string(root, "format") != "mandala-tagger-model/1") throw InputError("model: unknown format");
        auto cal = root->getObject("calibration");
        if (!cal) throw InputError("model: missing calibration");
        m.calibration.bias = cal->getValue<double>("bias");
        auto w = cal->getArray("weights");
        if (!w || w->size() != kFeatureCount) throw InputError("model: calibration weights do not match features");
        for (std::size_t k = 0; k < kFeatureCount; ++k) m.calibration.weights[k] = w->getElement<double>(static_cast<unsigned>(k));
        m.calibration.threshold = cal->getValue<double>("threshold");
        if (auto stats = root->getObject("training"))
            for (const auto& [k, v] : *stats) m.training_stats[k] = v.convert<double>();
        auto centroids = root->getObject("centroids");
        if (!centroids) throw InputError("model: missing centroids");
        m.centroids = ModelCodec::centroids(centroids);
    } catch (const Poco::Exception& e) {
        throw InputError("model: " + e.displayText());
    }
    return m;
}

}  // namespace mandala::taxonomy
