#pragma once
// Query-time synonyms. Xapian's own synonym table maps a term to terms and cannot expand one word
// into a phrase, so expansion happens here: the query's words are matched against a table of
// equivalence groups and every other member of a matched group is added to the query, single words
// as stems, several words as phrases. The groups come from sources that never saw a relevance
// judgment: the corpus's abbreviation tables and inline definitions (catalog `acronyms`), the
// mission and organization registry, the task categories' labels, and the hand-written
// peace-operations thesaurus search/data/thesaurus.json (every group with its reason).
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace mandala::search {

// One way of saying something: its folded words ("disarmament", "demobilization", ...).
struct Expression {
    std::vector<std::string> words;
    std::string display;  // as written in the source, for explanations
    std::string source;   // "acronym", "registry", "taxonomy" or "thesaurus" (set on expansion alternatives)
};

// A word span of the query that matched a group, and what it expands to.
struct Expansion {
    std::size_t first = 0, last = 0;           // query word positions [first, last)
    std::string matched;                       // the query words, space-joined
    std::vector<Expression> alternatives;      // the other members of the group(s)
    std::vector<std::string> sources;          // "acronym", "registry", "taxonomy", "thesaurus"
};

// Which groups Synonyms::load reads (`mandala eval search --no-thesaurus` / `--no-expansion`).
struct SynonymSources {
    bool corpus = true;     // catalog acronyms (tables, inline definitions) and the entity registry
    bool taxonomy = true;   // task-category labels
    bool thesaurus = true;  // search/data/thesaurus.json
};

class Synonyms {
public:
    Synonyms() = default;

    // Acronym table of the catalog (`acronyms`), the registry's missions and organizations,
    // task-categories.json labels (when the file exists) and search/data/thesaurus.json (when it
    // exists), as `sources` selects.
    static Synonyms load(const std::filesystem::path& db_dir, SynonymSources sources = {});

    // `members` are equivalent ways of saying one thing; `source` names where they come from.
    void add_group(const std::vector<std::string>& members, const std::string& source);
    // Loads {"groups": [{"terms": ["a", "b", ...], "why": "reason"}, ...]} from a JSON file;
    // throws InputError when malformed or when a group gives no reason.
    void add_file(const std::filesystem::path& file, const std::string& source);

    // Spans of `query_words` (folded words, as the analyzer yields them) that match a group; the
    // longest span wins where spans overlap, and also carries the alternatives of the shorter spans
    // inside it ("ceasefire" within "ceasefire monitoring"). `acronym_ok(i)` says whether word i may be read as an
    // acronym (the user wrote it in capitals, or it is no ordinary word).
    template <class AcronymOk>
    std::vector<Expansion> find(const std::vector<std::string>& query_words, AcronymOk acronym_ok) const;

    std::size_t size() const { return groups_.size(); }

    // Whether `folded` is an acronym this index knows (a member written in capitals of a group
    // from the corpus, the registry or the thesaurus; category labels do not count).
    bool known_acronym(const std::string& folded) const { return acronyms_.count(folded) > 0; }

    // Registry keys (folded, as the index's mission terms hold them) of the missions hosted by the
    // place with this key (`south-sudan` -> `unmiss`): a passage about UNMISS is about South Sudan.
    void add_host(const std::string& place, const std::string& mission) { hosted_.emplace(place, mission); }
    std::vector<std::string> missions_hosted_by(const std::string& place) const;

private:
    struct Group {
        std::vector<Expression> members;
        std::string source;
    };
    std::vector<Group> groups_;
    // Key: stems of the member's non-stop words, space-joined -> (group, member) indexes.
    std::multimap<std::string, std::pair<std::size_t, std::size_t>> index_;
    std::size_t longest_ = 1;  // longest key, in words
    std::set<std::string> acronyms_;  // folded known acronyms
    std::multimap<std::string, std::string> hosted_;  // place key -> folded mission key

    // `max_span`: the longest span tried (the words of a matched span are searched again for
    // shorter spans, which must not match the whole span a second time).
    std::vector<Expansion> find_impl(const std::vector<std::string>& query_words, const std::vector<bool>& acronym_ok,
                                     std::size_t max_span) const;

public:
    // Key of a word sequence: stems of its non-stop words, space-joined ("" when none).
    static std::string key_of(const std::vector<std::string>& folded_words);
};

template <class AcronymOk>
std::vector<Expansion> Synonyms::find(const std::vector<std::string>& query_words, AcronymOk acronym_ok) const {
    std::vector<bool> ok(query_words.size());
    for (std::size_t i = 0; i < query_words.size(); ++i) ok[i] = acronym_ok(i);
    return find_impl(query_words, ok, query_words.size());
}

}  // namespace mandala::search
