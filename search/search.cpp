#include "search/search.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <chrono>
#include <cstdlib>
#include <sstream>

#include "indexer/schema.h"
#include "indexer/store.h"
#include "search/snippets.h"
#include "taxonomy/tagger.h"
#include "text/errors.h"

namespace mandala::search {
namespace fs = std::filesystem;

namespace {

std::vector<std::string> split_lines(const std::string& v) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < v.size()) {
        std::size_t j = v.find('\n', i);
        if (j == std::string::npos) j = v.size();
        if (j > i) out.push_back(v.substr(i, j - i));
        i = j + 1;
    }
    return out;
}

std::string str(const Poco::JSON::Object::Ptr& o, const std::string& key) {
    return o->has(key) && !o->isNull(key) ? o->getValue<std::string>(key) : std::string();
}

int integer(const Poco::JSON::Object::Ptr& o, const std::string& key) {
    return o->has(key) && !o->isNull(key) ? o->getValue<int>(key) : 0;
}

Poco::JSON::Array::Ptr array(const std::vector<std::string>& v) {
    Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
    for (const auto& s : v) a->add(s);
    return a;
}

}  // namespace

void SearchRequest::validate() const {
    if (limit < 1 || limit > kMaxLimit) throw InputError("limit must be between 1 and " + std::to_string(kMaxLimit));
    if (page < 1 || page > kMaxPage) throw InputError("page must be between 1 and " + std::to_string(kMaxPage));
    if (time_limit <= 0 || time_limit > 60) throw InputError("time limit must be between 0 and 60 seconds");
    for (const auto& [name, values] : filters) {
        canonical_facet(name);
        for (const auto& v : values)
            if (v.empty() || v.size() > 200) throw InputError("filter value for '" + name + "' must be 1..200 bytes");
    }
}

SearchHit hit_from_document(const Xapian::Document& doc) {
    SearchHit h;
    h.docid = doc.get_docid();
    try {
        Poco::JSON::Parser parser;
        auto o = parser.parse(doc.get_data()).extract<Poco::JSON::Object::Ptr>();
        h.id = str(o, "id");
        h.doc = str(o, "doc");
        h.title = str(o, "title");
        h.source = str(o, "source");
        h.section_kind = str(o, "section_kind");
        h.kind = str(o, "kind");
        h.text = str(o, "text");
        h.page = integer(o, "page");
        h.year = integer(o, "year");
        if (auto path = o->getArray("section"))
            for (std::size_t i = 0; i < path->size(); ++i) h.section.push_back(path->getElement<std::string>(static_cast<unsigned>(i)));
    } catch (const Poco::Exception& e) {
        throw Conflict("index record of document " + std::to_string(h.docid) + " is unreadable: " + e.displayText());
    }
    h.categories = split_lines(doc.get_value(schema::kCategoriesSlot));
    h.missions = split_lines(doc.get_value(schema::kMissionsSlot));
    return h;
}

namespace {

constexpr unsigned kRemoteTimeoutMs = 10000;        // a shard server answering nothing for this long is down
constexpr unsigned kRemoteConnectTimeoutMs = 3000;

bool is_remote(const std::string& location) { return location.rfind("tcp://", 0) == 0; }

// The tagger that reads a query's task categories: loaded once per process and shared by every
// searcher (the web server keeps a pool of them). Without taxonomy data the category bonus is off.
std::shared_ptr<const taxonomy::TaxonomyTagger> query_tagger() {
    static const std::shared_ptr<const taxonomy::TaxonomyTagger> tagger =
        []() -> std::shared_ptr<const taxonomy::TaxonomyTagger> {
        try {
            return std::make_shared<const taxonomy::TaxonomyTagger>();
        } catch (const std::exception&) {
            return nullptr;
        }
    }();
    return tagger;
}

}  // namespace

Xapian::Database open_shard(const std::string& location) {
    if (!is_remote(location)) {
        try {
            return Xapian::Database(location);
        } catch (const Xapian::DatabaseOpeningError& e) {
            throw NotFound("shard " + location + " cannot be opened: " + e.get_msg());
        }
    }
    // tcp://HOST:PORT, HOST may be [IPv6]
    const std::string rest = location.substr(6);
    const std::size_t colon = rest.rfind(':');
    std::string host = colon == std::string::npos ? std::string() : rest.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    const std::string port_text = colon == std::string::npos ? std::string() : rest.substr(colon + 1);
    char* end = nullptr;
    const long port = port_text.empty() ? 0 : std::strtol(port_text.c_str(), &end, 10);
    if (host.empty() || port < 1 || port > 65535 || (end && *end))
        throw InputError("shard location '" + location + "' is not tcp://HOST:PORT");
    try {
        return Xapian::Remote::open(host, static_cast<unsigned>(port), kRemoteTimeoutMs, kRemoteConnectTimeoutMs);
    } catch (const Xapian::NetworkError& e) {
        throw Unavailable("shard " + location + " is unavailable: " + e.get_msg());
    }
}

