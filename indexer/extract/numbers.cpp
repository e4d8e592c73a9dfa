// Resolutions, document symbols and years.
#include <algorithm>
#include <cctype>
#include <iterator>
#include <set>
#include <string>

#include "indexer/extract/dates.h"
#include "indexer/extract/scanners.h"

namespace mandala::indexer::extract {

namespace {

constexpr int kFirstYear = 1945;       // the UN Charter: no peace operation is older
constexpr std::size_t kMaxSymbol = 60;  // bytes of one document symbol
constexpr int kMaxRange = 30;           // longer "ranges" are expanded to their ends only

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

bool all_digits(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), is_digit); }

std::string_view between(std::string_view text, const text::Token& a, const text::Token& b) {
    return text.substr(a.end, b.begin - a.end);
}

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

EntityMention mention(std::string type, std::string key, std::string_view text, std::size_t begin, std::size_t end) {
    return {0, std::move(type), std::move(key), std::string(text.substr(begin, end - begin)), begin, end, {}};
}

std::string without_leading_zeros(std::string_view digits) {
    while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
    return std::string(digits);
}

bool month_token(const std::string& folded) {
    static const char* kMonths[] = {"january", "february", "march", "april", "may", "june", "july",
                                    "august", "september", "october", "november", "december"};
    return std::any_of(std::begin(kMonths), std::end(kMonths), [&](const char* m) { return folded == m; });
}

bool is_resolution_number(const text::Token& t) {
    return t.is_number && t.folded.size() >= 2 && t.folded.size() <= 4;
}

// "(2009)" right after a resolution number: its year, part of the resolution's surface.
bool is_parenthesised_year(std::string_view text, const text::Token& prev, const text::Token& t) {
    return t.is_number && t.folded.size() == 4 && trimmed(between(text, prev, t)) == "(" &&
           t.end < text.size() && text[t.end] == ')';
}

bool is_year_token(const text::Token& t) {
    if (!t.is_number || t.folded.size() != 4) return false;
    int y = std::stoi(t.folded);
    return y >= kFirstYear && y <= last_plausible_year();
}

// The token index of the adoption year after a resolution number at `next`: "2614/2021", or
// "of 10 June 1999", "of June 10, 1999", "of 1999"; 0 when there is none.
std::size_t adoption_year_at(std::string_view text, const std::vector<text::Token>& tokens, std::size_t next) {
    if (next >= tokens.size()) return 0;
    if (text.substr(tokens[next - 1].end, tokens[next].begin - tokens[next - 1].end) == "/" && is_year_token(tokens[next]))
        return next;
    // A web page's link label between the number and its date ("resolution 1244 PDF Document of ...").
    if (tokens[next].folded == "pdf") ++next;
    if (next < tokens.size() && tokens[next].folded == "document" && tokens[next - 1].folded == "pdf") ++next;
    if (next >= tokens.size() || tokens[next].folded != "of") return 0;
    for (std::size_t k = next + 1; k < tokens.size() && k <= next + 3; ++k) {
        if (is_year_token(tokens[k])) return k;
        if (!tokens[k].is_number && !month_token(tokens[k].folded)) return 0;
    }
    return 0;
}

// The year of "resolution 1612 set up the mechanism in 2005", "resolution 1325, adopted in 2000":
// a verb of adoption right after the number, then "in YEAR" later in the same sentence (within
// twelve words, no other number before it); 0 when there is none.
std::size_t adopted_in_year_at(std::string_view text, const std::vector<text::Token>& tokens, std::size_t next) {
    static const std::set<std::string> kAdoption = {"adopted", "established", "set", "created", "passed", "approved"};
    std::size_t k = next;
    if (k < tokens.size() && (tokens[k].folded == "was" || tokens[k].folded == "which")) ++k;
    if (k >= tokens.size() || !kAdoption.count(tokens[k].folded)) return 0;
    for (std::size_t end = std::min(tokens.size(), k + 13); k + 1 < end; ++k) {
        if (between(text, tokens[k], tokens[k + 1]).find_first_of(".!?;") != std::string_view::npos) return 0;
        if (tokens[k].folded == "in" && is_year_token(tokens[k + 1])) return k + 1;
        if (tokens[k + 1].is_number) return 0;
    }
    return 0;
}

