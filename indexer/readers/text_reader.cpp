// Plain text and Markdown: blank lines separate blocks; list markers, tab-separated rows and
// Markdown '#' headings are kept as structure hints. Heading detection for plain text
// (ALL CAPS, numbered headings) belongs to the segmenter, which sees the whole document.
#include <string>
#include <string_view>

#include "indexer/readers/read.h"
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

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

// Length of a list marker at the start of a trimmed line ("- ", "• ", "· ", "* ", "- · "), or 0.
std::size_t list_marker(std::string_view line) {
    std::size_t i = 0;
    bool found = false;
    for (;;) {
        std::string_view rest = line.substr(i);
        std::size_t n = 0;
        if (rest.starts_with("- ") || rest.starts_with("* ") || rest.starts_with("+ "))
            n = 2;
        else if (rest.starts_with("\u2022 ") || rest.starts_with("\u25AA ") || rest.starts_with("\u25CF "))
            n = 4;
        else if (rest.starts_with("\u00B7 "))
            n = 3;
        if (!n) break;
        found = true;
        i += n;
        while (i < line.size() && line[i] == ' ') ++i;
    }
    return found ? i : 0;
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

    void paragraph_line(std::string_view line) {
        if (open_paragraph_) {
            doc_.blocks.back().text += '\n';
            doc_.blocks.back().text += line;
            return;
        }
        add(BlockKind::paragraph, line, 0);
        open_paragraph_ = true;
    }
    void add(BlockKind kind, std::string_view text, int level) {
        doc_.blocks.push_back(Block{kind, std::string(text), level, 0});
        open_paragraph_ = kind == BlockKind::paragraph;
    }
    void end_group() { open_paragraph_ = false; }

private:
    RawDocument& doc_;
    bool open_paragraph_ = false;
};

void read_lines(std::string_view bytes, RawDocument& doc, bool markdown) {
    reject_binary(bytes);
    if (!text::is_valid_utf8(bytes)) throw InputError("file is not valid UTF-8 text");
    BlockBuilder builder(doc);
    std::size_t pos = 0;
    if (bytes.starts_with("\xEF\xBB\xBF")) pos = 3;
    while (pos <= bytes.size()) {
        std::size_t nl = bytes.find('\n', pos);
        if (nl == std::string_view::npos) nl = bytes.size();
        std::string_view raw = bytes.substr(pos, nl - pos);
        pos = nl + 1;
        std::string_view line = trim(raw);
        if (line.empty() || line == "\f") {
            builder.end_group();
            continue;
        }
        if (int level = markdown ? markdown_heading_level(line) : 0) {
            builder.add(BlockKind::heading, trim(line.substr(static_cast<std::size_t>(level))), level);
            builder.end_group();
        } else if (std::size_t marker = list_marker(line)) {
            builder.add(BlockKind::list_item, line.substr(marker), indent_level(raw));
        } else if (raw.find('\t') != std::string_view::npos && line.find('\t') != std::string_view::npos) {
            builder.add(BlockKind::table_row, line, 0);
            builder.end_group();
        } else {
            builder.paragraph_line(line);
        }
    }
}

}  // namespace

void read_plain_text(std::string_view bytes, RawDocument& doc) { read_lines(bytes, doc, false); }
void read_markdown(std::string_view bytes, RawDocument& doc) { read_lines(bytes, doc, true); }

}  // namespace mandala::indexer
