#include "indexer/segment.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>
#include <utility>

#include "indexer/abbreviations.h"
#include "indexer/furniture.h"
#include "catalog/list_markers.h"
#include "indexer/normalize.h"
#include "indexer/passage_bounds.h"
#include "text/clean.h"
#include "text/unicode.h"

namespace mandala::indexer {
namespace {

bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool is_upper(char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == ':' || s.front() == '.')) s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

std::size_t word_count(std::string_view s) {
    std::size_t n = 0;
    bool in_word = false;
    for (char c : s) {
        bool w = c != ' ' && c != '\n' && c != '\t';
        if (w && !in_word) ++n;
        in_word = w;
    }
    return n;
}

// Removes a trailing parenthetical: "PROTECTION OF CIVILIANS (PoC)" -> "PROTECTION OF CIVILIANS".
std::string_view without_parenthetical(std::string_view s, std::string_view* paren = nullptr) {
    if (!s.empty() && s.back() == ')') {
        if (auto open = s.rfind('('); open != std::string_view::npos && open > 0) {
            if (paren) *paren = s.substr(open);
            return trim(s.substr(0, open));
        }
    }
    return s;
}

int roman_value(std::string_view r) {
    static const std::map<std::string_view, int> kRoman = {{"I", 1}, {"II", 2}, {"III", 3}, {"IV", 4},
                                                           {"V", 5}, {"VI", 6}, {"VII", 7}, {"VIII", 8}};
    auto it = kRoman.find(r);
    return it == kRoman.end() ? 0 : it->second;
}

// "Chapter 4: Title", "Annex 1: Title", "ANNEX I", "ANNEX 2".
bool match_labelled_heading(std::string_view line, HeadingMatch& out) {
    static constexpr std::array<std::string_view, 3> kLabels = {"chapter", "annex", "part"};
    for (auto label : kLabels) {
        if (line.size() <= label.size() + 1) continue;
        std::string head = text::fold(line.substr(0, label.size()));
        if (head != label || line[label.size()] != ' ') continue;
        std::string_view rest = line.substr(label.size() + 1);
        std::size_t n = 0;
        while (n < rest.size() && (is_digit(rest[n]) || rest[n] == 'I' || rest[n] == 'V')) ++n;
        if (n == 0) continue;
        std::string_view num = rest.substr(0, n);
        int value = is_digit(num[0]) ? std::atoi(std::string(num).c_str()) : roman_value(num);
        if (value <= 0 || value > 50) continue;
        std::string_view title = trim(rest.substr(n));
        if (!title.empty() && (title.size() > 150 || text::ends_sentence(title))) continue;
        std::string label_text(label);
        label_text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label_text[0])));
        out.number = label_text + " " + std::to_string(value);
        out.title = std::string(title);
        out.level = 1;
        return true;
    }
    return false;
}

}  // namespace

namespace {

// "... and reinforce capacities a": no heading ends with an article, preposition or conjunction.
bool ends_with_function_word(std::string_view s) {
    static constexpr std::array<std::string_view, 15> kWords = {"a",   "an",   "the", "of", "to", "in",   "on", "at",
                                                                "by",  "for",  "from", "with", "and", "or", "as"};
    const std::size_t space = s.rfind(' ');
    if (space == std::string_view::npos) return false;
    const std::string_view last = s.substr(space + 1);
    return std::find(kWords.begin(), kWords.end(), last) != kWords.end();
}

}  // namespace

