#include "search/eval.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "catalog/sqlite.h"
#include "search/analysis.h"
#include "taxonomy/quote.h"
#include "text/errors.h"

namespace mandala::search {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kDepth = 20;

// Grade per passage id; misses get keys of their own so they still count as relevant and unfound.
std::map<std::string, int> grades_of(const std::vector<Judgment>& judgments) {
    std::map<std::string, int> g;
    for (std::size_t i = 0; i < judgments.size(); ++i) {
        const auto& j = judgments[i];
        const std::string key = j.passage_id.empty() ? "\x01missing:" + std::to_string(i) : j.passage_id;
        g[key] = std::max(g[key], j.grade);
    }
    return g;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const std::size_t i = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size()))) - 1;
    return v[std::min(i, v.size() - 1)];
}

Poco::JSON::Object::Ptr metrics_json(const Metrics& m) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("ndcg@10", m.ndcg10);
    o->set("mrr", m.mrr);
    o->set("p@5", m.p5);
    o->set("recall@20", m.recall20);
    return o;
}

Poco::JSON::Array::Ptr array(const std::vector<std::string>& v) {
    Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
    for (const auto& s : v) a->add(s);
    return a;
}

void add(Metrics& sum, const Metrics& m) {
    sum.ndcg10 += m.ndcg10;
    sum.mrr += m.mrr;
    sum.p5 += m.p5;
    sum.recall20 += m.recall20;
}

Metrics mean(const Metrics& sum, std::size_t n) {
    if (n == 0) return sum;
    const double d = static_cast<double>(n);
    return {sum.ndcg10 / d, sum.mrr / d, sum.p5 / d, sum.recall20 / d};
}

}  // namespace

std::vector<EvalQuery> load_qrels(const fs::path& file) {
    std::ifstream in(file);
    if (!in) throw NotFound("cannot read qrels file " + file.string());
    std::vector<EvalQuery> out;
    std::string line;
    std::size_t n = 0;
    while (std::getline(in, line)) {
        ++n;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        try {
            Poco::JSON::Parser parser;
            auto o = parser.parse(line).extract<Poco::JSON::Object::Ptr>();
            EvalQuery q;
            q.id = o->getValue<std::string>("id");
            q.query = o->getValue<std::string>("query");
            auto js = o->getArray("judgments");
            for (std::size_t i = 0; js && i < js->size(); ++i) {
                auto j = js->getObject(static_cast<unsigned>(i));
                q.judgments.push_back({j->getValue<std::string>("doc"), j->getValue<std::string>("quote"), j->getValue<int>("grade"), {}});
            }
            out.push_back(std::move(q));
        } catch (const Poco::Exception& e) {
            throw InputError(file.string() + ":" + std::to_string(n) + ": " + e.displayText());
        }
    }
    return out;
}

void locate_judgments(std::vector<EvalQuery>& queries, const std::vector<catalog::StoredPassage>& passages) {
    std::vector<std::string> normalized;
    normalized.reserve(passages.size());
    for (const auto& p : passages) normalized.push_back(taxonomy::normalize_for_quote_match(p.text));
    for (auto& q : queries)
        for (auto& j : q.judgments) {
            const std::string quote = taxonomy::normalize_for_quote_match(j.quote);
            const std::string stem = fs::path(j.doc).stem().string();
            for (std::size_t i = 0; i < passages.size(); ++i) {
                const auto& p = passages[i];
                const bool same_doc = fs::path(p.source).filename() == j.doc || p.doc == j.doc || p.doc == stem;
                if (same_doc && normalized[i].find(quote) != std::string::npos) {
                    j.passage_id = p.id;
                    break;
                }
            }
        }
}

Metrics score_ranking(const std::vector<std::string>& ranked, const std::vector<Judgment>& judgments) {
    const auto grades = grades_of(judgments);
    Metrics m;
    auto grade = [&](std::size_t i) {
        auto it = grades.find(ranked[i]);
        return it == grades.end() ? 0 : it->second;
    };
    double dcg = 0;
    for (std::size_t i = 0; i < ranked.size() && i < 10; ++i) dcg += grade(i) / std::log2(static_cast<double>(i) + 2);
    std::vector<int> ideal;
    for (const auto& [id, g] : grades) ideal.push_back(g);
    std::sort(ideal.rbegin(), ideal.rend());
    double idcg = 0;
    for (std::size_t i = 0; i < ideal.size() && i < 10; ++i) idcg += ideal[i] / std::log2(static_cast<double>(i) + 2);
    m.ndcg10 = idcg > 0 ? dcg / idcg : 0;
    for (std::size_t i = 0; i < ranked.size() && i < kDepth; ++i)
        if (grade(i) >= 2) {
            m.mrr = 1.0 / static_cast<double>(i + 1);
            break;
        }
    std::size_t rel5 = 0, rel20 = 0, relevant = 0;
    for (std::size_t i = 0; i < ranked.size() && i < kDepth; ++i)
        if (grade(i) >= 1) (i < 5 ? ++rel5, ++rel20 : ++rel20);
    for (const auto& [id, g] : grades)
        if (g >= 1) ++relevant;
    m.p5 = static_cast<double>(rel5) / 5.0;
    m.recall20 = relevant ? static_cast<double>(rel20) / static_cast<double>(relevant) : 0;
    return m;
}

