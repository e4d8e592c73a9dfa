// Pack exports of a list passage, read back: the DOCX through Mandala's own DOCX reader (which
// knows Word list paragraphs), the HTML and Markdown as text.
#include <catch2/catch.hpp>

#include <algorithm>

#include "indexer/readers/read.h"
#include "web/export.h"

using namespace mandala;

namespace {

web::ResolvedPack pack_with_list() {
    web::ResolvedPack p;
    p.pack.title = "Field kit";
    web::ResolvedItem list;
    list.position = 1;
    list.item.passage = "kit#3";
    list.citation.passage = "kit#3";
    list.citation.title = "Field kit notes";
    list.citation.text = "Every team carries:\n- a satellite phone\n- a first-aid bag\n- water for two days";
    web::ResolvedItem paragraph;
    paragraph.position = 2;
    paragraph.item.passage = "kit#4";
    paragraph.citation.passage = "kit#4";
    paragraph.citation.title = "Field kit notes";
    paragraph.citation.text = "The kit is checked before every patrol.";
    p.items = {list, paragraph};
    return p;
}

}  // namespace

TEST_CASE("a list passage is a Word list in the DOCX export (read back)", "[unit][export][docx]") {
    const std::string docx = web::export_docx(pack_with_list());
    indexer::RawDocument doc;
    indexer::read_docx(docx, doc);
    std::vector<std::string> items, paragraphs;
    for (const auto& b : doc.blocks) (b.kind == indexer::BlockKind::list_item ? items : paragraphs).push_back(b.text);
    CHECK(items == std::vector<std::string>{"a satellite phone", "a first-aid bag", "water for two days"});
    CHECK(std::find(paragraphs.begin(), paragraphs.end(), "Every team carries:") != paragraphs.end());
    CHECK(std::find(paragraphs.begin(), paragraphs.end(), "The kit is checked before every patrol.") != paragraphs.end());
}

TEST_CASE("a list passage is a list in the HTML and Markdown exports", "[unit][export]") {
    const web::ResolvedPack p = pack_with_list();
    const std::string html = web::export_html(p);
    CHECK(html.find("<blockquote><p>Every team carries:</p><ul><li>a satellite phone</li><li>a first-aid bag</li>"
                    "<li>water for two days</li></ul></blockquote>") != std::string::npos);
    CHECK(html.find("<blockquote>The kit is checked before every patrol.</blockquote>") != std::string::npos);
    const std::string md = web::export_markdown(p);
    CHECK(md.find("> Every team carries:\n> - a satellite phone\n> - a first-aid bag\n> - water for two days") !=
          std::string::npos);
}
