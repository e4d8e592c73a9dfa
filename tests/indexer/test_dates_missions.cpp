// Issue 12: the mission registry loader, missions named by registry name, acronym, inline
// definition, shared acronym, "the Mission" and misspelt acronym; document dates and years.
// Fixtures (tests/fixtures/entities/registry, .../dated) are written for these tests.
#include <catch2/catch.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <fstream>
#include <sstream>

#include <xapian.h>

#include "indexer/extract/dates.h"
#include "indexer/extract/entities.h"
#include "indexer/pipeline.h"
#include "catalog/xapian_schema.h"
#include "indexer/store.h"
#include "test_helpers.h"
#include "text/errors.h"

using namespace mandala::indexer;
namespace fs = std::filesystem;

namespace {

fs::path fixture(const std::string& name) { return mandala::test::fixtures() / "entities" / name; }

const Gazetteer& small_gazetteer() {
    static const Gazetteer g = load_gazetteer(fixture("registry"), fixture("no-taxonomy.json"));
    return g;
}

std::string read(const fs::path& file) {
    std::ifstream in(file);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// A document of one passage per paragraph (blank-line separated), with its date as the indexer infers it.
SegmentedDocument document_of(const std::string& text, const std::string& id = "fixture") {
    SegmentedDocument doc;
    doc.meta.id = id;
    doc.text = text;
    doc.sections.push_back(Section{0, -1, 0, "", "", "", "", {}});
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t end = std::min(text.find("\n\n", at), text.size());
        if (end > at) {
            Passage p;
            p.ordinal = static_cast<int>(doc.passages.size());
            p.id = id + "#" + std::to_string(p.ordinal);
            p.text = text.substr(at, end - at);
            doc.passages.push_back(p);
        }
        at = end + 2;
    }
    infer_metadata(doc);
    return doc;
}

SegmentedDocument extracted(const std::string& text) {
    auto doc = document_of(text);
    auto registry = build_registry(document_acronyms(doc), small_gazetteer());
    EntityExtractor(registry, small_gazetteer()).extract(doc);
    return doc;
}

std::vector<const EntityMention*> mentions(const SegmentedDocument& doc, const std::string& type) {
    std::vector<const EntityMention*> out;
    for (const auto& m : doc.entities)
        if (m.type == type) out.push_back(&m);
    return out;
}

bool has(const SegmentedDocument& doc, const std::string& type, const std::string& key, const std::string& detail = "*") {
    for (const auto* m : mentions(doc, type))
        if (m->key == key && (detail == "*" || m->detail == detail)) return true;
    return false;
}

}  // namespace

TEST_CASE("registry loader: names written out give their UN/AU/EU short forms; hosts, years and sources load", "[registry]") {
    const auto& g = small_gazetteer();
    REQUIRE(g.missions.size() == 5);
    const KnownMission& tchad = g.missions[3];
    CHECK(tchad.key == "EUFOR Tchad/RCA");
    CHECK(tchad.hosts == std::vector<std::string>{"chad", "central-african-republic"});
    CHECK(tchad.start == 2008);
    CHECK(tchad.end == 2009);
    CHECK(g.missions[2].end == 0);  // still running
    CHECK(g.missions[1].successors == std::vector<std::string>{"UNTMIS"});
    CHECK_FALSE(g.missions[0].source.empty());

    auto registry = build_registry({}, g);
    const Mission* minusma = registry.mission("MINUSMA");
    REQUIRE(minusma);
    CHECK(minusma->organization == "UN");
    CHECK(minusma->host == "mali");
    CHECK(minusma->expansion == "United Nations Multidimensional Integrated Stabilization Mission in Mali");
    auto& aliases = minusma->aliases;
    CHECK(std::find(aliases.begin(), aliases.end(), "UN Multidimensional Integrated Stabilization Mission in Mali") != aliases.end());
    const Mission* amisom = registry.mission("AMISOM");
    REQUIRE(amisom);
    CHECK(std::find(amisom->aliases.begin(), amisom->aliases.end(), "AU Mission in Somalia") != amisom->aliases.end());
}

