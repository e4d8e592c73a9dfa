#pragma once
// The query language: Xapian's QueryParser (English stemming, STEM_SOME, stop words, phrases,
// AND OR NOT + - NEAR, wildcards) with Mandala's field prefixes, plus query-time synonyms, spelling
// correction and ranking boosts (section headings, adjacent words). A query that does not parse
// degrades to plain words with a warning; only input that cannot be searched at all (too long) is
// an error.
#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

#include "search/synonyms.h"

namespace mandala::taxonomy {
class TaxonomyTagger;
}

namespace mandala::search {

inline constexpr std::size_t kMaxQueryBytes = 4096;
inline constexpr std::size_t kMaxQueryWords = 256;
inline constexpr Xapian::termcount kMaxWildcardExpansion = 64;
inline constexpr int kMaxNesting = 32;

// Ranking knobs, tuned on the development queries (docs/evaluation.md).
struct RankingWeights {
    double synonym = 0.5;   // scale of expansion alternatives against the user's own words
    double heading = 0.75;  // boost for query words in the section heading path
    double phrase = 0;      // boost for adjacent query words adjacent in the passage (off: +0.002 nDCG, 3x p95)
    double coverage = 1.5;  // boost for passages holding every concept of the query (2..6 concepts)
    double loose = 0.3;     // words of a quoted phrase matched anywhere, after the exact phrase
    // Xapian::BM25Weight parameters. Little length normalization (b 0.2, Xapian's default 0.75):
    // passages are already units of about one paragraph, and full normalization mostly lifts
    // one-line furniture (headlines, datelines, captions) over the paragraphs that discuss a subject.
    double bm25_k1 = 1.2, bm25_b = 0.2;
    double category = 1.0;  // bonus for passages tagged with a task category the query itself is about
    double filler = 0.2;    // scale of question words and fillers ("how", "help", "role") against content words
    double entity = 0;      // bonus for passages whose entities are a place or mission the query names
};

// "synonym,heading,phrase,coverage,loose[,k1,b[,category[,filler[,entity]]]]" (used by `mandala eval search --weights` for tuning).
RankingWeights parse_weights(const std::string& spec);

struct ParsedQuery {
    Xapian::Query query;             // matched and ranked
    std::string text;                // the query as parsed (sanitized, folded)
    std::string suggestion;          // corrected query when a word is unknown ("" when none)
    std::vector<std::string> warnings;
    std::vector<Expansion> expansions;
    std::vector<std::string> categories;  // task categories the query's words are about (tagger)
};

// NUL bytes become spaces and ill-formed UTF-8 is repaired (each with a warning); a query longer
// than kMaxQueryBytes or kMaxQueryWords throws LimitExceeded.
std::string sanitize_query(std::string_view raw, std::vector<std::string>& warnings);

// Field names of the query language and the term prefix each maps to.
struct FieldPrefix {
    std::string_view name;
    std::string_view prefix;
    bool boolean;
};
const std::vector<FieldPrefix>& query_fields();

class QueryBuilder {
public:
    // `spelling`: where the "did you mean" data is read (default: `db`). With shards it is a local
    // database of its own, since remote shards do not serve spelling data.
    QueryBuilder(const Xapian::Database& db, const Synonyms& synonyms, RankingWeights weights = {},
                 const Xapian::Database* spelling = nullptr, const taxonomy::TaxonomyTagger* tagger = nullptr);

    // Never throws for a syntax error; throws LimitExceeded for an oversized query.
    ParsedQuery parse(std::string_view raw) const;

private:
    const Xapian::Database& db_;
    const Xapian::Database& spelling_;
    const Synonyms& synonyms_;
    RankingWeights weights_;
    const taxonomy::TaxonomyTagger* tagger_;  // null: no category boost
};

}  // namespace mandala::search
