#include <catch2/catch.hpp>

#include <algorithm>

#include "indexer/pipeline.h"
#include "indexer/segment.h"
#include "test_helpers.h"

using namespace mandala::indexer;

namespace {

const Section* find_section(const SegmentedDocument& d, const std::string& heading) {
    for (const auto& s : d.sections)
        if (s.heading == heading) return &s;
    return nullptr;
}

const Passage* find_passage(const SegmentedDocument& d, const std::string& start) {
    for (const auto& p : d.passages)
        if (p.text.rfind(start, 0) == 0) return &p;
    return nullptr;
}

}  // namespace

TEST_CASE("numbered, labelled and ALL-CAPS headings are recognised", "[unit]") {
    HeadingMatch h;
    REQUIRE(match_numbered_heading("4.3.1 Operational Activities", h));
    CHECK(h.number == "4.3.1");
    CHECK(h.level == 3);
    CHECK(h.title == "Operational Activities");
    REQUIRE(match_numbered_heading("Chapter 4: Creating a Secure Environment", h));
    CHECK(h.number == "Chapter 4");
    REQUIRE(match_numbered_heading("ANNEX I", h));
    CHECK(h.number == "Annex 1");
    CHECK_FALSE(match_numbered_heading("12 Available at the web site.", h));
    CHECK(is_all_caps_heading("PROTECTION OF CIVILIANS (PoC)"));
    CHECK_FALSE(is_all_caps_heading("UN"));
    CHECK(title_case("INSTITUTIONAL CAPACITY BUILDING AND GOVERNANCE") == "Institutional Capacity Building and Governance");
    CHECK(section_kind_of("Challenges and Risks", "4.3.5") == "challenges-and-risks");
}

TEST_CASE("a small guide is split into a section tree and passages", "[unit]") {
    auto d = segment_file(mandala::test::fixtures() / "corpus-small" / "field-guide.txt", Catalog{});
    const Section* chapter = find_section(d, "Chapter 1: Getting Started");
    REQUIRE(chapter);
    const Section* arriving = find_section(d, "1.1 Arriving in Theatre");
    REQUIRE(arriving);
    CHECK(arriving->parent == chapter->id);
    const Section* bench = find_section(d, "1.1.1 Benchmarks");
    REQUIRE(bench);
    CHECK(bench->parent == arriving->id);
    CHECK(bench->kind == "benchmarks");
    CHECK(bench->path.size() == 3);

    SECTION("table-of-contents lines are not passages") {
        for (const auto& p : d.passages) CHECK(p.text.find(".....") == std::string::npos);
    }
    SECTION("a paragraph split around a footnote is joined and the footnote linked") {
        const Passage* p = find_passage(d, "New staff of the Test Observer Mission");
        REQUIRE(p);
        CHECK(p->text.find("hands out the radio call signs.") != std::string::npos);
        const Passage* f = find_passage(d, "\u00B9 The imaginary capital");
        REQUIRE(f);
        CHECK(f->kind == PassageKind::footnote);
        CHECK(f->footnote_number == 1);
        CHECK(f->cited_by == p->id);
    }
    SECTION("a list stays with its lead-in") {
        const Passage* p = find_passage(d, "The briefing covers the following points:");
        REQUIRE(p);
        CHECK(p->kind == PassageKind::list);
        CHECK(p->text.find("- the medical evacuation plan.") != std::string::npos);
    }
    SECTION("page furniture and running headers are gone") {
        for (const auto& p : d.passages) CHECK(p.text.find("running header") == std::string::npos);
    }
    SECTION("the abbreviation annex yields pairs, not passages") {
        CHECK(d.acronyms.size() == 3);
        CHECK(find_passage(d, "TOM") == nullptr);
        CHECK(find_section(d, "Annex 1: List of Abbreviations") != nullptr);
    }
    SECTION("passage ids are stable ordinals and ranges point into the normalized text") {
        for (std::size_t i = 0; i < d.passages.size(); ++i) {
            CHECK(d.passages[i].ordinal == static_cast<int>(i) + 1);
            CHECK(d.passages[i].end <= d.text.size());
            CHECK(d.passages[i].begin < d.passages[i].end);
        }
    }
}

TEST_CASE("markdown headings nest and emphasis is stripped", "[unit]") {
    auto d = segment_file(mandala::test::fixtures() / "corpus-small" / "notes.md", Catalog{});
    const Section* findings = find_section(d, "Findings");
    REQUIRE(findings);
    CHECK(d.sections[static_cast<std::size_t>(findings->parent)].title == "Seminar Note on Test Patrols");
    const Passage* p = find_passage(d, "Participants discussed how night patrols");
    REQUIRE(p);
    CHECK(p->text.find('*') == std::string::npos);
    CHECK(d.meta.title == "Seminar Note on Test Patrols");
    CHECK(d.meta.year == 2015);
}