TEST_CASE("registry loader: a start that is not a year is an input error naming the mission", "[registry]") {
    mandala::test::TempDir dir;
    for (const char* f : {"places.json", "organizations.json"}) fs::copy_file(fixture("registry") / f, dir / f);
    std::ofstream(dir / "missions.json") << R"({"missions":[{"key":"XMIS","names":["X Mission"],"start":"soon"}]})";
    CHECK_THROWS_AS(load_gazetteer(dir.path(), dir / "none.json"), mandala::InputError);
}

TEST_CASE("missions: an inline definition names the registry mission; the clause before it is no name", "[registry]") {
    auto doc = extracted("The Council renewed the mandate of the United Nations Multidimensional Integrated "
                         "Stabilization Mission in Mali (MINUSMA) for a year.");
    auto found = mentions(doc, "mission");
    REQUIRE(found.size() == 1);
    CHECK(found[0]->key == "MINUSMA");
    CHECK(found[0]->surface == "United Nations Multidimensional Integrated Stabilization Mission in Mali (MINUSMA)");
    auto registry = build_registry(document_acronyms(doc), small_gazetteer());
    CHECK(registry.mission("MINUSMA")->expansion == "United Nations Multidimensional Integrated Stabilization Mission in Mali");
}

TEST_CASE("missions: a mission the registry does not know is added from its inline definition, without the clause", "[registry]") {
    auto doc = document_of("Officers joined the mandate of the African Union Observer Mission in Freedonia (AUOMF) in May.");
    auto registry = build_registry(document_acronyms(doc), small_gazetteer());
    const Mission* m = registry.mission("AUOMF");
    REQUIRE(m);
    CHECK(m->expansion == "African Union Observer Mission in Freedonia");
    CHECK(m->organization == "AU");
    CHECK(m->host == "freedonia");
}

TEST_CASE("missions: a text naming a mission only by acronym", "[registry]") {
    auto doc = extracted("Patrols by MINUSMA’s engineers reopened the road.");
    REQUIRE(has(doc, "mission", "MINUSMA", ""));
    CHECK_FALSE(has(doc, "mission", "MINUSMA", "main-mission"));
}

TEST_CASE("missions: an acronym several missions share is resolved from the places and missions of the document", "[registry]") {
    CHECK(has(extracted("EUFOR troops escorted refugees in eastern Chad."), "mission", "EUFOR Tchad/RCA"));
    CHECK(has(extracted("EUFOR patrols in Bosnia and Herzegovina went on."), "mission", "EUFOR Althea"));
    CHECK(mentions(extracted("EUFOR was mentioned without any context."), "mission").empty());
}

TEST_CASE("missions: 'the Mission' resolves to the document's main mission, recorded as resolved", "[registry]") {
    auto doc = extracted("MINUSMA opened a base.\n\nThe Mission will report on its work, said the head of MINUSMA.");
    CHECK(has(doc, "mission", "MINUSMA", "main-mission"));
    auto two = extracted("MINUSMA and AMISOM met.\n\nThe Mission will report.");
    CHECK_FALSE(has(two, "mission", "MINUSMA", "main-mission"));
    CHECK_FALSE(has(two, "mission", "AMISOM", "main-mission"));
}

TEST_CASE("missions: a misspelt acronym of a mission the document names is that mission, recorded as a variant", "[registry]") {
    auto doc = extracted(read(fixture("dated/mission-page-undated.txt")));
    CHECK(has(doc, "mission", "UNSOM", "variant"));
    CHECK(has(doc, "mission", "UNSOM", ""));
}

TEST_CASE("dates: a dateline beats the mandate's end date in the headline", "[dates]") {
    auto doc = document_of(read(fixture("dated/press-release-extension.txt")));
    CHECK(doc.meta.date == "2016-03-14");
    CHECK(doc.meta.year == 2016);
}

TEST_CASE("dates: an undated page gets no date from the dates in its text", "[dates]") {
    auto doc = document_of(read(fixture("dated/mission-page-undated.txt")));
    CHECK(doc.meta.date.empty());
    CHECK(doc.meta.year == 0);
}

