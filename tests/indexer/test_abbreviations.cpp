#include <catch2/catch.hpp>

#include "indexer/abbreviations.h"

using namespace mandala::indexer;

namespace {
std::string expansion_of(const std::vector<AcronymPair>& pairs, const std::string& acronym) {
    for (const auto& p : pairs)
        if (p.acronym == acronym) return p.expansion;
    return {};
}
}  // namespace

TEST_CASE("plain rows give one pair each, multi-word acronyms included", "[unit]") {
    AbbreviationTable t;
    t.add_row("ABC\tAlpha Bravo Charlie");
    t.add_row("EUXM Testland\tEU Example Mission in Testland");
    t.add_row("EU\tEuropean Union");
    t.add_row("EU TOM\tEU Test Observation Mission");
    auto pairs = t.pairs();
    REQUIRE(pairs.size() == 4);
    CHECK(expansion_of(pairs, "EUXM Testland") == "EU Example Mission in Testland");
    CHECK(expansion_of(pairs, "EU TOM") == "EU Test Observation Mission");
}

TEST_CASE("rows run together by extraction are split by aligning initials", "[unit]") {
    AbbreviationTable t;
    t.add_row("SRX\tSecurity Reform Xample");
    t.add_row("SRX UN\tSecurity Reform Xample United Nations");
    t.add_row("SRX UN UNTM UNTMI\tSecurity Reform Xample United Nations UN Test Mission UN Test Mission in Ithaca");
    t.add_row("SRX UN UNTM UNTMI UNTMI\tSecurity Reform Xample United Nations UN Test Mission UN Test Mission in Ithaca UN-AU Garbled Row");
    t.add_row("SRX UN UNTM UNTMI UNTMID\tSecurity Reform Xample United Nations UN Test Mission UN Test Mission in Ithaca UN-AU Garbled Row");
    auto pairs = t.pairs();
    CHECK(expansion_of(pairs, "UN") == "United Nations");
    CHECK(expansion_of(pairs, "UNTM") == "UN Test Mission");
    CHECK(expansion_of(pairs, "UNTMI") == "UN Test Mission in Ithaca");
    CHECK(expansion_of(pairs, "UNTMID") == "UN-AU Garbled Row");
    for (const auto& p : pairs) CHECK_FALSE((p.acronym == "UNTMI" && p.expansion == "UN-AU Garbled Row"));
}

TEST_CASE("alignment splits words between acronyms", "[unit]") {
    auto parts = align_expansions({"PKO", "DDR"}, {"Peace", "Keeping", "Operation", "Disarmament", "Demobilization", "Reintegration"});
    REQUIRE(parts.size() == 2);
    CHECK(parts[0] == "Peace Keeping Operation");
    CHECK(parts[1] == "Disarmament Demobilization Reintegration");
}

TEST_CASE("a paragraph that starts like a row is not an expansion", "[unit]") {
    AbbreviationTable t;
    t.add_row("NTO\tNorthern Treaty Organization");
    t.add_row("UNTSMCTR\tUnited Nations Temporary Stabilization Mission in the Central Testland Region");
    t.add_row("NTO forces patrolled the valley for a year. Later the mission handed over to the police.");
    t.add_row("A mission of this kind needs air mobility, trained staff, translators, drivers, medical teams, "
              "engineers, logisticians and a budget that lasts for the whole of its mandate");
    auto pairs = t.pairs();
    REQUIRE(pairs.size() == 2);
    CHECK(expansion_of(pairs, "NTO") == "Northern Treaty Organization");
    CHECK(expansion_of(pairs, "UNTSMCTR") == "United Nations Temporary Stabilization Mission in the Central Testland Region");
    CHECK(expansion_of(pairs, "A").empty());
}