// Separators allowed between the numbers of one list of resolutions.
bool continues_list(std::string_view text, const text::Token& prev, const text::Token& t) {
    std::string_view sep = trimmed(between(text, prev, t));
    if (sep.starts_with(")")) sep = trimmed(sep.substr(1));
    return sep == "," || sep == "" || sep == "&";
}

// The numbers following "resolution(s)" at token `i`; returns the index after the list.
std::size_t scan_resolution_list(std::string_view text, const std::vector<text::Token>& tokens, std::size_t i,
                                 std::vector<EntityMention>& out, std::vector<ByteRange>& numbers) {
    std::size_t start = tokens[i].begin;
    std::size_t j = i + 1;
    for (int listed = 0; j < tokens.size() && listed < 20; ++listed) {
        const text::Token& t = tokens[j];
        if (!is_resolution_number(t)) break;
        std::size_t end = t.end;
        std::size_t next = j + 1;
        std::string year;
        if (next < tokens.size() && is_parenthesised_year(text, t, tokens[next])) {
            year = tokens[next].folded;
            end = tokens[next++].end + 1;
        } else if (std::size_t y = adoption_year_at(text, tokens, next); y) {
            year = tokens[y].folded;  // "resolution 1244 of 10 June 1999", "resolution 2614/2021"
            if (between(text, t, tokens[next]) == "/") end = tokens[next++].end;
        } else if (std::size_t in = adopted_in_year_at(text, tokens, next); in) {
            year = tokens[in].folded;  // the surface stays the number: the year is further on
        }
        numbers.push_back({t.begin, t.end});
        out.push_back(mention("resolution", without_leading_zeros(t.folded), text, start, end));
        out.back().detail = year;
        if (next < tokens.size() && (tokens[next].folded == "and" || tokens[next].folded == "or")) ++next;
        j = next;
        if (j >= tokens.size() || !continues_list(text, tokens[j - 1], tokens[j])) break;
        start = tokens[j].begin;
    }
    return j;
}

// "S/RES/2100 (2013)".
void scan_res_symbols(std::string_view text, std::vector<EntityMention>& out, std::vector<ByteRange>& numbers) {
    for (std::size_t at = text.find("S/RES/"); at != std::string_view::npos; at = text.find("S/RES/", at + 6)) {
        std::size_t digits = at + 6, end = digits;
        while (end < text.size() && end - digits < 5 && is_digit(text[end])) ++end;
        if (end == digits) continue;
        numbers.push_back({digits, end});
        std::string key = without_leading_zeros(text.substr(digits, end - digits));
        std::size_t surface_end = end;
        std::string year;
        if (text.compare(end, 2, " (") == 0 && end + 7 <= text.size() && text[end + 6] == ')' &&
            all_digits(text.substr(end + 2, 4))) {
            surface_end = end + 7;
            year = std::string(text.substr(end + 2, 4));
        }
        out.push_back(mention("resolution", key, text, at, surface_end));
        out.back().detail = year;
    }
}

bool symbol_char(char c) { return is_alnum(c) || c == '/' || c == '.' || c == '-'; }

// A document symbol starting at `at` ("A/", "S/", "E/"), or 0 when there is none.
std::size_t symbol_length(std::string_view text, std::size_t at) {
    std::size_t end = at;
    while (end < text.size() && end - at < kMaxSymbol && symbol_char(text[end])) ++end;
    while (end > at && (text[end - 1] == '.' || text[end - 1] == '-' || text[end - 1] == '/')) --end;
    std::string_view s = text.substr(at, end - at);
    if (std::count(s.begin(), s.end(), '/') < 2 || std::none_of(s.begin(), s.end(), is_digit)) return 0;
    return s.size();
}

int year_of(const text::Token& t, int last_year) {
    if (!t.is_number || t.folded.size() != 4) return 0;
    int y = std::stoi(t.folded);
    return (y >= kFirstYear && y <= last_year) ? y : 0;
}

bool inside(const std::vector<ByteRange>& ranges, const text::Token& t) {
    return std::any_of(ranges.begin(), ranges.end(),
                       [&](const ByteRange& r) { return t.begin >= r.first && t.end <= r.second; });
}

bool is_range_dash(std::string_view sep) {
    sep = trimmed(sep);
    return sep == "-" || sep == "\xE2\x80\x93" || sep == "\xE2\x80\x94" || sep == "/";
}