TEST_CASE("dates: datelines, meeting dates, addresses and resolutions adopted today", "[dates]") {
    const int last = last_plausible_year();
    CHECK(find_document_date("Headline\nMar 11, 2006 (CAPITAL) — On Friday the council met.", "", last).text() == "2006-03-11");
    CHECK(find_document_date("Posted Fri 2 Dec 2011\n\nNews of the week", "", last).text() == "2011-12-02");
    CHECK(find_document_date("In Geneva on 21 March 2014, the Council decided to send monitors.", "", last).text() == "2014-03-21");
    CHECK(find_document_date("It began on 1 January 2015 after another mission.", "", last).text().empty());
    CHECK(find_document_date("The Council, by resolution 1244 dated 10 June 1999, set up the presence.", "", last).text().empty());
    CHECK(find_document_date("Nouvelles\n\n08 qershor 2010\n\nA text in two languages.", "", last).text() == "2010");
    CHECK(find_document_date("On Friday the Council chose to renew the mission for 12 months, until 31 July 2018.", "", last)
              .text() == "2017");
    CHECK(find_document_date("Plain text.", "https://example.org/news/2019/07/story", last).text() == "2019-07");
    CHECK(find_document_date("Today the Council, adopting resolution 2222 (2015), met.", "", last).text() == "2015");
    CHECK(find_document_date("Until 31 March 2999 and 1 May 1900.", "", last).text().empty());
}

TEST_CASE("dates: a title ending in a year dates an otherwise undated report, not a term's end or a span", "[dates]") {
    const int last = last_plausible_year();
    CHECK(find_document_date("Harbour Security Review 2014\n\nPatrols went out at night.", "", last).text() == "2014");
    CHECK(find_document_date("Annual Report of the Field Office (2019)\n\nThe office grew.", "", last).text() == "2019");
    CHECK(find_document_date("Council Keeps Observers In Place Until 2019\n\nThe observers stay.", "", last).text().empty());
    CHECK(find_document_date("What Field Missions Learned Since 2000\n\nMany lessons.", "", last).text().empty());
    CHECK(find_document_date("Police Reform 2004-2010\n\nA review.", "", last).text().empty());
    CHECK(find_document_date("Briefing on Resolution 2010\n\nA note.", "", last).text().empty());
    // A dateline in the text wins over the title's year.
    CHECK(find_document_date("Review 2014\n\n3 May 2016 - The team met.", "", last).text() == "2016-05-03");
}

TEST_CASE("dates: an undated text speaking of the present or of a decision's effective date gives a year", "[dates]") {
    const int last = 2027;
    CHECK(find_document_date("Demining Support\n\nIn 2021, the demining service is part of six missions.", "", last).text() == "2021");
    CHECK(find_document_date("Our Work\n\nAs of June 2018, the office employs 40 people. In 2016, it has grown.", "", last).text() == "2018");
    // History told in the past tense is not the present of the text.
    CHECK(find_document_date("Our Work\n\nIn 2004, the Council established the office.", "", last).text().empty());
    CHECK(find_document_date("Colombia\n\nToday the Council decided to set up a new office, which will replace the old one on "
                             "1 October 2016.", "", last).text() == "2016");
    // Without a decision just taken, a future date is no sign of the text's own year.
    CHECK(find_document_date("Our Work\n\nThe office will close on 1 October 2016.", "", last).text().empty());
    // A dateline still wins.
    CHECK(find_document_date("Brief\n3 May 2015\n\nAs of June 2018, the office employs 40 people.", "", last).text() == "2015-05-03");
}

TEST_CASE("dates: the header formulas of resolutions, communiques, statements and EU acts", "[dates]") {
    const int last = 2027;
    CHECK(find_document_date("Resolution 9001 (2031)\n\nAdopted by the Council at its 9999th meeting, on 25 April 2026\n\nThe Council,",
                             "", last).text() == "2026-04-25");
    CHECK(find_document_date("Communique\n\nAdopted by the Peace Council at its 900th meeting held on 7 April 2019, on the situation.",
                             "", last).text() == "2019-04-07");
    CHECK(find_document_date("Statement\n\nAt the 8500th meeting of the Council, held on 19 July 2017, the President said:", "", last)
              .text() == "2017-07-19");
    CHECK(find_document_date("COUNCIL DECISION (CFSP) 2019/77 of 10 December 2018 amending Decision 2013/1/CFSP\n\nTHE COUNCIL,",
                             "", last).text() == "2018-12-10");
    // The same words inside a sentence of a mission page are history, not the page's date.
    CHECK(find_document_date("About the office\n\nThe office opened after the Council, at its 4000th meeting on 10 June 1999, "
                             "took a decision of 11 June 1999.", "", last).text().empty());
}

