#include "search/related.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

#include "catalog/xapian_schema.h"
#include "text/analyzer.h"

namespace mandala::search {
namespace {

// Plain word terms only: no prefixes, stems, numbers or stop words; a reason must read as words.
class PlainWords : public Xapian::ExpandDecider {
public:
    bool operator()(const std::string& term) const override {
        if (term.size() < 3 || term[0] < 'a' || term[0] > 'z') return false;
        if (term.find_first_of("0123456789") != std::string::npos) return false;
        return !text::is_stopword(term);
    }
};

bool same_section(const SearchHit& a, const SearchHit& b) { return a.doc == b.doc && a.section == b.section; }

Poco::JSON::Array::Ptr array(const std::vector<std::string>& v) {
    Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
    for (const auto& s : v) a->add(s);
    return a;
}

}  // namespace

RelatedResponse related_passages(const Searcher& searcher, const std::string& passage_id, std::size_t limit,
                                 std::size_t expand_terms) {
    // Docids are only meaningful within one opening of the (possibly sharded) database: a retry
    // after a shard failure looks the passage up again.
    return searcher.guarded([&] {
        const Xapian::Database& db = searcher.database();
        const Xapian::docid source = searcher.docid_of(passage_id);
        RelatedResponse r;
        r.source = hit_from_document(db.get_document(source));

        Xapian::Enquire enquire(db);
        Xapian::RSet rset;
        rset.add_document(source);
        const PlainWords decider;
        // Exact term frequencies: over several shards Xapian would otherwise scale up the source
        // shard's own, and the terms (and so the related passages) would depend on the layout.
        const Xapian::ESet eset = enquire.get_eset(static_cast<Xapian::termcount>(expand_terms), rset,
                                                   Xapian::Enquire::USE_EXACT_TERMFREQ, &decider);
        std::vector<Xapian::Query> terms;
        for (auto it = eset.begin(); it != eset.end(); ++it) {
            r.terms.push_back(*it);
            terms.emplace_back(*it);
        }
        if (terms.empty()) return r;
        enquire.set_query(Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()));
        enquire.set_time_limit(2.0);
        enquire.set_sort_by_relevance_then_value(schema::kDocSlot, false);  // ties as in search(), shard-independent
        // Fetch extra so neighbours in the same section can be dropped.
        const Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(limit + 50));
        for (auto it = mset.begin(); it != mset.end() && r.results.size() < limit; ++it) {
            if (*it == source) continue;
            SearchHit h = hit_from_document(it.get_document());
            if (same_section(h, r.source)) continue;
            h.score = it.get_weight();
            h.rank = r.results.size() + 1;
            RelatedHit rh{std::move(h), {}};
            for (auto t = enquire.get_matching_terms_begin(it); t != enquire.get_matching_terms_end(it); ++t)
                rh.shared_terms.push_back(*t);
            r.results.push_back(std::move(rh));
        }
        return r;
    });
}

std::string to_json(const RelatedResponse& r) {
    Poco::JSON::Object o;
    o.set("id", r.source.id);
    o.set("title", r.source.title);
    o.set("section", array(r.source.section));
    o.set("terms", array(r.terms));
    Poco::JSON::Array results;
    for (const auto& x : r.results) {
        Poco::JSON::Object j;
        j.set("id", x.hit.id);
        j.set("doc", x.hit.doc);
        j.set("title", x.hit.title);
        j.set("section", array(x.hit.section));
        j.set("score", x.hit.score);
        j.set("text", x.hit.text);
        j.set("shared_terms", array(x.shared_terms));
        results.add(j);
    }
    o.set("results", results);
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

}  // namespace mandala::search
