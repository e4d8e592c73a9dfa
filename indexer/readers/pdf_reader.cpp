// PDF: poppler-cpp gives the words of each page in reading order with their boxes. Words are
// gathered into lines, and lines into blocks wherever the layout shows a break: a vertical gap
// wider than line spacing, a jump back up (new column), a change of font size, or a bullet.
// Lines of a block are joined with '\n'; the normalizer repairs hyphenation and removes page
// furniture, and re-joins paragraphs split by page breaks (each block keeps its page).
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/readers/read.h"
#include "text/errors.h"

namespace mandala::indexer {
namespace {

// Vertical gap between two lines, as a share of line height, above which they are in
// different blocks. Poppler's line boxes span ascent to descent, so single-spaced lines of one
// paragraph overlap slightly (negative gap) and even generous leading stays well below this.
constexpr double kBlockGapShare = 0.3;
// Font size difference (points) that separates a heading or a footnote from body text.
constexpr double kFontSizeStep = 0.9;
// Indentation step (points) of one list nesting level.
constexpr double kListIndentStep = 14.0;

struct Word {
    std::string text;
    poppler::rectf box;
    double font_size = 0;
    bool space_after = false;
};

struct Line {
    std::string text;
    double left = 0, top = 0, right = 0, bottom = 0;
    double font_size = 0;
    double height() const { return bottom - top; }
};

struct PageLines {
    int page = 0;
    std::vector<Line> lines;
};

std::string utf8(const poppler::ustring& s) {
    const poppler::byte_array bytes = s.to_utf8();
    return std::string(bytes.begin(), bytes.end());
}

void ignore_poppler_message(const std::string&, void*) {}

// Length of a bullet at the start of `text` (with the spaces after it), or 0.
std::size_t bullet_length(std::string_view text) {
    static constexpr std::array<std::string_view, 9> kBullets = {
        "\u2022", "\u00B7", "\u25AA", "\u25CF", "\u25E6", "\u2023", "\u25A0", "\uF0B7", "\u2043"};
    for (std::string_view bullet : kBullets) {
        if (!text.starts_with(bullet)) continue;
        std::size_t n = bullet.size();
        while (n < text.size() && text[n] == ' ') ++n;
        return n < text.size() ? n : 0;
    }
    return 0;
}

// A dash opens a list item only where a block starts; inside a block it is a wrapped dash.
std::size_t dash_bullet_length(std::string_view text) {
    for (std::string_view dash : {std::string_view("- "), std::string_view("\u2013 ")})
        if (text.starts_with(dash) && text.size() > dash.size()) return dash.size();
    return 0;
}

// ---------------------------------------------------------------------------------------------
// Loading

void check_looks_complete(std::string_view bytes) {
    if (bytes.substr(0, 1024).find("%PDF-") == std::string_view::npos)
        throw InputError("file is not a PDF (no %PDF header)");
    // Every complete PDF ends with %%EOF (trailing junk of a few bytes is common); a cut-off
    // download does not, and poppler would otherwise quietly "repair" it into fewer pages.
    const std::size_t tail = std::min<std::size_t>(bytes.size(), 2048);
    if (bytes.substr(bytes.size() - tail).find("%%EOF") == std::string_view::npos)
        throw InputError("PDF is damaged or truncated (no end-of-file marker)");
}

std::unique_ptr<poppler::document> load(std::string_view bytes) {
    if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        throw LimitExceeded("PDF is too large");
    check_looks_complete(bytes);
    poppler::set_debug_error_function(ignore_poppler_message, nullptr);
    std::unique_ptr<poppler::document> pdf(
        poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
    if (!pdf) throw InputError("PDF is damaged or truncated");
    if (pdf->is_locked()) throw InputError("PDF is encrypted (a password is needed to open it)");
    return pdf;
}

// ---------------------------------------------------------------------------------------------
// Words -> lines

std::vector<Word> words_of(const poppler::page& page) {
    std::vector<Word> words;
    for (const poppler::text_box& box : page.text_list(poppler::page::text_list_include_font)) {
        std::string text = utf8(box.text());
        if (text.empty()) continue;
        words.push_back(Word{std::move(text), box.bbox(), box.get_font_size(), box.has_space_after()});
    }
    return words;
}

// Same line: the word overlaps the line vertically by at least half the smaller height and
// does not jump back to the left (which starts the next line of a column).
bool continues_line(const Line& line, const Word& word) {
    const double overlap = std::min(line.bottom, word.box.bottom()) - std::max(line.top, word.box.top());
    const double height = std::min(line.height(), word.box.height());
    return overlap >= 0.5 * height && word.box.left() >= line.right - 0.5 * height;
}

// The font size of a line is that of most of its characters, so a superscript does not count.
double dominant_size(const std::map<double, std::size_t>& chars_by_size) {
    double size = 0;
    std::size_t most = 0;
    for (const auto& [s, n] : chars_by_size)
        if (n > most) most = n, size = s;
    return size;
}

std::vector<Line> lines_of(const std::vector<Word>& words) {
    std::vector<Line> lines;
    std::map<double, std::size_t> chars_by_size;
    bool space_pending = false;
    for (const Word& word : words) {
        if (lines.empty() || !continues_line(lines.back(), word)) {
            if (!lines.empty()) lines.back().font_size = dominant_size(chars_by_size);
            chars_by_size.clear();
            lines.push_back(Line{"", word.box.left(), word.box.top(), word.box.right(), word.box.bottom(), 0});
        } else {
            Line& line = lines.back();
            if (space_pending) line.text += ' ';
            line.top = std::min(line.top, word.box.top());
            line.bottom = std::max(line.bottom, word.box.bottom());
            line.right = std::max(line.right, word.box.right());
        }
        lines.back().text += word.text;
        chars_by_size[std::round(word.font_size * 10) / 10] += word.text.size();
        space_pending = word.space_after;
    }
    if (!lines.empty()) lines.back().font_size = dominant_size(chars_by_size);
    return lines;
}

bool is_bare_bullet(const Line& line) {
    const std::size_t n = bullet_length(line.text + " x");
    return n > 0 && n >= line.text.size();
}

// The text line a bare bullet belongs to: level with it and to its right, the nearest one.
Line* line_beside(std::vector<Line>& lines, const Line& bullet) {
    Line* best = nullptr;
    for (Line& line : lines) {
        if (is_bare_bullet(line) || line.left <= bullet.left) continue;
        const double overlap = std::min(line.bottom, bullet.bottom) - std::max(line.top, bullet.top);
        if (overlap < 0.5 * std::min(line.height(), bullet.height())) continue;
        if (!best || line.left < best->left) best = &line;
    }
    return best;
}

// Poppler's reading order sometimes takes a column of bullets for a text column of its own;
// each bullet is put back in front of the line it marks.
std::vector<Line> attach_bare_bullets(std::vector<Line> lines) {
    for (const Line& bullet : lines) {
        if (!is_bare_bullet(bullet)) continue;
        if (Line* target = line_beside(lines, bullet); target && !bullet_length(target->text)) {
            target->text = bullet.text + " " + target->text;
            target->left = bullet.left;
        }
    }
    std::erase_if(lines, [](const Line& line) { return is_bare_bullet(line); });
    return lines;
}

// ---------------------------------------------------------------------------------------------
// Lines -> blocks

bool starts_new_block(const Line& previous, const Line& line) {
    const double height = std::min(previous.height(), line.height());
    if (line.top < previous.top - 0.5 * height) return true;  // back up: a new column or frame
    if (line.top - previous.bottom > kBlockGapShare * height) return true;
    if (std::abs(line.font_size - previous.font_size) > kFontSizeStep) return true;
    return bullet_length(line.text) > 0;
}

class PdfBlockBuilder {
public:
    PdfBlockBuilder(RawDocument& doc, double list_margin) : doc_(doc), list_margin_(list_margin) {}

    void add_page(const PageLines& page) {
        const Line* previous = nullptr;
        for (const Line& line : page.lines) {
            if (!previous || starts_new_block(*previous, line))
                open_block(line, page.page, previous != nullptr);
            else
                doc_.blocks.back().text += '\n' + line.text;
            previous = &line;
        }
    }

private:
    // A dash at the top of a page is more likely a sentence carried over than a list item.
    void open_block(const Line& line, int page, bool after_line_on_page) {
        std::size_t marker = bullet_length(line.text);
        if (!marker && after_line_on_page) marker = dash_bullet_length(line.text);
        if (!marker) {
            doc_.blocks.push_back(Block{BlockKind::paragraph, line.text, 0, page});
            return;
        }
        const int level = static_cast<int>(std::lround(std::max(0.0, line.left - list_margin_) / kListIndentStep));
        doc_.blocks.push_back(Block{BlockKind::list_item, line.text.substr(marker), std::min(level, 8), page});
    }

    RawDocument& doc_;
    double list_margin_;
};

// Left edge of the least indented bullet in the document: list level 0.
double list_margin(const std::vector<PageLines>& pages) {
    double margin = std::numeric_limits<double>::max();
    for (const PageLines& page : pages)
        for (const Line& line : page.lines)
            if (bullet_length(line.text)) margin = std::min(margin, line.left);
    return margin == std::numeric_limits<double>::max() ? 0 : margin;
}

std::vector<PageLines> read_pages(const poppler::document& pdf) {
    std::vector<PageLines> pages;
    for (int i = 0; i < pdf.pages(); ++i) {
        const std::unique_ptr<poppler::page> page(pdf.create_page(i));
        if (!page) continue;
        pages.push_back(PageLines{i + 1, attach_bare_bullets(lines_of(words_of(*page)))});
    }
    return pages;
}

}  // namespace

void read_pdf(std::string_view bytes, RawDocument& doc) {
    const std::unique_ptr<poppler::document> pdf = load(bytes);
    const std::vector<PageLines> pages = read_pages(*pdf);
    const std::size_t before = doc.blocks.size();
    PdfBlockBuilder builder(doc, list_margin(pages));
    for (const PageLines& page : pages) builder.add_page(page);
    if (doc.blocks.size() == before) throw InputError("PDF has no extractable text (scanned images only?)");
}

}  // namespace mandala::indexer
