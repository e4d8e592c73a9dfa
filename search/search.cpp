#include "search/search.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <chrono>
#include <cstdlib>
#include <sstream>
#include <unordered_map>

#include "catalog/json_writer.h"
#include "catalog/paths.h"
#include "catalog/reader.h"
#include "catalog/xapian_schema.h"
#include "catalog/passage_record.h"
#include "search/snippets.h"
#include "search/spelling.h"
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

SearchHit hit_from_document(const Xapian::Document& doc, const FacetTable* table, Xapian::docid combined) {
    SearchHit h;
    h.docid = doc.get_docid();
    try {
        catalog::decode_passage_record(doc.get_data(), h);
    } catch (const Poco::Exception& e) {
        throw Conflict("index record of document " + std::to_string(h.docid) + " is unreadable: " + e.displayText());
    }
    // From the table the value slots need not be read (a B-tree look-up each, per hit).
    if (table) {
        h.categories = table->keys(combined, table->facet_index("category"));
        h.missions = table->keys(combined, table->facet_index("mission"));
    } else {
        h.categories = split_lines(doc.get_value(schema::kCategoriesSlot));
        h.missions = split_lines(doc.get_value(schema::kMissionsSlot));
    }
    return h;
}

namespace {

constexpr unsigned kRemoteTimeoutMs = 10000;        // a shard server answering nothing for this long is down
constexpr unsigned kRemoteConnectTimeoutMs = 3000;

bool is_remote(const std::string& location) { return location.rfind("tcp://", 0) == 0; }

// The tagger that reads a query's task categories: loaded once per process and shared by every
// searcher (the web server keeps a pool of them). Missing taxonomy data is an error
// (data::MissingDataFile), not a search without the category bonus.
std::shared_ptr<const taxonomy::TaxonomyTagger> query_tagger() {
    static const auto tagger = std::make_shared<const taxonomy::TaxonomyTagger>();
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
    : Searcher(db_dir, std::move(shards), std::make_shared<const Synonyms>(std::move(synonyms)), weights) {}

Searcher::Searcher(const fs::path& db_dir, ShardLocations shards, std::shared_ptr<const Synonyms> synonyms, RankingWeights weights)
    : db_dir_(db_dir), shards_(std::move(shards)), synonyms_(std::move(synonyms)), weights_(weights) {
    catalog::check_index(db_dir);
    if (shards_.empty()) shards_ = catalog::shard_paths(db_dir);
    open();
    tagger_ = query_tagger();
    builder_ = std::make_unique<QueryBuilder>(db_, *synonyms_, weights, &spelling_, tagger_.get());
    (void)EnglishWords::system();  // read the word lists now, not during the first search
}

void Searcher::open() const {
    // Docids of the combined database interleave the shards' own: nothing may depend on them
    // beyond this database (ties in ranking are broken by document id, see search()).
    Xapian::Database db;
    bool any_remote = false;
    std::vector<Xapian::Database> local;
    for (const auto& location : shards_) {
        Xapian::Database shard = open_shard(location);
        db.add_database(shard);
        any_remote = any_remote || is_remote(location);
        local.push_back(shard);
    }
    // Spelling data: <db>/spelling beside the catalog with several shards; with one shard the
    // database itself, read locally when it is there (a remote one serves no spelling data).
    const fs::path spelling = catalog::spelling_path(db_dir_);
    const fs::path single = catalog::xapian_path(db_dir_);
    if (fs::exists(spelling))
        spelling_ = Xapian::Database(spelling.string());
    else if (any_remote && fs::exists(single / "iamglass"))
        spelling_ = Xapian::Database(single.string());
    else
        spelling_ = db;
    db_ = db;
    // The table (read again for the new snapshot) only when every shard is local.
    local_shards_ = any_remote ? std::vector<Xapian::Database>{} : std::move(local);
    facet_table_.reset();
}

const FacetTable* Searcher::facet_table(bool load) const {
    if (local_shards_.empty()) return nullptr;
    if (!facet_table_ && !load) return nullptr;
    if (!facet_table_) facet_table_ = facet_tables_->get(local_shards_);
    return facet_table_->usable() ? facet_table_.get() : nullptr;
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

namespace {

// The key under which passages count as identical: their text, ASCII letters lower-cased and
// every run of whitespace folded to one space.
std::string identity_key(const std::string& text) {
    std::string key;
    key.reserve(text.size());
    bool space = false;
    for (char c : text) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            space = !key.empty();
            continue;
        }
        if (space) key += ' ';
        space = false;
        key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return key;
}

}  // namespace

// Page `offset`..`offset + limit` of the ranking with passages of identical text shown once (the
// best ranked), each counting the others it stands for among the matches read. Reads a window
// of the ranking from the top, larger while repeats leave the page short; the facet spies see
// only the first pass. Identical texts have identical term counts, so a passage's record is read
// only when it is on the page or shares its length with one that is.
std::vector<SearchHit> Searcher::distinct_hits(Xapian::Enquire& enquire, Xapian::doccount offset, Xapian::doccount limit,
                                               Xapian::doccount check, const FacetTable* table, Xapian::MSet& mset) const {
    Xapian::doccount window = 2 * (offset + limit) + 10;
    for (;;) {
        mset = enquire.get_mset(0, window, std::max(check, window));
        std::vector<SearchHit> distinct;
        std::unordered_multimap<Xapian::termcount, std::size_t> by_length;  // -> index in distinct
        std::unordered_map<std::string, std::size_t> by_text;
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            const Xapian::termcount length = db_.get_doclength(*it);
            const bool full = distinct.size() >= offset + limit;
            if (full && by_length.count(length) == 0) continue;  // past the page and like none on it
            SearchHit h = hit_from_document(it.get_document(), table, *it);
            std::string key = identity_key(h.text);
            if (auto at = by_text.find(key); at != by_text.end()) {
                ++distinct[at->second].similar;
                continue;
            }
            if (full) continue;
            by_text.emplace(std::move(key), distinct.size());
            h.score = it.get_weight();
            h.rank = distinct.size() + 1;
            h.collapsed = it.get_collapse_count();
            by_length.emplace(length, distinct.size());
            distinct.push_back(std::move(h));
        }
        const bool more = mset.size() == window && mset.get_matches_estimated() > window;
        if (distinct.size() >= offset + limit || !more || window >= kMaxDistinctWindow) {
            if (distinct.size() <= offset) return {};
            const auto first = distinct.begin() + static_cast<std::ptrdiff_t>(offset);
            return std::vector<SearchHit>(std::make_move_iterator(first), std::make_move_iterator(distinct.end()));
        }
        enquire.clear_matchspies();  // counted on the first pass
        window *= 4;
    }
}

namespace {

// The parsed query with the request's facet filters on top (every passage when there is no query).
Xapian::Query with_filters(const Xapian::Query& parsed, const FacetFilters& filters) {
    Xapian::Query q = parsed.empty() ? Xapian::Query::MatchAll : parsed;
    if (Xapian::Query filter = filter_query(filters); !filter.empty())
        q = Xapian::Query(Xapian::Query::OP_FILTER, q, filter);
    return q;
}

// Equal scores are ordered by document id, then by docid, which within one document follows the
// passage order in one database and in a shard alike (a document lives in one shard); Xapian's
// default (docid alone) would order ties differently once docids interleave. Year order is year,
// then score; a query of filters only (every score 0) is ordered by year, document and passage
// instead, from one key, as Xapian's remote backend has no third sort level. Equal year and score
// otherwise fall back to docid order (docs/deployment.md).
void set_order(Xapian::Enquire& enquire, SortOrder sort, bool filters_only, const FacetTable* table) {
    if (sort == SortOrder::year && filters_only)
        enquire.set_sort_by_value(schema::kYearOrderSlot, false);
    else if (sort == SortOrder::year)
        enquire.set_sort_by_value_then_relevance(schema::kYearSlot, true);
    else if (table && table->document_order())  // the same order, from memory
        enquire.set_sort_by_relevance_then_key(table->document_order(), false);
    else
        enquire.set_sort_by_relevance_then_value(schema::kDocSlot, false);
}

// The hits of `mset`, page `offset` onwards, in ranking order.
std::vector<SearchHit> hits_of(const Xapian::MSet& mset, Xapian::doccount offset, bool collapse,
                               const FacetTable* table) {
    std::vector<SearchHit> hits;
    std::size_t rank = offset;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        SearchHit h = hit_from_document(it.get_document(), table, *it);
        h.score = it.get_weight();
        h.rank = ++rank;
        h.collapsed = collapse ? it.get_collapse_count() : 0;
        hits.push_back(std::move(h));
    }
    return hits;
}

}  // namespace

