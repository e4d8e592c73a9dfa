// The taxonomy as data: ids, labels, exemplars and the related categories derived from the
// glossary's see-also arrows.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "taxonomy/arrows.h"
#include "taxonomy/json_util.h"
#include "taxonomy/sources.h"
#include "taxonomy/taxonomy.h"
#include "text/analyzer.h"
#include "text/clean.h"
#include "text/errors.h"

using namespace mandala::taxonomy;

namespace {

const std::filesystem::path kShared = MANDALA_SHARED_DIR;
const std::string kGlossary = "zif-missions-and-mandates-2018.txt";

const Taxonomy& taxonomy() {
    static const Taxonomy t = load_taxonomy(default_taxonomy_dir() / kTaxonomyFile);
    return t;
}

std::vector<std::string> related_ids(const Category& c) {
    std::vector<std::string> out;
    for (const auto& r : c.related) out.push_back(r.category);
    return out;
}

bool contains(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

}  // namespace

TEST_CASE("the taxonomy has the 23 task categories with unique ids and labels", "[unit]") {
    const auto& t = taxonomy();
    REQUIRE(t.categories.size() == 23);
    std::set<std::string> ids, labels;
    for (const auto& c : t.categories) {
        ids.insert(c.id);
        labels.insert(c.pref_label);
        CHECK_FALSE(c.scope_note.empty());
        CHECK(c.key_terms.size() >= 5);
        CHECK_FALSE(c.exemplars.empty());
        for (const auto& a : c.acronyms) CHECK(contains(c.alt_labels, a));
    }
    CHECK(ids.size() == 23);
    CHECK(labels.size() == 23);
    CHECK(t.find("ddr")->pref_label == "Disarmament, Demobilization and Reintegration");
    CHECK(contains(t.find("protection-of-civilians")->acronyms, "PoC"));
    CHECK(contains(t.find("refugees-idps")->acronyms, "IDPs"));
    CHECK(contains(t.find("children-armed-conflict")->acronyms, "CAAC"));
}

TEST_CASE("every category id used by the dev gold set exists in the taxonomy", "[integration]") {
    std::ifstream in(kShared / "eval" / "tagging-dev.jsonl");
    REQUIRE(in);
    for (std::string line; std::getline(in, line);) {
        auto o = json::parse_object(line, "gold");
        for (const auto& label : json::string_list(o, "labels")) CHECK(taxonomy().find(label) != nullptr);
    }
}

TEST_CASE("every glossary exemplar section exists in the glossary", "[integration]") {
    std::set<std::string> sections;
    for (const auto& p : split_source_text(json::read_file(kShared / "corpus" / kGlossary), kGlossary)) sections.insert(p.section);
    for (const auto& c : taxonomy().categories)
        for (const auto& e : c.exemplars)
            if (e.doc == kGlossary) CHECK(sections.count(heading_key(e.section)) == 1);
}

TEST_CASE("malformed taxonomies are input errors", "[unit]") {
    CHECK_THROWS_AS(parse_taxonomy("{"), mandala::InputError);
    CHECK_THROWS_AS(parse_taxonomy("[]"), mandala::InputError);
    CHECK_THROWS_AS(parse_taxonomy(R"({"scheme": {"id": "s", "prefLabel": "S", "namespace": "x:"}})"), mandala::InputError);
    CHECK_THROWS_AS(parse_taxonomy(R"({"scheme": {"id": "s", "prefLabel": "S", "namespace": "x:"},
        "categories": [{"id": "a", "prefLabel": "A", "related": [{"id": "missing"}]}]})"),
                    mandala::InputError);
}

TEST_CASE("section numbers match their sub-sections, headings match without markup", "[unit]") {
    CHECK(section_matches("4.6", "4.6"));
    CHECK(section_matches("4.6.1", "4.6"));
    CHECK_FALSE(section_matches("4.60", "4.6"));
    CHECK_FALSE(section_matches("4.7", "4.6"));
    CHECK(section_matches("1.2.3", "1"));
    CHECK(heading_key("INSTITUTIONAL **CAPACITY BUILDING AND GOVERNANCE**") == "INSTITUTIONAL CAPACITY BUILDING AND GOVERNANCE");
}

TEST_CASE("the blank-line splitter finds headings, footnotes and page-split paragraphs", "[unit]") {
    auto passages = split_source_text("Foreword text here.\n\n4.6 Output: Something Done\n\nFirst paragraph is\n\nsplit by a page.\n\n"
                                      "12 A footnote citing a report.\n\nHUMAN RIGHTS\n\nGlossary text.\n",
                                      "doc.txt");
    REQUIRE(passages.size() == 4);
    CHECK(passages[0].section == "front");
    CHECK(passages[1].section == "4.6");
    CHECK(passages[1].text == "First paragraph is split by a page.");
    CHECK(passages[2].footnote);
    CHECK(passages[3].section == "HUMAN RIGHTS");
}

TEST_CASE("arrow links: every noisy arrow form, list continuation, no self-links", "[unit]") {
    LabelMatcher matcher(taxonomy());
    mandala::text::Analyzer analyzer;
    auto targets = [&](std::string_view from, std::string_view raw) {
        std::vector<std::string> out;
        for (const auto& l : matcher.links(from, mandala::text::clean_block(raw, true), analyzer)) out.push_back(l.to);
        return out;
    };
    CHECK(targets("human-rights", "areas of \\rightarrow Rule of Law.") == std::vector<std::string>{"rule-of-law"});
    CHECK(targets("human-rights", "see --> Policing and (---) Robust Intervention).") ==
          std::vector<std::string>{"policing", "robust-interventions"});
    CHECK(targets("ssr", "see also \u2014> Police here") == std::vector<std::string>{"policing"});
    CHECK(targets("wps", "(--- Rule of Law)") == std::vector<std::string>{"rule-of-law"});
    CHECK(targets("human-rights", "\u2192 Children and Armed Conflict. Rule of Law. \u2192 Policing") ==
          std::vector<std::string>{"children-armed-conflict", "rule-of-law", "policing"});
    CHECK(targets("policing", "\u2192 Policing and the police") == std::vector<std::string>{});
    CHECK(targets("policing", "\u2192 the police") == std::vector<std::string>{});
    CHECK(related_from_arrows(taxonomy(), "human-rights", "work on \u2192 Protection of Civilians") ==
          std::vector<std::pair<std::string, std::string>>{{"human-rights", "protection-of-civilians"}});
}

TEST_CASE("related categories checked into the taxonomy are those the glossary's arrows imply", "[integration]") {
    auto derived = related_from_glossary(taxonomy(), kShared / "corpus" / kGlossary);
    std::vector<std::tuple<std::string, std::string, std::string>> expected, checked_in;
    for (const auto& [from, r] : derived) expected.emplace_back(from, r.category, r.evidence);
    for (const auto& c : taxonomy().categories)
        for (const auto& r : c.related) checked_in.emplace_back(c.id, r.category, r.evidence);
    std::sort(checked_in.begin(), checked_in.end());
    CHECK(checked_in == expected);
    auto human_rights = related_ids(*taxonomy().find("human-rights"));
    for (const char* id : {"protection-of-civilians", "wps", "children-armed-conflict", "rule-of-law", "policing", "ssr"})
        CHECK(contains(human_rights, id));
}
