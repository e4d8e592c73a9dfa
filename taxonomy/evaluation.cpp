#include "taxonomy/evaluation.h"

#include <Poco/JSON/Object.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "taxonomy/json_util.h"
#include "taxonomy/quote.h"
#include "text/errors.h"

namespace mandala::taxonomy {
namespace {

using Poco::JSON::Object;

double ratio(double a, double b) { return b > 0 ? a / b : 0.0; }
double harmonic(double p, double r) { return p + r > 0 ? 2 * p * r / (p + r) : 0.0; }

GoldPassage parse_gold_line(const std::string& line, const std::string& where) {
    auto o = json::parse_object(line, where);
    GoldPassage g{json::required_string(o, "doc"), json::required_string(o, "quote"), json::string_list(o, "labels"),
                  json::optional_string(o, "primary")};
    return g;
}

// Index of the passage containing the quote, or -1. Passages of the gold's own file come first.
long locate(const GoldPassage& g, const std::vector<EvalPassage>& passages, const std::vector<std::string>& normalized) {
    std::string quote = normalize_for_quote_match(g.quote);
    long fallback = -1;
    for (std::size_t i = 0; i < passages.size(); ++i) {
        if (normalized[i].find(quote) == std::string::npos) continue;
        if (passages[i].source == g.doc) return static_cast<long>(i);
        if (fallback < 0) fallback = static_cast<long>(i);
    }
    return fallback;
}

std::set<std::string> predicted_labels(const Tagging& t) {
    std::set<std::string> out;
    for (const auto& tag : t.tags) out.insert(tag.category);
    return out;
}

struct Tally {
    std::map<std::string, CategoryFigures> per_category;
    std::map<std::pair<std::string, std::string>, int> confusions;

    CategoryFigures& at(const std::string& id) {
        auto& f = per_category[id];
        f.category = id;
        return f;
    }
    void add(const GoldPassage& g, const std::set<std::string>& predicted) {
        std::set<std::string> gold(g.labels.begin(), g.labels.end());
        for (const auto& p : predicted) {
            if (gold.count(p)) ++at(p).tp;
            else ++at(p).fp, ++confusions[{g.primary.empty() ? "(none)" : g.primary, p}];
        }
        for (const auto& l : gold)
            if (!predicted.count(l)) ++at(l).fn, ++confusions[{l, "(missed)"}];
    }
};

void finish_figures(TaggingReport& r, const Tally& tally, const std::set<std::string>& gold_categories) {
    int tp = 0, fp = 0, fn = 0;
    for (const auto& [id, f] : tally.per_category) {
        tp += f.tp, fp += f.fp, fn += f.fn;
        r.per_category.push_back(f);
        if (!gold_categories.count(id)) continue;
        r.macro_precision += f.precision(), r.macro_recall += f.recall(), r.macro_f1 += f.f1();
    }
    double n = static_cast<double>(gold_categories.size());
    r.macro_precision = ratio(r.macro_precision, n), r.macro_recall = ratio(r.macro_recall, n), r.macro_f1 = ratio(r.macro_f1, n);
    r.micro_precision = ratio(tp, tp + fp), r.micro_recall = ratio(tp, tp + fn);
    r.micro_f1 = harmonic(r.micro_precision, r.micro_recall);
    for (const auto& [key, count] : tally.confusions) r.confusions.push_back({key.first, key.second, count});
    std::stable_sort(r.confusions.begin(), r.confusions.end(), [](const auto& a, const auto& b) { return a.count > b.count; });
}

std::string fixed(double x) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%.3f", x);
    return buffer;
}

}  // namespace

double CategoryFigures::precision() const { return ratio(tp, tp + fp); }
double CategoryFigures::recall() const { return ratio(tp, tp + fn); }
double CategoryFigures::f1() const { return harmonic(precision(), recall()); }
double TaggingReport::primary_accuracy() const { return ratio(primary_correct, with_category); }
double TaggingReport::untagged_share() const { return ratio(no_category_untagged, no_category); }

std::vector<GoldPassage> load_tagging_gold(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw InputError("cannot read " + file.string());
    std::vector<GoldPassage> out;
    int line_number = 0;
    for (std::string line; std::getline(in, line);) {
        ++line_number;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        out.push_back(parse_gold_line(line, file.string() + ":" + std::to_string(line_number)));
    }
    return out;
}

