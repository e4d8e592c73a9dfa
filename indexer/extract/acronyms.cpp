// Inline acronym definitions, found around parentheses by hand-written bounded scans:
//   "UN Mission in South Sudan (UNMISS)"   expansion before, acronym inside
//   "(henceforth DPKO)"                     acronym after a "henceforth" marker
//   "DDR (disarmament, demobilization ...)" acronym before, expansion inside
// The expansion is chosen by the Schwartz-Hearst alignment: the acronym's letters must occur in
// order in the expansion, the first one starting a word.
#include <algorithm>
#include <cctype>
#include <string_view>

#include "indexer/extract/entities.h"
#include "indexer/extract/phrases.h"

namespace mandala::indexer {

namespace {

constexpr std::size_t kMaxInside = 120;   // bytes inside the parentheses
constexpr std::size_t kMaxBefore = 300;   // bytes of text before them searched for an expansion

bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '"' || s.front() == '/')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '"' || s.back() == ',')) s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> words_of(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && s[i] == ' ') ++i;
        std::size_t j = i;
        while (j < s.size() && s[j] != ' ') ++j;
        if (j > i) out.push_back(s.substr(i, j - i));
        i = j;
    }
    return out;
}

// Schwartz & Hearst (2003): the shortest tail of `candidate` whose words hold the acronym's
// letters in order, the first letter starting a word. Empty when there is none.
std::string_view best_expansion(std::string_view acronym, std::string_view candidate) {
    long s = static_cast<long>(acronym.size()) - 1;
    long l = static_cast<long>(candidate.size()) - 1;
    while (s >= 0) {
        char c = lower(acronym[static_cast<std::size_t>(s)]);
        if (!is_alnum(c)) { --s; continue; }
        while (l >= 0 && (lower(candidate[static_cast<std::size_t>(l)]) != c ||
                          (s == 0 && l > 0 && is_alnum(candidate[static_cast<std::size_t>(l - 1)]))))
            --l;
        if (l < 0) return {};
        --l;
        --s;
    }
    std::size_t start = candidate.rfind(' ', static_cast<std::size_t>(l + 1));
    start = (start == std::string_view::npos || l < 0) ? 0 : start + 1;
    return candidate.substr(start);
}

// The text before an opening parenthesis that may hold an expansion: back to the previous
// sentence or clause boundary, at most kMaxBefore bytes.
std::string_view text_before(std::string_view text, std::size_t open) {
    std::size_t begin = open > kMaxBefore ? open - kMaxBefore : 0;
    std::size_t i = open;
    while (i > begin) {
        char c = text[i - 1];
        if (c == '.' || c == ';' || c == ':' || c == '(' || c == ')' || c == '\t' || c == '\n') break;
        --i;
    }
    return trim(text.substr(i, open - i));
}

// Keeps the last `n` words of `s` (the Schwartz-Hearst window).
std::string_view last_words(std::string_view s, std::size_t n) {
    auto words = words_of(s);
    if (words.size() <= n) return s;
    std::size_t from = static_cast<std::size_t>(words[words.size() - n].data() - s.data());
    return s.substr(from);
}

bool is_function_word(std::string_view w) {
    for (std::string_view f : {"of", "the", "and", "for", "in", "on", "to", "a", "an", "at", "by", "with", "&"})
        if (w == f) return true;
    return false;
}

// Most words of a real expansion start with one of the acronym's letters ("Joint Assessment
// Missions" for JAM), and it names no other acronym ("UNMOGIP in Kashmir and ..." is a sentence).
bool plausible(std::string_view acronym, std::string_view expansion) {
    auto words = words_of(expansion);
    if (words.size() < 2 || expansion.size() <= acronym.size()) return false;
    if (words.size() > acronym.size() * 2 + 3) return false;
    std::string letters;
    for (char c : acronym) letters += lower(c);
    int content = 0, initials = 0;
    for (auto w : words) {
        if (is_function_word(w)) continue;
        ++content;
        if (letters.find(lower(w[0])) != std::string::npos) ++initials;
        if (w.size() >= 4 && extract::looks_like_acronym(w) && w != acronym) return false;
    }
    return content > 0 && initials * 4 >= content * 3 && expansion.find(acronym) == std::string_view::npos;
}

