#include <catch2/catch.hpp>

#include "text/analyzer.h"

using mandala::text::Analyzer;

TEST_CASE("the analyzer breaks, folds and stems words with byte offsets", "[unit]") {
    Analyzer a;
    const std::string text = "Demobilized ex-combatants in C\u00F4te d'Ivoire, 2013.";
    auto tokens = a.tokens(text);
    REQUIRE(tokens.size() >= 6);
    CHECK(tokens[0].folded == "demobilized");
    CHECK(tokens[0].stem == a.stem("demobilization"));  // demobilized meets demobilization
    CHECK(text.substr(tokens[0].begin, tokens[0].end - tokens[0].begin) == "Demobilized");
    bool cote = false, year = false;
    for (const auto& t : tokens) {
        cote = cote || t.folded == "cote";
        year = year || (t.folded == "2013" && t.is_number);
    }
    CHECK(cote);
    CHECK(year);
}

TEST_CASE("possessives fold onto the noun", "[unit]") {
    Analyzer a;
    auto tokens = a.tokens("the mission's mandate");
    REQUIRE(tokens.size() == 3);
    CHECK(tokens[1].folded == "mission");
}
