#include "indexer/normalize.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <map>
#include <string>
#include <unordered_set>

#include "indexer/line_breaks.h"
#include "text/clean.h"

namespace mandala::indexer {
namespace {

bool is_roman(std::string_view s) {
    if (s.empty() || s.size() > 6) return false;
    for (char c : s)
        if (!std::strchr("ivxlcdm", c)) return false;
    return true;
}

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

bool is_letter(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

// Lower-case words of the whole document: decides whether a hyphen at a line end splits a word
// ("demobili-" + "zation", rejoined when "demobilization" occurs elsewhere) or is a real hyphen
// ("post-" + "conflict", kept).
using Vocabulary = std::unordered_set<std::string>;

Vocabulary vocabulary_of(const std::vector<Block>& blocks) {
    Vocabulary words;
    for (const auto& b : blocks) {
        std::string w;
        for (char c : b.text + " ") {
            if (is_letter(c)) {
                w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            } else {
                if (w.size() > 2) words.insert(w);
                w.clear();
            }
        }
    }
    return words;
}

std::string word_before(std::string_view s, std::size_t end) {
    std::size_t b = end;
    while (b > 0 && is_letter(s[b - 1])) --b;
    return std::string(s.substr(b, end - b));
}

std::string word_after(std::string_view s, std::size_t begin) {
    std::size_t e = begin;
    while (e < s.size() && is_letter(s[e])) ++e;
    return std::string(s.substr(begin, e - begin));
}

bool rejoins_as_word(const std::string& head, const std::string& tail, const Vocabulary& vocabulary) {
    if (head.empty() || tail.empty() || !std::islower(static_cast<unsigned char>(tail[0]))) return false;
    std::string joined;
    for (char c : head + tail) joined += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return vocabulary.count(joined) > 0;
}

// Repairs hyphens at line ends: a split word is rejoined, a real hyphen is kept without the
// line break ("Secretary-\nGeneral" -> "Secretary-General").
std::string join_line_breaks(std::string_view s, const Vocabulary& vocabulary) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if ((s[i] == '_' || s[i] == '/') && i + 1 < s.size() && s[i + 1] == '\n') {
            out += s[i++];  // a URL broken at a line end: "Capstone_Doctrine_" + "ENG.pdf"
            continue;
        }
        if (s[i] == '-' && i > 0 && is_letter(s[i - 1]) && i + 2 < s.size() && s[i + 1] == '\n' && is_letter(s[i + 2])) {
            if (!rejoins_as_word(word_before(s, i), word_after(s, i + 2), vocabulary)) out += '-';
            ++i;  // drop the line break
            continue;
        }
        out += s[i];
    }
    return out;
}

// Table rows keep their cell boundaries as tabs: the abbreviation parser needs them.
std::string clean_cells(std::string_view row) {
    std::string out;
    std::size_t start = 0;
    while (start <= row.size()) {
        std::size_t tab = row.find('\t', start);
        if (tab == std::string_view::npos) tab = row.size();
        std::string cell = text::clean_block(row.substr(start, tab - start), true);
        if (!cell.empty()) {
            if (!out.empty()) out += '\t';
            out += cell;
        }
        start = tab + 1;
    }
    return out;
}

std::vector<Block> clean_blocks(std::vector<Block> blocks, const Vocabulary& vocabulary) {
    std::vector<Block> out;
    out.reserve(blocks.size());
    for (auto& b : blocks) {
        b.text = b.kind == BlockKind::table_row ? clean_cells(b.text) : text::clean_block(join_line_breaks(b.text, vocabulary), true);
        if (b.text.empty()) continue;
        out.push_back(std::move(b));
    }
    return out;
}

// Page numbers, and in a paginated document short lines repeated three times or more (running
// headers and footers).
std::vector<Block> drop_page_furniture(std::vector<Block> blocks, bool paginated) {
    std::map<std::string, int> repeats;
    for (const auto& b : blocks)
        if (is_furniture_candidate(b)) ++repeats[b.text];
    std::vector<Block> out;
    out.reserve(blocks.size());
    for (auto& b : blocks) {
        if (b.kind == BlockKind::paragraph && is_page_number(b.text)) continue;
        if (paginated && is_furniture_candidate(b) && repeats[b.text] >= kRunningLineRepeats) continue;
        out.push_back(std::move(b));
    }
    return out;
}

bool looks_like_heading_line(std::string_view s) {
    if (s.empty()) return false;
    if (std::isdigit(static_cast<unsigned char>(s[0]))) return true;  // "4.3 Output: ..."
    if (s.starts_with("Chapter ") || s.starts_with("Annex ") || s.starts_with("ANNEX")) return true;
    bool has_lower = false;
    for (char c : s)
        if (std::islower(static_cast<unsigned char>(c))) has_lower = true;
    return !has_lower || (s.size() < 60 && !text::ends_sentence(s));
}

// Whether `next` continues the paragraph `prev` that a page break (or column break) cut.
// Numbered ("1.4.2 Apply ...", "Chapter 3: ..."), or without lower-case letters.
bool has_heading_shape(std::string_view s) {
    if (s.size() > 2 && std::isdigit(static_cast<unsigned char>(s[0])) &&
        (s[1] == '.' || (std::isdigit(static_cast<unsigned char>(s[1])) && s[2] == '.')))
        return true;
    if (s.starts_with("Chapter ") || s.starts_with("Annex ") || s.starts_with("ANNEX")) return true;
    return std::none_of(s.begin(), s.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)); });
}