Searcher::Searcher(const fs::path& db_dir, RankingWeights weights) : Searcher(db_dir, ShardLocations{}, weights) {}

Searcher::Searcher(const fs::path& db_dir, Synonyms synonyms, RankingWeights weights)
    : Searcher(db_dir, ShardLocations{}, std::move(synonyms), weights) {}

Searcher::Searcher(const fs::path& db_dir, ShardLocations shards, RankingWeights weights)
    : Searcher(db_dir, std::move(shards), Synonyms::load(db_dir), weights) {}

Searcher::Searcher(const fs::path& db_dir, ShardLocations shards, Synonyms synonyms, RankingWeights weights)
    : db_dir_(db_dir), shards_(std::move(shards)), synonyms_(std::make_unique<Synonyms>(std::move(synonyms))), weights_(weights) {
    indexer::check_index(db_dir);
    if (shards_.empty()) shards_ = indexer::shard_paths(db_dir);
    open();
    tagger_ = query_tagger();
    builder_ = std::make_unique<QueryBuilder>(db_, *synonyms_, weights, &spelling_, tagger_.get());
}

void Searcher::open() const {
    // Docids of the combined database interleave the shards' own: nothing may depend on them
    // beyond this database (ties in ranking are broken by document id, see search()).
    Xapian::Database db;
    bool any_remote = false;
    for (const auto& location : shards_) {
        db.add_database(open_shard(location));
        any_remote = any_remote || is_remote(location);
    }
    // Spelling data: <db>/spelling beside the catalog with several shards; with one shard the
    // database itself, read locally when it is there (a remote one serves no spelling data).
    const fs::path spelling = indexer::spelling_path(db_dir_);
    const fs::path single = indexer::xapian_path(db_dir_);
    if (fs::exists(spelling))
        spelling_ = Xapian::Database(spelling.string());
    else if (any_remote && fs::exists(single / "iamglass"))
        spelling_ = Xapian::Database(single.string());
    else
        spelling_ = db;
    db_ = db;
}

void Searcher::reopen() const {
    ++reopens_;
    try {
        open();
    } catch (const Unavailable&) {
        throw;
    } catch (const Xapian::NetworkError& e) {
        unavailable(e.get_description());
    }
}

void Searcher::unavailable(const std::string& detail) const {
    // Name the shards that do not answer (each probed on its own); the error seen otherwise.
    std::string down;
    for (const auto& location : shards_) {
        if (!is_remote(location)) continue;
        try {
            (void)open_shard(location).get_doccount();
        } catch (const std::exception&) {
            down += (down.empty() ? "" : ", ") + location;
        } catch (const Xapian::Error&) {
            down += (down.empty() ? "" : ", ") + location;
        }
    }
    if (!down.empty()) throw Unavailable("shard " + down + " is unavailable (" + detail + ")");
    throw Unavailable("a shard is unavailable (" + detail + ")");
}

Xapian::docid Searcher::docid_of(const std::string& passage_id) const {
    const std::string term = schema::term(schema::kIdPrefix, passage_id);
    return guarded([&] {
        auto it = db_.postlist_begin(term);
        if (it == db_.postlist_end(term)) throw NotFound("no passage '" + passage_id + "'");
        return *it;
    });
}