SearchResponse Searcher::search(const SearchRequest& request) const {
    const auto start = std::chrono::steady_clock::now();
    request.validate();
    SearchResponse r;
    r.query = request.query;
    // Every read of the shards runs inside guarded(): a shard server that restarted is reopened
    // and the search runs again from scratch (fresh spies); one that stays down is Unavailable.
    guarded([&] { search_once(request, r); });
    r.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return r;
}

void Searcher::search_once(const SearchRequest& request, SearchResponse& r) const {
    r.results.clear();
    r.facets.clear();
    const ParsedQuery parsed = builder_->parse(request.query);
    r.suggestion = parsed.suggestion;
    r.warnings = parsed.warnings;
    r.expansions = parsed.expansions;
    r.about = parsed.categories;
    const Xapian::Query q = with_filters(parsed.query, request.filters);
    r.parsed = q.get_description();

    // The snapshot's table: facet counts, tie order and hit categories from memory (null: read values).
    const FacetTable* table = facet_table(request.facets);
    Xapian::Enquire enquire(db_);
    enquire.set_query(q);
    enquire.set_weighting_scheme(Xapian::BM25Weight(weights_.bm25_k1, 0, 1, weights_.bm25_b, 0.5));
    enquire.set_time_limit(request.time_limit);
    set_order(enquire, request.sort, parsed.query.empty(), table);
    if (request.collapse) enquire.set_collapse_key(schema::kDocSlot);
    FacetCollector facets(request.facets ? table : nullptr);
    if (request.facets) facets.attach(enquire);

    const Xapian::MSet mset = ranked_page(enquire, request, table, r.results);
    r.total = mset.get_matches_estimated();
    if (request.snippets)
        for (auto& h : r.results) h.snippet = make_snippet(mset, h.text, request.snippet_length);
    if (request.facets) r.facets = facets.counts(request.facet_values);
}

