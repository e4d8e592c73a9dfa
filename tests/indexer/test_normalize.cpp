#include <catch2/catch.hpp>

#include "indexer/normalize.h"

using namespace mandala::indexer;

namespace {
RawDocument raw_of(std::vector<Block> blocks) {
    RawDocument r;
    r.blocks = std::move(blocks);
    return r;
}
}  // namespace

TEST_CASE("page numbers and repeated running headers are removed", "[unit]") {
    auto doc = normalize(raw_of({{BlockKind::paragraph, "Running head", 0, 1},
                                 {BlockKind::paragraph, "First page text ends here.", 0, 1},
                                 {BlockKind::paragraph, "12", 0, 1},
                                 {BlockKind::paragraph, "Running head", 0, 2},
                                 {BlockKind::paragraph, "- 13 -", 0, 2},
                                 {BlockKind::paragraph, "Running head", 0, 3},
                                 {BlockKind::paragraph, "Second page text ends here.", 0, 3}}));
    REQUIRE(doc.blocks.size() == 2);
    CHECK(doc.blocks[0].block.text == "First page text ends here.");
    CHECK(doc.text == "First page text ends here.\n\nSecond page text ends here.");
    CHECK(doc.text.substr(doc.blocks[1].begin, doc.blocks[1].end - doc.blocks[1].begin) == doc.blocks[1].block.text);
}

TEST_CASE("a paragraph split by a page break is joined, the footnote between stays", "[unit]") {
    auto doc = normalize(raw_of({{BlockKind::paragraph, "The mission supported the Multina-", 0, 4},
                                 {BlockKind::paragraph, "\u00B9 A footnote at the foot of the page.", 0, 4},
                                 {BlockKind::paragraph, "tional Task Force in the region.", 0, 5},
                                 {BlockKind::paragraph, "Multinational forces were present.", 0, 5}}));
    REQUIRE(doc.blocks.size() == 3);
    CHECK(doc.blocks[0].block.text == "The mission supported the Multinational Task Force in the region.");
    CHECK(doc.blocks[1].block.text.find("A footnote") != std::string::npos);
}

TEST_CASE("a capitalised continuation is joined only across a page break", "[unit]") {
    auto joined = normalize(raw_of({{BlockKind::paragraph, "reports go to the", 0, 1},
                                    {BlockKind::paragraph, "United Nations in New York every month.", 0, 2}}));
    CHECK(joined.blocks.size() == 1);
    auto kept = normalize(raw_of({{BlockKind::paragraph, "A short title line", 0, 0},
                                  {BlockKind::paragraph, "Another paragraph starts here.", 0, 0}}));
    CHECK(kept.blocks.size() == 2);
}

TEST_CASE("line-end hyphens: split words rejoin, real hyphens stay", "[unit]") {
    auto doc = normalize(raw_of({{BlockKind::paragraph, "demobili-\nzation of post-\nconflict fighters.", 0, 0},
                                 {BlockKind::paragraph, "Full demobilization takes years.", 0, 0},
                                 {BlockKind::paragraph, "The Under-Secretary-\nGeneral spoke.", 0, 0}}));
    REQUIRE(doc.blocks.size() == 3);
    CHECK(doc.blocks[0].block.text == "demobilization of post-conflict fighters.");
    CHECK(doc.blocks[2].block.text == "The Under-Secretary-General spoke.");
}

TEST_CASE("a heading at the foot of a page is not joined to the next page", "[unit]") {
    auto doc = normalize(raw_of({{BlockKind::paragraph, "1.4.2 Apply a Flexible Approach", 0, 3},
                                 {BlockKind::paragraph, "The head of mission should encourage it.", 0, 4}}));
    CHECK(doc.blocks.size() == 2);
}

TEST_CASE("footnote shapes are recognised", "[unit]") {
    CHECK(looks_like_footnote("\u00B9\u2079 For additional information, see the report."));
    CHECK(looks_like_footnote("12 Available at www.example.org."));
    CHECK_FALSE(looks_like_footnote("4.3 Output: Civilians Protected"));
    CHECK_FALSE(looks_like_footnote("2010 was a year of change"));
    CHECK(is_page_number("17"));
    CHECK(is_page_number("Page 4"));
    CHECK(is_page_number("xii"));
    CHECK_FALSE(is_page_number("Policing"));
}

TEST_CASE("a short line a web page repeats stays for the segmenter, which keeps it out of passages", "[unit]") {
    auto doc = normalize(raw_of({{BlockKind::paragraph, "Harbour patrols resume", 0, 0},
                                 {BlockKind::paragraph, "The coast guard resumed its night patrols.", 0, 0},
                                 {BlockKind::paragraph, "Harbour patrols resume", 0, 0},
                                 {BlockKind::paragraph, "Harbour patrols resume", 0, 0}}));
    CHECK(doc.blocks.size() == 4);  // not a running header: the page has no pages
}
