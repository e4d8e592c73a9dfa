#include "search/query.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <regex>
#include <set>

#include "catalog/xapian_schema.h"
#include "search/analysis.h"
#include "search/spelling.h"
#include "taxonomy/tagger.h"
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
    std::string surface;  // as written
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

std::vector<QueryWord> free_words(std::string_view sanitized, std::string* fields_only = nullptr,
                                  std::string* free_text = nullptr) {
    std::string plain(sanitized);
    bool negate_next = false;
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
        const bool negated = negate_next || (!w.empty() && w[0] == '-');
        negate_next = w == "NOT";
        if (field && fields_only) *fields_only += std::string(w) + " ";
        if (field || negated || is_operator(w)) std::fill(plain.begin() + static_cast<std::ptrdiff_t>(i), plain.begin() + static_cast<std::ptrdiff_t>(j), ' ');
        i = j + 1;
    }
    if (free_text) *free_text = plain;
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
        w.surface = plain.substr(t.begin, t.end - t.begin);
        w.quoted = in_quotes[t.begin];
        w.acronym = acronym_like(w.surface);
        words.push_back(std::move(w));
    }
    return words;
}

Xapian::Query expression_query(const Expression& e, std::string_view prefix) {
    if (e.words.size() == 1) return Xapian::Query(schema::stem_term(prefix, analyzer().stem(e.words[0])));
    std::vector<std::string> terms;
    for (const auto& w : e.words) terms.push_back(std::string(prefix) + w);
    return Xapian::Query(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(),
                         static_cast<Xapian::termcount>(terms.size() + 1));
}

// The words of an expression in any order (its content words' stems ANDed): what the coverage
// boost asks of an alternative, cheaper than checking the phrase's positions a second time.
Xapian::Query expression_words_query(const Expression& e, std::string_view prefix) {
    std::vector<Xapian::Query> stems;
    for (const auto& w : e.words)
        if (!text::is_stopword(w)) stems.emplace_back(schema::stem_term(prefix, analyzer().stem(w)));
    if (stems.empty()) return expression_query(e, prefix);
    return Xapian::Query(Xapian::Query::OP_AND, stems.begin(), stems.end());
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

constexpr unsigned kFlags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD;

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || (c & 0x80); }

// Replaces every whole-word occurrence of `word` in `text` by `by`; whether any was replaced.
bool replace_whole_word(std::string& text, const std::string& word, const std::string& by) {
    bool changed = false;
    std::size_t at = text.find(word);
    while (at != std::string::npos) {
        const std::size_t end = at + word.size();
        const bool whole = (at == 0 || !word_char(text[at - 1])) && (end == text.size() || !word_char(text[end]));
        if (whole) {
            text.replace(at, word.size(), by);
            changed = true;
            at = text.find(word, at + by.size());
        } else {
            at = text.find(word, end);
        }
    }
    return changed;
}

// Each unknown word of the query (spelling.h: neither English nor in the corpus) and the closest
// corpus word. Words written as acronyms are never corrected: an unknown acronym is a name, not a
// typo of an English word.
std::map<std::string, std::string> spelling_corrections(const Xapian::Database& db, const Xapian::Database& spelling,
                                                        const std::vector<QueryWord>& words) {
    std::map<std::string, std::string> out;
    for (const auto& w : words) {
        if (w.acronym || out.count(w.folded) || !unknown_word(w.folded, EnglishWords::system(), db)) continue;
        if (std::string suggestion = spelling_suggestion(w.folded, spelling); !suggestion.empty())
            out.emplace(w.folded, std::move(suggestion));
    }
    return out;
}

// The folded query with the corrections made; "" when nothing changes.
std::string corrected_query(const std::string& folded, const std::map<std::string, std::string>& corrections) {
    std::string out = folded;
    bool changed = false;
    for (const auto& [word, by] : corrections) changed = replace_whole_word(out, word, by) || changed;
    return changed ? out : std::string();
}

