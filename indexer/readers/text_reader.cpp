// Plain text and Markdown: blank lines separate blocks; list markers, tab-separated rows and
// Markdown '#' headings are kept as structure hints. A paragraph block keeps its line breaks
// (and the lines' indentation): whether a single line break is a hard wrap or a paragraph end is
// decided by the normalizer, which sees the layout of the whole document. Lines that follow a
// list item without a blank line stay with the item for the same decision. A header of a title
// line and a `Source: ADDRESS` line is document metadata (RawDocument::title, source_url).
// Heading detection for plain text (ALL CAPS, numbered headings) belongs to the segmenter.
#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog/list_markers.h"
#include "indexer/readers/read.h"
#include "text/clean.h"
#include "text/errors.h"
#include "text/unicode.h"

namespace mandala::indexer {
namespace {

// Binary content: NUL bytes or a high share of control characters.
void reject_binary(std::string_view bytes) {
    std::size_t control = 0;
    const std::size_t probe = std::min<std::size_t>(bytes.size(), 64 * 1024);
    for (std::size_t i = 0; i < probe; ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c == 0) throw InputError("file looks binary (contains NUL bytes), not text");
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') ++control;
    }
    if (control * 20 > probe) throw InputError("file looks binary (many control characters), not text");
}

std::string_view trim_right(std::string_view s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    return trim_right(s);
}

// Bullets that text exports of word processors and web pages put before list items: ASCII
// marks, typographic bullets and dashes (catalog/list_markers.h), a Symbol-font bullet (U+F0B7),
// and '?' where a bullet was lost to a wrong character set (a line never starts with "? " in
// running text).
constexpr std::string_view kAsciiBullets[] = {"- ", "* ", "+ "};

// Length of one bullet and its space at the start of `rest`, or 0.
std::size_t bullet_at(std::string_view rest) {
    for (std::string_view bullet : kAsciiBullets)
        if (rest.starts_with(bullet)) return bullet.size();
    return catalog::item_bullet(rest);
}

// Length of a list marker at the start of a trimmed line ("- ", "• ", "· ", "* ", "- · "), or 0.
std::size_t list_marker(std::string_view line) {
    std::size_t i = 0;
    bool found = false;
    for (;;) {
        std::string_view rest = line.substr(i);
        const std::size_t n = bullet_at(rest);
        if (!n) break;
        found = true;
        i += n;
        while (i < line.size() && line[i] == ' ') ++i;
    }
    return found ? i : 0;
}

// A list item's text: a typographic bullet stays (quotes taken from the document include it),
// ASCII ones go (the list passage writes "- ").
std::string item_text(std::string_view line, std::size_t marker) {
    const std::string_view rest = line.substr(marker);
    for (std::string_view ascii : kAsciiBullets)
        if (line.starts_with(ascii)) return std::string(rest);
    return std::string(line.substr(0, catalog::item_bullet(line))) + std::string(rest);
}

int indent_level(std::string_view raw_line) {
    int spaces = 0;
    for (char c : raw_line) {
        if (c == ' ')
            ++spaces;
        else if (c == '\t')
            spaces += 4;
        else
            break;
    }
    return spaces / 2;
}

int markdown_heading_level(std::string_view line) {
    int level = 0;
    while (level < static_cast<int>(line.size()) && line[static_cast<std::size_t>(level)] == '#') ++level;
    if (level == 0 || level > 6 || static_cast<std::size_t>(level) >= line.size() ||
        line[static_cast<std::size_t>(level)] != ' ')
        return 0;
    return level;
}

class BlockBuilder {
public:
    explicit BlockBuilder(RawDocument& doc) : doc_(doc) {}

    // A line of running text: it continues the open paragraph or list item (the normalizer
    // decides whether the break between them is a wrap or a paragraph end), else opens one.
    void text_line(std::string_view line) {
        if (open_) {
            doc_.blocks.back().text += '\n';
            doc_.blocks.back().text += line;
            return;
        }
        add(BlockKind::paragraph, line, 0);
    }
    void add(BlockKind kind, std::string_view text, int level) {
        doc_.blocks.push_back(Block{kind, std::string(text), level, 0});
        open_ = kind == BlockKind::paragraph || kind == BlockKind::list_item;
    }
    void end_group() { open_ = false; }

private:
    RawDocument& doc_;
    bool open_ = false;
};

std::vector<std::string_view> split_lines(std::string_view bytes) {
    std::vector<std::string_view> lines;
    std::size_t pos = bytes.starts_with("\xEF\xBB\xBF") ? 3 : 0;
    while (pos <= bytes.size()) {
        std::size_t nl = bytes.find('\n', pos);
        if (nl == std::string_view::npos) nl = bytes.size();
        lines.push_back(trim_right(bytes.substr(pos, nl - pos)));
        pos = nl + 1;
    }
    return lines;
}

bool is_blank(std::string_view line) {
    line = trim(line);
    return line.empty() || line == "\f";
}

std::size_t word_count(std::string_view s) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++i)
        if (s[i] != ' ' && (i == 0 || s[i - 1] == ' ')) ++n;
    return n;
}

