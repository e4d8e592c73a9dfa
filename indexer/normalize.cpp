#include "indexer/normalize.h"

#include <cctype>
#include <cstring>
#include <map>
#include <string>

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

// Removes the line-end hyphenation that readers leave as "-\n" before the text is collapsed.
std::string join_line_breaks(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '-' && i > 0 && std::islower(static_cast<unsigned char>(s[i - 1])) && i + 1 < s.size() &&
            s[i + 1] == '\n' && i + 2 < s.size() && std::islower(static_cast<unsigned char>(s[i + 2]))) {
            ++i;  // drop hyphen and newline: "demobili-\nzation" -> "demobilization"
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

std::vector<Block> clean_blocks(std::vector<Block> blocks) {
    std::vector<Block> out;
    out.reserve(blocks.size());
    for (auto& b : blocks) {
        b.text = b.kind == BlockKind::table_row ? clean_cells(b.text) : text::clean_block(join_line_breaks(b.text), true);
        if (b.text.empty()) continue;
        out.push_back(std::move(b));
    }
    return out;
}

bool is_furniture_candidate(const Block& b) {
    return b.kind == BlockKind::paragraph && b.text.size() <= 80 && !text::ends_sentence(b.text);
}

// Page numbers, and short lines repeated three times or more (running headers and footers).
std::vector<Block> drop_page_furniture(std::vector<Block> blocks) {
    std::map<std::string, int> repeats;
    for (const auto& b : blocks)
        if (is_furniture_candidate(b)) ++repeats[b.text];
    std::vector<Block> out;
    out.reserve(blocks.size());
    for (auto& b : blocks) {
        if (b.kind == BlockKind::paragraph && is_page_number(b.text)) continue;
        if (is_furniture_candidate(b) && repeats[b.text] >= 3) continue;
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
// A footnote between the halves is the mark of a page break in extracted text.
bool continues(const Block& prev, const Block& next, bool footnote_between) {
    if (prev.kind != BlockKind::paragraph && prev.kind != BlockKind::list_item) return false;
    if (next.kind != BlockKind::paragraph) return false;
    if (text::ends_sentence(prev.text)) return false;
    if (text::starts_lowercase(next.text)) return true;
    // A cut at a page break may continue with a capitalised word ("... the / United Nations").
    const bool page_break = footnote_between || (prev.page && next.page && next.page != prev.page);
    return page_break && !looks_like_heading_line(next.text) && !looks_like_footnote(next.text);
}

void append_continuation(Block& prev, const Block& next) {
    std::string& t = prev.text;
    const bool hyphen_break = t.size() > 1 && t.back() == '-' &&
                              std::islower(static_cast<unsigned char>(t[t.size() - 2])) &&
                              text::starts_lowercase(next.text);
    if (hyphen_break)
        t.pop_back();  // "Multina-" + "tional" -> "Multinational"
    else
        t += ' ';
    t += next.text;
}

// Joins paragraphs split by page breaks; footnotes and furniture between the halves stay
// where they are, after the joined paragraph.
std::vector<Block> repair_split_paragraphs(std::vector<Block> blocks) {
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
            append_continuation(current, blocks[j]);
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

bool looks_like_footnote(std::string_view t) {
    if (text::superscript_digit_at(t, 0)) return true;
    std::size_t digits = 0;
    while (digits < t.size() && std::isdigit(static_cast<unsigned char>(t[digits]))) ++digits;
    if (digits == 0 || digits > 3 || digits + 1 >= t.size() || t[digits] != ' ') return false;
    const char next = t[digits + 1];
    // "1 Available at ...", "12 For additional ..."; numbered headings carry a dot ("4.3").
    return (std::isupper(static_cast<unsigned char>(next)) || next == '"' || next == '\xE2') &&
           text::ends_sentence(t) && t.size() > 20;
}

NormalizedDocument normalize(RawDocument raw) {
    NormalizedDocument doc;
    std::vector<Block> blocks = clean_blocks(std::move(raw.blocks));
    blocks = drop_page_furniture(std::move(blocks));
    blocks = repair_split_paragraphs(std::move(blocks));
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
