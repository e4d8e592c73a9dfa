// Unit tests of the HTML, PDF and DOCX readers on small inputs written here: a hand-made HTML
// fixture, DOCX archives zipped at run time with Poco::Zip, and PDFs assembled byte by byte.
#include <Poco/DateTime.h>
#include <Poco/Path.h>
#include <Poco/Zip/Compress.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "indexer/readers/read.h"
#include "text/errors.h"

// Fontconfig, which poppler asks for the standard fonts our generated PDFs use, keeps a cache
// it never frees; it is not ours to fix, so the leak checker is told to let it be.
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig\n"; }

namespace {

using mandala::InputError;
using mandala::LimitExceeded;
using mandala::indexer::Block;
using mandala::indexer::BlockKind;
using mandala::indexer::RawDocument;

std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

const Block* find_block(const RawDocument& doc, const std::string& text) {
    for (const Block& b : doc.blocks)
        if (b.text == text) return &b;
    return nullptr;
}

bool any_block_contains(const RawDocument& doc, const std::string& needle) {
    for (const Block& b : doc.blocks)
        if (b.text.find(needle) != std::string::npos) return true;
    return false;
}

template <typename Reader>
RawDocument read_with(Reader reader, const std::string& bytes) {
    RawDocument doc;
    reader(bytes, doc);
    return doc;
}

// ---------------------------------------------------------------------------------------------
// DOCX built at run time

using Parts = std::map<std::string, std::string>;

std::string zip(const Parts& parts) {
    std::ostringstream out;
    Poco::Zip::Compress compress(out, true);
    for (const auto& [name, content] : parts) {
        std::istringstream in(content);
        compress.addFile(in, Poco::DateTime(), Poco::Path(name, Poco::Path::PATH_UNIX));
    }
    compress.close();
    return out.str();
}

const char* const kWordNs = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

std::string word_document(const std::string& body) {
    return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document ") + kWordNs + "><w:body>" + body +
           "</w:body></w:document>";
}

std::string paragraph(const std::string& text, const std::string& style = "", const std::string& numbering = "") {
    std::string p = "<w:p>";
    if (!style.empty() || !numbering.empty()) {
        p += "<w:pPr>";
        if (!style.empty()) p += "<w:pStyle w:val=\"" + style + "\"/>";
        p += numbering;
        p += "</w:pPr>";
    }
    return p + "<w:r><w:t xml:space=\"preserve\">" + text + "</w:t></w:r></w:p>";
}

std::string numbering(int level) {
    return "<w:numPr><w:ilvl w:val=\"" + std::to_string(level) + "\"/><w:numId w:val=\"3\"/></w:numPr>";
}

// A localized heading style: German Word names its id "berschrift2" but keeps the English name.
const std::string kStyles = std::string("<?xml version=\"1.0\"?><w:styles ") + kWordNs +
                            "><w:style w:type=\"paragraph\" w:styleId=\"berschrift2\"><w:name w:val=\"heading 2\"/>"
                            "</w:style><w:style w:type=\"paragraph\" w:styleId=\"Aufzhlung\"><w:name "
                            "w:val=\"List Bullet\"/></w:style></w:styles>";

const std::string kFootnotes =
    std::string("<?xml version=\"1.0\"?><w:footnotes ") + kWordNs +
    "><w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>"
    "<w:footnote w:id=\"7\"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space=\"preserve\"> A note on "
    "sources.</w:t></w:r></w:p></w:footnote></w:footnotes>";

std::string sample_docx_body() {
    return paragraph("Field Guide", "Title") + paragraph("Chapter One", "Heading1") +
           paragraph("Localized Section", "berschrift2") +
           "<w:p><w:r><w:t>Patrols met weekly</w:t></w:r><w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\"/>"
           "</w:rPr><w:footnoteReference w:id=\"7\"/></w:r><w:r><w:t xml:space=\"preserve\"> in town.</w:t></w:r>"
           "<w:r><w:rPr><w:vertAlign w:val=\"superscript\"/></w:rPr><w:t>12</w:t></w:r></w:p>" +
           paragraph("First point", "Compact", numbering(0)) + paragraph("Nested point", "Compact", numbering(1)) +
           paragraph("Styled point", "Aufzhlung") +
           "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>DDR</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Disarmament"
           "</w:t></w:r></w:p></w:tc></w:tr></w:tbl>" +
           "<w:p><w:r><w:t>Kept</w:t></w:r><w:del><w:r><w:delText>Deleted</w:delText></w:r></w:del></w:p>";
}

std::string sample_docx() {
    return zip({{"word/document.xml", word_document(sample_docx_body())},
                {"word/styles.xml", kStyles},
                {"word/footnotes.xml", kFootnotes}});
}

// ---------------------------------------------------------------------------------------------
// PDF assembled by hand: Helvetica text lines at given positions, one content stream per page.

struct PdfLine {
    double x = 72, y = 700, size = 11;
    std::string text;  // WinAnsi bytes
};

std::string pdf_string(const std::string& s) {
    std::string out = "(";
    for (char c : s) {
        if (c == '(' || c == ')' || c == '\\') out += '\\';
        out += c;
    }
    return out + ")";
}

std::string content_stream(const std::vector<PdfLine>& lines) {
    std::ostringstream s;
    for (const PdfLine& l : lines)
        s << "BT /F1 " << l.size << " Tf 1 0 0 1 " << l.x << ' ' << l.y << " Tm " << pdf_string(l.text) << " Tj ET\n";
    return s.str();
}

std::string make_pdf(const std::vector<std::vector<PdfLine>>& pages, const std::string& encrypt_dict = "") {
    std::vector<std::string> objects;  // object i+1
    std::string kids;
    const std::size_t first_page = 4;
    for (std::size_t i = 0; i < pages.size(); ++i) kids += std::to_string(first_page + 2 * i) + " 0 R ";
    objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
    objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages.size()) + " >>");
    objects.push_back("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
    for (std::size_t i = 0; i < pages.size(); ++i) {
        const std::string stream = content_stream(pages[i]);
        objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> "
                          ">> /Contents " + std::to_string(first_page + 2 * i + 1) + " 0 R >>");
        objects.push_back("<< /Length " + std::to_string(stream.size()) + " >>\nstream\n" + stream + "endstream");
    }
    if (!encrypt_dict.empty()) objects.push_back(encrypt_dict);
    std::string pdf = "%PDF-1.4\n";
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < objects.size(); ++i) {
        offsets.push_back(pdf.size());
        pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    const std::size_t xref = pdf.size();
    pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
    for (std::size_t off : offsets) {
        char entry[32];
        std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", off);
        pdf += entry;
    }
    pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R";
    if (!encrypt_dict.empty())
        pdf += " /Encrypt " + std::to_string(objects.size()) + " 0 R /ID [<0123456789abcdef0123456789abcdef> "
               "<0123456789abcdef0123456789abcdef>]";
    pdf += " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    return pdf;
}

