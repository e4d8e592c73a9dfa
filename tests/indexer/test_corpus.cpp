// Integration tests on the default corpus (../shared/corpus): issue 2's acceptance facts.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "indexer/pipeline.h"
#include "indexer/store.h"
#include "test_helpers.h"

using namespace mandala::indexer;
namespace fs = std::filesystem;

namespace {

const fs::path& corpus_db() {
    static mandala::test::TempDir tmp;  // one index for every test case in this file
    static const fs::path db = [] {
        IndexOptions o;
        o.corpus_dirs = {mandala::test::shared_corpus()};
        o.db_dir = tmp / "db";
        auto report = run_index(o);
        REQUIRE(report.failures.empty());
        return o.db_dir;
    }();
    return db;
}

const Section* by_heading(const std::vector<Section>& sections, const std::string& heading) {
    auto it = std::find_if(sections.begin(), sections.end(), [&](const Section& s) { return s.heading == heading; });
    return it == sections.end() ? nullptr : &*it;
}

std::set<std::string> pairs_of(const std::string& doc) {
    std::set<std::string> out;
    for (const auto& a : load_acronyms(corpus_db(), doc)) out.insert(a.acronym + "\t" + a.expansion);
    return out;
}

}  // namespace

TEST_CASE("the default corpus gives four documents", "[integration]") {
    CHECK(load_documents(corpus_db()).size() == 4);
}

TEST_CASE("the glossary outline has its 23 category sections with clean titles", "[integration]") {
    auto sections = load_sections(corpus_db(), "zif-missions-and-mandates-2018");
    auto entries = std::count_if(sections.begin(), sections.end(), [](const Section& s) { return s.kind == "glossary-entry"; });
    CHECK(entries == 23);
    CHECK(by_heading(sections, "Institutional Capacity Building and Governance"));
    CHECK(by_heading(sections, "Protection of Civilians (PoC)"));
    for (const auto& s : sections) CHECK(s.title.find("**") == std::string::npos);
}

TEST_CASE("the study nests 4.3.5 under 4.3 under Chapter 4", "[integration]") {
    auto sections = load_sections(corpus_db(), "challenges-forum-mission-leadership-2010");
    const Section* risks = by_heading(sections, "4.3.5 Challenges and Risks");
    REQUIRE(risks);
    CHECK(risks->kind == "challenges-and-risks");
    const Section& output = sections[static_cast<std::size_t>(risks->parent)];
    CHECK(output.heading == "4.3 Output: Civilians Protected");
    const Section& chapter = sections[static_cast<std::size_t>(output.parent)];
    CHECK(chapter.number == "Chapter 4");
    CHECK(chapter.title == "Creating a Secure and Stable Environment");
}

TEST_CASE("footnotes are footnote passages and no passage is a contents line", "[integration]") {
    std::size_t footnotes = 0;
    for (const auto& p : load_passages(corpus_db())) {
        CHECK(p.text.find(".....") == std::string::npos);
        CHECK(p.section_kind != "contents");
        if (p.doc == "challenges-forum-mission-leadership-2010" && p.kind == "footnote") ++footnotes;
    }
    CHECK(footnotes >= 25);
}

TEST_CASE("abbreviation tables yield acronym pairs, run-together rows included", "[integration]") {
    auto glossary = pairs_of("zif-missions-and-mandates-2018");
    auto study = pairs_of("challenges-forum-mission-leadership-2010");
    // Every row of both tables: the glossary lists 76 distinct pairs, the study's Annex 1 66.
    CHECK(glossary.size() >= 76);
    CHECK(study.size() >= 66);
    CHECK(glossary.count("MINUSMA\tUN Multidimensional Integrated Stabilization Mission in Mali"));
    CHECK(glossary.count("UNAMID\tUN-AU Hybrid Operation in Darfur"));
    CHECK(glossary.count("UNAMSIL\tUN Mission in Sierra Leone"));
    CHECK(glossary.count("SMM Ukraine\tSpecial Monitoring Mission to Ukraine"));
    CHECK_FALSE(glossary.count("UNAMI\tUN-AU Hybrid Operation in Darfur"));
    CHECK(study.count("SRSG\tSpecial Representative of the Secretary-General"));
}