TEST_CASE("years: resolution numbers, symbols, pages and amounts are never years; 'resolution 2100 (2013)' is of 2013", "[dates]") {
    auto doc = extracted(read(fixture("dated/press-release-extension.txt")));
    for (const auto* m : mentions(doc, "year")) {
        CHECK(m->key != "2100");
        CHECK(m->key != "2019");
        CHECK(m->key != "2050");
        CHECK(m->key != "1999");
        CHECK(std::stoi(m->key) >= 1945);
        CHECK(std::stoi(m->key) <= last_plausible_year());
    }
    CHECK(has(doc, "resolution", "2100", "2013"));
    CHECK(has(doc, "resolution", "2295", "2016"));
    CHECK(has(doc, "year", "2013"));
    auto undated = extracted(read(fixture("dated/mission-page-undated.txt")));
    CHECK(has(undated, "resolution", "2100", "2013"));  // "resolution 2100 of 25 April 2013"
}

namespace {

// Every year the index holds: the year facet terms, the mentioned-year terms and the documents' years.
std::vector<int> years_in_index(const fs::path& db) {
    std::vector<int> out;
    Xapian::Database x((db / "xapian").string());
    for (const auto prefix : {mandala::schema::kYearPrefix}) {
        for (auto it = x.allterms_begin(std::string(prefix)); it != x.allterms_end(std::string(prefix)); ++it) {
            std::string digits = (*it).substr(prefix.size());
            if (!digits.empty() && digits[0] == 'M') digits = digits.substr(1);  // XYM: mentioned years
            out.push_back(std::stoi(digits));
        }
    }
    for (const auto& d : load_documents(db))
        if (d.year) out.push_back(d.year);
    return out;
}

}  // namespace

TEST_CASE("no index of the seed corpus or of these fixtures holds a year outside 1945..next year", "[dates][integration]") {
    mandala::test::TempDir tmp;
    IndexOptions o;
    o.corpus_dirs = {mandala::test::shared_corpus(), fixture("dated")};
    o.db_dir = tmp / "db";
    auto report = run_index(o);
    REQUIRE(report.failures.empty());
    auto years = years_in_index(o.db_dir);
    REQUIRE_FALSE(years.empty());
    for (int y : years) {
        CHECK(y >= 1945);
        CHECK(y <= last_plausible_year());
    }
    auto dates = load_document_dates(o.db_dir);
    CHECK(dates["press-release-extension"] == "2016-03-14");
}

TEST_CASE("missions: a section heading names its missions, filed under the section's first passage", "[registry]") {
    auto doc = segment_file(fixture("headings/press-release-headings.txt"));
    auto registry = build_registry(document_acronyms(doc), small_gazetteer());
    EntityExtractor(registry, small_gazetteer()).extract(doc);
    auto heading_mentions = [&](const std::string& key) {
        std::vector<const EntityMention*> out;
        for (const auto* m : mentions(doc, "mission"))
            if (m->key == key && m->detail == "heading") out.push_back(m);
        return out;
    };
    auto first_passage_of = [&](const std::string& words) {
        for (const auto& s : doc.sections)
            if (s.heading.find(words) != std::string::npos)
                for (std::size_t p = 0; p < doc.passages.size(); ++p)
                    if (doc.passages[p].section == s.id) return static_cast<int>(p);
        return -1;
    };
    const auto minusma = heading_mentions("MINUSMA");
    REQUIRE(minusma.size() == 1);
    CHECK(minusma[0]->surface == "MINUSMA");  // as written, though the section's title is title-cased
    CHECK(minusma[0]->passage == first_passage_of("Widens"));
    CHECK(doc.passages[static_cast<std::size_t>(minusma[0]->passage)].text.find("MINUSMA") == std::string::npos);
    const auto amisom = heading_mentions("AMISOM");
    REQUIRE(amisom.size() == 1);
    CHECK(amisom[0]->passage == first_passage_of("Support"));
    // The body's own mention keeps its offsets in the passage; "the Mission" in a heading is no mention.
    CHECK(has(doc, "mission", "MINUSMA", ""));
    CHECK_FALSE(has(doc, "mission", "MINUSMA", "main-mission"));
    // The title line is the document's title, not a heading: nothing is extracted from it.
    for (const auto& s : doc.sections) CHECK(s.title.find("one more year") == std::string::npos);
}