Xapian::MSet Searcher::ranked_page(Xapian::Enquire& enquire, const SearchRequest& request,
                                   const FacetTable* table, std::vector<SearchHit>& hits) const {
    const Xapian::doccount offset = static_cast<Xapian::doccount>((request.page - 1) * request.limit);
    const Xapian::doccount limit = static_cast<Xapian::doccount>(request.limit);
    // With facets every match must be visited so the spies see the whole match set.
    const Xapian::doccount check = request.facets ? db_.get_doccount() : offset + limit;
    Xapian::MSet mset;
    if (request.collapse_identical) {
        hits = distinct_hits(enquire, offset, limit, check, table, mset);
        return mset;
    }
    mset = enquire.get_mset(offset, limit, check);
    hits = hits_of(mset, offset, request.collapse, table);
    return mset;
}

namespace {

// The response is written directly rather than through Poco::JSON::Object: building a tree of
// Poco::Dynamic::Var for ~200 values per answer (facets) cost more than the rest of the
// rendering. The bytes are Poco's own (catalog/json_writer.h): keys in sorted order (Object's
// default), as Poco's Stringifier writes them (tests/search compare the two renderings).
using catalog::JsonWriter;

void write_expansions(JsonWriter& w, const std::vector<Expansion>& expansions) {
    w.open('[');
    for (const auto& e : expansions) {
        w.open('{');
        w.key("alternatives");
        w.open('[');
        for (const auto& a : e.alternatives) w.string(a.display);
        w.close(']');
        w.key("matched");
        w.string(e.matched);
        w.close('}');
    }
    w.close(']');
}

void write_facets(JsonWriter& w, const FacetCounts& facets) {
    w.open('{');
    for (const auto& [name, values] : facets) {  // a std::map: sorted like Poco's keys
        w.key(name);
        w.open('[');
        for (const auto& v : values) {
            w.open('{');
            w.key("count");
            w.number(v.count);
            w.key("value");
            w.string(v.value);
            w.close('}');
        }
        w.close(']');
    }
    w.close('}');
}

// A hit: the passage record's fields (but its source file) and what search adds, key-sorted.
void write_hit(JsonWriter& w, const SearchHit& h) {
    std::vector<catalog::JsonMember> added = {
        {"categories", [&](JsonWriter& v) { v.strings(h.categories); }},
        {"missions", [&](JsonWriter& v) { v.strings(h.missions); }},
        {"score", [&](JsonWriter& v) { v.number(h.score); }},
        {"snippet", [&](JsonWriter& v) { v.string(h.snippet); }},
    };
    if (h.collapsed) added.push_back({"collapsed", [&](JsonWriter& v) { v.number(h.collapsed); }});
    if (h.similar) added.push_back({"similar", [&](JsonWriter& v) { v.number(h.similar); }});
    catalog::write_passage_object(w, h, std::move(added));
}

void write_hits(JsonWriter& w, const std::vector<SearchHit>& hits) {
    w.open('[');
    for (const auto& h : hits) write_hit(w, h);
    w.close(']');
}

}  // namespace

std::string to_json(const SearchResponse& r) {
    std::string out;
    out.reserve(4096 + r.results.size() * 2048);
    JsonWriter w(out);
    w.open('{');
    w.key("about");
    w.strings(r.about);
    w.key("elapsed_ms");
    w.number(r.elapsed_ms);
    w.key("expansions");
    write_expansions(w, r.expansions);
    w.key("facets");
    write_facets(w, r.facets);
    w.key("parsed");
    w.string(r.parsed);
    w.key("query");
    w.string(r.query);
    w.key("results");
    write_hits(w, r.results);
    w.key("suggestion");
    if (r.suggestion.empty())
        w.null();
    else
        w.string(r.suggestion);
    w.key("total");
    w.number(r.total);
    w.key("warnings");
    w.strings(r.warnings);
    w.close('}');
    return out;
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