// A footnote between the halves is the mark of a page break in extracted text.
bool continues(const Block& prev, const Block& next, bool footnote_between) {
    if (prev.kind != BlockKind::paragraph && prev.kind != BlockKind::list_item) return false;
    if (prev.kind == BlockKind::paragraph && has_heading_shape(prev.text)) return false;  // a heading at a page foot
    if (next.kind != BlockKind::paragraph) return false;
    const bool new_page = prev.page && next.page && next.page != prev.page;
    if (text::starts_lowercase(next.text) && (new_page || footnote_between)) return true;  // even after a '.'
    if (text::ends_sentence(prev.text)) return false;
    if (text::starts_lowercase(next.text)) return true;
    // A cut at a page break may continue with a capitalised word ("... the / United Nations").
    const bool page_break = footnote_between || new_page;
    return page_break && !looks_like_heading_line(next.text) && !looks_like_footnote(next.text);
}

void append_continuation(Block& prev, const Block& next, const Vocabulary& vocabulary) {
    std::string& t = prev.text;
    const bool hyphen = t.size() > 1 && t.back() == '-' && is_letter(t[t.size() - 2]);
    if (hyphen && rejoins_as_word(word_before(t, t.size() - 1), word_after(next.text, 0), vocabulary))
        t.pop_back();  // "Multina-" + "tional" -> "Multinational"
    else if (!hyphen && !t.ends_with("_") && !t.ends_with("/"))
        t += ' ';      // a real hyphen or a URL broken at '_' or '/' joins without a space
    t += next.text;
}

// Joins paragraphs split by page breaks; footnotes and furniture between the halves stay
// where they are, after the joined paragraph.
std::vector<Block> repair_split_paragraphs(std::vector<Block> blocks, const Vocabulary& vocabulary) {
    std::vector<Block> out;
    out.reserve(blocks.size());
    std::vector<bool> consumed(blocks.size(), false);
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        if (consumed[i]) continue;
        Block current = std::move(blocks[i]);
        std::size_t j = i + 1;
        while (j < blocks.size()) {
            bool footnote_between = false;
            while (j < blocks.size() && (consumed[j] || looks_like_footnote(blocks[j].text))) {
                footnote_between = footnote_between || !consumed[j];
                ++j;
            }
            if (j >= blocks.size() || !continues(current, blocks[j], footnote_between)) break;
            append_continuation(current, blocks[j], vocabulary);
            consumed[j] = true;
            ++j;
        }
        out.push_back(std::move(current));
    }
    return out;
}

}  // namespace

bool is_page_number(std::string_view line) {
    std::string s;
    for (char c : line)
        if (c != ' ' && c != '-' && c != '|') s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (s.starts_with("page")) s = s.substr(4);
    if (auto slash = s.find('/'); slash != std::string::npos) s = s.substr(0, slash);
    return all_digits(s) ? s.size() <= 4 : is_roman(s) && line.size() <= 8;
}

// "June", "Jun", "Sept", "October": a month's name or its usual abbreviation.
static bool starts_with_month(std::string_view s) {
    static constexpr std::array<std::string_view, 12> kMonths = {
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december"};
    std::string word;
    for (char c : s.substr(0, std::min<std::size_t>(s.size(), 12))) {
        if (!is_letter(c)) break;
        word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    for (std::string_view month : kMonths)
        if (word == month || word == month.substr(0, 3) || (word == "sept" && month == "september")) return true;
    return false;
}

bool looks_like_footnote(std::string_view t) {
    if (text::superscript_digit_at(t, 0)) return true;
    std::size_t digits = 0;
    while (digits < t.size() && std::isdigit(static_cast<unsigned char>(t[digits]))) ++digits;
    if (digits == 0 || digits > 3 || digits + 1 >= t.size() || t[digits] != ' ') return false;
    // "13 June 2014 - The Council ...": a paragraph opening with a date (a dateline).
    if (starts_with_month(t.substr(digits + 1))) return false;
    const char next = t[digits + 1];
    // "1 Available at ...", "12 For additional ..."; numbered headings carry a dot ("4.3").
    return (std::isupper(static_cast<unsigned char>(next)) || next == '"' || next == '\xE2') &&
           text::ends_sentence(t) && t.size() > 20;
}

bool is_furniture_candidate(const Block& b) {
    return b.kind == BlockKind::paragraph && b.text.size() <= 80 && !text::ends_sentence(b.text);
}

NormalizedDocument normalize(RawDocument raw) {
    NormalizedDocument doc;
    const Vocabulary vocabulary = vocabulary_of(raw.blocks);
    // Line breaks in text files, and explicit ones in web pages (<br>) and Word (<w:br/>), may
    // end paragraphs; a PDF's lines are the page layout's, never paragraph ends.
    if (raw.format == "txt" || raw.format == "md" || raw.format == "html" || raw.format == "docx")
        raw.blocks = split_line_paragraphs(std::move(raw.blocks));
    std::vector<Block> blocks = clean_blocks(std::move(raw.blocks), vocabulary);
    const bool paginated = std::any_of(blocks.begin(), blocks.end(), [](const Block& b) { return b.page > 0; });
    blocks = drop_page_furniture(std::move(blocks), paginated);
    blocks = repair_split_paragraphs(std::move(blocks), vocabulary);
    raw.blocks.clear();
    doc.raw = std::move(raw);
    for (auto& b : blocks) {
        if (!doc.text.empty()) doc.text += "\n\n";
        NormalizedBlock nb;
        nb.begin = doc.text.size();
        doc.text += b.text;
        nb.end = doc.text.size();
        nb.block = std::move(b);
        doc.blocks.push_back(std::move(nb));
    }
    return doc;
}

}  // namespace mandala::indexer
