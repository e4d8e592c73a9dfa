#pragma once
// Search over an index: a SearchRequest, validated once, in; a SearchResponse out. The engine
// sees only these structs (web/ and cli/ build the request from their own parameters).
#include <xapian.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "catalog/passage_record.h"
#include "search/facets.h"
#include "search/query.h"
#include "search/synonyms.h"

namespace mandala::search {

enum class SortOrder { relevance, year };

struct SearchRequest {
    std::string query;
    FacetFilters filters;         // OR within a facet, AND across facets
    std::size_t limit = 10;       // results per page, 1..kMaxLimit
    std::size_t page = 1;         // 1-based
    SortOrder sort = SortOrder::relevance;
    bool collapse = false;        // at most one result per document
    bool collapse_identical = true;  // passages of identical text (a repeated headline) shown once, with a count
    bool facets = true;           // count facet values over the whole match set
    bool snippets = true;
    std::size_t facet_values = 20;  // values per facet (0 = all)
    std::size_t snippet_length = 240;
    double time_limit = 2.0;      // seconds Xapian may spend matching

    static constexpr std::size_t kMaxLimit = 1000;
    static constexpr std::size_t kMaxPage = 10000;
    // Throws InputError when a field is out of range or a facet name is unknown.
    void validate() const;
};

// The passage record the indexer stores with each passage (catalog/passage_record.h: id, doc,
// title, source, section, section_kind, kind, page, year, text), plus what search adds.
struct SearchHit : catalog::PassageRecord {
    Xapian::docid docid = 0;
    std::string snippet;
    std::vector<std::string> categories, missions;
    double score = 0;
    std::size_t rank = 0;
    std::size_t collapsed = 0;  // other matches of the same document folded into this one
    std::size_t similar = 0;    // other matches of identical text folded into this one ("3 similar")
};

struct SearchResponse {
    std::string query;           // as given
    std::string parsed;          // as understood (Xapian's description)
    std::size_t total = 0;       // matching passages (exact: every match is visited for facets)
    std::vector<SearchHit> results;
    FacetCounts facets;
    std::string suggestion;      // "did you mean"
    std::vector<std::string> warnings;
    std::vector<Expansion> expansions;
    std::vector<std::string> about;  // task categories the query is about (their passages rank higher)
    double elapsed_ms = 0;
};

// Reads the display record of a Xapian document into a hit (values for categories and missions;
// with `table`, the categories and missions of the passage with `combined` docid come from it).
SearchHit hit_from_document(const Xapian::Document& doc, const FacetTable* table = nullptr, Xapian::docid combined = 0);

// Where the passages are searched: shard locations in shard order, each a local path or
// "tcp://HOST:PORT" of an `xapian-tcpsrv` serving one shard. Empty: the shards recorded under the
// index folder (docs/deployment.md).
using ShardLocations = std::vector<std::string>;

class Searcher {
public:
    // Opens the shards of `<db_dir>` (or `shards`) as one database and loads the synonyms once.
    // Throws Unavailable when a remote shard cannot be reached, NotFound when a local one is missing.
    explicit Searcher(const std::filesystem::path& db_dir, RankingWeights weights = {});
    Searcher(const std::filesystem::path& db_dir, Synonyms synonyms, RankingWeights weights);
    Searcher(const std::filesystem::path& db_dir, ShardLocations shards, RankingWeights weights = {});
    Searcher(const std::filesystem::path& db_dir, ShardLocations shards, Synonyms synonyms, RankingWeights weights);
    // With synonyms shared by other searchers (immutable; the web service's pool loads them once
    // per index snapshot rather than once per searcher).
    Searcher(const std::filesystem::path& db_dir, ShardLocations shards, std::shared_ptr<const Synonyms> synonyms,
             RankingWeights weights);

    // Throws Unavailable when a shard stops answering and cannot be reopened.
    SearchResponse search(const SearchRequest& request) const;