// Schwartz-Hearst stops at the first word with the right initial, which may be a function word
// ("of the High Commissioner" for OHCHR): take in the word before it when that one also fits.
std::string_view widen_over_function_word(std::string_view window, std::string_view expansion) {
    std::size_t at = static_cast<std::size_t>(expansion.data() - window.data());
    std::string_view first = expansion.substr(0, expansion.find(' '));
    if (!is_function_word(first) || at < 2) return expansion;
    std::size_t prev_end = at - 1;  // the space before the expansion
    std::size_t prev_begin = window.rfind(' ', prev_end - 1);
    prev_begin = prev_begin == std::string_view::npos ? 0 : prev_begin + 1;
    if (lower(window[prev_begin]) != lower(first[0])) return {};
    return window.substr(prev_begin);
}

// The acronym-like first word of a parenthesis ("UNTAET, 1999 - 2002" -> "UNTAET"; multi-word
// acronyms such as "EUCAP Sahel Mali" are kept whole).
std::string_view acronym_inside(std::string_view inside) {
    std::string_view head = inside.substr(0, std::min(inside.find(','), inside.find(';')));
    head = trim(head);
    for (std::string_view marker : {"henceforth ", "hereafter ", "hereinafter ", "hereafter referred to as "})
        if (head.starts_with(marker)) head = trim(head.substr(marker.size()));
    auto words = words_of(head);
    if (words.empty() || words.size() > 3 || !extract::looks_like_acronym(words[0])) return {};
    for (std::size_t i = 1; i < words.size(); ++i)
        if (!std::isupper(static_cast<unsigned char>(words[i][0]))) return {};
    return head;
}

void define_before(std::string_view text, std::size_t open, std::string_view inside, std::vector<AcronymPair>& out) {
    std::string_view acronym = acronym_inside(inside);
    if (acronym.empty()) return;
    std::string_view first = acronym.substr(0, acronym.find(' '));
    std::string_view window = last_words(text_before(text, open), first.size() * 2 + 5);
    std::string_view expansion = best_expansion(first, window);
    if (!expansion.empty()) expansion = widen_over_function_word(window, expansion);
    if (!expansion.empty() && plausible(first, expansion))
        out.push_back({std::string(acronym), std::string(expansion), "inline"});
}

void define_inside(std::string_view text, std::size_t open, std::string_view inside, std::vector<AcronymPair>& out) {
    std::size_t end = open;
    while (end > 0 && text[end - 1] == ' ') --end;
    std::size_t begin = end;
    while (begin > 0 && text[begin - 1] != ' ' && text[begin - 1] != '(' && end - begin < 13) --begin;
    std::string_view acronym = text.substr(begin, end - begin);
    if (!extract::looks_like_acronym(acronym)) return;
    std::string_view expansion = trim(inside);
    // The parenthesis must start with the acronym's first letter and hold its letters in order.
    if (!expansion.empty() && lower(expansion[0]) == lower(acronym[0]) && !best_expansion(acronym, expansion).empty() &&
        plausible(acronym, expansion))
        out.push_back({std::string(acronym), std::string(expansion), "inline"});
}

}  // namespace

std::vector<AcronymPair> find_inline_acronyms(const std::string& text) {
    std::vector<AcronymPair> out;
    std::string_view view(text);
    for (std::size_t open = view.find('('); open != std::string_view::npos; open = view.find('(', open + 1)) {
        std::size_t close = view.find_first_of("()", open + 1);
        if (close == std::string_view::npos || view[close] != ')' || close - open - 1 > kMaxInside) continue;
        std::string_view inside = view.substr(open + 1, close - open - 1);
        std::size_t before = out.size();
        define_before(view, open, inside, out);
        if (out.size() == before) define_inside(view, open, inside, out);
    }
    return out;
}

}  // namespace mandala::indexer