bool match_numbered_heading(std::string_view line, HeadingMatch& out) {
    if (match_labelled_heading(line, out)) return true;
    std::size_t i = 0, components = 0;
    while (i < line.size() && is_digit(line[i])) {
        std::size_t start = i;
        while (i < line.size() && is_digit(line[i])) ++i;
        if (i - start > 2) return false;
        ++components;
        if (i < line.size() && line[i] == '.' && i + 1 < line.size() && is_digit(line[i + 1])) ++i;
    }
    if (components == 0 || components > 5) return false;
    std::string number(line.substr(0, i));
    if (i < line.size() && line[i] == '.') ++i;
    if (i >= line.size() || line[i] != ' ') return false;
    std::string_view title = trim(line.substr(i));
    if (title.empty() || !is_upper(title[0]) || title.size() > 150 || word_count(title) > 16) return false;
    if (text::ends_sentence(title) && title.back() != '?' && title.back() != ':') return false;
    if (components == 1 && title.find(',') != std::string_view::npos) return false;
    if (ends_with_function_word(title)) return false;  // text cut off mid-sentence, not a heading
    out.number = number;
    out.title = std::string(title);
    out.level = static_cast<int>(components);
    return true;
}

bool is_all_caps_heading(std::string_view line) {
    std::string_view core = without_parenthetical(line);
    if (core.size() < 4 || core.size() > 100 || text::ends_sentence(core)) return false;
    int letters = 0;
    for (char c : core) {
        if (std::islower(static_cast<unsigned char>(c))) return false;
        if (is_upper(c)) ++letters;
    }
    return letters >= 4 && word_count(core) <= 12;
}