// "Source: https://example.org/page" (any case, a web address and nothing else, perhaps in
// Markdown's angle brackets): the address.
std::string source_address(std::string_view line) {
    line = trim(line);
    if (line.size() < 8) return {};
    std::string head(line.substr(0, 6));
    for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (head != "source") return {};
    std::string_view rest = trim(line.substr(6));
    if (!rest.starts_with(":")) return {};
    rest = trim(rest.substr(1));
    if (rest.size() > 2 && rest.front() == '<' && rest.back() == '>') rest = rest.substr(1, rest.size() - 2);  // <https://...>
    const bool address = rest.starts_with("http://") || rest.starts_with("https://") || rest.starts_with("www.");
    return address && rest.find(' ') == std::string_view::npos ? std::string(rest) : std::string();
}

// A title is a short line that does not read as the start of running text.
bool title_shaped(std::string_view line) {
    return line.size() <= 250 && word_count(line) <= 30 && !list_marker(line) &&
           line.find('\t') == std::string_view::npos && !line.ends_with(",") && !line.ends_with(";");
}

// The header of a text file: its first line is the title when it is title-shaped and stands
// alone (followed by a blank line, or by a `Source:` line, in which case it may end with a
// full stop like a headline); a `Source: ADDRESS` line among the first lines is the address.
// Returns the indexes of the lines that are header only (not text).
std::vector<std::size_t> read_header(const std::vector<std::string_view>& lines, RawDocument& doc, bool markdown) {
    std::vector<std::size_t> nonblank;
    for (std::size_t i = 0; i < lines.size() && nonblank.size() < 5; ++i)
        if (!is_blank(lines[i])) nonblank.push_back(i);
    if (nonblank.empty()) return {};
    std::vector<std::size_t> header_only;
    for (std::size_t i : nonblank)
        if (std::string url = source_address(lines[i]); !url.empty() && doc.source_url.empty()) {
            doc.source_url = url;
            header_only.push_back(i);
        }
    const std::size_t first = nonblank.front();
    std::string_view line = trim(lines[first]);
    if (int level = markdown ? markdown_heading_level(line) : 0) {
        doc.title = std::string(trim(line.substr(static_cast<std::size_t>(level))));
        return header_only;
    }
    const bool source_next = nonblank.size() > 1 && !header_only.empty() && header_only.front() == nonblank[1];
    const bool alone = first + 1 >= lines.size() || is_blank(lines[first + 1]);
    const bool headline = !text::ends_sentence(line) || line.ends_with("?") || line.ends_with("!");
    if (title_shaped(line) && (source_next || (alone && headline))) doc.title = std::string(line);
    return header_only;
}

void read_lines(std::string_view bytes, RawDocument& doc, bool markdown) {
    reject_binary(bytes);
    if (!text::is_valid_utf8(bytes)) throw InputError("file is not valid UTF-8 text");
    const std::vector<std::string_view> lines = split_lines(bytes);
    const std::vector<std::size_t> header_only = read_header(lines, doc, markdown);
    BlockBuilder builder(doc);
    bool title_pending = !doc.title.empty();
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string_view raw = lines[i];
        const std::string_view line = trim(raw);
        if (is_blank(raw) || std::find(header_only.begin(), header_only.end(), i) != header_only.end()) {
            builder.end_group();
            continue;
        }
        if (int level = markdown ? markdown_heading_level(line) : 0) {
            builder.add(BlockKind::heading, trim(line.substr(static_cast<std::size_t>(level))), level);
            builder.end_group();
        } else if (std::size_t marker = list_marker(line)) {
            builder.add(BlockKind::list_item, item_text(line, marker), indent_level(raw));
        } else if (line.find('\t') != std::string_view::npos) {
            builder.add(BlockKind::table_row, line, 0);
            builder.end_group();
        } else {
            builder.text_line(raw);  // with its indentation: a hint for the normalizer
        }
        if (std::exchange(title_pending, false)) builder.end_group();  // the title line stands alone
    }
}

}  // namespace

void read_plain_text(std::string_view bytes, RawDocument& doc) { read_lines(bytes, doc, false); }
void read_markdown(std::string_view bytes, RawDocument& doc) { read_lines(bytes, doc, true); }

}  // namespace mandala::indexer
