// Entity extraction on the default corpus (../shared/corpus): facts checked by reading the
// documents, and mission-mention precision/recall against the hand-labelled sample in
// tests/fixtures/entities/mission-mentions.jsonl (method in docs/evaluation.md, "Entities").
#include <catch2/catch.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include <unistd.h>

#include "indexer/extract/entities.h"
#include "indexer/pipeline.h"
#include "indexer/store.h"

using namespace mandala::indexer;
namespace fs = std::filesystem;

namespace {

struct Corpus {
    Gazetteer gazetteer;
    EntityRegistry registry;
    std::vector<SegmentedDocument> docs;
};

const Corpus& corpus() {
    static const Corpus c = [] {
        Corpus c;
        c.gazetteer = load_gazetteer(fs::path(MANDALA_SOURCE_DIR) / "indexer" / "data");
        for (const auto& file : corpus_files({fs::path(MANDALA_SHARED_DIR) / "corpus"})) c.docs.push_back(segment_file(file));
        std::vector<AcronymPair> acronyms;
        for (const auto& d : c.docs)
            for (auto& a : document_acronyms(d)) acronyms.push_back(a);
        c.registry = build_registry(acronyms, c.gazetteer);
        EntityExtractor extractor(c.registry, c.gazetteer);
        for (auto& d : c.docs) extractor.extract(d);
        return c;
    }();
    return c;
}

const SegmentedDocument& doc(const std::string& id_prefix) {
    for (const auto& d : corpus().docs)
        if (d.meta.id.starts_with(id_prefix)) return d;
    FAIL("no document " << id_prefix);
    throw;
}

std::set<std::string> documents_mentioning(const std::string& type, const std::string& key) {
    std::set<std::string> out;
    for (const auto& d : corpus().docs)
        for (const auto& m : d.entities)
            if (m.type == type && m.key == key) out.insert(d.meta.id);
    return out;
}

std::string collapse(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == ' ' || c == '\t' || c == '\n') {
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace

TEST_CASE("corpus: MONUSCO is a UN mission in the Democratic Republic of the Congo", "[integration]") {
    const Mission* monusco = corpus().registry.mission("MONUSCO");
    REQUIRE(monusco);
    CHECK(monusco->organization == "UN");
    CHECK(monusco->host == "democratic-republic-of-the-congo");
    // The glossary names it in many passages; no other document of this corpus names it (the
    // study's "Democratic Republic of Congo" is a place, not the mission).
    auto docs = documents_mentioning("mission", "MONUSCO");
    CHECK(docs.count("zif-missions-and-mandates-2018") == 1);
    auto passages = std::count_if(doc("zif").entities.begin(), doc("zif").entities.end(),
                                  [](const EntityMention& m) { return m.type == "mission" && m.key == "MONUSCO"; });
    CHECK(passages >= 8);
    CHECK(documents_mentioning("place", "democratic-republic-of-the-congo").size() >= 2);
}

TEST_CASE("corpus: EULEX Kosovo is an EU mission in Kosovo", "[integration]") {
    const Mission* eulex = corpus().registry.mission("EULEX Kosovo");
    REQUIRE(eulex);
    CHECK(eulex->organization == "EU");
    CHECK(eulex->host == "kosovo");
}

TEST_CASE("corpus: every mission of the glossary's abbreviation table is registered with its owner", "[integration]") {
    // Read off the glossary's table by hand: acronym -> organization.
    const std::map<std::string, std::string> expected = {
        {"AMISOM", "AU"}, {"EUAM Ukraine", "EU"}, {"EUBAM Libya", "EU"}, {"EUBAM Moldova and Ukraine", "EU"},
        {"EUBAM Rafah", "EU"}, {"EUCAP Sahel Mali", "EU"}, {"EUCAP Sahel Niger", "EU"}, {"EUCAP Somalia", "EU"},
        {"EU EOM", "EU"}, {"EULEX Kosovo", "EU"}, {"EUMM Georgia", "EU"}, {"EUNAVFOR MED", "EU"},
        {"EUNAVFOR Somalia", "EU"}, {"EUPOL COPPS", "EU"}, {"EUTM Mali", "EU"}, {"EUTM RCA", "EU"},
        {"EUTM Somalia", "EU"}, {"KFOR", "NATO"}, {"KVM", "OSCE"}, {"MINUJUSTH", "UN"}, {"MINURSO", "UN"},
        {"MINUSCA", "UN"}, {"MINUSMA", "UN"}, {"MINUSTAH", "UN"}, {"MONUSCO", "UN"}, {"OMIK", "OSCE"},
        {"ONUCA", "UN"}, {"SMM Ukraine", "OSCE"}, {"UNAMA", "UN"}, {"UNAMI", "UN"}, {"UNAMID", "UN/AU"},
        {"UNAMSIL", "UN"}, {"UNDOF", "UN"}, {"UNIFIL", "UN"}, {"UNIIMOG", "UN"}, {"UNIOGBIS", "UN"},
        {"UNIPSIL", "UN"}, {"UNISFA", "UN"}, {"UNMIK", "UN"}, {"UNMIL", "UN"}, {"UNMISS", "UN"}, {"UNMIT", "UN"},
        {"UNMOGIP", "UN"}, {"UNOCA", "UN"}, {"UNOCI", "UN"}, {"UNOWAS", "UN"}, {"UNRCCA", "UN"},
        {"UNSMIL", "UN"}, {"UNSOM", "UN"}, {"UNTAET", "UN"}, {"UNTSO", "UN"}, {"UNYOM", "UN"}};
    for (const auto& [key, organization] : expected) {
        INFO(key);
        // The table's acronym is the registry's key or one of its acronyms ("EUBAM Moldova-Ukraine").
        const Mission* m = corpus().registry.mission(key);
        for (const auto& candidate : corpus().registry.missions)
            if (!m && std::find(candidate.aliases.begin(), candidate.aliases.end(), key) != candidate.aliases.end()) m = &candidate;
        REQUIRE(m);
        CHECK(m->organization == organization);
    }
    // And what the table defines that is not a mission stays out.
    for (const char* not_mission : {"CSDP", "UNCT", "UNMAS", "UNDP", "OHCHR", "ODIHR", "MRM", "IOM", "EUROPOL"})
        CHECK_FALSE(corpus().registry.mission(not_mission));
}

TEST_CASE("corpus: the glossary's Human Rights section points at six categories", "[integration]") {
    std::set<std::string> targets;
    for (const auto& x : doc("zif").xrefs)
        if (x.kind == "see-also" && x.from_category == "human-rights") targets.insert(x.target);
    for (const char* id : {"protection-of-civilians", "wps", "children-armed-conflict", "rule-of-law", "policing", "ssr"}) {
        INFO(id);
        CHECK(targets.count(id) == 1);
    }
}

TEST_CASE("corpus: resolution 1894 (2009) is found with its year", "[integration]") {
    const auto& study = doc("challenges");
    auto resolution = std::find_if(study.entities.begin(), study.entities.end(), [](const EntityMention& m) {
        return m.type == "resolution" && m.key == "1894";
    });
    REQUIRE(resolution != study.entities.end());
    CHECK(resolution->surface == "resolution 1894 (2009)");
    bool year_inside = std::any_of(study.entities.begin(), study.entities.end(), [&](const EntityMention& m) {
        return m.type == "year" && m.key == "2009" && m.passage == resolution->passage && m.begin >= resolution->begin &&
               m.end <= resolution->end;
    });
    CHECK(year_inside);
    CHECK_FALSE(documents_mentioning("document-symbol", "A/63/881-S/2009/304").empty());
}

TEST_CASE("corpus: the study's (See Chapter 6) resolves to Chapter 6", "[integration]") {
    const auto& study = doc("challenges");
    int resolved = 0;
    for (const auto& x : study.xrefs) {
        if (x.kind != "internal" || x.evidence != "See Chapter 6") continue;
        REQUIRE(x.target_section >= 0);
        const Section& target = study.sections.at(static_cast<std::size_t>(x.target_section));
        CHECK(target.number == "Chapter 6");
        ++resolved;
    }
    CHECK(resolved >= 2);
}

TEST_CASE("corpus: footnote citations reach their footnotes", "[integration]") {
    const auto& study = doc("challenges");
    auto footnotes = std::count_if(study.xrefs.begin(), study.xrefs.end(), [](const CrossReference& x) {
        return x.kind == "footnote" && !x.target_passage.empty();
    });
    CHECK(footnotes >= 20);
}

TEST_CASE("corpus: mission mentions against the hand-labelled sample", "[integration]") {
    // Gold mentions located by a short context; a passage is in the sample when it holds one.
    std::ifstream in(fs::path(MANDALA_FIXTURES_DIR) / "entities" / "mission-mentions.jsonl");
    REQUIRE(in);
    std::map<std::string, std::multiset<std::string>> gold;  // passage id -> keys
    std::size_t gold_total = 0;
    std::string line;
    while (std::getline(in, line)) {
        auto o = Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
        const auto& d = doc(o->getValue<std::string>("doc"));
        std::string context = collapse(o->getValue<std::string>("context"));
        auto p = std::find_if(d.passages.begin(), d.passages.end(),
                              [&](const Passage& p) { return collapse(p.text).find(context) != std::string::npos; });
        INFO(context);
        REQUIRE(p != d.passages.end());
        gold[p->id].insert(o->getValue<std::string>("key"));
        ++gold_total;
    }
    std::size_t extracted = 0, correct = 0;
    for (const auto& d : corpus().docs) {
        for (const auto& m : d.entities) {
            if (m.type != "mission") continue;
            auto g = gold.find(d.passages[static_cast<std::size_t>(m.passage)].id);
            if (g == gold.end()) continue;
            ++extracted;
            // The sample's key may be another acronym of the same registry mission ("EUNAVFOR Somalia").
            const Mission* mission = corpus().registry.mission(m.key);
            auto hit = std::find_if(g->second.begin(), g->second.end(), [&](const std::string& key) {
                return key == m.key || (mission && std::find(mission->aliases.begin(), mission->aliases.end(), key) !=
                                                       mission->aliases.end());
            });
            if (hit != g->second.end()) {
                ++correct;
                g->second.erase(hit);
            } else {
                WARN("extra mission " << m.key << " in " << d.passages[static_cast<std::size_t>(m.passage)].id);
            }
        }
    }
    for (const auto& [passage, left] : gold)
        for (const auto& key : left) WARN("missed mission " << key << " in " << passage);
    double precision = extracted ? double(correct) / double(extracted) : 0;
    double recall = gold_total ? double(correct) / double(gold_total) : 0;
    std::cout << "mission mentions: gold " << gold_total << ", extracted " << extracted << ", correct " << correct
              << ", precision " << precision << ", recall " << recall << "\n";
    CHECK(gold_total >= 100);
    CHECK(precision >= 0.95);
    CHECK(recall >= 0.90);
}

#include "search/xref.h"
#include "text/errors.h"

namespace {

// One index of the default corpus, built once for the look-up tests.
const fs::path& corpus_index() {
    static const fs::path dir = [] {
        fs::path d = fs::temp_directory_path() / ("mandala-xref-test-" + std::to_string(::getpid()));
        fs::remove_all(d);
        IndexOptions options;
        options.corpus_dirs = {fs::path(MANDALA_SHARED_DIR) / "corpus"};
        options.db_dir = d;
        auto report = run_index(options);
        REQUIRE(report.failures.empty());
        return d;
    }();
    return dir;
}

}  // namespace

TEST_CASE("xref: a mission with its mentions, categories, neighbours and years", "[integration]") {
    auto r = mandala::search::xref_mission(corpus_index(), "monusco");
    CHECK(r.key == "MONUSCO");
    CHECK(r.organization == "UN");
    CHECK(r.host == "democratic-republic-of-the-congo");
    REQUIRE(r.mentions.size() == 1);
    CHECK(r.mentions[0].passages.size() >= 8);
    // Each excerpt shows the mention in its context, cut between words.
    std::map<std::string, std::string> full;
    for (const auto& p : mandala::indexer::load_passages(corpus_index())) full[p.id] = p.text;
    const std::string ellipsis = "…";
    for (const auto& p : r.mentions[0].passages) {
        INFO(p.text);
        CHECK(p.text.find("MONUSCO") != std::string::npos);
        std::string inner = p.text;
        const bool cut_before = inner.rfind(ellipsis, 0) == 0;
        if (cut_before) inner.erase(0, ellipsis.size());
        const bool cut_after = inner.size() >= ellipsis.size() && inner.compare(inner.size() - ellipsis.size(), ellipsis.size(), ellipsis) == 0;
        if (cut_after) inner.resize(inner.size() - ellipsis.size());
        CHECK(inner.size() <= 200);
        const std::string& text = full.at(p.id);
        const std::size_t at = text.find(inner);
        REQUIRE(at != std::string::npos);
        if (cut_before) CHECK(text[at - 1] == ' ');
        if (cut_after) CHECK(text[at + inner.size()] == ' ');
    }
    CHECK_FALSE(r.co_missions.empty());
    CHECK_FALSE(r.categories.empty());
    CHECK(mandala::search::to_json(r)->has("mentions"));
    CHECK_THROWS_AS(mandala::search::xref_mission(corpus_index(), "NOSUCHMISSION"), mandala::NotFound);
}

TEST_CASE("xref: a category with its arrows, co-occurrences and missions", "[integration]") {
    auto taxonomy = fs::path(MANDALA_SOURCE_DIR) / "taxonomy" / "task-categories.json";
    auto r = mandala::search::xref_category(corpus_index(), "human-rights", taxonomy);
    std::set<std::string> arrows;
    for (const auto& rel : r.related)
        if (!rel.arrows_to.empty()) arrows.insert(rel.id);
    for (const char* id : {"protection-of-civilians", "wps", "children-armed-conflict", "rule-of-law", "policing", "ssr"})
        CHECK(arrows.count(id) == 1);
    CHECK_FALSE(r.top_passages.empty());
    CHECK_THROWS_AS(mandala::search::xref_category(corpus_index(), "no-such-category", taxonomy), mandala::NotFound);
}

TEST_CASE("xref: acronyms, passages and the registry", "[integration]") {
    auto ssr = mandala::search::xref_acronym(corpus_index(), "SSR");
    REQUIRE_FALSE(ssr.definitions.empty());
    CHECK(ssr.definitions.front().documents.size() >= 1);
    CHECK_THROWS_AS(mandala::search::xref_acronym(corpus_index(), "QQQQ"), mandala::NotFound);

    auto missions = mandala::search::list_entities(corpus_index(), "mission");
    auto monusco = std::find_if(missions.begin(), missions.end(), [](const auto& e) { return e.key == "MONUSCO"; });
    REQUIRE(monusco != missions.end());
    CHECK(monusco->passages >= 8);
    CHECK_THROWS_AS(mandala::search::list_entities(corpus_index(), "planet"), mandala::InputError);
    CHECK_THROWS_AS(mandala::search::xref_passage(corpus_index(), "nodoc#1"), mandala::NotFound);
}

TEST_CASE("xref: a passage's internal references and footnotes", "[integration]") {
    const auto& study = doc("challenges");
    auto see = std::find_if(study.xrefs.begin(), study.xrefs.end(),
                            [](const CrossReference& x) { return x.evidence == "See Chapter 6"; });
    REQUIRE(see != study.xrefs.end());
    auto r = mandala::search::xref_passage(corpus_index(), study.passages[static_cast<std::size_t>(see->passage)].id);
    REQUIRE_FALSE(r.refers_to.empty());
    CHECK(r.refers_to.front().heading.find("Chapter 6") != std::string::npos);
    auto cited = std::find_if(study.xrefs.begin(), study.xrefs.end(),
                              [](const CrossReference& x) { return x.kind == "footnote" && !x.target_passage.empty(); });
    REQUIRE(cited != study.xrefs.end());
    auto footnote = mandala::search::xref_passage(corpus_index(), cited->target_passage);
    CHECK_FALSE(footnote.cited_by.empty());
}
