#include "search/query.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <set>

#include "indexer/schema.h"
#include "search/analysis.h"
#include "text/errors.h"
#include "text/unicode.h"

namespace mandala::search {
namespace {

bool is_operator(std::string_view w) {
    static const std::set<std::string_view> ops{"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"};
    if (ops.count(w)) return true;
    return (w.rfind("NEAR/", 0) == 0 || w.rfind("ADJ/", 0) == 0) && w.size() > 5;
}

bool is_name_char(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }

const FieldPrefix* find_field(std::string_view name) {
    for (const auto& f : query_fields())
        if (f.name == name) return &f;
    return nullptr;
}

// Folds every word as the indexer does, but keeps the boolean operators in capitals. Unknown
// "field:" prefixes lose their colon (searched as text) and each is reported.
std::string fold_query(std::string_view q, std::vector<std::string>& warnings) {
    std::string out;
    std::size_t i = 0;
    while (i < q.size()) {
        if (q[i] == ' ') {
            out += ' ';
            ++i;
            continue;
        }
        std::size_t j = q.find(' ', i);
        if (j == std::string_view::npos) j = q.size();
        std::string_view w = q.substr(i, j - i);
        if (is_operator(w)) {
            out += w;
        } else {
            std::string f = text::fold(w);
            // A leading name followed by ':' (after optional '(' '+' '-') is a field prefix.
            std::size_t s = f.find_first_not_of("(+-");
            if (s != std::string::npos) {
                std::size_t e = s;
                while (e < f.size() && is_name_char(f[e])) ++e;
                if (e > s && e + 1 < f.size() && f[e] == ':' && !find_field(std::string_view(f).substr(s, e - s))) {
                    warnings.push_back("unknown field '" + f.substr(s, e - s) + ":' searched as text");
                    f[e] = ' ';
                }
            }
            out += f;
        }
        i = j;
    }
    return out;
}

// Deeply nested parentheses add nothing a user means; beyond kMaxNesting they are dropped.
std::string limit_nesting(std::string q, std::vector<std::string>& warnings) {
    int depth = 0, max_depth = 0;
    for (char c : q) {
        if (c == '(') max_depth = std::max(max_depth, ++depth);
        if (c == ')') --depth;
    }
    if (max_depth <= kMaxNesting) return q;
    warnings.push_back("parentheses nested too deeply were ignored");
    std::replace(q.begin(), q.end(), '(', ' ');
    std::replace(q.begin(), q.end(), ')', ' ');
    return q;
}

// The free-text words of the query (field:value pairs and operators removed), with whether each
// stood inside a quoted phrase and whether the user wrote it like an acronym.
struct QueryWord {
    std::string folded;
    bool quoted = false;
    bool acronym = false;
};

bool acronym_like(std::string_view surface) {
    int upper = 0;
    bool vowel = false;
    for (char c : surface) {
        if (c >= 'A' && c <= 'Z') ++upper;
        if (std::strchr("aeiouyAEIOUY", c)) vowel = true;
    }
    return upper >= 2 || (!vowel && surface.size() >= 2);
}

std::vector<QueryWord> free_words(std::string_view sanitized) {
    std::string plain(sanitized);
    // Blank out field:value tokens and operators so only free text remains (offsets kept).
    std::size_t i = 0;
    while (i < plain.size()) {
        std::size_t j = plain.find(' ', i);
        if (j == std::string::npos) j = plain.size();
        std::string_view w = std::string_view(plain).substr(i, j - i);
        std::size_t s = w.find_first_not_of("(+-");
        std::size_t colon = w.find(':');
        bool field = false;
        if (s != std::string_view::npos && colon != std::string_view::npos && colon > s) {
            std::string name = text::fold(w.substr(s, colon - s));
            field = find_field(name) != nullptr;
        }
        if (field || is_operator(w)) std::fill(plain.begin() + static_cast<std::ptrdiff_t>(i), plain.begin() + static_cast<std::ptrdiff_t>(j), ' ');
        i = j + 1;
    }
    std::vector<bool> in_quotes(plain.size() + 1, false);
    bool q = false;
    for (std::size_t k = 0; k < plain.size(); ++k) {
        if (plain[k] == '"') q = !q;
        in_quotes[k] = q;
    }
    std::vector<QueryWord> words;
    for (const auto& t : analyzer().tokens(plain)) {
        if (words.size() >= kMaxQueryWords) break;
        QueryWord w;
        w.folded = t.folded;
        w.quoted = in_quotes[t.begin];
        w.acronym = acronym_like(std::string_view(plain).substr(t.begin, t.end - t.begin));
        words.push_back(std::move(w));
    }
    return words;
}

Xapian::Query expression_query(const Expression& e) {
    if (e.words.size() == 1) return Xapian::Query("Z" + analyzer().stem(e.words[0]));
    return Xapian::Query(Xapian::Query::OP_PHRASE, e.words.begin(), e.words.end(),
                         static_cast<Xapian::termcount>(e.words.size() + 1));
}

Xapian::Query scaled(const Xapian::Query& q, double factor) {
    if (q.empty()) return q;
    return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q, factor);
}

Xapian::Query or_of(const std::vector<Xapian::Query>& qs) {
    if (qs.empty()) return Xapian::Query();
    return Xapian::Query(Xapian::Query::OP_OR, qs.begin(), qs.end());
}

class StopList : public Xapian::Stopper {
public:
    bool operator()(const std::string& term) const override { return text::is_stopword(term); }
};

constexpr unsigned kFlags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD |
                            Xapian::QueryParser::FLAG_SPELLING_CORRECTION | Xapian::QueryParser::FLAG_BOOLEAN;

}  // namespace

