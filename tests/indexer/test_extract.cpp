// Unit tests of entity and cross-reference extraction on small documents written here.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <string>

#include "indexer/extract/entities.h"
#include "text/clean.h"

using namespace mandala::indexer;

namespace {

const Gazetteer& gazetteer() {
    static const Gazetteer g = load_gazetteer(std::filesystem::path(MANDALA_SOURCE_DIR) / "indexer" / "data");
    return g;
}

std::vector<AcronymPair> table() {
    return {{"MINUSMA", "UN Multidimensional Integrated Stabilization Mission in Mali", "table"},
            {"EULEX Kosovo", "EU Rule of Law Mission in Kosovo", "table"},
            {"SMM Ukraine", "Special Monitoring Mission to Ukraine", "table"},
            {"KFOR", "Kosovo Force", "table"},
            {"AMISOM", "AU Mission in Somalia", "table"},
            {"UNOCI", "UN Operation in Côte d'Ivoire", "table"},
            {"HoM", "Head of Mission", "table"},
            {"DPKO", "Department of Peacekeeping Operations", "table"},
            {"UNOPS", "United Nations Office of Project Services", "table"},
            {"PoC", "Protection of Civilians", "table"}};
}

const EntityRegistry& registry() {
    static const EntityRegistry r = build_registry(table(), gazetteer());
    return r;
}

SegmentedDocument document(std::vector<std::string> texts) {
    SegmentedDocument doc;
    doc.meta.id = "fixture";
    doc.sections.push_back(Section{0, -1, 0, "", "", "", "", {}});
    for (std::size_t i = 0; i < texts.size(); ++i) {
        Passage p;
        p.id = "fixture#" + std::to_string(i);
        p.ordinal = static_cast<int>(i);
        p.text = texts[i];
        doc.passages.push_back(p);
    }
    return doc;
}

SegmentedDocument extracted(std::vector<std::string> texts) {
    auto doc = document(std::move(texts));
    EntityExtractor(registry(), gazetteer()).extract(doc);
    return doc;
}

std::vector<std::string> keys(const SegmentedDocument& doc, const std::string& type) {
    std::vector<std::string> out;
    for (const auto& m : doc.entities)
        if (m.type == type) out.push_back(m.key);
    return out;
}

bool has(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

}  // namespace

TEST_CASE("registry: missions from expansions, with organization and host", "[unit]") {
    const auto* minusma = registry().mission("MINUSMA");
    REQUIRE(minusma);
    CHECK(minusma->organization == "UN");
    CHECK(minusma->host == "mali");
    REQUIRE(registry().mission("EULEX Kosovo"));
    CHECK(registry().mission("EULEX Kosovo")->organization == "EU");
    CHECK(registry().mission("AMISOM")->organization == "AU");
    CHECK(registry().mission("UNOCI")->host == "cote-divoire");
    // Owners the expansion leaves out come from the project's list of known missions.
    CHECK(registry().mission("KFOR")->organization == "NATO");
    CHECK(registry().mission("SMM Ukraine")->organization == "OSCE");
    // Expansions containing "mission" or "office" that are not peace operations.
    CHECK_FALSE(registry().mission("HoM"));
    CHECK_FALSE(registry().mission("DPKO"));
    CHECK_FALSE(registry().mission("UNOPS"));
    CHECK_FALSE(registry().mission("PoC"));
}

TEST_CASE("missions: acronyms, expansions and short aliases", "[unit]") {
    auto doc = extracted({"The UN Mission in Mali (MINUSMA) and EULEX Kosovo cooperate; the SMM reports.",
                          "The United Nations Multidimensional Integrated Stabilization Mission in Mali (MINUSMA) "
                          "was established in 2013.",
                          "minusma in lower case is not the acronym."});
    auto missions = keys(doc, "mission");
    CHECK(std::count(missions.begin(), missions.end(), "MINUSMA") == 2);
    CHECK(has(missions, "EULEX Kosovo"));
    CHECK(has(missions, "SMM Ukraine"));
    // "Expansion (ACRONYM)" is one mention.
    const auto& second = *std::find_if(doc.entities.begin(), doc.entities.end(),
                                       [](const EntityMention& m) { return m.passage == 1 && m.type == "mission"; });
    CHECK(second.surface == "United Nations Multidimensional Integrated Stabilization Mission in Mali (MINUSMA)");
}

TEST_CASE("places: diacritics and variants never block a match", "[unit]") {
    auto doc = extracted({"Côte d'Ivoire and Cote d’Ivoire and COTE D'IVOIRE.",
                          "The DRC, the Democratic Republic of the Congo, and the Democratic Republic of Congo.",
                          "Guinea-Bissau is not Guinea; South Sudan is not Sudan."});
    auto places = keys(doc, "place");
    CHECK(std::count(places.begin(), places.end(), "cote-divoire") == 3);
    CHECK(std::count(places.begin(), places.end(), "democratic-republic-of-the-congo") == 3);
    CHECK(has(places, "guinea-bissau"));
    CHECK(has(places, "guinea"));
    CHECK(has(places, "south-sudan"));
    CHECK(has(places, "sudan"));
}

TEST_CASE("places: an adjective that names one place is that place; a national body is no mission", "[unit]") {
    auto doc = extracted({"South Sudanese and Sudanese traders met Malian and Central African officials.",
                          "The Congolese delegation came too.", "Somali fishing boats sailed."});
    auto places = keys(doc, "place");
    CHECK(has(places, "south-sudan"));
    CHECK(has(places, "sudan"));
    CHECK(has(places, "mali"));
    CHECK(has(places, "central-african-republic"));
    CHECK(has(places, "somalia"));
    CHECK(std::count(places.begin(), places.end(), "sudan") == 1);  // "South Sudanese" is not Sudan
    CHECK_FALSE(has(places, "democratic-republic-of-the-congo"));  // two Congos: no guess
    CHECK_FALSE(has(places, "republic-of-the-congo"));
    // A country's own force, though defined inline with a place, adds no mission to the registry.
    auto defined = document({"The Somali National Harbour Force (SNHF) patrols the port."});
    const auto with_inline = build_registry(document_acronyms(defined), gazetteer());
    EntityExtractor(with_inline, gazetteer()).extract(defined);
    CHECK(keys(defined, "mission").empty());
}

TEST_CASE("organizations: acronyms as written, names folded, ambiguous words guarded", "[unit]") {
    auto doc = extracted({"The OSCE and the African Union work with UNDP and the World Health Organization.",
                          "WHO WE ARE", "who we are"});
    auto orgs = keys(doc, "organization");
    CHECK(has(orgs, "OSCE"));
    CHECK(has(orgs, "AU"));
    CHECK(has(orgs, "UNDP"));
    CHECK(std::count(orgs.begin(), orgs.end(), "WHO") == 1);
}

TEST_CASE("years and ranges", "[unit]") {
    auto doc = extracted({"From 1998 - 99 and 2005 – 2007, since 2013; not 1850 nor 3000 nor 12,000."});
    auto years = keys(doc, "year");
    CHECK(years == std::vector<std::string>{"1998", "1999", "2005", "2006", "2007", "2013"});
}

TEST_CASE("resolutions and document symbols", "[unit]") {
    auto doc = extracted({"Security Council resolution 1894 (2009) on protection.",
                          "Resolutions 1325 (2000), 1612 (2005) and 1820 (2008); S/RES/2100 (2013).",
                          "See the report (A/63/881-S/2009/304) and A/64/19."});
    auto resolutions = keys(doc, "resolution");
    CHECK(resolutions == std::vector<std::string>{"1894", "1325", "1612", "1820", "2100"});
    auto first = std::find_if(doc.entities.begin(), doc.entities.end(),
                              [](const EntityMention& m) { return m.type == "resolution"; });
    CHECK(first->surface == "resolution 1894 (2009)");
    CHECK(keys(doc, "year") == std::vector<std::string>{"2009", "2000", "2005", "2008", "2013"});
    CHECK(keys(doc, "document-symbol") == std::vector<std::string>{"A/63/881-S/2009/304", "A/64/19"});
}

TEST_CASE("inline acronym definitions", "[unit]") {
    auto pairs = find_inline_acronyms(
        "The UN Mission in South Sudan (UNMISS) applies Protection of Civilians (PoC) as the "
        "Department of Peacekeeping Operations (henceforth DPKO) asks. DDR (disarmament, demobilization and "
        "reintegration) follows. A figure (see below) and (UNTAET, 1999 - 2002) are not definitions.");
    auto find = [&](const std::string& acronym) {
        auto it = std::find_if(pairs.begin(), pairs.end(), [&](const AcronymPair& p) { return p.acronym == acronym; });
        return it == pairs.end() ? std::string() : it->expansion;
    };
    CHECK(find("UNMISS") == "UN Mission in South Sudan");
    CHECK(find("PoC") == "Protection of Civilians");
    CHECK(find("DPKO") == "Department of Peacekeeping Operations");
    CHECK(find("DDR") == "disarmament, demobilization and reintegration");
    CHECK(pairs.size() == 4);
}

TEST_CASE("inline definitions are appended to the document's acronyms once", "[unit]") {
    auto doc = extracted({"Protection of Civilians (PoC) matters.", "Protection of Civilians (PoC) again."});
    auto inline_pairs = std::count_if(doc.acronyms.begin(), doc.acronyms.end(),
                                      [](const AcronymPair& p) { return p.source == "inline"; });
    CHECK(inline_pairs == 1);
}

TEST_CASE("see-also arrows name categories, bare list items continue them", "[unit]") {
    auto doc = document({"Links to " + std::string(mandala::text::kArrow) +
                         " Protection of Civilians, Children and Armed Conflict. Rule of Law. " +
                         std::string(mandala::text::kArrow) + " Police, and " + std::string(mandala::text::kArrow) +
                         " Security Sector Reform. Elections are held. " + std::string(mandala::text::kArrow)});
    doc.sections.push_back(Section{1, 0, 1, "", "HUMAN RIGHTS", "HUMAN RIGHTS", "glossary-entry", {"HUMAN RIGHTS"}});
    doc.passages[0].section = 1;
    EntityExtractor(registry(), gazetteer()).extract(doc);
    std::vector<std::string> targets;
    for (const auto& x : doc.xrefs) {
        CHECK(x.kind == "see-also");
        CHECK(x.from_category == "human-rights");
        targets.push_back(x.target);
    }
    CHECK(targets == std::vector<std::string>{"protection-of-civilians", "children-armed-conflict", "rule-of-law",
                                              "policing", "ssr"});
}

TEST_CASE("internal references resolve to sections; footnotes to their passages", "[unit]") {
    auto doc = document({"Refugee operations need support (See Chapter 6). See section 4.2 and Annex II; "
                         "Chapter VII of the Charter is not ours.",
                         "A cited claim.", "Footnote text."});
    doc.sections.push_back(Section{1, 0, 1, "Chapter 6", "Recovery", "Chapter 6: Recovery", "", {}});
    doc.sections.push_back(Section{2, 0, 1, "4.2", "Output", "4.2 Output", "", {}});
    doc.sections.push_back(Section{3, 0, 1, "Annex 2", "Partners", "Annex 2: Partners", "", {}});
    doc.passages[1].cited_footnotes = {7};
    doc.passages[2].footnote_number = 7;
    EntityExtractor(registry(), gazetteer()).extract(doc);
    std::vector<std::pair<std::string, int>> internal;
    std::string footnote_target;
    for (const auto& x : doc.xrefs) {
        if (x.kind == "internal") internal.emplace_back(x.target, x.target_section);
        if (x.kind == "footnote") footnote_target = x.target_passage;
    }
    CHECK(internal == std::vector<std::pair<std::string, int>>{{"Chapter 6", 1}, {"section 4.2", 2}, {"Annex II", 3}});
    CHECK(footnote_target == "fixture#2");
}

TEST_CASE("entity terms and facet values for the writer", "[unit]") {
    auto doc = extracted({"MINUSMA in Mali with the OSCE in 2013 under resolution 2100."});
    auto terms = entity_terms(doc, 0);
    for (const char* t : {"XMminusma", "XOosce", "XLmali", "XYM2013", "XR2100"}) CHECK(has(terms, t));
    auto values = entity_values(doc, 0);
    CHECK(values.size() == 4);
}

TEST_CASE("malformed text costs no more than clean text", "[unit]") {
    std::string capitals(10000, 'A');
    std::string spaced;
    for (int i = 0; i < 2000; ++i) spaced += "ABCD ";
    std::string parens(5000, '(');
    std::string arrows;
    for (int i = 0; i < 2000; ++i) arrows += std::string(mandala::text::kArrow) + " ";
    auto doc = extracted({capitals, spaced, parens + "UN Mission in Mali (MINUSMA", arrows, ")))(((", "resolution",
                          "S/RES/", "A/"});
    CHECK(doc.passages.size() == 8);
}