// Question words and fillers of queries typed as questions ("how do missions help ..."): they
// still count, but with weight × RankingWeights::filler, and they are no concept of their own
// (coverage, headings, synonyms). A word of this list written as a known acronym ("WHO") is none.
bool filler_word(std::string_view w) {
    static const std::set<std::string_view> kFillers{
        "about", "also",  "any",   "can",    "could",  "did",       "do",    "does",  "doing", "example", "examples",
        "find",  "get",   "help",  "helped", "helping", "helps",    "how",   "i",     "info",  "information",
        "kind",  "kinds", "list",  "many",   "may",    "me",        "might", "much",  "must",  "my",      "need",
        "needs", "regarding", "role", "roles", "shall", "should",   "show",  "some",  "tell",  "thing",   "things",
        "type",  "types", "us",    "want",   "way",    "ways",      "we",    "what",  "whats", "when",    "where",
        "who",   "whom",  "whose", "why",    "you",    "your"};
    return kFillers.count(w) > 0;
}

// The folded query without its filler words outside quotes (they are added back with a lower
// weight); unchanged when nothing but fillers and stop words would remain.
std::string without_fillers(const std::string& folded) {
    std::string out;
    bool quoted = false, content = false;
    std::size_t i = 0;
    while (i < folded.size()) {
        std::size_t j = folded.find(' ', i);
        if (j == std::string::npos) j = folded.size();
        const std::string_view token = std::string_view(folded).substr(i, j - i);
        const bool drop = !quoted && filler_word(token);
        if (!drop) {
            out += (out.empty() ? "" : " ") + std::string(token);
            content = content || (!token.empty() && !text::is_stopword(token));
        }
        quoted = quoted != (std::count(token.begin(), token.end(), '"') % 2 == 1);
        i = j + 1;
    }
    return content ? out : folded;
}

// British and American spellings of one word (suffix pairs both ways: -isation/-ization,
// -ise/-ize, -our/-or, -ence/-ense, -tre/-ter, -lled/-led, -ogramme/-ogram); only those the corpus
// holds are searched.
std::vector<std::string> spelling_variants(const std::string& w) {
    static const std::pair<std::string_view, std::string_view> kPairs[] = {
        {"isation", "ization"}, {"isations", "izations"}, {"ise", "ize"},   {"ised", "ized"},     {"ises", "izes"},
        {"ising", "izing"},     {"our", "or"},            {"ours", "ors"},  {"ence", "ense"},     {"tre", "ter"},
        {"tres", "ters"},       {"lled", "led"},          {"lling", "ling"}, {"ogramme", "ogram"}, {"ogrammes", "ograms"}};
    std::vector<std::string> out;
    auto try_suffix = [&](std::string_view from, std::string_view to) {
        if (w.size() < from.size() + 3 || w.compare(w.size() - from.size(), from.size(), from) != 0) return;
        std::string v = w.substr(0, w.size() - from.size()) + std::string(to);
        if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(std::move(v));
    };
    for (const auto& [british, american] : kPairs) {
        try_suffix(british, american);
        try_suffix(american, british);
    }
    return out;
}

// A query names one or two tasks at most; further categories are the tagger's noise.
constexpr std::size_t kMaxQueryCategories = 2;

// The task categories the query's own words are about: the best-scored categories with a term of
// their own in the query (a query is too short for the tagger's passage thresholds), so
// "ex-combatants reintegration" is about DDR even where a passage never says "DDR".
std::vector<std::string> query_categories(const taxonomy::TaxonomyTagger& tagger, const std::string& free_text) {
    std::vector<std::string> out;
    for (const auto& score : tagger.score(free_text)) {
        if (out.size() >= kMaxQueryCategories) break;
        if (!score.hits.empty()) out.push_back(tagger.taxonomy().categories[score.category].id);
    }
    return out;
}

// A fixed bonus for passages whose primary category is one of `categories` (boolean terms carry
// no weight of their own, so the bonus comes from a posting source restricted to those passages;
// the primary category ranks better on the development queries than any tag: 0.778 vs 0.771).
Xapian::Query category_boost(const std::vector<std::string>& categories, double bonus) {
    if (categories.empty()) return Xapian::Query();
    std::vector<Xapian::Query> tagged;
    for (const auto& c : categories) tagged.emplace_back(schema::term(schema::kPrimaryPrefix, c));
    Xapian::Query source((new Xapian::FixedWeightPostingSource(bonus))->release());
    return Xapian::Query(Xapian::Query::OP_FILTER, source, or_of(tagged));
}