const std::vector<FieldPrefix>& query_fields() {
    static const std::vector<FieldPrefix> fields{
        {"category", schema::kCategoryPrefix, true},   {"mission", schema::kMissionPrefix, true},
        {"org", schema::kOrgPrefix, true},             {"organization", schema::kOrgPrefix, true},
        {"place", schema::kPlacePrefix, true},         {"year", schema::kYearPrefix, true},
        {"doc", schema::kDocPrefix, true},             {"document", schema::kDocPrefix, true},
        {"kind", schema::kSectionKindPrefix, true},    {"resolution", schema::kResolutionPrefix, true},
        {"section", schema::kTitlePrefix, false},
    };
    return fields;
}

std::string sanitize_query(std::string_view raw, std::vector<std::string>& warnings) {
    if (raw.size() > kMaxQueryBytes)
        throw LimitExceeded("query too long: " + std::to_string(raw.size()) + " bytes (limit " +
                            std::to_string(kMaxQueryBytes) + ")");
    std::string q(raw);
    if (q.find('\0') != std::string::npos) {
        std::replace(q.begin(), q.end(), '\0', ' ');
        warnings.push_back("NUL bytes in the query were replaced by spaces");
    }
    if (!text::is_valid_utf8(q)) {
        q = text::repair_utf8(q);
        warnings.push_back("invalid UTF-8 in the query was repaired");
    }
    // Control characters and tabs become spaces: the parser splits on them anyway.
    for (char& c : q)
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    std::size_t words = 0;
    bool in_word = false;
    for (char c : q) {
        if (c != ' ' && !in_word) ++words;
        in_word = c != ' ';
    }
    if (words > kMaxQueryWords)
        throw LimitExceeded("query has " + std::to_string(words) + " words (limit " + std::to_string(kMaxQueryWords) + ")");
    return q;
}

QueryBuilder::QueryBuilder(const Xapian::Database& db, const Synonyms& synonyms, RankingWeights weights)
    : db_(db), synonyms_(synonyms), weights_(weights) {}

ParsedQuery QueryBuilder::parse(std::string_view raw) const {
    ParsedQuery out;
    const std::string sanitized = sanitize_query(raw, out.warnings);
    out.text = limit_nesting(fold_query(sanitized, out.warnings), out.warnings);

    static const StopList stop_list;
    Xapian::QueryParser qp;
    qp.set_database(db_);
    qp.set_stemmer(Xapian::Stem("english"));
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    qp.set_stopper(&stop_list);
    qp.set_default_op(Xapian::Query::OP_OR);
    qp.set_max_expansion(kMaxWildcardExpansion, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    for (const auto& f : query_fields()) {
        if (f.boolean)
            qp.add_boolean_prefix(std::string(f.name), std::string(f.prefix));
        else
            qp.add_prefix(std::string(f.name), std::string(f.prefix));
    }
    qp.add_rangeprocessor((new Xapian::NumberRangeProcessor(schema::kYearSlot, "year:"))->release());

    Xapian::Query main;
    try {
        main = qp.parse_query(out.text, kFlags);
        std::string corrected = qp.get_corrected_query_string();
        if (!corrected.empty() && corrected != out.text) {
            out.suggestion = corrected;
            main = Xapian::Query(Xapian::Query::OP_OR, main, qp.parse_query(corrected, kFlags));
        }
    } catch (const Xapian::QueryParserError& e) {
        out.warnings.push_back("query syntax not understood (" + e.get_msg() + "); searched as plain words");
        std::string plain = out.text;
        for (char& c : plain)
            if (std::strchr("\"()+-*:", c)) c = ' ';
        main = qp.parse_query(plain, 0);
    }

    const auto words = free_words(sanitized);
    std::vector<std::string> expandable;
    std::vector<bool> acronym;
    for (const auto& w : words)
        if (!w.quoted) {
            expandable.push_back(w.folded);
            acronym.push_back(w.acronym);
        }
    out.expansions = synonyms_.find(expandable, [&](std::size_t i) { return acronym[i]; });
    std::vector<Xapian::Query> alternatives;
    for (const auto& e : out.expansions)
        for (const auto& alt : e.alternatives) alternatives.push_back(expression_query(alt));
    if (!alternatives.empty() && !main.empty())
        main = Xapian::Query(Xapian::Query::OP_OR, main, scaled(or_of(alternatives), weights_.synonym));

    // Boosts only re-rank what already matches: words in headings, adjacent query words.
    std::vector<Xapian::Query> boosts;
    std::vector<Xapian::Query> heading;
    for (const auto& w : words)
        if (!text::is_stopword(w.folded)) heading.emplace_back("Z" + std::string(schema::kTitlePrefix) + analyzer().stem(w.folded));
    if (!heading.empty()) boosts.push_back(scaled(or_of(heading), weights_.heading));
    std::vector<Xapian::Query> pairs;
    for (std::size_t i = 0; i + 1 < words.size() && pairs.size() < 16; ++i) {
        if (text::is_stopword(words[i].folded) || text::is_stopword(words[i + 1].folded)) continue;
        std::vector<std::string> pair{words[i].folded, words[i + 1].folded};
        pairs.emplace_back(Xapian::Query::OP_PHRASE, pair.begin(), pair.end(), 3);
    }
    if (!pairs.empty()) boosts.push_back(scaled(or_of(pairs), weights_.phrase));
    if (!boosts.empty() && !main.empty()) main = Xapian::Query(Xapian::Query::OP_AND_MAYBE, main, or_of(boosts));
    out.query = main;
    return out;
}

}  // namespace mandala::search