std::string title_case(std::string_view upper) {
    static const std::array<std::string_view, 9> kSmall = {"and", "of", "the", "to", "in", "for", "on", "a", "an"};
    std::string out;
    std::size_t i = 0;
    bool first = true;
    while (i < upper.size()) {
        std::size_t j = i;
        while (j < upper.size() && upper[j] != ' ') ++j;
        std::string word = text::fold(upper.substr(i, j - i));
        bool small = std::find(kSmall.begin(), kSmall.end(), word) != kSmall.end();
        if (!word.empty() && (first || !small))
            word[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
        if (!out.empty()) out += ' ';
        out += word;
        first = false;
        i = j + 1;
    }
    return out;
}

std::string section_kind_of(std::string_view title, std::string_view number) {
    static const std::array<std::pair<std::string_view, std::string_view>, 16> kKinds = {{
        {"benchmarks", "benchmarks"},
        {"challenges and risks", "challenges-and-risks"},
        {"operational activities", "operational-activities"},
        {"considerations", "considerations"},
        {"responsibilities and coordination", "responsibilities-and-coordination"},
        {"resources", "resources"},
        {"preconditions for success", "preconditions"},
        {"outputs", "outputs"},
        {"contents", "contents"},
        {"table of contents", "contents"},
        {"foreword", "foreword"},
        {"acknowledgements", "acknowledgements"},
        {"introduction", "introduction"},
        {"conclusion", "conclusion"},
        {"conclusions", "conclusion"},
        {"methodology", "methodology"},
    }};
    const std::string t = text::fold(trim(title));
    for (const auto& [name, kind] : kKinds)
        if (t == name) return std::string(kind);
    if (t.find("abbreviations") != std::string::npos || t == "acronyms") return "abbreviations";
    if (t.starts_with("output:")) return "output";
    if (number.starts_with("Chapter")) return "chapter";
    if (number.starts_with("Annex")) return "annex";
    return "section";
}

namespace {

struct TocEntry {
    HeadingMatch heading;
};

std::string fold_key(std::string_view s) {
    std::string out;
    for (char c : text::fold(without_parenthetical(s))) {
        if (std::isalnum(static_cast<unsigned char>(c)) || (c & 0x80))
            out += c;
        else if (!out.empty() && out.back() != ' ')
            out += ' ';
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

// A table-of-contents line: a title, a dotted leader or tab, and a page number.
bool parse_toc_line(std::string_view line, std::string& title) {
    std::size_t end = line.size();
    while (end > 0 && line[end - 1] == ' ') --end;
    std::size_t num = end;
    while (num > 0 && is_digit(line[num - 1])) --num;
    if (num == end || end - num > 3 || num == 0) return false;
    std::string_view before = line.substr(0, num);
    const bool leader = before.find("....") != std::string_view::npos;
    const bool tabbed = before.find('\t') != std::string_view::npos;
    if (!leader && !tabbed) return false;
    // Title: the longest cell with letters ("SSR\tSecurity Sector Reform\t50" -> the middle cell).
    std::string best;
    std::size_t start = 0;
    while (start < before.size()) {
        std::size_t tab = before.find('\t', start);
        if (tab == std::string_view::npos) tab = before.size();
        std::string cell(trim(before.substr(start, tab - start)));
        while (!cell.empty() && (cell.back() == '.' || cell.back() == ' ')) cell.pop_back();
        if (cell.size() > best.size()) best = cell;
        start = tab + 1;
    }
    if (best.size() < 3) return false;
    title = best;
    return true;
}

bool is_boilerplate(std::string_view text) {
    static constexpr std::array<std::string_view, 15> kMarks = {
        "copyright", "all rights reserved", "isbn", "printed by", "suggested citation", "phone:",
        "fax",       "design & layout",     "cover:", "\u00a9",   "reproduction or similar use",
        "this work may be reproduced", "registered charity", "charity number", "company number"};
    const std::string folded = text::fold(text.substr(0, std::min<std::size_t>(text.size(), 400)));
    for (auto m : kMarks)
        if (folded.find(m) != std::string::npos) return true;
    // A line that is only a web address or e-mail.
    return word_count(text) <= 2 && (folded.starts_with("www.") || folded.starts_with("http") ||
                                     folded.find('@') != std::string::npos);
}

int parse_footnote_number(std::string_view t) {
    std::string digits;
    std::size_t i = 0;
    while (i < t.size()) {
        if (std::size_t n = text::superscript_digit_at(t, i)) {
            digits += text::nfkc(t.substr(i, n));
            i += n;
        } else if (is_digit(t[i])) {
            digits += t[i++];
        } else {
            break;
        }
    }
    return digits.empty() || digits.size() > 3 ? 0 : std::atoi(digits.c_str());
}

// Superscript digit runs inside the text (not at its start) are footnote citations.
std::vector<int> cited_footnotes(std::string_view t) {
    std::vector<int> out;
    std::size_t i = 1;
    while (i < t.size()) {
        if (text::superscript_digit_at(t, i)) {
            int n = parse_footnote_number(t.substr(i));
            while (i < t.size() && text::superscript_digit_at(t, i)) i += text::superscript_digit_at(t, i);
            if (n > 0) out.push_back(n);
        } else {
            ++i;
        }
    }
    return out;
}

// "Figure 1", "Table 3", "Box 2": labels whose next line is a caption, not a heading.
bool is_figure_label(std::string_view t) {
    for (std::string_view label : {"Figure ", "Table ", "Box ", "FIGURE ", "TABLE "}) {
        if (!t.starts_with(label)) continue;
        std::string_view rest = t.substr(label.size());
        return !rest.empty() && rest.size() <= 4 &&
               std::all_of(rest.begin(), rest.end(), [](char c) { return is_digit(c) || c == '.'; });
    }
    return false;
}

// A title line in capitals reads better in title case ("WHAT MISSIONS DO" -> "What Missions Do").
std::string display_title(const std::string& title) { return is_all_caps_heading(title) ? title_case(title) : title; }

class Segmenter {
public:
    Segmenter(NormalizedDocument& doc, DocumentMeta meta) : in_(doc) {
        out_.meta = std::move(meta);
        // What the file says about itself fills what the catalog does not know.
        if (out_.meta.title.empty()) out_.meta.title = display_title(text::clean_block(doc.raw.title, true));
        if (out_.meta.source_url.empty()) out_.meta.source_url = doc.raw.source_url;
        title_key_ = fold_key(text::clean_block(doc.raw.title, true));
        out_.source = doc.raw.source;
        out_.path = doc.raw.path;
        out_.format = doc.raw.format;
        out_.content_hash = doc.raw.content_hash;
        out_.bytes = doc.raw.bytes;
        Section root;
        root.kind = "document";
        out_.sections.push_back(root);
    }

    SegmentedDocument run() {
        collect_toc();
        count_repeated_lines();
        for (std::size_t i = 0; i < in_.blocks.size(); ++i) visit(i);
        out_.acronyms = abbreviations_.pairs();
        const int last = static_cast<int>(out_.passages.size()) - 1;
        for (auto& line : out_.unkept) line.next_passage = std::min(line.next_passage, last);
        link_footnotes();
        out_.text = std::move(in_.text);
        return std::move(out_);
    }

private:
    void collect_toc() {
        for (auto& nb : in_.blocks) {
            std::string title;
            if (!parse_toc_line(nb.block.text, title)) continue;
            HeadingMatch h;
            if (!match_numbered_heading(title, h)) h.title = title;
            toc_[fold_key(h.title)] = h;
            if (!h.number.empty()) toc_[fold_key(title)] = h;
        }
    }

    // Short lines a web page repeats (its headline above and below a photo, a share prompt).
    void count_repeated_lines() {
        for (const auto& nb : in_.blocks)
            if (is_furniture_candidate(nb.block)) ++repeats_[nb.block.text];
    }

    bool is_repeated_line(const Block& b) const {
        auto it = repeats_.find(b.text);
        return is_furniture_candidate(b) && it != repeats_.end() && it->second >= kRunningLineRepeats;
    }

    bool is_toc_line(const Block& b) const {
        std::string title;
        return parse_toc_line(b.text, title);
    }

    // Whether block `b` is a heading, and which.
    bool heading_of(const Block& b, HeadingMatch& h) const {
        if (b.kind == BlockKind::list_item || b.kind == BlockKind::table_row) return false;
        if (b.text.find('\n') != std::string::npos || b.text.size() > 160) return false;
        if (looks_like_footnote(b.text)) return false;
        if (match_numbered_heading(b.text, h)) {
            if (auto it = toc_.find(fold_key(h.title)); it != toc_.end() && h.number.empty()) h = it->second;
            return true;
        }
        if (auto it = toc_.find(fold_key(b.text)); it != toc_.end() && !text::ends_sentence(b.text)) {
            h = it->second;
            return true;
        }
        if (b.kind == BlockKind::heading || is_all_caps_heading(b.text)) {
            h = HeadingMatch{};
            h.title = b.text;
            h.level = b.kind == BlockKind::heading ? std::max(1, b.level) : 1;
            return true;
        }
        return false;
    }

    void open_section(const HeadingMatch& h, const NormalizedBlock& nb) {
        const Block& b = nb.block;
        flush_list();
        Section s;
        s.id = static_cast<int>(out_.sections.size());
        s.level = h.level;
        s.number = h.number;
        std::string_view paren;
        without_parenthetical(b.text, &paren);
        const std::string suffix = paren.empty() ? "" : " " + std::string(paren);
        const bool caps = is_all_caps_heading(b.text);
        const auto toc = toc_.find(fold_key(b.text));
        if (caps && toc != toc_.end())
            s.title = toc->second.title + suffix;  // the contents list has the proper case
        else if (caps)
            s.title = title_case(without_parenthetical(h.title)) + suffix;
        else
            s.title = h.title;
        s.heading = s.number.empty() ? s.title
                    : s.number.starts_with("Chapter") || s.number.starts_with("Annex")
                        ? s.number + (s.title.empty() ? "" : ": " + s.title)
                        : s.number + " " + s.title;
        s.kind = section_kind_of(s.title, s.number);
        s.begin = nb.begin;
        s.end = nb.end;
        if (caps && toc != toc_.end() && out_.meta.kind == "glossary" && s.kind == "section")
            s.kind = "glossary-entry";
        while (!stack_.empty() && out_.sections[static_cast<std::size_t>(stack_.back())].level >= s.level)
            stack_.pop_back();
        s.parent = stack_.empty() ? 0 : stack_.back();
        s.path = out_.sections[static_cast<std::size_t>(s.parent)].path;
        s.path.push_back(s.heading);
        stack_.push_back(s.id);
        current_ = s.id;
        recent_keys_ = {};  // a repeat under another heading is that section's own line
        if (out_.meta.title.empty()) out_.meta.title = s.title;
        out_.sections.push_back(std::move(s));
        awaiting_title_ = out_.sections.back().title.empty();
    }

    const Section& section() const { return out_.sections[static_cast<std::size_t>(current_)]; }

    void visit(std::size_t i) {
        const NormalizedBlock& nb = in_.blocks[i];
        const Block& b = nb.block;
        // Footnotes (page-break debris) do not separate a lead-in sentence from its list.
        const bool paragraph_before = paragraph_just_before_;
        if (!looks_like_footnote(b.text)) paragraph_just_before_ = false;
        if (is_toc_line(b)) return;
        // The headline again (as a paragraph, a heading or a repeated line): what came before was
        // the page's masthead.
        // Folded only while a masthead may still be dropped (no cost on the rest of a document).
        if (masthead_pending() && b.text.size() <= 300 && fold_key(b.text) == title_key_) drop_masthead();
        if (is_repeated_line(b)) return keep_out(nb);
        if (std::exchange(after_figure_label_, false) && b.text.size() < 120) return;  // a figure's caption
        if (is_figure_label(b.text)) {
            after_figure_label_ = true;
            return;
        }
        HeadingMatch h;
        if (heading_of(b, h)) {
            open_section(h, nb);
            return;
        }
        if (awaiting_title_ && b.kind == BlockKind::paragraph && b.text.size() < 100 && !text::ends_sentence(b.text)) {
            Section& s = out_.sections.back();  // "ANNEX I" followed by its title line
            s.title = b.text;
            s.heading += ": " + b.text;
            s.path.back() = s.heading;
            s.kind = section_kind_of(s.title, s.number);
            s.end = nb.end;
            awaiting_title_ = false;
            return;
        }
        awaiting_title_ = false;
        const std::string& kind = section().kind;
        if (kind == "contents") return;
        if (kind == "abbreviations") {
            abbreviations_.add_row(b.text);
            return;
        }
        if (b.kind == BlockKind::paragraph && is_caption(i)) {
            add_passage(nb, PassageKind::caption);
            return;
        }
        if (b.kind == BlockKind::paragraph && is_furniture(i)) return keep_out(nb);
        if (looks_like_footnote(b.text)) return add_footnote(nb);
        if (b.kind == BlockKind::list_item) return add_list_item(nb, paragraph_before);
        flush_list();
        if (b.kind == BlockKind::table_row) {
            add_passage(nb, PassageKind::table_row);
            return;
        }
        if (is_boilerplate(b.text)) return;
        if (current_ == 0 && !toc_.empty() && out_.passages.empty() && b.text.size() < 160 &&
            !text::ends_sentence(b.text))
            return;  // title-page lines before a table of contents
        if (word_count(b.text) < 4 && !short_lead_in(i)) return keep_out(nb);
        add_passage(nb, PassageKind::paragraph);
        paragraph_just_before_ = true;
    }

    // "Its tasks are:" right above a list: too short for a paragraph, but the list's lead-in, which
    // the list passage keeps.
    bool short_lead_in(std::size_t i) const {
        const std::string_view t = trim(in_.blocks[i].block.text);
        return !t.empty() && t.back() == ':' && i + 1 < in_.blocks.size() &&
               in_.blocks[i + 1].block.kind == BlockKind::list_item;
    }

    // A line kept out of passages, remembered for the entity extractor (a repeated headline still
    // names its mission). A source address is metadata and names nothing.
    void keep_out(const NormalizedBlock& nb) {
        if (furniture_kind(nb.block.text) == Furniture::source_line) return;
        out_.unkept.push_back({nb.begin, nb.end, static_cast<int>(out_.passages.size())});
    }

    // A photo's caption: a short paragraph just above a credit line, or one carrying its credit.
    bool is_caption(std::size_t i) const {
        const std::string& t = in_.blocks[i].block.text;
        if (t.size() > 600) return false;
        if (furniture_kind(t) == Furniture::caption) return true;
        return i + 1 < in_.blocks.size() && word_count(t) <= 30 && furniture_kind(t) == Furniture::none &&
               furniture_kind(in_.blocks[i + 1].block.text) == Furniture::photo_credit;
    }

    // Paragraphs that frame the content: the title line and headlines repeating it or each
    // other, and page furniture (source lines, credits, bylines, datelines, link prompts, share
    // buttons).
    bool is_furniture(std::size_t i) {
        const std::string& t = in_.blocks[i].block.text;
        if (t.size() > 600) return false;
        const std::string key = fold_key(t);
        const bool headline = !text::ends_sentence(t) && word_count(t) <= 30;
        // The title, or a piece of it (a headline broken over lines of a web page).
        if (!key.empty() && (key == title_key_ || (headline && key.size() >= 20 && title_key_.find(key) != std::string::npos)))
            return true;
        if (furniture_kind(t) != Furniture::none) return true;
        if (repeats_recent_paragraph(key)) return true;
        return headline && !headlines_seen_.insert(key).second;
    }

    // Short lines a web page prints above its headline ("Welcome to the UN. This is your world.",
    // a slogan, "Under way at UNHQ") are its masthead: when the title comes again after at most
    // three passages, all short paragraphs of the same section, they were no content.
    bool masthead_pending() const { return !masthead_checked_ && !out_.passages.empty() && !title_key_.empty(); }

    void drop_masthead() {
        if (!masthead_pending()) return;  // the title line itself comes first
        masthead_checked_ = true;
        if (out_.passages.size() > 3) return;
        for (const auto& p : out_.passages)
            if (p.kind != PassageKind::paragraph || p.section != current_ || word_count(p.text) > 12) return;
        for (const auto& p : out_.passages) out_.unkept.push_back({p.begin, p.end, 0});
        std::sort(out_.unkept.begin(), out_.unkept.end(), [](const UnkeptLine& a, const UnkeptLine& b) { return a.begin < b.begin; });
        out_.passages.clear();
    }

    // A web page prints its lead paragraph twice (a teaser, then the story): a paragraph equal to
    // one of the last three of its section is the same passage. Only nearby repeats: a resolution's closing
    // formula recurs legitimately in each resolution of a compilation.
    bool repeats_recent_paragraph(const std::string& key) {
        if (key.empty()) return false;
        if (std::find(recent_keys_.begin(), recent_keys_.end(), key) != recent_keys_.end()) return true;
        recent_keys_[recent_next_++ % recent_keys_.size()] = key;
        return false;
    }

    // The passage of a block, cut into bounded pieces when the block is too long (each piece a
    // passage of the same kind); returns the first.
    // `reserve`: bytes the caller will add (a list marker).
    Passage& add_passage(const NormalizedBlock& nb, PassageKind kind, std::size_t reserve = 0) {
        const std::size_t first = out_.passages.size();
        for (const auto& [from, to] : bounded_pieces(nb.block.text, kMaxPassageBytes - reserve)) {
            Passage p;
            p.ordinal = static_cast<int>(out_.passages.size()) + 1;
            p.id = out_.meta.id + "#" + std::to_string(p.ordinal);
            p.section = current_;
            p.kind = kind;
            p.text = nb.block.text.substr(from, to - from);
            if (kind == PassageKind::table_row) std::replace(p.text.begin(), p.text.end(), '\t', ' ');
            p.begin = nb.begin + from;
            p.end = nb.begin + to;
            p.page = nb.block.page;
            p.cited_footnotes = cited_footnotes(p.text);
            out_.passages.push_back(std::move(p));
        }
        return out_.passages[first];
    }

    void add_footnote(const NormalizedBlock& nb) {
        Passage& p = add_passage(nb, PassageKind::footnote);
        p.footnote_number = parse_footnote_number(p.text);
        p.cited_footnotes.clear();
    }

    // A list stays together with the lead-in sentence just before it ("... may include:"), even
    // when a footnote was printed between them.
    void add_list_item(const NormalizedBlock& nb, bool paragraph_just_before) {
        if (!list_open_) {
            list_passage_ = last_text_passage();
            const bool has_lead_in = list_passage_ < out_.passages.size() && paragraph_just_before &&
                                     out_.passages[list_passage_].kind == PassageKind::paragraph &&
                                     out_.passages[list_passage_].section == current_ &&
                                     introduces_list(out_.passages[list_passage_].text);
            list_open_ = true;
            if (!has_lead_in) {
                list_passage_ = out_.passages.size();
                Passage& p = add_passage(nb, PassageKind::list, 2);
                p.text = item_line(p.text);
                return;
            }
        }
        if (out_.passages[list_passage_].text.size() + nb.block.text.size() + 3 > kMaxPassageBytes) {
            list_passage_ = out_.passages.size();  // a long list goes on in a passage of its own
            Passage& p = add_passage(nb, PassageKind::list, 2);
            p.text = item_line(p.text);
            return;
        }
        Passage& p = out_.passages[list_passage_];
        p.kind = PassageKind::list;
        p.text += "\n" + item_line(nb.block.text);
        p.end = std::max(p.end, nb.end);
        for (int n : cited_footnotes(nb.block.text)) p.cited_footnotes.push_back(n);
    }

    // An item's line in a list passage: its own bullet glyph when the reader kept one, else "- ".
    static std::string item_line(const std::string& item) { return catalog::item_bullet(item) ? item : "- " + item; }

    std::size_t last_text_passage() const {
        for (std::size_t i = out_.passages.size(); i-- > 0;)
            if (out_.passages[i].kind != PassageKind::footnote) return i;
        return out_.passages.size();
    }

    // A lead-in ends with a colon ("... may include:") or breaks off mid-sentence.
    static bool introduces_list(std::string_view text) {
        std::string_view t = trim(text);
        return !t.empty() && (t.back() == ':' || !text::ends_sentence(t));
    }

    void flush_list() { list_open_ = false; }

    // Each footnote is linked to the nearest passage before it that cites its number.
    void link_footnotes() {
        for (std::size_t i = 0; i < out_.passages.size(); ++i) {
            Passage& f = out_.passages[i];
            if (f.kind != PassageKind::footnote || !f.footnote_number) continue;
            const int n = *f.footnote_number;
            auto cites = [n](const Passage& p) {
                return std::find(p.cited_footnotes.begin(), p.cited_footnotes.end(), n) != p.cited_footnotes.end();
            };
            for (std::size_t j = i; j-- > 0;)
                if (cites(out_.passages[j])) {
                    f.cited_by = out_.passages[j].id;
                    break;
                }
            for (std::size_t j = i + 1; f.cited_by.empty() && j < out_.passages.size(); ++j)
                if (cites(out_.passages[j])) f.cited_by = out_.passages[j].id;
        }
    }

    NormalizedDocument& in_;
    SegmentedDocument out_;
    std::map<std::string, HeadingMatch> toc_;
    AbbreviationTable abbreviations_;
    std::vector<int> stack_;
    int current_ = 0;
    bool masthead_checked_ = false;
    std::array<std::string, 3> recent_keys_;  // the last paragraphs seen, folded
    std::size_t recent_next_ = 0;
    bool list_open_ = false;
    std::size_t list_passage_ = 0;
    bool awaiting_title_ = false;
    bool after_figure_label_ = false;
    bool paragraph_just_before_ = false;
    std::string title_key_;               // the document's title, folded
    std::map<std::string, int> repeats_;  // short lines by how often they occur
    std::set<std::string> headlines_seen_;  // headline-shaped paragraphs met so far, folded
};

}  // namespace

SegmentedDocument segment(NormalizedDocument doc, DocumentMeta meta) {
    Segmenter s(doc, std::move(meta));
    return s.run();
}

}  // namespace mandala::indexer