// The end year of a range starting with `from` at token `i` ("1998 - 99", "2005 – 2007"), or 0.
int range_end(std::string_view text, const std::vector<text::Token>& tokens, std::size_t i, int from) {
    if (i + 1 >= tokens.size() || !is_range_dash(between(text, tokens[i], tokens[i + 1]))) return 0;
    const text::Token& t = tokens[i + 1];
    if (!t.is_number) return 0;
    int to = 0;
    if (t.folded.size() == 2) to = from / 100 * 100 + std::stoi(t.folded);
    else if (t.folded.size() == 4) to = std::stoi(t.folded);
    return (to > from && to - from <= kMaxRange) ? to : 0;
}

}  // namespace

std::vector<EntityMention> find_resolutions(std::string_view text, const std::vector<text::Token>& tokens,
                                            std::vector<ByteRange>& numbers) {
    std::vector<EntityMention> out;
    for (std::size_t i = 0; i < tokens.size();) {
        // "UNSCR 1612": the usual abbreviation of a Security Council resolution.
        const std::string& w = tokens[i].folded;
        bool keyword = w == "resolution" || w == "resolutions" || w == "unscr" || w == "unscrs";
        i = keyword ? std::max(i + 1, scan_resolution_list(text, tokens, i, out, numbers)) : i + 1;
    }
    scan_res_symbols(text, out, numbers);
    return out;
}

std::vector<EntityMention> find_document_symbols(std::string_view text) {
    std::vector<EntityMention> out;
    for (std::size_t i = 0; i + 2 < text.size(); ++i) {
        char c = text[i];
        if ((c != 'A' && c != 'S' && c != 'E') || text[i + 1] != '/') continue;
        if (i > 0 && (is_alnum(text[i - 1]) || text[i - 1] == '/' || text[i - 1] == '-')) continue;
        if (text.compare(i, 6, "S/RES/") == 0) continue;
        std::size_t n = symbol_length(text, i);
        if (n == 0) continue;
        out.push_back(mention("document-symbol", std::string(text.substr(i, n)), text, i, i + n));
        i += n;
    }
    return out;
}

namespace {

// A number that counts something or points somewhere is no year: "page 1999", "No. 2013",
// "$2000", "1950 troops", "2015 million".
bool counts_or_points(std::string_view text, const std::vector<text::Token>& tokens, std::size_t i) {
    static const std::set<std::string, std::less<>> kBefore = {"page", "pages", "p", "pp", "para", "paragraph",
                                                               "paragraphs", "no", "number", "usd", "eur", "us"};
    static const std::set<std::string, std::less<>> kAfter = {
        "million", "billion", "troops", "soldiers", "personnel", "police", "officers", "observers", "staff",
        "people", "persons", "civilians", "refugees", "km", "kilometres", "kilometers", "metres", "meters",
        "tons", "tonnes", "dollars", "euros", "members", "monitors", "peacekeepers", "vehicles", "weapons"};
    if (i > 0 && kBefore.count(tokens[i - 1].folded) && tokens[i].begin - tokens[i - 1].end <= 2) return true;
    std::string_view before = text.substr(0, tokens[i].begin);
    for (std::string_view sign : {"$", "\xE2\x82\xAC", "\xC2\xA3"})  // $, euro, pound
        if (before.ends_with(sign) || (before.ends_with(" ") && before.substr(0, before.size() - 1).ends_with(sign))) return true;
    return i + 1 < tokens.size() && kAfter.count(tokens[i + 1].folded) > 0;
}

}  // namespace

std::vector<EntityMention> find_years(std::string_view text, const std::vector<text::Token>& tokens,
                                      const std::vector<ByteRange>& excluded, int last_year) {
    std::vector<EntityMention> out;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        int from = year_of(tokens[i], last_year);
        if (from == 0 || inside(excluded, tokens[i]) || counts_or_points(text, tokens, i)) continue;
        int to = range_end(text, tokens, i, from);
        std::size_t end = to ? tokens[i + 1].end : tokens[i].end;
        for (int y = from; y <= std::max(from, std::min(to, last_year)); ++y)
            out.push_back(mention("year", std::to_string(y), text, tokens[i].begin, end));
        if (to) ++i;
    }
    return out;
}

}  // namespace mandala::indexer::extract
