// DOCX: a zip archive (Poco::Zip) holding WordprocessingML parts (read with Poco's SAX parser).
// word/document.xml gives the paragraphs and tables; word/styles.xml tells which paragraph
// styles are headings or lists (style ids are localized, style names are not); footnotes and
// endnotes are appended as paragraphs "N text", and their references in the body become
// superscript digits, the form the segmenter links footnotes by.
#include <Poco/Exception.h>
#include <Poco/SAX/Attributes.h>
#include <Poco/SAX/DefaultHandler.h>
#include <Poco/SAX/SAXException.h>
#include <Poco/SAX/SAXParser.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/readers/read.h"
#include "text/errors.h"

namespace mandala::indexer {
namespace {

constexpr std::string_view kWordNs = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr std::string_view kMathNs = "http://schemas.openxmlformats.org/officeDocument/2006/math";
constexpr std::string_view kCompatibilityNs = "http://schemas.openxmlformats.org/markup-compatibility/2006";

// A part inflating beyond this is a decompression bomb, not a document.
constexpr std::size_t kMaxPartBytes = 64ull * 1024 * 1024;
constexpr int kMaxStyleChain = 32;

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

std::optional<int> to_int(const std::string& s) {
    try {
        std::size_t used = 0;
        const int value = std::stoi(s, &used);
        if (used == s.size()) return value;
    } catch (const std::exception&) {
    }
    return std::nullopt;
}

// "19" -> "¹⁹": the form footnote references take in the text version of the corpus.
std::string superscript_digits(std::string_view digits) {
    static constexpr std::array<std::string_view, 10> kSuperscripts = {
        "\u2070", "\u00B9", "\u00B2", "\u00B3", "\u2074", "\u2075", "\u2076", "\u2077", "\u2078", "\u2079"};
    std::string out;
    for (char c : digits)
        if (c >= '0' && c <= '9')
            out += kSuperscripts[static_cast<std::size_t>(c - '0')];
        else
            out += c;
    return out;
}

bool is_number(std::string_view s) {
    s = trim(s);
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) || c == ','; });
}

// ---------------------------------------------------------------------------------------------
// Zip access

// Poco trusts the size a ZIP64 end-of-central-directory record ("PK\6\6") gives for itself and
// allocates it before reading: a 65-byte file found by fuzz_docx asked for 434 PB. A record that
// is cut off or claims more bytes than the file holds is refused before Poco parses anything.
void reject_impossible_zip64_records(std::string_view bytes) {
    static constexpr std::string_view kSignature("PK\x06\x06", 4);
    constexpr std::size_t kSizeField = 4, kFixedPart = 12;  // signature, then an 8-byte size
    for (auto at = bytes.find(kSignature); at != std::string_view::npos; at = bytes.find(kSignature, at + 1)) {
        if (bytes.size() - at < kFixedPart) throw InputError("DOCX is not a valid zip archive (cut-off ZIP64 record)");
        std::uint64_t size = 0;
        for (std::size_t i = 8; i-- > 0;) size = size << 8 | static_cast<unsigned char>(bytes[at + kSizeField + i]);
        if (size > bytes.size() - at - kFixedPart)
            throw InputError("DOCX is not a valid zip archive (a ZIP64 record larger than the file)");
    }
}

class DocxArchive {
public:
    explicit DocxArchive(std::string_view bytes) : stream_(std::string(bytes)) {
        reject_impossible_zip64_records(bytes);
        try {
            archive_.emplace(stream_);
        } catch (const Poco::Exception&) {
            throw InputError("DOCX is not a valid zip archive");
        } catch (const std::exception&) {
            throw InputError("DOCX is not a valid zip archive");
        }
        if (archive_->headerBegin() == archive_->headerEnd()) throw InputError("DOCX is not a valid zip archive");
    }

    // The inflated part, or nothing when the archive has no such entry.
    std::optional<std::string> part(const std::string& name) {
        const auto header = archive_->findHeader(name);
        if (header == archive_->headerEnd()) return std::nullopt;
        if (header->second.isEncrypted()) throw InputError("DOCX is encrypted (" + name + ")");
        if (header->second.getUncompressedSize() > kMaxPartBytes) throw too_large(name);
        try {
            stream_.clear();
            Poco::Zip::ZipInputStream in(stream_, header->second, true);
            return read_capped(in, name);
        } catch (const Poco::Exception& e) {
            throw InputError("DOCX is damaged: cannot inflate " + name + " (" + e.displayText() + ")");
        }
    }

private:
    static LimitExceeded too_large(const std::string& name) {
        return LimitExceeded("DOCX part " + name + " inflates to more than " +
                             std::to_string(kMaxPartBytes / (1024 * 1024)) + " MB");
    }

