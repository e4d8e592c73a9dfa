#include "web/export.h"

#include <Poco/DateTime.h>
#include <Poco/Path.h>
#include <Poco/SAX/AttributesImpl.h>
#include <Poco/XML/XMLWriter.h>
#include <Poco/Zip/Compress.h>

#include <sstream>

#include "catalog/list_markers.h"
#include "text/errors.h"

namespace mandala::web {
using Poco::JSON::Array;
using Poco::JSON::Object;

ResolvedPack resolve(const std::filesystem::path& db_dir, const Pack& pack) {
    ResolvedPack out{pack, {}};
    for (std::size_t i = 0; i < pack.items.size(); ++i) {
        ResolvedItem r;
        r.position = i + 1;
        r.item = pack.items[i];
        try {
            r.citation = cite(db_dir, r.item.passage);
        } catch (const NotFound&) {
            r.missing = true;
            r.citation.passage = r.item.passage;
        }
        out.items.push_back(std::move(r));
    }
    return out;
}

Object::Ptr pack_json(const ResolvedPack& p) {
    Object::Ptr o = new Object;
    o->set("id", p.pack.id);
    o->set("title", p.pack.title);
    o->set("description", p.pack.description);
    o->set("created", p.pack.created);
    o->set("updated", p.pack.updated);
    Array::Ptr items = new Array;
    for (const auto& r : p.items) {
        Object::Ptr x = new Object;
        x->set("n", r.position);
        x->set("passage", r.item.passage);
        x->set("note", r.item.note);
        x->set("missing", r.missing);
        x->set("text", r.citation.text);
        x->set("doc", r.citation.doc);
        x->set("title", r.citation.title);
        x->set("publisher", r.citation.publisher);
        x->set("year", r.citation.year);
        x->set("page", r.citation.page);
        Array::Ptr section = new Array;
        for (const auto& s : r.citation.section) section->add(s);
        x->set("section", section);
        x->set("citation", r.missing ? std::string("(passage no longer indexed)") : citation_text(r.citation));
        items->add(x);
    }
    o->set("items", items);
    return o;
}

std::string html_escape(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

namespace {

std::string md_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (std::string_view("\\`*_[]<>#|").find(c) != std::string_view::npos) out += '\\';
        out += c;
    }
    return out;
}

std::string quote_lines(const std::string& s) {
    std::string out = "> ";
    for (char c : s) {
        out += c;
        if (c == '\n') out += "> ";
    }
    return out;
}

// XML 1.0 forbids most control characters; drop them rather than write a broken document.
std::string xml_safe(const std::string& s) {
    std::string out;
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n') out += c;
    return out;
}

constexpr const char* kW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

// A passage's text line by line: a list passage keeps each item on a line of its own, opening
// with a bullet (indexer/list_markers.h, docs/schema.md); other lines are paragraphs (a lead-in).
struct TextLine {
    bool item = false;
    std::string text;
};

std::vector<TextLine> text_lines(const std::string& text) {
    std::vector<TextLine> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (line.empty()) continue;
        const std::size_t bullet = catalog::item_bullet(line);
        out.push_back({bullet > 0, line.substr(bullet)});
    }
    return out;
}

// A passage as HTML: plain text when it is one paragraph, else paragraphs and <ul> lists.
std::string passage_html(const std::string& text) {
    const std::vector<TextLine> lines = text_lines(text);
    if (lines.size() <= 1 && (lines.empty() || !lines[0].item)) return html_escape(text);
    std::string out;
    bool in_list = false;
    for (const auto& l : lines) {
        if (l.item != in_list) out += l.item ? "<ul>" : "</ul>";
        in_list = l.item;
        out += (l.item ? "<li>" : "<p>") + html_escape(l.text) + (l.item ? "</li>" : "</p>");
    }
    if (in_list) out += "</ul>";
    return out;
}

}  // namespace

