#pragma once
// Search over an index: a SearchRequest, validated once, in; a SearchResponse out. The engine
// sees only these structs (web/ and cli/ build the request from their own parameters).
#include <xapian.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

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

// The display record the indexer stores with each passage, plus what search adds.
struct SearchHit {
    Xapian::docid docid = 0;
    std::string id, doc, title, source, section_kind, kind, text, snippet;
    std::vector<std::string> section;
    std::vector<std::string> categories, missions;
    int page = 0, year = 0;
    double score = 0;
    std::size_t rank = 0;
    std::size_t collapsed = 0;  // other matches of the same document folded into this one
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
    double elapsed_ms = 0;
};

// Reads the display record of a Xapian document into a hit (values for categories and missions).
SearchHit hit_from_document(const Xapian::Document& doc);

class Searcher {
public:
    ~Searcher();
    Searcher(Searcher&&) noexcept;
    Searcher& operator=(Searcher&&) noexcept;
    // Opens `<db_dir>/xapian` and loads the synonyms once.
    explicit Searcher(const std::filesystem::path& db_dir, RankingWeights weights = {});
    Searcher(const std::filesystem::path& db_dir, Synonyms synonyms, RankingWeights weights);

    SearchResponse search(const SearchRequest& request) const;

    const Xapian::Database& database() const { return db_; }
    const std::filesystem::path& db_dir() const { return db_dir_; }
    const Synonyms& synonyms() const { return *synonyms_; }

    // Xapian document id of a passage id ("doc#12"); throws NotFound.
    Xapian::docid docid_of(const std::string& passage_id) const;

private:
    // The facet values of every passage, read on the first search with facets.
    const FacetTable& facet_table() const;
    struct LazyFacetTable;

    std::filesystem::path db_dir_;
    Xapian::Database db_;
    std::unique_ptr<LazyFacetTable> facet_table_;
    std::unique_ptr<Synonyms> synonyms_;
    std::unique_ptr<QueryBuilder> builder_;
    RankingWeights weights_;
};

// JSON rendering (Poco inside): the response as one JSON object, without line breaks.
std::string to_json(const SearchResponse& response);
// {"query": ..., "error": ...} for a query that could not be answered (batch mode).
std::string error_to_json(const std::string& query, const std::string& message);

}  // namespace mandala::search
