#include <catch2/catch.hpp>

#include "indexer/readers/read.h"
#include "text/errors.h"

using namespace mandala::indexer;

TEST_CASE("plain text: blank lines separate blocks, lists and tab rows are kept", "[unit]") {
    RawDocument doc;
    read_plain_text("A first paragraph\nwrapped on two lines.\n\n- item one\n- item two\n\nKEY\tValue of the key\n", doc);
    REQUIRE(doc.blocks.size() == 4);
    CHECK(doc.blocks[0].kind == BlockKind::paragraph);
    CHECK(doc.blocks[0].text == "A first paragraph\nwrapped on two lines.");
    CHECK(doc.blocks[1].kind == BlockKind::list_item);
    CHECK(doc.blocks[1].text == "item one");
    CHECK(doc.blocks[3].kind == BlockKind::table_row);
}

TEST_CASE("markdown headings carry their level", "[unit]") {
    RawDocument doc;
    read_markdown("## Title here\n\nBody text.\n\n### Sub part\n", doc);
    REQUIRE(doc.blocks.size() == 3);
    CHECK(doc.blocks[0].kind == BlockKind::heading);
    CHECK(doc.blocks[0].level == 2);
    CHECK(doc.blocks[0].text == "Title here");
    CHECK(doc.blocks[2].level == 3);
}

TEST_CASE("binary and invalid UTF-8 text is refused with a reason", "[unit]") {
    RawDocument doc;
    CHECK_THROWS_AS(read_plain_text(std::string("abc\0def", 7), doc), mandala::InputError);
    CHECK_THROWS_AS(read_plain_text(std::string("caf\xC3\x28 au lait"), doc), mandala::InputError);
}