    // Sizes in zip headers can lie; the cap is enforced on the bytes actually inflated.
    static std::string read_capped(std::istream& in, const std::string& name) {
        std::string out;
        std::array<char, 64 * 1024> chunk{};
        while (in.read(chunk.data(), chunk.size()) || in.gcount() > 0) {
            out.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
            if (out.size() > kMaxPartBytes) throw too_large(name);
        }
        return out;
    }

    std::istringstream stream_;
    std::optional<Poco::Zip::ZipArchive> archive_;
};

// ---------------------------------------------------------------------------------------------
// SAX plumbing

using Poco::XML::Attributes;
using Poco::XML::XMLChar;
using Poco::XML::XMLString;

std::string word_attribute(const Attributes& attributes, const char* name) {
    return attributes.getValue(std::string(kWordNs), name);
}

void parse_xml(const std::string& xml, Poco::XML::DefaultHandler& handler, const std::string& part) {
    Poco::XML::SAXParser parser;
    parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, true);
    parser.setContentHandler(&handler);
    try {
        parser.parseMemoryNP(xml.data(), xml.size());
    } catch (const Poco::Exception& e) {
        throw InputError("DOCX is damaged: " + part + " is not well-formed XML (" + e.displayText() + ")");
    }
}

// ---------------------------------------------------------------------------------------------
// styles.xml: which paragraph styles are headings (and of which level) and which are lists

struct StyleRecord {
    std::string name;
    std::string based_on;
    int outline_level = -1;  // w:outlineLvl, 0-based; 9 means body text
    bool numbered = false;
};

struct StyleKind {
    int heading_level = 0;
    bool list = false;
};

using StyleTable = std::map<std::string, StyleKind>;

class StylesHandler : public Poco::XML::DefaultHandler {
public:
    std::map<std::string, StyleRecord> records;

    void startElement(const XMLString& uri, const XMLString& local, const XMLString&, const Attributes& attrs) override {
        if (uri != kWordNs) return;
        if (local == "style") {
            in_paragraph_style_ = word_attribute(attrs, "type") == "paragraph" || word_attribute(attrs, "type").empty();
            id_ = word_attribute(attrs, "styleId");
            current_ = StyleRecord{};
        }
        if (!in_paragraph_style_) return;
        if (local == "name") current_.name = word_attribute(attrs, "val");
        if (local == "basedOn") current_.based_on = word_attribute(attrs, "val");
        if (local == "outlineLvl") current_.outline_level = to_int(word_attribute(attrs, "val")).value_or(-1);
        if (local == "numPr") current_.numbered = true;
    }
    void endElement(const XMLString& uri, const XMLString& local, const XMLString&) override {
        if (uri == kWordNs && local == "style" && in_paragraph_style_ && !id_.empty()) records[id_] = current_;
        if (uri == kWordNs && local == "style") in_paragraph_style_ = false;
    }

private:
    bool in_paragraph_style_ = false;
    std::string id_;
    StyleRecord current_;
};

// "heading 2", "Heading2", "Title", "Chapter Heading": the level a style's own name implies.
int heading_level_from_name(std::string_view name) {
    const std::string n = lower(name);
    if (n == "title") return 1;
    if (n.find("heading") == std::string::npos) return 0;
    if (n.find("char") != std::string::npos) return 0;  // linked character styles
    for (char c : n)
        if (c >= '1' && c <= '6') return c - '0';
    return 1;
}

bool is_list_name(std::string_view name) {
    const std::string n = lower(name);
    return n.find("list") != std::string::npos && n.find("table") == std::string::npos;
}