// Two pages: a large heading, a two-line paragraph, a gap, a paragraph cut by the page break,
// bullets (0x95 is the bullet in WinAnsi) and a bare page number.
std::vector<std::vector<PdfLine>> sample_pages() {
    return {{
                {72, 720, 18, "Lessons Learned"},
                {72, 690, 11, "Patrols were planned with the"},
                {72, 677, 11, "community every week."},
                {72, 650, 11, "Night patrols were rare and"},
                {72, 637, 11, "their reports"},
                {300, 60, 11, "1"},
            },
            {
                {72, 720, 11, "arrived late."},
                {72, 690, 11, "\x95 Plan jointly"},
                {72, 677, 11, "\x95 Report daily and"},
                {86, 664, 11, "in writing"},
                {90, 651, 11, "\x95 Keep copies"},
                {72, 620, 11, "Closing words."},
            }};
}

}  // namespace

// =============================================================================================
// HTML

TEST_CASE("HTML reader keeps headings, paragraphs, lists and table rows", "[unit][readers][html]") {
    const RawDocument doc =
        read_with(mandala::indexer::read_html, slurp(std::filesystem::path(MANDALA_FIXTURES_DIR) / "readers/sample.html"));

    const Block* title = find_block(doc, "Field Notes on Patrols");
    REQUIRE(title);
    CHECK(title->kind == BlockKind::heading);
    CHECK(title->level == 1);
    const Block* section = find_block(doc, "Freedom of Movement");
    REQUIRE(section);
    CHECK(section->kind == BlockKind::heading);
    CHECK(section->level == 3);

    const Block* para = find_block(doc, "Patrols met the village council every week & kept a log.");
    REQUIRE(para);
    CHECK(para->kind == BlockKind::paragraph);

    const Block* top = find_block(doc, "Agree routes in advance");
    const Block* nested = find_block(doc, "Share them with the council");
    REQUIRE(top);
    REQUIRE(nested);
    CHECK(top->kind == BlockKind::list_item);
    CHECK(top->level == 0);
    CHECK(nested->kind == BlockKind::list_item);
    CHECK(nested->level == 1);

    const Block* row = find_block(doc, "DDR\tDisarmament, demobilization and reintegration");
    REQUIRE(row);
    CHECK(row->kind == BlockKind::table_row);

    const Block* address = find_block(doc, "Camp Alpha\nNorth Sector");
    CHECK(address);
}