TEST_CASE("missions: a headline a page repeats is no passage, but its missions are read, the title line's marked as such", "[registry]") {
    auto doc = segment_file(fixture("headings/repeated-headline.txt"));
    for (const auto& p : doc.passages) CHECK(p.text.find("convoy reaches") == std::string::npos);
    auto registry = build_registry(document_acronyms(doc), small_gazetteer());
    EntityExtractor(registry, small_gazetteer()).extract(doc);
    std::size_t in_furniture = 0, in_title = 0;
    for (const auto* m : mentions(doc, "mission")) {
        CHECK(m->key == "AMISOM");
        CHECK((m->detail == "furniture" || m->detail == "title"));
        in_furniture += m->detail == "furniture";
        in_title += m->detail == "title";
    }
    CHECK(in_furniture == 2);  // the two repeats below the header
    CHECK(in_title == 1);      // the title line, filed under the first passage
}

TEST_CASE("missions: a mission named only in the title line is the document's", "[registry]") {
    auto doc = segment_file(fixture("headings/title-only-mission.txt"));
    auto registry = build_registry(document_acronyms(doc), small_gazetteer());
    EntityExtractor(registry, small_gazetteer()).extract(doc);
    CHECK(has(doc, "mission", "UNSOM", "title"));
    CHECK(has(doc, "mission", "UNSOM", "main-mission"));  // "The Mission" resolves to it
}

TEST_CASE("missions: a name without owner and place is the mission the document names, recorded as a short form", "[registry]") {
    auto doc = extracted("MINUSMA opened a base in Gao.\n\nThe Multidimensional Integrated Stabilization Mission will train "
                         "the local police.");
    CHECK(has(doc, "mission", "MINUSMA", "short-form"));
    // Alone it describes; after an owner's name it is a longer name written another way.
    CHECK(mentions(extracted("A Multidimensional Integrated Stabilization Mission was proposed."), "mission").empty());
    auto owned = extracted("MINUSMA met the press.\n\nThe UN Multidimensional Integrated Stabilization Mission for Mali left.");
    CHECK_FALSE(has(owned, "mission", "MINUSMA", "short-form"));
}

TEST_CASE("resolutions: UNSCR, a year of adoption later in the sentence, a link label before the date", "[dates]") {
    auto year_of = [](const SegmentedDocument& doc, const std::string& number) {
        for (const auto* m : mentions(doc, "resolution"))
            if (m->key == number) return m->detail;
        return std::string("absent");
    };
    CHECK(year_of(extracted("Under UNSCR 1820 the panel reported twice."), "1820") == "");
    CHECK(year_of(extracted("Security Council resolution (UNSCR) 1888 created the envoy post in 2009."), "1888") == "2009");
    CHECK(year_of(extracted("Resolution 1674, adopted in 2006, stressed protection."), "1674") == "2006");
    CHECK(year_of(extracted("By resolution 1701 PDF Document of 11 August 2006, the Council acted."), "1701") == "2006");
    // A year in the next sentence, or after another number, is not the adoption year.
    CHECK(year_of(extracted("Resolution 1674 was adopted. In 2010 a review began."), "1674") == "");
    CHECK(year_of(extracted("Resolution 1674 set up 3 teams in 2008."), "1674") == "");
    CHECK(year_of(extracted("Resolution 1674 stressed protection in 2006 reports."), "1674") == "");
}

TEST_CASE("dates: a dateline without its year takes it from a DDMMYY stamp of the address's file name", "[dates]") {
    const std::string text = "Council sets up a border office\n\n14 March -- Today the Council agreed to open a new office.";
    auto d = find_document_date(text, "https://example.org/archive/news/P140398.htm", 2027);
    CHECK(d.text() == "1998-03-14");
    CHECK(find_document_date(text, "https://example.org/archive/news/P140324.htm", 2027).text() == "2024-03-14");
    // The stamp must repeat the dateline's day and month; a mere number in the address is no date.
    CHECK(find_document_date(text, "https://example.org/archive/news/P150398.htm", 2027).text().empty());
    CHECK(find_document_date(text, "https://example.org/archive/news/P1403981.htm", 2027).text().empty());
}