StyleKind resolve_style(const std::map<std::string, StyleRecord>& records, std::string id) {
    StyleKind kind;
    for (int step = 0; step < kMaxStyleChain && !id.empty(); ++step) {
        const auto it = records.find(id);
        if (it == records.end()) break;
        const StyleRecord& r = it->second;
        if (!kind.heading_level) kind.heading_level = heading_level_from_name(r.name);
        if (!kind.heading_level && r.outline_level >= 0 && r.outline_level < 6) kind.heading_level = r.outline_level + 1;
        kind.list = kind.list || r.numbered || is_list_name(r.name);
        id = r.based_on;
    }
    return kind;
}

StyleTable read_styles(const std::optional<std::string>& xml) {
    StyleTable table;
    if (!xml) return table;
    StylesHandler handler;
    parse_xml(*xml, handler, "word/styles.xml");
    for (const auto& [id, record] : handler.records) table[id] = resolve_style(handler.records, id);
    return table;
}

// Without styles.xml only the built-in ids can be recognized.
StyleKind style_kind(const StyleTable& styles, const std::string& id) {
    if (const auto it = styles.find(id); it != styles.end()) return it->second;
    return StyleKind{heading_level_from_name(id), is_list_name(id)};
}

// ---------------------------------------------------------------------------------------------
// document.xml, footnotes.xml, endnotes.xml: paragraphs, runs and tables

struct Paragraph {
    std::string text;
    std::string style;
    bool numbered = false;
    int list_level = 0;
    int outline_level = -1;
};

struct Run {
    std::string text;
    bool superscript = false;
};

// Numbers shown for footnote references, in order of first appearance in the body.
struct NoteNumbers {
    std::map<std::string, int> by_id;
    int last = 0;
    int number_for(const std::string& id) {
        auto [it, inserted] = by_id.try_emplace(id, last + 1);
        if (inserted) ++last;
        return it->second;
    }
};

class WordHandler : public Poco::XML::DefaultHandler {
public:
    using ParagraphSink = std::function<void(const Paragraph&)>;

    WordHandler(NoteNumbers& footnotes, NoteNumbers& endnotes, ParagraphSink sink)
        : footnotes_(footnotes), endnotes_(endnotes), sink_(std::move(sink)) {}

    // Emitted table rows, in document order relative to paragraphs, go through the sink too.
    std::function<void(const std::string&)> row_sink;

    void startElement(const XMLString& uri, const XMLString& local, const XMLString&, const Attributes& attrs) override {
        if (skipping_) {
            ++skipping_;
            return;
        }
        if (is_skipped_element(uri, local)) {
            skipping_ = 1;
            return;
        }
        if (uri == kWordNs) start_word_element(local, attrs);
        if (uri == kMathNs) start_math_element(local);
    }

    void endElement(const XMLString& uri, const XMLString& local, const XMLString&) override {
        if (skipping_) {
            --skipping_;
            return;
        }
        if (uri == kWordNs) end_word_element(local);
        if (uri == kMathNs) end_math_element(local);
    }

    void characters(const XMLChar ch[], int start, int length) override {
        if (in_text_ && !skipping_ && run_)
            run_->text.append(ch + start, static_cast<std::size_t>(length));
    }

private:
    struct Table {
        std::vector<std::string> cells;
        bool in_cell = false;
    };

    // Moved-away text and the fallback copy of alternate content would duplicate words.
    static bool is_skipped_element(const XMLString& uri, const XMLString& local) {
        return (uri == kCompatibilityNs && local == "Fallback") ||
               (uri == kWordNs && (local == "moveFrom" || local == "delText" || local == "instrText"));
    }

    void start_word_element(const XMLString& local, const Attributes& attrs) {
        if (local == "p") {
            paragraphs_.emplace_back();
        } else if (local == "pPr") {
            ++in_paragraph_properties_;
        } else if (local == "r") {
            run_.emplace();
        } else if (local == "t") {
            in_text_ = true;
        } else if (local == "tab") {
            append_to_run(tables_.empty() ? "\t" : " ");
        } else if (local == "br" || local == "cr") {
            append_to_run("\n");
        } else if (local == "noBreakHyphen") {
            append_to_run("-");
        } else if (local == "footnoteReference") {
            append_to_run(superscript_digits(std::to_string(footnotes_.number_for(word_attribute(attrs, "id")))));
        } else if (local == "endnoteReference") {
            append_to_run(superscript_digits(std::to_string(endnotes_.number_for(word_attribute(attrs, "id")))));
        } else if (local == "vertAlign" && run_ && !in_paragraph_properties_) {
            run_->superscript = word_attribute(attrs, "val") == "superscript";
        } else if (local == "tbl") {
            tables_.emplace_back();
        } else if (local == "tr" && !tables_.empty()) {
            tables_.back().cells.clear();
        } else if (local == "tc" && !tables_.empty()) {
            tables_.back().cells.emplace_back();
            tables_.back().in_cell = true;
        } else if (!paragraphs_.empty() && in_paragraph_properties_) {
            paragraph_property(local, attrs);
        }
    }

