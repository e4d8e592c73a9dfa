#include "indexer/abbreviations.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <map>
#include <set>

namespace mandala::indexer {
namespace {

std::vector<std::string> split_words(std::string_view s) {
    std::vector<std::string> words;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        std::size_t j = i;
        while (j < s.size() && s[j] != ' ' && s[j] != '\t') ++j;
        if (j > i) words.emplace_back(s.substr(i, j - i));
        i = j;
    }
    return words;
}

std::string join(const std::vector<std::string>& words, std::size_t from, std::size_t to) {
    std::string out;
    for (std::size_t i = from; i < to; ++i) {
        if (!out.empty()) out += ' ';
        out += words[i];
    }
    return out;
}

int upper_count(std::string_view w) {
    return static_cast<int>(std::count_if(w.begin(), w.end(), [](unsigned char c) { return std::isupper(c); }));
}

// An acronym token: two or more capitals ("UNAMA", "PoC", "QUIPs", "HoM", "DSRSG/RC/HC").
bool is_acronym_token(std::string_view w) { return upper_count(w) >= 2 || (w.size() == 1 && upper_count(w)); }

bool is_function_word(std::string_view w) {
    static const std::set<std::string_view> kWords = {"in", "of", "and", "the", "for", "to", "on", "at", "a", "/", "-"};
    return kWords.count(w) > 0;
}

std::string acronym_letters(std::string_view acronym) {
    std::string out;
    for (char c : acronym)
        if (std::isupper(static_cast<unsigned char>(c))) out += c;
    return out;
}

std::string initials(const std::vector<std::string>& words, std::size_t from, std::size_t to) {
    std::string out;
    for (std::size_t i = from; i < to; ++i) {
        const std::string& w = words[i];
        if (is_function_word(w) || w.empty()) continue;
        if (upper_count(w) >= 2) {
            out += acronym_letters(w);  // "UN", "UN-AU", "EU" contribute all their letters
        } else {
            out += static_cast<char>(std::toupper(static_cast<unsigned char>(w[0])));
        }
    }
    return out;
}

std::size_t lcs(std::string_view a, std::string_view b) {
    std::vector<std::size_t> prev(b.size() + 1, 0), cur(b.size() + 1, 0);
    for (char ca : a) {
        for (std::size_t j = 1; j <= b.size(); ++j)
            cur[j] = ca == b[j - 1] ? prev[j - 1] + 1 : std::max(prev[j], cur[j - 1]);
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

double alignment_score(std::string_view acronym, const std::vector<std::string>& words, std::size_t from,
                       std::size_t to) {
    const std::string a = acronym_letters(acronym);
    const std::string w = initials(words, from, to);
    if (a.empty() || w.empty()) return 0.0;
    double s = static_cast<double>(lcs(a, w)) / static_cast<double>(std::max(a.size(), w.size()));
    if (w[0] == a[0]) s += 0.25;  // expansions start with the acronym's first letter more often than not
    return s;
}

bool can_start_expansion(const std::string& w) {
    return !w.empty() && (std::isupper(static_cast<unsigned char>(w[0])) || std::isdigit(static_cast<unsigned char>(w[0])));
}

// Groups the acronym tokens of a run-together row: each acronym token starts a group, and
// capitalised place words ("Sahel Mali", "Ukraine") attach to the acronym before them.
std::vector<std::string> group_acronyms(const std::vector<std::string>& tokens) {
    std::vector<std::string> groups;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const std::string& t = tokens[i];
        bool start = groups.empty() || is_acronym_token(t);
        if (start)
            groups.push_back(t);
        else
            groups.back() += " " + t;
    }
    return groups;
}

// An expansion is a name, not prose: a "row" of many words or holding a sentence break is a
// paragraph that happened to start with a capitalised word (the longest real expansions, full
// mission names, run to about 15 words).
bool plausible_expansion(const std::string& expansion) {
    constexpr std::size_t kMaxExpansionWords = 20;
    if (split_words(expansion).size() > kMaxExpansionWords) return false;
    for (std::size_t i = expansion.find(". "); i != std::string::npos; i = expansion.find(". ", i + 2))
        if (i + 2 < expansion.size() && std::isupper(static_cast<unsigned char>(expansion[i + 2]))) return false;
    return true;
}

}  // namespace

std::vector<std::string> align_expansions(const std::vector<std::string>& acronyms,
                                          const std::vector<std::string>& words) {
    const std::size_t k = acronyms.size(), n = words.size();
    if (k == 0 || n < k) return {};
    constexpr double kNone = -std::numeric_limits<double>::infinity();
    // best[g][i]: best score of splitting words[0..i) into the first g expansions.
    std::vector<std::vector<double>> best(k + 1, std::vector<double>(n + 1, kNone));
    std::vector<std::vector<std::size_t>> cut(k + 1, std::vector<std::size_t>(n + 1, 0));
    best[0][0] = 0;
    for (std::size_t g = 1; g <= k; ++g)
        for (std::size_t i = g; i <= n; ++i)
            for (std::size_t j = g - 1; j < i; ++j) {
                if (best[g - 1][j] == kNone || !can_start_expansion(words[j])) continue;
                double s = best[g - 1][j] + alignment_score(acronyms[g - 1], words, j, i);
                if (s > best[g][i]) {
                    best[g][i] = s;
                    cut[g][i] = j;
                }
            }
    if (best[k][n] == kNone) return {};
    std::vector<std::string> out(k);
    for (std::size_t g = k, i = n; g > 0; --g) {
        std::size_t j = cut[g][i];
        out[g - 1] = join(words, j, i);
        i = j;
    }
    return out;
}

void AbbreviationTable::add_row(std::string_view row) {
    for (auto& p : parse_row(row)) {
        if (!plausible_expansion(p.expansion)) continue;
        bool seen = std::any_of(pairs_.begin(), pairs_.end(), [&](const AcronymPair& q) {
            return q.acronym == p.acronym && q.expansion == p.expansion;
        });
        if (!seen) pairs_.push_back(std::move(p));
    }
}

std::vector<AcronymPair> AbbreviationTable::pairs() const {
    std::map<std::string, int> expansions_per_acronym, acronyms_per_expansion;
    for (const auto& p : pairs_) {
        ++expansions_per_acronym[p.acronym];
        ++acronyms_per_expansion[p.expansion];
    }
    std::vector<AcronymPair> out;
    for (const auto& p : pairs_)
        if (acronyms_per_expansion[p.expansion] == 1 || expansions_per_acronym[p.acronym] == 1) out.push_back(p);
    return out;
}

bool AbbreviationTable::peel_known_prefix(std::vector<std::string>& tokens, std::vector<std::string>& words) const {
    // Longest known acronym at the start that leaves tokens after it and whose known expansion
    // opens the right-hand side: the signature of rows run together by text extraction.
    for (std::size_t len = tokens.size() - 1; len >= 1; --len) {
        auto known = known_.find(join(tokens, 0, len));
        if (known == known_.end()) continue;
        auto expansion = split_words(known->second);
        if (expansion.size() >= words.size() || !std::equal(expansion.begin(), expansion.end(), words.begin())) continue;
        tokens.erase(tokens.begin(), tokens.begin() + static_cast<long>(len));
        words.erase(words.begin(), words.begin() + static_cast<long>(expansion.size()));
        return true;
    }
    return false;
}

std::vector<AcronymPair> AbbreviationTable::parse_row(std::string_view row) {
    std::string left, right;
    if (auto tab = row.find('\t'); tab != std::string_view::npos) {
        left = std::string(row.substr(0, tab));
        right = std::string(row.substr(tab + 1));
        std::replace(right.begin(), right.end(), '\t', ' ');
    } else {
        auto words = split_words(row);
        if (words.size() < 2 || !is_acronym_token(words[0])) return {};
        left = words[0];
        right = join(words, 1, words.size());
    }
    auto tokens = split_words(left);
    auto words = split_words(right);
    if (tokens.empty() || words.empty() || !is_acronym_token(tokens[0])) return {};
    bool run_together = false;
    while (tokens.size() > 1 && peel_known_prefix(tokens, words)) run_together = true;
    std::vector<AcronymPair> pairs;
    if (!run_together) {
        pairs.push_back({join(tokens, 0, tokens.size()), join(words, 0, words.size()), "table"});
    } else {
        auto groups = group_acronyms(tokens);
        auto expansions = align_expansions(groups, words);
        for (std::size_t i = 0; i < expansions.size(); ++i) pairs.push_back({groups[i], expansions[i], "table"});
    }
    for (const auto& p : pairs) known_.emplace(p.acronym, p.expansion);
    return pairs;
}

}  // namespace mandala::indexer