SearchResponse Searcher::search(const SearchRequest& request) const {
    const auto start = std::chrono::steady_clock::now();
    request.validate();
    SearchResponse r;
    r.query = request.query;
    // Every read of the shards runs inside guarded(): a shard server that restarted is reopened
    // and the search runs again from scratch (fresh spies); one that stays down is Unavailable.
    guarded([&] {
        r.results.clear();
        r.facets.clear();
        ParsedQuery parsed = builder_->parse(request.query);
        r.suggestion = parsed.suggestion;
        r.warnings = parsed.warnings;
        r.expansions = parsed.expansions;
        r.about = parsed.categories;

        Xapian::Query q = parsed.query.empty() ? Xapian::Query::MatchAll : parsed.query;
        if (Xapian::Query filter = filter_query(request.filters); !filter.empty())
            q = Xapian::Query(Xapian::Query::OP_FILTER, q, filter);
        r.parsed = q.get_description();

        Xapian::Enquire enquire(db_);
        enquire.set_query(q);
        enquire.set_weighting_scheme(Xapian::BM25Weight(weights_.bm25_k1, 0, 1, weights_.bm25_b, 0.5));
        enquire.set_time_limit(request.time_limit);
        // Equal scores are ordered by document id, then by docid, which within one document follows
        // the passage order in one database and in a shard alike (a document lives in one shard);
        // Xapian's default (docid alone) would order ties differently once docids interleave.
        // Year order is year, then score; a query of filters only (every score 0) is ordered by
        // year, document and passage instead, from one key, as Xapian's remote backend has no third
        // sort level. Equal year and score otherwise fall back to docid order (docs/deployment.md).
        if (request.sort == SortOrder::year && parsed.query.empty())
            enquire.set_sort_by_value(schema::kYearOrderSlot, false);
        else if (request.sort == SortOrder::year)
            enquire.set_sort_by_value_then_relevance(schema::kYearSlot, true);
        else
            enquire.set_sort_by_relevance_then_value(schema::kDocSlot, false);
        if (request.collapse) enquire.set_collapse_key(schema::kDocSlot);
        FacetCollector facets;
        if (request.facets) facets.attach(enquire);

        const Xapian::doccount offset = static_cast<Xapian::doccount>((request.page - 1) * request.limit);
        const Xapian::doccount limit = static_cast<Xapian::doccount>(request.limit);
        // With facets every match must be visited so the spies see the whole match set.
        const Xapian::doccount check = request.facets ? db_.get_doccount() : offset + limit;
        Xapian::MSet mset = enquire.get_mset(offset, limit, check);
        r.total = mset.get_matches_estimated();
        std::size_t rank = offset;
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            SearchHit h = hit_from_document(it.get_document());
            h.score = it.get_weight();
            h.rank = ++rank;
            h.collapsed = request.collapse ? it.get_collapse_count() : 0;
            if (request.snippets) h.snippet = make_snippet(mset, h.text, request.snippet_length);
            r.results.push_back(std::move(h));
        }
        if (request.facets) r.facets = facets.counts(request.facet_values);
    });
    r.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return r;
}

std::string to_json(const SearchResponse& r) {
    Poco::JSON::Object o;
    o.set("query", r.query);
    o.set("parsed", r.parsed);
    o.set("total", r.total);
    o.set("suggestion", r.suggestion.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(r.suggestion));
    o.set("warnings", array(r.warnings));
    Poco::JSON::Array results;
    for (const auto& h : r.results) {
        Poco::JSON::Object x;
        x.set("id", h.id);
        x.set("doc", h.doc);
        x.set("title", h.title);
        x.set("section", array(h.section));
        x.set("section_kind", h.section_kind);
        x.set("kind", h.kind);
        x.set("page", h.page);
        x.set("year", h.year);
        x.set("score", h.score);
        x.set("text", h.text);
        x.set("snippet", h.snippet);
        x.set("categories", array(h.categories));
        x.set("missions", array(h.missions));
        if (h.collapsed) x.set("collapsed", h.collapsed);
        results.add(x);
    }
    o.set("results", results);
    Poco::JSON::Object facets;
    for (const auto& [name, values] : r.facets) {
        Poco::JSON::Array a;
        for (const auto& v : values) {
            Poco::JSON::Object fv;
            fv.set("value", v.value);
            fv.set("count", v.count);
            a.add(fv);
        }
        facets.set(name, a);
    }
    o.set("facets", facets);
    Poco::JSON::Array expansions;
    for (const auto& e : r.expansions) {
        Poco::JSON::Object x;
        x.set("matched", e.matched);
        std::vector<std::string> alts;
        for (const auto& a : e.alternatives) alts.push_back(a.display);
        x.set("alternatives", array(alts));
        expansions.add(x);
    }
    o.set("expansions", expansions);
    o.set("about", array(r.about));
    o.set("elapsed_ms", r.elapsed_ms);
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

std::string error_to_json(const std::string& query, const std::string& message) {
    Poco::JSON::Object o;
    o.set("query", query);
    o.set("error", message);
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

}  // namespace mandala::search