TEST_CASE("HTML reader drops scripts, styles, navigation, the head and all markup", "[unit][readers][html]") {
    const RawDocument doc =
        read_with(mandala::indexer::read_html, slurp(std::filesystem::path(MANDALA_FIXTURES_DIR) / "readers/sample.html"));
    CHECK_FALSE(any_block_contains(doc, "tracker"));
    CHECK_FALSE(any_block_contains(doc, "font-family"));
    CHECK_FALSE(any_block_contains(doc, "Home"));
    CHECK_FALSE(any_block_contains(doc, "Browser tab title"));
    CHECK_FALSE(any_block_contains(doc, "<"));
    CHECK(find_block(doc, "Emphasis stays as words, not tags."));
}

TEST_CASE("HTML reader leaves out the page furniture the markup names", "[unit][readers][html]") {
    const RawDocument doc = read_with(mandala::indexer::read_html,
                                      "<body><div role=\"banner\">Site of the ferry office</div>"
                                      "<main><p>The ferry crosses twice a day.</p>"
                                      "<aside><p>More stories about rivers</p></aside>"
                                      "<div aria-hidden=\"true\">Share</div><p hidden>Cookie notice</p></main>"
                                      "<div role=\"navigation\">Next story</div><footer>Contact the office</footer></body>");
    REQUIRE(doc.blocks.size() == 1);
    CHECK(doc.blocks[0].text == "The ferry crosses twice a day.");
}

TEST_CASE("HTML reader decodes UTF-8 without a declared charset", "[unit][readers][html]") {
    const RawDocument doc = read_with(mandala::indexer::read_html, "<p>C\xC3\xB4te d\xE2\x80\x99Ivoire</p>");
    REQUIRE(doc.blocks.size() == 1);
    CHECK(doc.blocks[0].text == "C\xC3\xB4te d\xE2\x80\x99Ivoire");
}

TEST_CASE("HTML reader refuses documents without text", "[unit][readers][html][errors]") {
    RawDocument doc;
    CHECK_THROWS_AS(mandala::indexer::read_html("", doc), InputError);
    CHECK_THROWS_AS(mandala::indexer::read_html("<html><head><title>x</title></head><body> </body></html>", doc),
                    InputError);
    CHECK_THROWS_AS(mandala::indexer::read_html("<script>var a = 1;</script>", doc), InputError);
}

TEST_CASE("HTML reader refuses absurdly deep nesting without crashing", "[unit][readers][html][errors]") {
    std::string html;
    for (int i = 0; i < 5000; ++i) html += "<div>";
    html += "deep";
    RawDocument doc;
    try {
        mandala::indexer::read_html(html, doc);
        CHECK(find_block(doc, "deep"));  // libxml2 may flatten it first; then reading it is fine
    } catch (const InputError&) {
        SUCCEED("refused");
    }
}

// =============================================================================================
// DOCX

TEST_CASE("DOCX reader maps heading styles, including localized ids, to levels", "[unit][readers][docx]") {
    const RawDocument doc = read_with(mandala::indexer::read_docx, sample_docx());
    const Block* title = find_block(doc, "Field Guide");
    const Block* chapter = find_block(doc, "Chapter One");
    const Block* localized = find_block(doc, "Localized Section");
    REQUIRE(title);
    REQUIRE(chapter);
    REQUIRE(localized);
    CHECK(title->kind == BlockKind::heading);
    CHECK(title->level == 1);
    CHECK(chapter->kind == BlockKind::heading);
    CHECK(chapter->level == 1);
    CHECK(localized->kind == BlockKind::heading);
    CHECK(localized->level == 2);
}