    const Xapian::Database& database() const { return db_; }
    const std::filesystem::path& db_dir() const { return db_dir_; }
    const ShardLocations& shards() const { return shards_; }
    const Synonyms& synonyms() const { return *synonyms_; }

    // Xapian document id of a passage id ("doc#12"); throws NotFound. Docids interleave across
    // shards: use them only with this searcher's database() and only until it is reopened.
    Xapian::docid docid_of(const std::string& passage_id) const;

    // Runs `work` (which reads database()); when a shard fails with a network error, reopens every
    // shard and runs it once more; throws Unavailable naming the shards that cannot be reached.
    template <class Work>
    auto guarded(Work&& work) const -> decltype(work());
    // Opens every shard again (a restarted shard server, a new commit).
    void reopen() const;
    // Times the shards were reopened after an error (for metrics and tests).
    std::size_t reopens() const { return reopens_; }
    // Facet tables to share with other searchers of the process (the web service's pool), so
    // that one table is held per index snapshot rather than one per searcher. Without it the
    // searcher keeps its own.
    void share_facet_tables(std::shared_ptr<FacetTables> tables) { facet_tables_ = std::move(tables); }

private:
    void open() const;
    // One attempt of search(), which runs it again after reopening a restarted shard: every part
    // of `r` it fills is filled afresh.
    void search_once(const SearchRequest& request, SearchResponse& r) const;
    // The requested page of the ranking into `hits`; the MSet they came from (for snippets and the total).
    Xapian::MSet ranked_page(Xapian::Enquire& enquire, const SearchRequest& request, const FacetTable* table,
                             std::vector<SearchHit>& hits) const;
    std::vector<SearchHit> distinct_hits(Xapian::Enquire& enquire, Xapian::doccount offset, Xapian::doccount limit,
                                         Xapian::doccount check, const FacetTable* table, Xapian::MSet& mset) const;
    // Ranks read at most to fold identical passages (beyond it a page may repeat a text).
    static constexpr Xapian::doccount kMaxDistinctWindow = 20000;
    // The facet table of the opened snapshot, read on the first search with facets (`load`), or
    // null: not read yet, a shard is remote (its server cannot run our spy), or the table
    // cannot tell shards apart.
    const FacetTable* facet_table(bool load) const;
    [[noreturn]] void unavailable(const std::string& detail) const;

    std::filesystem::path db_dir_;
    ShardLocations shards_;
    mutable Xapian::Database db_;
    mutable Xapian::Database spelling_;
    mutable std::size_t reopens_ = 0;
    mutable std::vector<Xapian::Database> local_shards_;  // every shard, when all are local (else empty)
    std::shared_ptr<FacetTables> facet_tables_ = std::make_shared<FacetTables>();
    mutable std::shared_ptr<const FacetTable> facet_table_;
    std::shared_ptr<const Synonyms> synonyms_;
    std::unique_ptr<QueryBuilder> builder_;
    RankingWeights weights_;
    std::shared_ptr<const taxonomy::TaxonomyTagger> tagger_;  // reads the query's categories
};

// Xapian's remote backend, for a "tcp://HOST:PORT" location; else a local database.
Xapian::Database open_shard(const std::string& location);

template <class Work>
auto Searcher::guarded(Work&& work) const -> decltype(work()) {
    try {
        return work();
    } catch (const Xapian::NetworkError&) {
        // a shard server restarted or went away: reopen below
    } catch (const Xapian::DatabaseModifiedError&) {
        // a local shard was rewritten by a commit: reopen below
    }
    reopen();
    try {
        return work();
    } catch (const Xapian::NetworkError& e) {
        unavailable(e.get_description());
    }
}

// JSON rendering (Poco inside): the response as one JSON object, without line breaks.
std::string to_json(const SearchResponse& response);
// {"query": ..., "error": ...} for a query that could not be answered (batch mode).
std::string error_to_json(const std::string& query, const std::string& message);

}  // namespace mandala::search