    // Office Math keeps its characters in m:r/m:t runs; they read as plain text.
    void start_math_element(const XMLString& local) {
        if (local == "r") run_.emplace();
        if (local == "t") in_text_ = true;
    }
    void end_math_element(const XMLString& local) {
        if (local == "t") in_text_ = false;
        if (local == "r") end_run();
    }

    void paragraph_property(const XMLString& local, const Attributes& attrs) {
        Paragraph& p = paragraphs_.back();
        if (local == "pStyle") p.style = word_attribute(attrs, "val");
        if (local == "numId") p.numbered = word_attribute(attrs, "val") != "0";
        if (local == "ilvl") p.list_level = std::clamp(to_int(word_attribute(attrs, "val")).value_or(0), 0, 8);
        if (local == "outlineLvl") p.outline_level = to_int(word_attribute(attrs, "val")).value_or(-1);
    }

    void end_word_element(const XMLString& local) {
        if (local == "t") {
            in_text_ = false;
        } else if (local == "pPr") {
            --in_paragraph_properties_;
        } else if (local == "r") {
            end_run();
        } else if (local == "p" && !paragraphs_.empty()) {
            end_paragraph();
        } else if (local == "tc" && !tables_.empty()) {
            tables_.back().in_cell = false;
        } else if (local == "tr" && !tables_.empty()) {
            end_row();
        } else if (local == "tbl" && !tables_.empty()) {
            tables_.pop_back();
        }
    }

    void append_to_run(std::string_view s) {
        if (run_) run_->text += s;
    }

    // A superscript run of digits is a footnote mark typed by hand: it gets the same form as a
    // real footnote reference.
    void end_run() {
        if (!run_ || paragraphs_.empty()) {
            run_.reset();
            return;
        }
        const bool mark = run_->superscript && is_number(run_->text);
        paragraphs_.back().text += mark ? superscript_digits(trim(run_->text)) : run_->text;
        run_.reset();
    }

    // Paragraphs nest inside paragraphs in text boxes; the inner one is emitted on its own.
    void end_paragraph() {
        Paragraph p = std::move(paragraphs_.back());
        paragraphs_.pop_back();
        if (!tables_.empty() && tables_.back().in_cell) {
            std::string& cell = tables_.back().cells.back();
            const std::string_view text = trim(p.text);
            if (!cell.empty() && !text.empty()) cell += ' ';
            cell += text;
            return;
        }
        sink_(p);
    }

    void end_row() {
        std::string line;
        bool any_text = false;
        for (std::size_t i = 0; i < tables_.back().cells.size(); ++i) {
            if (i) line += '\t';
            std::string cell = tables_.back().cells[i];
            std::replace(cell.begin(), cell.end(), '\n', ' ');
            std::replace(cell.begin(), cell.end(), '\t', ' ');
            any_text = any_text || !trim(cell).empty();
            line += cell;
        }
        tables_.back().cells.clear();
        if (any_text && row_sink) row_sink(line);
    }

    NoteNumbers& footnotes_;
    NoteNumbers& endnotes_;
    ParagraphSink sink_;
    std::vector<Paragraph> paragraphs_;
    std::vector<Table> tables_;
    std::optional<Run> run_;
    int in_paragraph_properties_ = 0;
    int skipping_ = 0;
    bool in_text_ = false;
};

// A bullet typed into a list item ("· Item") repeats the list's own marker.
std::string_view without_typed_bullet(std::string_view text) {
    for (std::string_view bullet : {"- ", "* ", "+ ", "\u2022 ", "\u25AA ", "\u25CF ", "\u00B7 "})
        if (text.starts_with(bullet)) return trim(text.substr(bullet.size()));
    return text;
}