// The words of quoted phrases matched in any order: a passage needs two of them (each pair an
// AND, scaled so a word weighs about as it would alone), so `"national security"` does not widen
// the match to every passage saying "national" (tens of thousands on a large archive) while
// `"protection to civilians under imminent threat"` still finds its near-variants.
Xapian::Query loose_words(std::vector<Xapian::Query> words, double weight) {
    constexpr std::size_t kMaxLooseWords = 6;  // 15 pairs at most
    if (words.size() > kMaxLooseWords) words.resize(kMaxLooseWords);
    if (words.size() < 2) return scaled(or_of(words), weight);
    std::vector<Xapian::Query> pairs;
    for (std::size_t i = 0; i < words.size(); ++i)
        for (std::size_t j = i + 1; j < words.size(); ++j) pairs.emplace_back(Xapian::Query::OP_AND, words[i], words[j]);
    return scaled(or_of(pairs), weight / static_cast<double>(words.size() - 1));
}

// Whether a multi-word alternative holds every (non-stop) word of the span it expands, stems
// compared: "police reform" for "police" matches no passage the span does not, it only ranks,
// and as a phrase it is costly to check.
bool contains_span(const Expression& alt, const std::vector<std::string>& words, std::size_t first, std::size_t last) {
    if (alt.words.size() < 2) return false;
    std::set<std::string> stems;
    for (const auto& w : alt.words) stems.insert(analyzer().stem(w));
    for (std::size_t i = first; i < last; ++i)
        if (!text::is_stopword(words[i]) && !stems.count(analyzer().stem(words[i]))) return false;
    return true;
}

// Whether a (folded) acronym is the initials of an expression's words, all of them or the
// content words ("ssr": security sector reform; "poc": protection of civilians), a plural "s"
// allowed.
bool spelled_by_initials(std::string acronym, const Expression& e) {
    std::string all, content;
    for (const auto& w : e.words) {
        if (w.empty()) continue;
        all += w[0];
        if (!text::is_stopword(w)) content += w[0];
    }
    if (acronym == all || acronym == content) return true;
    if (acronym.size() > 2 && acronym.back() == 's') acronym.pop_back();
    return acronym == all || acronym == content;
}

// Whether the (folded) query uses an operator that restricts the match: AND, NOT, XOR, NEAR, ADJ,
// or a word marked + or -. OR and plain words do not.
bool has_operators(std::string_view q) {
    std::size_t i = 0;
    while (i < q.size()) {
        std::size_t j = q.find(' ', i);
        if (j == std::string_view::npos) j = q.size();
        const std::string_view w = q.substr(i, j - i);
        const std::size_t s = w.find_first_not_of('(');
        if ((is_operator(w) && w != "OR") || (s != std::string_view::npos && w.size() > s + 1 && (w[s] == '+' || w[s] == '-')))
            return true;
        i = j + 1;
    }
    return false;
}

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

RankingWeights parse_weights(const std::string& spec) {
    RankingWeights w;
    double* fields[] = {&w.synonym, &w.heading, &w.phrase, &w.coverage, &w.loose, &w.bm25_k1, &w.bm25_b, &w.category, &w.filler, &w.entity};
    std::size_t i = 0, n = 0;
    while (i <= spec.size() && n < std::size(fields)) {
        std::size_t j = spec.find(',', i);
        if (j == std::string::npos) j = spec.size();
        try {
            *fields[n++] = std::stod(spec.substr(i, j - i));
        } catch (const std::exception&) {
            throw InputError("weights must be numbers: synonym,heading,phrase,coverage,loose[,k1,b[,category[,filler[,entity]]]]");
        }
        i = j + 1;
    }
    return w;
}

QueryBuilder::QueryBuilder(const Xapian::Database& db, const Synonyms& synonyms, RankingWeights weights,
                           const Xapian::Database* spelling, const taxonomy::TaxonomyTagger* tagger)
    : db_(db), spelling_(spelling ? *spelling : db), synonyms_(synonyms), weights_(weights), tagger_(tagger) {}

