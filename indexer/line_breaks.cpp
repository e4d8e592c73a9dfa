#include "indexer/line_breaks.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <string_view>

#include "indexer/furniture.h"
#include "text/clean.h"
#include "text/unicode.h"

namespace mandala::indexer {
namespace {

// Text wrapped to a fixed width uses 60-100 columns; longer lines were not wrapped by width.
constexpr std::size_t kMaxWrapWidth = 110;
// Lines at least this share of the width are "full": a wrapper filled them.
constexpr double kFullLineShare = 0.6;

struct Line {
    std::string_view text;  // trimmed
    std::size_t indent = 0;
    std::size_t length = 0;  // code points
};

std::vector<Line> lines_of(std::string_view block) {
    std::vector<Line> out;
    std::size_t pos = 0;
    while (pos <= block.size()) {
        std::size_t nl = block.find('\n', pos);
        if (nl == std::string_view::npos) nl = block.size();
        std::string_view raw = block.substr(pos, nl - pos);
        pos = nl + 1;
        Line line;
        while (line.indent < raw.size() && (raw[line.indent] == ' ' || raw[line.indent] == '\t')) ++line.indent;
        std::string_view t = raw.substr(line.indent);
        while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\r')) t.remove_suffix(1);
        line.text = t;
        line.length = text::code_points(t);
        out.push_back(line);
    }
    return out;
}

bool has_space(std::string_view s) { return s.find(' ') != std::string_view::npos; }

// '.', '!' or '?' (before closing quotes or brackets): the end of a sentence, not of a clause.
bool ends_full_stop(std::string_view s) {
    while (!s.empty() && std::string_view("\"')]*").find(s.back()) != std::string_view::npos) s.remove_suffix(1);
    for (std::string_view quote : {"\u201D", "\u2019"})
        if (s.ends_with(quote)) s.remove_suffix(quote.size());
    return !s.empty() && (s.back() == '.' || s.back() == '!' || s.back() == '?');
}

// The width the lines of these blocks were wrapped to, or 0 when they do not look wrapped: too
// few line breaks to tell, lines longer than any wrapper makes them, lines that do not fill the
// width, or lines that mostly end sentences (one sentence or paragraph per line).
std::size_t wrap_width(const std::vector<std::vector<Line>>& blocks, std::size_t min_breaks) {
    std::size_t width = 0;
    for (const auto& lines : blocks)
        for (const Line& l : lines)
            if (has_space(l.text)) width = std::max(width, l.length);
    if (width == 0 || width > kMaxWrapWidth) return 0;
    std::size_t breaks = 0, full = 0, sentence_ends = 0;
    for (const auto& lines : blocks)
        for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
            ++breaks;
            if (static_cast<double>(lines[i].length) >= kFullLineShare * static_cast<double>(width)) ++full;
            if (ends_full_stop(lines[i].text)) ++sentence_ends;
        }
    if (breaks < min_breaks || full * 10 < breaks * 6 || sentence_ends * 2 > breaks) return 0;
    return width;
}

// A word split at the line end: "demobili-" (the cleaner rejoins it).
bool ends_split_word(std::string_view s) {
    return s.size() > 1 && s.back() == '-' && std::isalpha(static_cast<unsigned char>(s[s.size() - 2]));
}

// Words no paragraph ends with: a line ending in one breaks off mid-sentence.
bool ends_function_word(std::string_view s) {
    static constexpr std::array<std::string_view, 22> kWords = {
        "the", "a", "an", "of", "to", "in", "on", "at", "by", "for", "from", "with", "and", "or", "as", "that",
        "which", "its", "their", "into", "between", "under"};
    const std::size_t space = s.rfind(' ');
    std::string last(space == std::string_view::npos ? s : s.substr(space + 1));
    for (char& c : last) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return std::find(kWords.begin(), kWords.end(), last) != kWords.end() && space != std::string_view::npos;
}

// A short title-case line ("Background", "Security Council Extends Mission"): a heading.
bool heading_shaped(std::string_view s) {
    if (s.empty() || s.size() > 100 || std::islower(static_cast<unsigned char>(s[0]))) return false;
    if (s.back() == ',' || s.back() == ';' || ends_full_stop(s)) return false;
    std::size_t words = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == ' ' || (i > 0 && s[i - 1] != ' ')) continue;
        ++words;
        std::size_t end = s.find(' ', i);
        if (end == std::string_view::npos) end = s.size();
        if (end - i >= 4 && std::islower(static_cast<unsigned char>(s[i]))) return false;
    }
    return words <= 10;
}

