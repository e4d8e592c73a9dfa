// HTML: libxml2's forgiving HTML parser builds the tree; a walk over it turns headings, list
// items, table rows and the remaining block-level text into Blocks. Inline markup is dropped,
// keeping its words; script, style, navigation and the document head never become text, nor
// does the furniture the markup names (<footer>, <aside>, ARIA banner/navigation/search roles,
// hidden elements).
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <cctype>
#include <limits>
#include <memory>
#include <string>
#include <string_view>

#include "indexer/readers/read.h"
#include "text/errors.h"

namespace mandala::indexer {
namespace {

// Deeper trees are refused rather than walked: the walk is recursive and a hostile file could
// otherwise exhaust the stack.
constexpr int kMaxDepth = 512;

struct DocFree {
    void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using DocPtr = std::unique_ptr<xmlDoc, DocFree>;

std::string_view name_of(const xmlNode* node) {
    return node->name ? std::string_view(reinterpret_cast<const char*>(node->name)) : std::string_view();
}

bool is_one_of(std::string_view name, std::initializer_list<std::string_view> names) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

// Elements whose content is never document text.
bool is_skipped(std::string_view name) {
    return is_one_of(name, {"script", "style", "nav", "head", "noscript", "template", "svg", "math",
                            "iframe", "object", "button", "select", "textarea"});
}

std::string attribute(const xmlNode* node, const char* name) {
    xmlChar* value = xmlGetProp(node, reinterpret_cast<const xmlChar*>(name));
    if (!value) return {};
    std::string out(reinterpret_cast<const char*>(value));
    xmlFree(value);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

// Page furniture the markup itself names: the page's footer and side column, and elements
// whose ARIA role is navigation, site banner, page footer or search, or that are hidden.
bool is_page_furniture(const xmlNode* node, std::string_view name) {
    if (name == "footer" || name == "aside") return true;
    const std::string role = attribute(node, "role");
    if (is_one_of(role, {"navigation", "banner", "contentinfo", "search", "complementary"})) return true;
    return attribute(node, "aria-hidden") == "true" || xmlHasProp(node, reinterpret_cast<const xmlChar*>("hidden"));
}

// Elements that end the running paragraph; everything else is inline and only adds words.
bool is_block(std::string_view name) {
    return is_one_of(name, {"p", "div", "section", "article", "main", "header", "footer", "aside",
                            "blockquote", "pre", "dl", "dt", "dd", "figure", "figcaption", "caption",
                            "address", "hr", "form", "fieldset", "legend", "center", "details",
                            "summary", "body", "html"});
}

int heading_level(std::string_view name) {
    if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6') return name[1] - '0';
    return 0;
}

bool is_blank(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

// A bullet typed into a list item ("· Item") repeats the list's own marker.
std::string_view without_typed_bullet(std::string_view text) {
    for (std::string_view bullet : {"- ", "* ", "+ ", "\u2022 ", "\u25AA ", "\u25CF ", "\u00B7 "})
        if (text.starts_with(bullet)) return trim(text.substr(bullet.size()));
    return text;
}

// The plain text under a node (for table cells), skipping the elements that are never text.
void append_text(const xmlNode* node, std::string& out, int depth) {
    if (depth > kMaxDepth) throw InputError("HTML is nested too deeply (over 512 levels)");
    for (const xmlNode* n = node->children; n; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content) out += reinterpret_cast<const char*>(n->content);
        } else if (n->type == XML_ELEMENT_NODE && !is_skipped(name_of(n))) {
            if (name_of(n) == "br") out += ' ';
            append_text(n, out, depth + 1);
            if (is_block(name_of(n))) out += ' ';
        }
    }
}

class BlockWalker {
public:
    explicit BlockWalker(RawDocument& doc) : doc_(doc) {}

    void read(const xmlNode* root) {
        visit(root, 0);
        flush();
    }

private:
    struct Context {
        BlockKind kind = BlockKind::paragraph;
        int level = 0;
    };

    void walk_children(const xmlNode* node, int depth) {
        if (depth > kMaxDepth) throw InputError("HTML is nested too deeply (over 512 levels)");
        for (const xmlNode* n = node->children; n; n = n->next) visit(n, depth + 1);
    }