namespace {

Xapian::QueryParser make_parser(const Xapian::Database& db) {
    static thread_local const StopList stop_list;  // per thread, as every Xapian handle
    Xapian::QueryParser qp;
    qp.set_database(db);
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
    return qp;
}

// "1999..2005" typed without a prefix: a researcher means the document years, as `year:1999..2005`
// (a filter, not words). Only four-digit ends count; "a..b" stays for the plain-words fallback.
std::string with_year_prefix(const std::string& query) {
    static const std::regex bare_range("(^|\\s)(\\d{4}\\.\\.(?:\\d{4})?|\\.\\.\\d{4})(?=\\s|$)");
    return std::regex_replace(query, bare_range, "$1year:$2");
}

// A span the user wrote as an acronym that the index knows (one word, capitals): its expansions
// from this corpus, the registry and the thesaurus are what it means.
bool known_acronym_span(const Expansion& e, const std::vector<bool>& acronym, const std::vector<std::string>& words,
                        const Synonyms& synonyms) {
    return e.last - e.first == 1 && acronym[e.first] && synonyms.known_acronym(words[e.first]);
}

// The free text the tagger reads, each known acronym replaced by what it stands for: "SEA" is
// sexual exploitation and abuse here, not the maritime "sea".
std::string tagger_text(std::string free_text, const std::vector<QueryWord>& words, const std::vector<Expansion>& acronyms) {
    for (const auto& e : acronyms) {
        std::string meaning;
        for (const auto& alt : e.alternatives)
            if (alt.source != "taxonomy") meaning += (meaning.empty() ? "" : " ") + alt.display;
        for (const auto& w : words)
            if (w.folded == e.matched && w.acronym) replace_whole_word(free_text, w.surface, meaning);
    }
    return free_text;
}

constexpr std::size_t kMaxEntityWords = 5;  // "democratic republic of the congo"

std::string joined(const std::vector<std::string>& words, std::size_t first, std::size_t last, char sep) {
    std::string out;
    for (std::size_t i = first; i < last; ++i) out += (i == first ? "" : std::string(1, sep)) + words[i];
    return out;
}

// The index's entity terms of a query span, if it names a place or a mission the index holds: a
// place (`south sudan` -> XLsouth-sudan) with the missions it hosts (XMunmiss: a passage about
// UNMISS is about South Sudan), a mission (`amisom` -> XMamisom) as the extractor resolved it, also
// where a passage says only "the Mission".
std::vector<std::string> span_entity_terms(const Xapian::Database& db, const Synonyms& synonyms,
                                           const std::vector<std::string>& words, std::size_t first, std::size_t last) {
    std::vector<std::string> out;
    const std::string place = joined(words, first, last, '-');
    if (const std::string t = schema::term(schema::kPlacePrefix, place); db.term_exists(t)) {
        out.push_back(t);
        for (const auto& m : synonyms.missions_hosted_by(place)) out.push_back(schema::term(schema::kMissionPrefix, m));
    }
    for (char sep : {' ', '-'})
        if (const std::string t = schema::term(schema::kMissionPrefix, joined(words, first, last, sep));
            db.term_exists(t) && std::find(out.begin(), out.end(), t) == out.end())
            out.push_back(t);
    return out;
}

// Per query word, the entity terms of the longest entity span it belongs to (empty: none).
std::vector<std::vector<std::string>> entity_terms_by_word(const Xapian::Database& db, const Synonyms& synonyms,
                                                           const std::vector<std::string>& words) {
    std::vector<std::vector<std::string>> out(words.size());
    std::size_t i = 0;
    while (i < words.size()) {
        std::size_t next = i + 1;
        if (!text::is_stopword(words[i]))
            for (std::size_t len = std::min(kMaxEntityWords, words.size() - i); len >= 1; --len) {
                if (text::is_stopword(words[i + len - 1])) continue;
                auto terms = span_entity_terms(db, synonyms, words, i, i + len);
                if (terms.empty()) continue;
                for (std::size_t k = i; k < i + len; ++k) out[k] = terms;
                next = i + len;
                break;
            }
        i = next;
    }
    return out;
}

Xapian::Query terms_query(const std::vector<std::string>& terms) {
    if (terms.empty()) return Xapian::Query();
    return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

// The entity terms of the words first..last, as one OR (empty when none).
Xapian::Query entity_query(const std::vector<std::vector<std::string>>& by_word, std::size_t first, std::size_t last) {
    std::set<std::string> terms;
    for (std::size_t i = first; i < last && i < by_word.size(); ++i) terms.insert(by_word[i].begin(), by_word[i].end());
    return terms_query({terms.begin(), terms.end()});
}

// The user's free words as parse() reads them, before any query is built.
struct UserWords {
    std::vector<QueryWord> words;
    std::string fields_only;   // the field:value tokens, applied again as a filter at the end
    std::string free_text;     // the query without fields and operators: what the tagger reads
    std::vector<bool> filler;  // per word: a question word or filler (filler_word)
    bool operators = false;    // the query says what must match (has_operators)
    std::map<std::string, std::string> corrections;  // unknown word -> closest corpus word
    std::string corrected;  // the folded query with the corrections made ("" when none)
};

UserWords read_user_words(const std::string& sanitized, const std::string& folded, const Xapian::Database& db,
                          const Xapian::Database& spelling, const Synonyms& synonyms) {
    UserWords user;
    user.words = free_words(sanitized, &user.fields_only, &user.free_text);
    user.filler.assign(user.words.size(), false);
    for (std::size_t i = 0; i < user.words.size(); ++i) {
        const QueryWord& w = user.words[i];
        user.filler[i] =
            !w.quoted && filler_word(w.folded) && !(w.acronym && synonyms.known_acronym(w.folded));
    }
    user.operators = has_operators(folded);
    // Spelling correction costs look-ups per word: ask for it only when a word is unknown.
    user.corrections = spelling_corrections(db, spelling, user.words);
    user.corrected = corrected_query(folded, user.corrections);
    return user;
}

// The folded query with its syntax characters blanked: what is left of a query the parser
// could not read.
std::string as_plain_words(std::string text) {
    for (char& c : text)
        if (std::strchr("\"()+-*:", c)) c = ' ';
    for (std::size_t dots = text.find(".."); dots != std::string::npos; dots = text.find("..", dots))
        text.replace(dots, 2, " ");  // a range the parser could not read is two words
    return text;
}

// The query as the user wrote it (fillers left out unless operators rule), ORed with its spelling
// correction, which becomes the suggestion; a query that does not parse is searched as plain
// words, with a warning.
Xapian::Query user_query(Xapian::QueryParser& qp, const UserWords& user, ParsedQuery& out) {
    try {
        const Xapian::Query typed =
            qp.parse_query(user.operators ? out.text : without_fillers(out.text), kFlags);
        if (user.corrected.empty()) return typed;
        out.suggestion = user.corrected;
        return Xapian::Query(
            Xapian::Query::OP_OR, typed,
            qp.parse_query(user.operators ? user.corrected : without_fillers(user.corrected), kFlags));
    } catch (const Xapian::QueryParserError& e) {
        out.warnings.push_back("query syntax not understood (" + e.get_msg() + "); searched as plain words");
        return qp.parse_query(as_plain_words(out.text), 0);
    }
}

// The words synonyms and concepts read: free words outside quotes that are no fillers, each
// corrected ("human rigths monitoring" is about human rights monitoring); the words as typed count
// in the user's query.
struct ExpandableWords {
    std::vector<std::string> words;
    std::vector<bool> acronym;  // per word: written like an acronym
};

ExpandableWords expandable_words(const UserWords& user) {
    ExpandableWords out;
    for (std::size_t i = 0; i < user.words.size(); ++i) {
        if (user.words[i].quoted || user.filler[i]) continue;
        const auto fix = user.corrections.find(user.words[i].folded);
        out.words.push_back(fix == user.corrections.end() ? user.words[i].folded : fix->second);
        out.acronym.push_back(user.words[i].acronym);
    }
    return out;
}

// What the concepts of a query are built from.
struct ConceptContext {
    const Xapian::Database& db;
    const Synonyms& synonyms;
    const RankingWeights& weights;
    const ExpandableWords& expandable;
    std::vector<std::vector<std::string>> entities;  // per expandable word (entity_terms_by_word)
};

// Concepts: each expanded span (its words or any alternative) and each other free word, matched
// in the passage text or, with a lower weight, in its section headings; and the other ways of
// matching found on the way.
struct ConceptQueries {
    std::vector<Xapian::Query> concepts;   // one per concept, for the coverage boost
    std::vector<Xapian::Query> body_alts;  // expansion alternatives in the passage text
    std::vector<Xapian::Query> head_alts;  // expansion alternatives in section headings
    std::vector<Xapian::Query> heading;    // every content word in section headings
    std::vector<Xapian::Query> variants;   // other spellings of the words, where the corpus has them
    std::vector<Expansion> acronyms;       // known acronyms with their alternatives (for the tagger)
};

// A place or mission the query names is also matched through the passages' entities: they carry
// no weight of their own (boolean terms), but complete the concept for the coverage boost.
void add_concept(ConceptQueries& out, const ConceptContext& ctx, const std::vector<Xapian::Query>& body,
                 const std::vector<Xapian::Query>& head, std::size_t first, std::size_t last) {
    Xapian::Query c(Xapian::Query::OP_OR, or_of(body), scaled(or_of(head), ctx.weights.heading));
    if (Xapian::Query e = entity_query(ctx.entities, first, last); !e.empty())
        c = Xapian::Query(Xapian::Query::OP_OR, c, e);
    out.concepts.push_back(c);
}

// Alternatives that add nothing are dropped (and not reported): those holding every word of
// their span, and for an acronym the labels of the task category it is filed under (OHCHR is not
// a synonym of "human rights", which would match every human-rights passage), unless the acronym
// spells the label ("SSR" is the security sector reform of its category).
void drop_idle_alternatives(Expansion& e, const ExpandableWords& expandable) {
    std::erase_if(e.alternatives, [&](const Expression& alt) {
        return contains_span(alt, expandable.words, e.first, e.last) ||
               (alt.source == "taxonomy" && e.last - e.first == 1 && expandable.acronym[e.first] &&
                !spelled_by_initials(expandable.words[e.first], alt));
    });
}

// The concept of an expanded span: its own words and its alternatives, the alternatives also
// matched on their own (as phrases) among the other ways of matching.
void add_expansion_concept(ConceptQueries& out, const ConceptContext& ctx, Expansion& e,
                           std::vector<bool>& covered) {
    const ExpandableWords& expandable = ctx.expandable;
    std::vector<Xapian::Query> body, head;
    for (std::size_t i = e.first; i < e.last; ++i) {
        covered[i] = true;
        if (text::is_stopword(expandable.words[i])) continue;
        body.emplace_back(schema::stem_term("", analyzer().stem(expandable.words[i])));
        head.emplace_back(schema::stem_term(schema::kTitlePrefix, analyzer().stem(expandable.words[i])));
    }
    drop_idle_alternatives(e, expandable);
    // A known acronym means its expansions as much as its letters (which also spell English
    // words: "SEA", "PoC"): they count in full.
    const bool acronym_span = e.last - e.first == 1 && expandable.acronym[e.first];
    const bool known = known_acronym_span(e, expandable.acronym, expandable.words, ctx.synonyms);
    if (known && !e.alternatives.empty()) out.acronyms.push_back(e);
    for (const auto& alt : e.alternatives) {
        const bool spelled = acronym_span && spelled_by_initials(expandable.words[e.first], alt);
        const double w = known || spelled           ? 1.0
                         : alt.source == "taxonomy" ? ctx.weights.synonym / 2
                                                    : ctx.weights.synonym;
        out.body_alts.push_back(scaled(expression_query(alt, ""), w));
        out.head_alts.push_back(scaled(expression_query(alt, schema::kTitlePrefix), w));
        body.push_back(scaled(expression_words_query(alt, ""), w));
        head.push_back(scaled(expression_words_query(alt, schema::kTitlePrefix), w));
    }
    add_concept(out, ctx, body, head, e.first, e.last);
}

// Every content word counts in the headings; a word no expansion covers is a concept of its own.
void add_word_concepts(ConceptQueries& out, const ConceptContext& ctx, const std::vector<bool>& covered) {
    const std::vector<std::string>& words = ctx.expandable.words;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (text::is_stopword(words[i])) continue;
        const std::string stem = analyzer().stem(words[i]);
        out.heading.emplace_back(schema::stem_term(schema::kTitlePrefix, stem));
        if (covered[i]) continue;
        // "demobilisation" is "demobilization": the other spelling counts as the word itself.
        std::vector<Xapian::Query> body{Xapian::Query(schema::stem_term("", stem))};
        for (const auto& v : spelling_variants(words[i]))
            if (ctx.db.term_exists(v)) {
                body.emplace_back(schema::stem_term("", analyzer().stem(v)));
                out.variants.push_back(body.back());
            }
        add_concept(out, ctx, body, {out.heading.back()}, i, i + 1);
    }
}

// Expansions whose alternatives all added nothing are dropped from `expansions`.
ConceptQueries concept_queries(const ConceptContext& ctx, std::vector<Expansion>& expansions) {
    ConceptQueries out;
    std::vector<bool> covered(ctx.expandable.words.size(), false);
    for (auto& e : expansions) add_expansion_concept(out, ctx, e, covered);
    std::erase_if(expansions, [](const Expansion& e) { return e.alternatives.empty(); });
    add_word_concepts(out, ctx, covered);
    return out;
}

// The ways of matching besides the user's query: other spellings, fillers (a little), the
// entities the query names, the words of quoted phrases loosely (so near-variants follow the exact
// matches), expansion alternatives, and words in section headings.
std::vector<Xapian::Query> other_matches(const UserWords& user, const ConceptContext& ctx,
                                         const ConceptQueries& concepts) {
    const RankingWeights& weights = ctx.weights;
    std::vector<Xapian::Query> any;
    if (!concepts.variants.empty()) any.push_back(or_of(concepts.variants));
    std::vector<Xapian::Query> fillers;
    for (std::size_t i = 0; i < user.words.size(); ++i)
        if (user.filler[i] && !user.operators)
            fillers.emplace_back(schema::stem_term("", analyzer().stem(user.words[i].folded)));
    if (!fillers.empty() && weights.filler > 0) any.push_back(scaled(or_of(fillers), weights.filler));
    if (Xapian::Query e = entity_query(ctx.entities, 0, ctx.entities.size());
        !e.empty() && weights.entity > 0)
        any.push_back(Xapian::Query(
            Xapian::Query::OP_FILTER,
            Xapian::Query((new Xapian::FixedWeightPostingSource(weights.entity))->release()), e));
    std::vector<Xapian::Query> loose;
    for (const auto& w : user.words)
        if (w.quoted && !text::is_stopword(w.folded))
            loose.emplace_back(schema::stem_term("", analyzer().stem(w.folded)));
    if (!loose.empty() && weights.loose > 0) any.push_back(loose_words(loose, weights.loose));
    if (!concepts.body_alts.empty()) any.push_back(or_of(concepts.body_alts));
    std::vector<Xapian::Query> heading = concepts.heading;
    heading.insert(heading.end(), concepts.head_alts.begin(), concepts.head_alts.end());
    if (!heading.empty()) any.push_back(scaled(or_of(heading), weights.heading));
    return any;
}

// A query with AND, NOT, + or - says what must match: there the other ways of matching only
// rank (`humanitarian AND police` must not match "police reform" alone).
Xapian::Query widened(const Xapian::Query& typed, bool operators, std::vector<Xapian::Query> others) {
    if (operators && !others.empty()) return Xapian::Query(Xapian::Query::OP_AND_MAYBE, typed, or_of(others));
    others.insert(others.begin(), typed);
    return or_of(others);
}

// Adjacent content words of the query as two-word phrases (16 at most).
std::vector<Xapian::Query> adjacent_pairs(const std::vector<QueryWord>& words) {
    std::vector<Xapian::Query> pairs;
    for (std::size_t i = 0; i + 1 < words.size() && pairs.size() < 16; ++i) {
        if (text::is_stopword(words[i].folded) || text::is_stopword(words[i + 1].folded)) continue;
        std::vector<std::string> pair{words[i].folded, words[i + 1].folded};
        pairs.emplace_back(Xapian::Query::OP_PHRASE, pair.begin(), pair.end(), 3);
    }
    return pairs;
}

// The task categories of the query's free text, spelling corrected and known acronyms spelled out.
std::vector<std::string> categories_about(const taxonomy::TaxonomyTagger& tagger, const UserWords& user,
                                          const std::vector<Expansion>& acronyms) {
    std::string about = user.free_text;
    for (const auto& w : user.words)
        if (auto fix = user.corrections.find(w.folded); fix != user.corrections.end())
            replace_whole_word(about, w.surface, fix->second);
    return query_categories(tagger, tagger_text(about, user.words, acronyms));
}

// The extra parts must not escape the user's field filters: they are applied on top again.
Xapian::Query within_fields(Xapian::QueryParser& qp, const Xapian::Query& q, const std::string& fields_only) {
    if (fields_only.empty()) return q;
    try {
        Xapian::Query filter = qp.parse_query(
            text::fold(fields_only), Xapian::QueryParser::FLAG_BOOLEAN | Xapian::QueryParser::FLAG_PURE_NOT |
                                         Xapian::QueryParser::FLAG_LOVEHATE);
        if (!filter.empty()) return Xapian::Query(Xapian::Query::OP_FILTER, q, filter);
    } catch (const Xapian::QueryParserError&) {
        // the user's query already reported the syntax problem
    }
    return q;
}

// Boosts re-rank what already matches: every concept present; query words adjacent; passages
// of the task categories the query is about (`tagger` null: none).
Xapian::Query boosted(const Xapian::Query& q, const UserWords& user, const ConceptQueries& concepts,
                      const RankingWeights& weights, const taxonomy::TaxonomyTagger* tagger,
                      ParsedQuery& out) {
    std::vector<Xapian::Query> boosts;
    const auto& all = concepts.concepts;
    if (all.size() >= 2 && all.size() <= 6 && weights.coverage > 0)
        boosts.push_back(
            scaled(Xapian::Query(Xapian::Query::OP_AND, all.begin(), all.end()), weights.coverage));
    if (const auto pairs = adjacent_pairs(user.words); !pairs.empty() && weights.phrase > 0)
        boosts.push_back(scaled(or_of(pairs), weights.phrase));
    if (tagger && weights.category > 0) {
        out.categories = categories_about(*tagger, user, concepts.acronyms);
        if (Xapian::Query b = category_boost(out.categories, weights.category); !b.empty())
            boosts.push_back(b);
    }
    if (boosts.empty()) return q;
    return Xapian::Query(Xapian::Query::OP_AND_MAYBE, q, or_of(boosts));
}

}  // namespace

ParsedQuery QueryBuilder::parse(std::string_view raw) const {
    ParsedQuery out;
    const std::string sanitized = with_year_prefix(sanitize_query(raw, out.warnings));
    out.text = limit_nesting(fold_query(sanitized, out.warnings), out.warnings);
    Xapian::QueryParser qp = make_parser(db_);
    const UserWords user = read_user_words(sanitized, out.text, db_, spelling_, synonyms_);
    const Xapian::Query typed = user_query(qp, user, out);
    const ExpandableWords expandable = expandable_words(user);
    out.expansions = synonyms_.find(expandable.words, [&](std::size_t i) { return expandable.acronym[i]; });
    if (typed.empty()) {
        out.query = typed;
        return out;
    }
    const ConceptContext ctx{db_, synonyms_, weights_, expandable,
                             entity_terms_by_word(db_, synonyms_, expandable.words)};
    const ConceptQueries concepts = concept_queries(ctx, out.expansions);
    const Xapian::Query matched = widened(typed, user.operators, other_matches(user, ctx, concepts));
    out.query = within_fields(qp, boosted(matched, user, concepts, weights_, tagger_, out), user.fields_only);
    return out;
}

}  // namespace mandala::search