std::size_t first_word_length(std::string_view s) {
    const std::size_t space = s.find(' ');
    return text::code_points(space == std::string_view::npos ? s : s.substr(0, space));
}

// Lines shorter than this that end no sentence, in a run, are a unit such as an address, a
// signature or a stack of headings: kept together, as blank lines do not part them.
constexpr std::size_t kShortLine = 60;

bool short_lines_only(const std::vector<Line>& lines, std::size_t from) {
    if (lines.size() < from + 2) return false;
    return std::all_of(lines.begin() + static_cast<std::ptrdiff_t>(from), lines.end(), [](const Line& l) {
        return l.length < kShortLine && !ends_full_stop(l.text);
    });
}

// Whether the break between `cur` and `next` ends a paragraph. `width` is the wrap width of the
// text, 0 for text whose lines are paragraphs unless one visibly breaks off mid-sentence.
// `unit`: the lines are a short-line unit, parted only where a line is page furniture.
bool paragraph_end(const Line& cur, const Line& next, std::size_t width, bool first_line_indents, bool unit) {
    if (cur.text.empty() || next.text.empty()) return true;  // a blank line (two <br>)
    if (ends_split_word(cur.text) || ends_function_word(cur.text)) return false;
    if (unit) return furniture_kind(cur.text) != Furniture::none || furniture_kind(next.text) != Furniture::none;
    const bool sentence_end = text::ends_sentence(cur.text);
    if (width == 0) return sentence_end || !text::starts_lowercase(next.text);
    // In wrapped text a short line of page furniture ("Read more", "Share this page") stands alone:
    // a wrapper never leaves a line that short in mid-paragraph, so it is no wrapped sentence.
    auto short_furniture = [&](const Line& l) { return l.length * 2 < width && furniture_kind(l.text) != Furniture::none; };
    if (short_furniture(cur) || short_furniture(next)) return true;
    if (first_line_indents && next.indent > cur.indent && sentence_end) return true;
    // A wrapper moves a word to the next line only when it does not fit: room left for the next
    // line's first word means the line was ended on purpose.
    const bool room = cur.length + 1 + first_word_length(next.text) <= width;
    if (!room) return false;
    return sentence_end || (heading_shaped(cur.text) && !text::starts_lowercase(next.text));
}

Block block_of(const Block& like, BlockKind kind, const std::vector<Line>& lines, std::size_t from, std::size_t to) {
    Block b{kind, {}, kind == like.kind ? like.level : 0, like.page};
    for (std::size_t i = from; i < to; ++i) {
        if (lines[i].text.empty()) continue;
        if (!b.text.empty()) b.text += '\n';
        b.text += lines[i].text;
    }
    return b;
}

void split_block(const Block& b, const std::vector<Line>& lines, std::size_t doc_width, std::vector<Block>& out) {
    const std::size_t width = doc_width ? doc_width : wrap_width({lines}, 3);
    const bool paragraph = b.kind == BlockKind::paragraph;
    // A list item's own line is not part of a unit that follows it.
    const std::size_t unit_from = paragraph ? 0 : 1;
    const bool unit = width == 0 && short_lines_only(lines, unit_from);
    std::size_t start = 0;
    for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
        if (!paragraph_end(lines[i], lines[i + 1], width, paragraph, unit && i >= unit_from)) continue;
        Block part = block_of(b, start == 0 ? b.kind : BlockKind::paragraph, lines, start, i + 1);
        if (!part.text.empty()) out.push_back(std::move(part));
        start = i + 1;
    }
    Block last = block_of(b, start == 0 ? b.kind : BlockKind::paragraph, lines, start, lines.size());
    if (!last.text.empty()) out.push_back(std::move(last));
}

bool has_line_breaks(const Block& b) {
    return (b.kind == BlockKind::paragraph || b.kind == BlockKind::list_item) &&
           b.text.find('\n') != std::string::npos;
}

}  // namespace

std::vector<Block> split_line_paragraphs(std::vector<Block> blocks) {
    std::vector<std::vector<Line>> multi_line;
    for (const Block& b : blocks)
        if (has_line_breaks(b)) multi_line.push_back(lines_of(b.text));
    const std::size_t doc_width = wrap_width(multi_line, 4);
    std::vector<Block> out;
    out.reserve(blocks.size());
    std::size_t next_multi = 0;
    for (Block& b : blocks) {
        if (!has_line_breaks(b)) {
            out.push_back(std::move(b));
            continue;
        }
        split_block(b, multi_line[next_multi++], doc_width, out);
    }
    return out;
}

}  // namespace mandala::indexer