    void visit(const xmlNode* node, int depth) {
        if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
            if (node->content) append_source_text(reinterpret_cast<const char*>(node->content));
            return;
        }
        if (node->type != XML_ELEMENT_NODE) return;
        const std::string_view name = name_of(node);
        if (is_skipped(name) || is_page_furniture(node, name)) return;
        if (name == "br") {
            buffer_ += '\n';
        } else if (int level = heading_level(name)) {
            within({BlockKind::heading, level}, node, depth);
        } else if (name == "li") {
            within({BlockKind::list_item, std::max(0, list_depth_ - 1)}, node, depth);
        } else if (name == "ul" || name == "ol" || name == "menu") {
            flush();
            ++list_depth_;
            walk_children(node, depth);
            --list_depth_;
            flush();
        } else if (name == "pre") {
            flush();
            ++preformatted_;
            walk_children(node, depth);
            --preformatted_;
            flush();
        } else if (name == "table") {
            flush();
            read_table(node, depth);
        } else if (is_block(name)) {
            flush();
            walk_children(node, depth);
            flush();
        } else {
            walk_children(node, depth);
        }
    }

    // Runs the children with `context` deciding the kind of the blocks they produce.
    void within(Context context, const xmlNode* node, int depth) {
        flush();
        const Context saved = context_;
        context_ = context;
        walk_children(node, depth);
        flush();
        context_ = saved;
    }

    // Each row becomes one block, cells joined by tabs; rows of nested tables are read on
    // their own after the row that holds them.
    void read_table(const xmlNode* node, int depth) {
        if (depth > kMaxDepth) throw InputError("HTML is nested too deeply (over 512 levels)");
        for (const xmlNode* n = node->children; n; n = n->next) {
            if (n->type != XML_ELEMENT_NODE) continue;
            const std::string_view name = name_of(n);
            if (name == "tr")
                read_row(n, depth + 1);
            else if (name == "caption")
                visit(n, depth + 1);
            else if (is_one_of(name, {"thead", "tbody", "tfoot"}))
                read_table(n, depth + 1);
        }
    }

    void read_row(const xmlNode* row, int depth) {
        std::string line;
        bool first = true;
        for (const xmlNode* cell = row->children; cell; cell = cell->next) {
            if (cell->type != XML_ELEMENT_NODE || !is_one_of(name_of(cell), {"td", "th"})) continue;
            std::string text;
            append_text(cell, text, depth + 1);
            if (!first) line += '\t';
            line += collapse_to_line(text);
            first = false;
        }
        if (!is_blank(line)) doc_.blocks.push_back(Block{BlockKind::table_row, line, 0, 0});
    }

    // Cell text must stay on one line: tabs and newlines there would read as cell separators.
    static std::string collapse_to_line(std::string_view text) {
        std::string out;
        bool space = false;
        for (char c : trim(text)) {
            if (std::isspace(static_cast<unsigned char>(c))) {
                space = true;
                continue;
            }
            if (space && !out.empty()) out += ' ';
            space = false;
            out += c;
        }
        return out;
    }

    // Line breaks in HTML source are plain spaces (only <br> and <pre> break lines); folding
    // them here keeps the normalizer from taking them for line ends of a printed page.
    void append_source_text(std::string_view text) {
        if (preformatted_) {
            buffer_ += text;
            return;
        }
        for (char c : text) {
            const bool space = std::isspace(static_cast<unsigned char>(c));
            if (!space)
                buffer_ += c;
            else if (!buffer_.empty() && !std::isspace(static_cast<unsigned char>(buffer_.back())))
                buffer_ += ' ';
        }
    }

    void flush() {
        std::string_view text = trim(buffer_);
        if (context_.kind == BlockKind::list_item) text = without_typed_bullet(text);
        if (!text.empty())
            doc_.blocks.push_back(Block{context_.kind, std::string(text), context_.level, 0});
        buffer_.clear();
    }

    RawDocument& doc_;
    std::string buffer_;
    Context context_;
    int list_depth_ = 0;
    int preformatted_ = 0;
};

// Without a declared charset libxml2 assumes Latin-1; the web (and our corpus) is UTF-8.
const char* assumed_encoding(std::string_view bytes) {
    std::string head(bytes.substr(0, 2048));
    std::transform(head.begin(), head.end(), head.begin(), [](unsigned char c) { return std::tolower(c); });
    return head.find("charset") != std::string::npos ? nullptr : "UTF-8";
}

DocPtr parse_html(std::string_view bytes) {
    if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        throw LimitExceeded("HTML file is too large");
    const int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET;
    DocPtr doc(htmlReadMemory(bytes.data(), static_cast<int>(bytes.size()), nullptr,
                              assumed_encoding(bytes), options));
    if (!doc || !xmlDocGetRootElement(doc.get())) throw InputError("HTML could not be parsed (no document element)");
    return doc;
}

}  // namespace

void read_html(std::string_view bytes, RawDocument& doc) {
    const DocPtr html = parse_html(bytes);
    const std::size_t before = doc.blocks.size();
    BlockWalker(doc).read(xmlDocGetRootElement(html.get()));
    if (doc.blocks.size() == before) throw InputError("HTML has no readable text");
}

}  // namespace mandala::indexer