TEST_CASE("DOCX reader reads numbered and list-styled paragraphs as list items", "[unit][readers][docx]") {
    const RawDocument doc = read_with(mandala::indexer::read_docx, sample_docx());
    const Block* first = find_block(doc, "First point");
    const Block* nested = find_block(doc, "Nested point");
    const Block* styled = find_block(doc, "Styled point");
    REQUIRE(first);
    REQUIRE(nested);
    REQUIRE(styled);
    CHECK(first->kind == BlockKind::list_item);
    CHECK(first->level == 0);
    CHECK(nested->kind == BlockKind::list_item);
    CHECK(nested->level == 1);
    CHECK(styled->kind == BlockKind::list_item);
}

TEST_CASE("DOCX reader joins table cells with tabs and skips deleted text", "[unit][readers][docx]") {
    const RawDocument doc = read_with(mandala::indexer::read_docx, sample_docx());
    const Block* row = find_block(doc, "DDR\tDisarmament");
    REQUIRE(row);
    CHECK(row->kind == BlockKind::table_row);
    CHECK(find_block(doc, "Kept"));
    CHECK_FALSE(any_block_contains(doc, "Deleted"));
}

TEST_CASE("DOCX reader renders footnote marks as superscripts and appends the notes", "[unit][readers][docx]") {
    const RawDocument doc = read_with(mandala::indexer::read_docx, sample_docx());
    // Reference id 7 is the first note cited, so it is shown as 1; the hand-made superscript
    // run "12" becomes superscript digits too.
    CHECK(find_block(doc, "Patrols met weekly\u00B9 in town.\u00B9\u00B2"));
    const Block* note = find_block(doc, "1 A note on sources.");
    REQUIRE(note);
    CHECK(note->kind == BlockKind::paragraph);
    CHECK(&doc.blocks.back() == note);
}

TEST_CASE("DOCX reader works without styles.xml, using built-in style ids", "[unit][readers][docx]") {
    const std::string docx = zip({{"word/document.xml", word_document(paragraph("Overview", "Heading3") +
                                                                       paragraph("Body text."))}});
    const RawDocument doc = read_with(mandala::indexer::read_docx, docx);
    REQUIRE(doc.blocks.size() == 2);
    CHECK(doc.blocks[0].kind == BlockKind::heading);
    CHECK(doc.blocks[0].level == 3);
    CHECK(doc.blocks[1].kind == BlockKind::paragraph);
}

TEST_CASE("DOCX reader refuses broken archives with a clear reason", "[unit][readers][docx][errors]") {
    RawDocument doc;
    SECTION("not a zip at all") {
        CHECK_THROWS_WITH(mandala::indexer::read_docx("This is plain text, not a Word file.", doc),
                          Catch::Contains("not a valid zip archive"));
    }
    SECTION("zip without word/document.xml") {
        const std::string docx = zip({{"word/styles.xml", kStyles}});
        CHECK_THROWS_WITH(mandala::indexer::read_docx(docx, doc), Catch::Contains("no word/document.xml"));
    }
    SECTION("document.xml that is not XML") {
        const std::string docx = zip({{"word/document.xml", "<w:document><w:body><w:p>"}});
        CHECK_THROWS_AS(mandala::indexer::read_docx(docx, doc), InputError);
    }
    SECTION("document without text") {
        const std::string docx = zip({{"word/document.xml", word_document("<w:p/>")}});
        CHECK_THROWS_AS(mandala::indexer::read_docx(docx, doc), InputError);
    }
    SECTION("every truncation of a real archive fails cleanly or reads") {
        const std::string docx = sample_docx();
        for (std::size_t cut = 0; cut < docx.size(); cut += 97) {
            RawDocument partial;
            try {
                mandala::indexer::read_docx(docx.substr(0, cut), partial);
            } catch (const InputError&) {
            }
        }
        SUCCEED("no crash");
    }
}