Block block_for(const Paragraph& p, const StyleTable& styles) {
    const StyleKind kind = style_kind(styles, p.style);
    std::string text(trim(p.text));
    if (p.outline_level >= 0 && p.outline_level < 6) return Block{BlockKind::heading, text, p.outline_level + 1, 0};
    if (kind.heading_level) return Block{BlockKind::heading, text, kind.heading_level, 0};
    if (p.numbered || kind.list)
        return Block{BlockKind::list_item, std::string(without_typed_bullet(text)), p.list_level, 0};
    return Block{BlockKind::paragraph, text, 0, 0};
}

void read_body(const std::string& xml, const StyleTable& styles, NoteNumbers& footnotes, NoteNumbers& endnotes,
               RawDocument& doc) {
    WordHandler handler(footnotes, endnotes, [&](const Paragraph& p) {
        Block block = block_for(p, styles);
        if (!block.text.empty()) doc.blocks.push_back(std::move(block));
    });
    handler.row_sink = [&](const std::string& row) { doc.blocks.push_back(Block{BlockKind::table_row, row, 0, 0}); };
    parse_xml(xml, handler, "word/document.xml");
}

// footnotes.xml / endnotes.xml: the text of each note by id (separator notes have none).
class NotesHandler : public Poco::XML::DefaultHandler {
public:
    explicit NotesHandler(std::string element) : element_(std::move(element)) {}
    std::map<std::string, std::string> texts;

    void startElement(const XMLString& uri, const XMLString& local, const XMLString& q, const Attributes& attrs) override {
        if (uri == kWordNs && local == element_) {
            id_ = word_attribute(attrs, "id");
            const std::string type = word_attribute(attrs, "type");
            in_note_ = type.empty() || type == "normal";
            body_.emplace(unused_, unused_, [this](const Paragraph& p) { add(p.text); });
            body_->row_sink = [this](const std::string& row) { add(row); };
            return;
        }
        if (in_note_ && body_) body_->startElement(uri, local, q, attrs);
    }
    void endElement(const XMLString& uri, const XMLString& local, const XMLString& q) override {
        if (uri == kWordNs && local == element_) {
            in_note_ = false;
            body_.reset();
            return;
        }
        if (in_note_ && body_) body_->endElement(uri, local, q);
    }
    void characters(const XMLChar ch[], int start, int length) override {
        if (in_note_ && body_) body_->characters(ch, start, length);
    }

private:
    void add(std::string_view text) {
        text = trim(text);
        if (text.empty()) return;
        std::string& note = texts[id_];
        if (!note.empty()) note += ' ';
        note += text;
    }

    std::string element_;
    std::string id_;
    bool in_note_ = false;
    NoteNumbers unused_;  // notes do not cite notes
    std::optional<WordHandler> body_;
};

void append_notes(const std::optional<std::string>& xml, const char* element, const char* part,
                  const NoteNumbers& numbers, RawDocument& doc) {
    if (!xml || numbers.by_id.empty()) return;
    NotesHandler handler(element);
    parse_xml(*xml, handler, part);
    std::map<int, std::string> by_number;
    for (const auto& [id, number] : numbers.by_id)
        if (const auto it = handler.texts.find(id); it != handler.texts.end()) by_number[number] = it->second;
    for (const auto& [number, text] : by_number)
        doc.blocks.push_back(Block{BlockKind::paragraph, std::to_string(number) + " " + text, 0, 0});
}

}  // namespace

void read_docx(std::string_view bytes, RawDocument& doc) {
    DocxArchive archive(bytes);
    const std::optional<std::string> body = archive.part("word/document.xml");
    if (!body) throw InputError("DOCX has no word/document.xml");
    const StyleTable styles = read_styles(archive.part("word/styles.xml"));
    NoteNumbers footnotes;
    NoteNumbers endnotes;
    const std::size_t before = doc.blocks.size();
    read_body(*body, styles, footnotes, endnotes, doc);
    append_notes(archive.part("word/footnotes.xml"), "footnote", "word/footnotes.xml", footnotes, doc);
    append_notes(archive.part("word/endnotes.xml"), "endnote", "word/endnotes.xml", endnotes, doc);
    if (doc.blocks.size() == before) throw InputError("DOCX has no text");
}

}  // namespace mandala::indexer
