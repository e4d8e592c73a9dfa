// The SKOS export parses back as JSON and round-trips every label and relation.
#include <catch2/catch.hpp>

#include <Poco/JSON/Parser.h>

#include "taxonomy/skos.h"
#include "text/errors.h"

using namespace mandala::taxonomy;

namespace {

const Taxonomy& taxonomy() {
    static const Taxonomy t = load_taxonomy(default_taxonomy_dir() / kTaxonomyFile);
    return t;
}

std::vector<std::string> related_ids(const Category& c) {
    std::vector<std::string> out;
    for (const auto& r : c.related) out.push_back(r.category);
    return out;
}

}  // namespace

TEST_CASE("the JSON-LD export is JSON with a SKOS context and one node per concept", "[unit]") {
    std::string jsonld = to_skos_jsonld(taxonomy());
    Poco::JSON::Parser parser;
    auto root = parser.parse(jsonld).extract<Poco::JSON::Object::Ptr>();
    auto context = root->getObject("@context");
    REQUIRE(context);
    CHECK(context->getValue<std::string>("skos") == "http://www.w3.org/2004/02/skos/core#");
    CHECK(context->getObject("related")->getValue<std::string>("@type") == "@id");
    CHECK(root->getArray("@graph")->size() == taxonomy().categories.size() + 1);
}

TEST_CASE("the JSON-LD export round-trips every label and relation", "[unit]") {
    Taxonomy back = from_skos_jsonld(to_skos_jsonld(taxonomy()));
    CHECK(back.scheme_id == taxonomy().scheme_id);
    CHECK(back.scheme_label == taxonomy().scheme_label);
    REQUIRE(back.categories.size() == taxonomy().categories.size());
    for (std::size_t i = 0; i < back.categories.size(); ++i) {
        const auto& a = taxonomy().categories[i];
        const auto& b = back.categories[i];
        CHECK(b.id == a.id);
        CHECK(b.pref_label == a.pref_label);
        CHECK(b.alt_labels == a.alt_labels);
        CHECK(b.key_terms == a.key_terms);
        CHECK(b.scope_note == a.scope_note);
        CHECK(related_ids(b) == related_ids(a));
    }
}

TEST_CASE("a JSON-LD document that is not our export is rejected", "[unit]") {
    CHECK_THROWS_AS(from_skos_jsonld("{\"@graph\": []}"), mandala::InputError);
    CHECK_THROWS_AS(from_skos_jsonld("not json"), mandala::InputError);
}

TEST_CASE("the Turtle export names every concept, label and relation", "[unit]") {
    std::string ttl = to_skos_turtle(taxonomy());
    CHECK(ttl.starts_with("@prefix skos: <http://www.w3.org/2004/02/skos/core#> ."));
    for (const auto& c : taxonomy().categories) {
        CHECK(ttl.find("<" + taxonomy().namespace_uri + c.id + "> a skos:Concept") != std::string::npos);
        CHECK(ttl.find("skos:prefLabel \"" + c.pref_label + "\"@en") != std::string::npos);
        for (const auto& r : c.related)
            CHECK(ttl.find("skos:related <" + taxonomy().namespace_uri + r.category + ">") != std::string::npos);
    }
}