std::string export_markdown(const ResolvedPack& p) {
    std::ostringstream out;
    out << "# " << md_escape(p.pack.title.empty() ? "Reading pack" : p.pack.title) << "\n\n";
    if (!p.pack.description.empty()) out << md_escape(p.pack.description) << "\n\n";
    for (const auto& r : p.items) {
        out << "## " << r.position << ". " << md_escape(r.citation.title.empty() ? r.item.passage : r.citation.title) << "\n\n";
        if (!r.item.note.empty()) out << "*Note:* " << md_escape(r.item.note) << "\n\n";
        out << quote_lines(md_escape(r.citation.text)) << "\n\n";
        out << "— " << md_escape(r.missing ? r.item.passage + " (no longer indexed)" : citation_text(r.citation)) << " [" << md_escape(r.item.passage) << "]\n\n";
    }
    return out.str();
}

std::string export_html(const ResolvedPack& p) {
    std::ostringstream out;
    const std::string title = html_escape(p.pack.title.empty() ? "Reading pack" : p.pack.title);
    out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" << title << "</title>"
        << "<style>body{font:16px/1.5 Georgia,serif;max-width:42em;margin:2em auto;padding:0 1em;color:#222}"
        << "h1{font-size:1.8em}h2{font-size:1.15em;margin-top:2em}blockquote{margin:.5em 0;padding:.2em 1em;"
        << "border-left:3px solid #999;background:#f6f6f6}blockquote p,blockquote ul{margin:.3em 0}.note{font-style:italic}.cite{font-size:.9em;color:#555}"
        << "@media print{blockquote{background:none}h2{break-after:avoid}}</style></head><body>\n"
        << "<h1>" << title << "</h1>\n";
    if (!p.pack.description.empty()) out << "<p class=\"description\">" << html_escape(p.pack.description) << "</p>\n";
    out << "<ol class=\"items\">\n";
    for (const auto& r : p.items) {
        out << "<li><h2>" << html_escape(r.citation.title.empty() ? r.item.passage : r.citation.title) << "</h2>\n";
        if (!r.item.note.empty()) out << "<p class=\"note\">" << html_escape(r.item.note) << "</p>\n";
        out << "<blockquote>" << passage_html(r.citation.text) << "</blockquote>\n";
        out << "<p class=\"cite\">" << html_escape(r.missing ? "(no longer indexed)" : citation_text(r.citation)) << " ["
            << html_escape(r.item.passage) << "]</p></li>\n";
    }
    out << "</ol>\n</body></html>\n";
    return out.str();
}

namespace {

class DocxWriter {
public:
    explicit DocxWriter(std::ostream& out) : xml_(out, Poco::XML::XMLWriter::WRITE_XML_DECLARATION) {}

    void begin() {
        xml_.startDocument();
        Poco::XML::AttributesImpl attrs;
        attrs.addAttribute("", "", "xmlns:w", "CDATA", kW);
        xml_.startElement("", "", "w:document", attrs);
        xml_.startElement("", "", "w:body");
    }
    // `list_item`: a bullet item of the pack's list numbering (numbering.xml, numId 1).
    void paragraph(const std::string& style, const std::string& text, bool italic = false, bool list_item = false) {
        xml_.startElement("", "", "w:p");
        if (!style.empty()) {
            xml_.startElement("", "", "w:pPr");
            xml_.emptyElement("", "", "w:pStyle", val(style));
            if (list_item) {
                xml_.startElement("", "", "w:numPr");
                xml_.emptyElement("", "", "w:ilvl", val("0"));
                xml_.emptyElement("", "", "w:numId", val("1"));
                xml_.endElement("", "", "w:numPr");
            }
            xml_.endElement("", "", "w:pPr");
        }
        xml_.startElement("", "", "w:r");
        if (italic) {
            xml_.startElement("", "", "w:rPr");
            xml_.emptyElement("", "", "w:i");
            xml_.endElement("", "", "w:rPr");
        }
        Poco::XML::AttributesImpl space;
        space.addAttribute("", "", "xml:space", "CDATA", "preserve");
        xml_.startElement("", "", "w:t", space);
        const std::string safe = xml_safe(text);
        xml_.characters(safe);
        xml_.endElement("", "", "w:t");
        xml_.endElement("", "", "w:r");
        xml_.endElement("", "", "w:p");
    }
    void end() {
        xml_.endElement("", "", "w:body");
        xml_.endElement("", "", "w:document");
        xml_.endDocument();
    }

private:
    static Poco::XML::AttributesImpl val(const std::string& v) {
        Poco::XML::AttributesImpl a;
        a.addAttribute("", "", "w:val", "CDATA", v);
        return a;
    }