TaggingReport evaluate_tagging(const std::vector<GoldPassage>& gold, const std::vector<EvalPassage>& passages,
                               const PassageTagger& tag) {
    std::vector<std::string> normalized;
    for (const auto& p : passages) normalized.push_back(normalize_for_quote_match(p.text));
    TaggingReport r;
    Tally tally;
    std::set<std::string> gold_categories;
    for (const auto& g : gold) {
        ++r.gold_passages;
        gold_categories.insert(g.labels.begin(), g.labels.end());
        if (g.labels.empty()) ++r.no_category; else ++r.with_category;
        long index = locate(g, passages, normalized);
        if (index < 0) {
            r.unlocated.push_back(g);
            tally.add(g, {});
            continue;
        }
        ++r.located;
        Tagging t = tag(passages[static_cast<std::size_t>(index)]);
        tally.add(g, predicted_labels(t));
        if (g.labels.empty() && t.tags.empty()) ++r.no_category_untagged;
        if (!g.labels.empty() && t.primary == g.primary) ++r.primary_correct;
    }
    finish_figures(r, tally, gold_categories);
    return r;
}

std::string TaggingReport::to_text() const {
    std::ostringstream out;
    if (!protocol.empty()) out << protocol << "\n";
    out << "gold passages: " << gold_passages << " (located " << located << ", unlocated " << unlocated.size() << ")\n"
        << "micro  P " << fixed(micro_precision) << "  R " << fixed(micro_recall) << "  F1 " << fixed(micro_f1) << "\n"
        << "macro  P " << fixed(macro_precision) << "  R " << fixed(macro_recall) << "  F1 " << fixed(macro_f1) << "\n"
        << "primary accuracy: " << fixed(primary_accuracy()) << " (" << primary_correct << "/" << with_category << ")\n"
        << "no-category passages left untagged: " << fixed(untagged_share()) << " (" << no_category_untagged << "/"
        << no_category << ")\n\nper category:\n";
    char line[160];
    std::snprintf(line, sizeof line, "  %-40s %4s %4s %4s %7s %7s %7s\n", "category", "tp", "fp", "fn", "P", "R", "F1");
    out << line;
    for (const auto& f : per_category) {
        std::snprintf(line, sizeof line, "  %-40s %4d %4d %4d %7.3f %7.3f %7.3f\n", f.category.c_str(), f.tp, f.fp, f.fn,
                      f.precision(), f.recall(), f.f1());
        out << line;
    }
    out << "\nworst confusions (gold -> predicted):\n";
    for (std::size_t i = 0; i < confusions.size() && i < 10; ++i)
        out << "  " << confusions[i].count << "  " << confusions[i].gold << " -> " << confusions[i].predicted << "\n";
    if (!unlocated.empty()) out << "\nunlocated quotes (counted as misses):\n";
    for (const auto& g : unlocated) out << "  " << g.doc << ": \"" << g.quote << "\"\n";
    return out.str();
}

std::string TaggingReport::to_json() const {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("protocol", protocol);
    o->set("gold_passages", gold_passages);
    o->set("located", located);
    o->set("micro", Object(Poco::JSON_PRESERVE_KEY_ORDER).set("precision", micro_precision).set("recall", micro_recall).set("f1", micro_f1));
    o->set("macro", Object(Poco::JSON_PRESERVE_KEY_ORDER).set("precision", macro_precision).set("recall", macro_recall).set("f1", macro_f1));
    o->set("primary_accuracy", primary_accuracy());
    o->set("no_category_untagged_share", untagged_share());
    Poco::JSON::Array categories, confused, missing;
    for (const auto& f : per_category)
        categories.add(Object(Poco::JSON_PRESERVE_KEY_ORDER).set("category", f.category).set("tp", f.tp).set("fp", f.fp)
                           .set("fn", f.fn).set("precision", f.precision()).set("recall", f.recall()).set("f1", f.f1()));
    for (const auto& c : confusions)
        confused.add(Object(Poco::JSON_PRESERVE_KEY_ORDER).set("gold", c.gold).set("predicted", c.predicted).set("count", c.count));
    for (const auto& g : unlocated) missing.add(Object(Poco::JSON_PRESERVE_KEY_ORDER).set("doc", g.doc).set("quote", g.quote));
    o->set("per_category", categories);
    o->set("confusions", confused);
    o->set("unlocated", missing);
    return json::stringify(o) + "\n";
}

}  // namespace mandala::taxonomy