struct Fts5Baseline::Impl {
    catalog::Connection db{":memory:", catalog::Connection::Mode::read_write};
};

Fts5Baseline::Fts5Baseline(const std::vector<catalog::StoredPassage>& passages) : impl_(std::make_unique<Impl>()) {
    impl_->db.exec("CREATE VIRTUAL TABLE p USING fts5(id UNINDEXED, text, tokenize='porter')");
    impl_->db.exec("BEGIN");
    auto st = impl_->db.prepare("INSERT INTO p(id, text) VALUES (?, ?)");
    for (const auto& p : passages) {
        st.bind(1, p.id).bind(2, p.text);
        st.run();
    }
    impl_->db.exec("COMMIT");
}

Fts5Baseline::~Fts5Baseline() = default;

std::vector<std::string> Fts5Baseline::search(const std::string& query, std::size_t k) const {
    std::string match;
    for (const auto& t : analyzer().tokens(query)) match += (match.empty() ? "\"" : " OR \"") + t.folded + "\"";
    std::vector<std::string> out;
    if (match.empty()) return out;
    auto st = impl_->db.prepare("SELECT id FROM p WHERE p MATCH ? ORDER BY bm25(p) LIMIT ?");
    st.bind(1, match).bind(2, static_cast<std::int64_t>(k));
    while (st.step()) out.push_back(st.text(0));
    return out;
}

SearchEvaluation evaluate_search(const Searcher& searcher, std::vector<EvalQuery> queries, EvalOptions options) {
    const auto passages = catalog::load_passages(searcher.db_dir());
    locate_judgments(queries, passages);
    const Fts5Baseline fts(passages);
    SearchEvaluation ev;
    Metrics sum_m, sum_f;
    for (const auto& q : queries) {
        QueryEvaluation qe;
        qe.id = q.id;
        qe.query = q.query;
        SearchRequest r;
        r.query = q.query;
        r.limit = kDepth;
        r.facets = false;
        r.snippets = false;
        r.collapse_identical = options.collapse_identical;
        std::vector<std::string> ranked;
        for (const auto& h : searcher.search(r).results) ranked.push_back(h.id);
        const auto base = fts.search(q.query, kDepth);
        qe.mandala = score_ranking(ranked, q.judgments);
        qe.fts5 = score_ranking(base, q.judgments);
        std::set<std::string> judged;
        for (const auto& j : q.judgments) {
            if (j.passage_id.empty()) ++qe.missing_quotes;
            else judged.insert(j.passage_id);
        }
        for (std::size_t i = 0; i < ranked.size() && i < 5; ++i)
            if (judged.count(ranked[i])) qe.relevant_in_top5 = true;
        qe.mandala_top.assign(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(10, ranked.size())));
        qe.fts5_top.assign(base.begin(), base.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(10, base.size())));
        ev.missing_quotes += qe.missing_quotes;
        add(sum_m, qe.mandala);
        add(sum_f, qe.fts5);
        ev.queries.push_back(std::move(qe));
    }
    ev.mandala = mean(sum_m, queries.size());
    ev.fts5 = mean(sum_f, queries.size());
    ev.ndcg_ratio = ev.fts5.ndcg10 > 0 ? ev.mandala.ndcg10 / ev.fts5.ndcg10 : 0;

    std::vector<double> times;
    for (int round = -1; round < options.latency_rounds; ++round)
        for (const auto& q : queries) {
            SearchRequest r;
            r.query = q.query;  // as `mandala search --batch` answers it: 10 results, facets, snippets
            r.collapse_identical = options.collapse_identical;
            const auto t0 = std::chrono::steady_clock::now();
            const auto resp = searcher.search(r);
            const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
            (void)resp;
            if (round >= 0) times.push_back(ms);
        }
    ev.latency_samples = times.size();
    ev.p50_ms = percentile(times, 0.50);
    ev.p95_ms = percentile(times, 0.95);
    return ev;
}

std::string to_json(const SearchEvaluation& ev) {
    Poco::JSON::Object o;
    o.set("mandala", metrics_json(ev.mandala));
    o.set("fts5", metrics_json(ev.fts5));
    o.set("ndcg_ratio", ev.ndcg_ratio);
    o.set("latency_p50_ms", ev.p50_ms);
    o.set("latency_p95_ms", ev.p95_ms);
    o.set("latency_samples", ev.latency_samples);
    o.set("missing_quotes", ev.missing_quotes);
    Poco::JSON::Array qs;
    for (const auto& q : ev.queries) {
        Poco::JSON::Object j;
        j.set("id", q.id);
        j.set("query", q.query);
        j.set("mandala", metrics_json(q.mandala));
        j.set("fts5", metrics_json(q.fts5));
        j.set("relevant_in_top5", q.relevant_in_top5);
        j.set("missing_quotes", q.missing_quotes);
        j.set("mandala_top", array(q.mandala_top));
        j.set("fts5_top", array(q.fts5_top));
        qs.add(j);
    }
    o.set("queries", qs);
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

}  // namespace mandala::search