    Poco::XML::XMLWriter xml_;
};

constexpr const char* kContentTypes =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
    R"(<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>)"
    R"(<Default Extension="xml" ContentType="application/xml"/>)"
    R"(<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>)"
    R"(<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>)"
    R"(<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>)"
    R"(</Types>)";

constexpr const char* kRels =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>)"
    R"(</Relationships>)";

constexpr const char* kDocumentRels =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>)"
    R"(<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>)"
    R"(</Relationships>)";

// One bullet list definition (numId 1): list items of quoted passages are Word list paragraphs.
constexpr const char* kNumbering =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    R"(<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">)"
    R"(<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="singleLevel"/>)"
    R"(<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="&#x2022;"/><w:lvlJc w:val="left"/>)"
    R"(<w:pPr><w:ind w:left="1080" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>)"
    R"(<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>)";

std::string style(const char* id, const char* name, const char* ppr, const char* rpr) {
    return std::string("<w:style w:type=\"paragraph\" w:styleId=\"") + id + "\"><w:name w:val=\"" + name +
           "\"/><w:basedOn w:val=\"Normal\"/><w:pPr>" + ppr + "</w:pPr><w:rPr>" + rpr + "</w:rPr></w:style>";
}

std::string styles_xml() {
    return std::string(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)") + "<w:styles xmlns:w=\"" + kW + "\">" +
           R"(<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:pPr><w:spacing w:after="120"/></w:pPr><w:rPr><w:sz w:val="22"/></w:rPr></w:style>)" +
           style("Title", "Title", "<w:spacing w:after=\"240\"/>", "<w:b/><w:sz w:val=\"40\"/>") +
           style("Heading1", "heading 1", "<w:keepNext/><w:spacing w:before=\"360\" w:after=\"120\"/><w:outlineLvl w:val=\"0\"/>",
                 "<w:b/><w:sz w:val=\"28\"/>") +
           style("Quote", "Quote", "<w:ind w:left=\"720\" w:right=\"720\"/>", "<w:i/>") +
           style("ListBullet", "List Bullet", "<w:numPr><w:numId w:val=\"1\"/></w:numPr><w:ind w:left=\"1080\" w:right=\"720\" w:hanging=\"360\"/>", "<w:i/>") +
           style("Citation", "Citation", "<w:ind w:left=\"720\"/>", "<w:color w:val=\"555555\"/><w:sz w:val=\"18\"/>") +
           style("Note", "Note", "", "<w:color w:val=\"1F4E79\"/>") + "</w:styles>";
}

}  // namespace

std::string export_docx(const ResolvedPack& p) {
    std::ostringstream document;
    DocxWriter w(document);
    w.begin();
    w.paragraph("Title", p.pack.title.empty() ? "Reading pack" : p.pack.title);
    if (!p.pack.description.empty()) w.paragraph("", p.pack.description);
    for (const auto& r : p.items) {
        w.paragraph("Heading1", std::to_string(r.position) + ". " + (r.citation.title.empty() ? r.item.passage : r.citation.title));
        if (!r.item.note.empty()) w.paragraph("Note", "Note: " + r.item.note);
        const std::vector<TextLine> lines = text_lines(r.citation.text);
        if (lines.empty()) w.paragraph("Quote", r.citation.text);
        for (const auto& line : lines) w.paragraph(line.item ? "ListBullet" : "Quote", line.text, false, line.item);
        w.paragraph("Citation", (r.missing ? "(no longer indexed)" : citation_text(r.citation)) + " [" + r.item.passage + "]");
    }
    w.end();

    std::ostringstream zip;
    Poco::Zip::Compress compress(zip, true);
    const Poco::DateTime now;
    auto add = [&](const std::string& name, const std::string& content) {
        std::istringstream in(content);
        compress.addFile(in, now, Poco::Path(name, Poco::Path::PATH_UNIX), Poco::Zip::ZipCommon::CM_DEFLATE);
    };
    add("[Content_Types].xml", kContentTypes);
    add("_rels/.rels", kRels);
    add("word/_rels/document.xml.rels", kDocumentRels);
    add("word/styles.xml", styles_xml());
    add("word/numbering.xml", kNumbering);
    add("word/document.xml", document.str());
    compress.close();
    return zip.str();
}

}  // namespace mandala::web