TEST_CASE("DOCX reader stops a decompression bomb", "[unit][readers][docx][errors]") {
    // 65 MB of spaces deflate to about 64 KB.
    const std::string bomb = word_document(std::string(65u * 1024 * 1024, ' ') + paragraph("tail"));
    const std::string docx = zip({{"word/document.xml", bomb}});
    REQUIRE(docx.size() < 1024 * 1024);
    RawDocument doc;
    CHECK_THROWS_AS(mandala::indexer::read_docx(docx, doc), LimitExceeded);
}

// =============================================================================================
// PDF

TEST_CASE("PDF reader splits blocks at gaps and keeps 1-based pages", "[unit][readers][pdf]") {
    const RawDocument doc = read_with(mandala::indexer::read_pdf, make_pdf(sample_pages()));

    const Block* heading = find_block(doc, "Lessons Learned");
    REQUIRE(heading);
    CHECK(heading->page == 1);

    const Block* first = find_block(doc, "Patrols were planned with the\ncommunity every week.");
    REQUIRE(first);
    CHECK(first->kind == BlockKind::paragraph);
    CHECK(first->page == 1);

    // A paragraph broken by the page break is two blocks, one per page; the normalizer joins them.
    const Block* before_break = find_block(doc, "Night patrols were rare and\ntheir reports");
    const Block* after_break = find_block(doc, "arrived late.");
    REQUIRE(before_break);
    REQUIRE(after_break);
    CHECK(before_break->page == 1);
    CHECK(after_break->page == 2);

    const Block* closing = find_block(doc, "Closing words.");
    REQUIRE(closing);
    CHECK(closing->page == 2);
}

TEST_CASE("PDF reader turns bulleted lines into list items with their continuation", "[unit][readers][pdf]") {
    const RawDocument doc = read_with(mandala::indexer::read_pdf, make_pdf(sample_pages()));
    const Block* plan = find_block(doc, "Plan jointly");
    const Block* report = find_block(doc, "Report daily and\nin writing");
    const Block* copies = find_block(doc, "Keep copies");
    REQUIRE(plan);
    REQUIRE(report);
    REQUIRE(copies);
    CHECK(plan->kind == BlockKind::list_item);
    CHECK(report->kind == BlockKind::list_item);
    CHECK(copies->kind == BlockKind::list_item);
    CHECK(plan->level == 0);
    CHECK(copies->level == 1);
    CHECK(plan->page == 2);
}

TEST_CASE("PDF reader refuses damaged, truncated and encrypted files", "[unit][readers][pdf][errors]") {
    RawDocument doc;
    const std::string pdf = make_pdf(sample_pages());
    SECTION("truncated") {
        CHECK_THROWS_WITH(mandala::indexer::read_pdf(pdf.substr(0, pdf.size() / 2), doc),
                          Catch::Contains("damaged or truncated"));
    }
    SECTION("not a PDF") {
        CHECK_THROWS_AS(mandala::indexer::read_pdf("GIF89a and nothing else", doc), InputError);
    }
    SECTION("garbage between header and end marker") {
        CHECK_THROWS_AS(mandala::indexer::read_pdf("%PDF-1.4\n\x01\x02\x03 garbage\n%%EOF\n", doc), InputError);
    }
    SECTION("no text") {
        CHECK_THROWS_WITH(mandala::indexer::read_pdf(make_pdf({{}}), doc), Catch::Contains("no extractable text"));
    }
    SECTION("encrypted with a password we do not have") {
        const std::string encrypt =
            "<< /Filter /Standard /V 1 /R 2 /P -44 /O <" + std::string(64, 'a') + "> /U <" + std::string(64, 'b') +
            "> >>";
        CHECK_THROWS_WITH(mandala::indexer::read_pdf(make_pdf(sample_pages(), encrypt), doc),
                          Catch::Contains("encrypted"));
    }
    SECTION("every truncation fails cleanly or reads") {
        for (std::size_t cut = 0; cut < pdf.size(); cut += 53) {
            RawDocument partial;
            try {
                mandala::indexer::read_pdf(pdf.substr(0, cut) + "\n%%EOF\n", partial);
            } catch (const InputError&) {
            }
        }
        SUCCEED("no crash");
    }
}
