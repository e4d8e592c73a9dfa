// Paragraphs, headers, furniture, lists and bounded passages of text files: the fixtures are
// written here, in invented sentences, one layout each.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "indexer/catalog.h"
#include "indexer/furniture.h"
#include "indexer/line_breaks.h"
#include "indexer/normalize.h"
#include "indexer/passage_bounds.h"
#include "indexer/pipeline.h"
#include "indexer/readers/read.h"
#include "indexer/segment.h"

using namespace mandala::indexer;

namespace {

SegmentedDocument segment_text(std::string_view text, bool markdown = false) {
    RawDocument raw;
    raw.source = markdown ? "sample.md" : "sample.txt";
    raw.format = markdown ? "md" : "txt";
    if (markdown)
        read_markdown(text, raw);
    else
        read_plain_text(text, raw);
    DocumentMeta meta;
    meta.id = "sample";
    SegmentedDocument d = segment(normalize(std::move(raw)), meta);
    infer_metadata(d);
    return d;
}

std::vector<std::string> texts(const SegmentedDocument& d) {
    std::vector<std::string> out;
    for (const auto& p : d.passages) out.push_back(p.text);
    return out;
}

bool any_passage_contains(const SegmentedDocument& d, std::string_view part) {
    return std::any_of(d.passages.begin(), d.passages.end(),
                       [&](const Passage& p) { return p.text.find(part) != std::string::npos; });
}

// One paragraph per line, no blank lines, lines of any length.
constexpr const char* kOnePerLine =
    "The observer team reached the northern valley on the third day of the rainy season.\n"
    "Village elders asked the team to report on the state of the river crossing, which had been closed since the spring floods washed away the old ferry.\n"
    "Two patrols were sent along the western road.\n"
    "The team leader met the district council and heard its complaints about cattle raids, the missing schoolteachers and the price of fuel at the market.\n"
    "A written summary went to the regional office the same evening.\n";

// Text wrapped at 60 columns; a paragraph ends with a short line that ends a sentence.
constexpr const char* kHardWrapped =
    "The quartermaster counted every tent, stove and water tank in\n"
    "the depot before the convoy left, and wrote the figures into\n"
    "the logbook that travels with the lead vehicle.\n"
    "Fuel was rationed for the first week because the bridge at\n"
    "the border crossing could carry only light trucks until the\n"
    "engineers had strengthened it.\n"
    "When the engineers finished, the heavy trucks crossed in a\n"
    "single morning and the depot was full again by the evening of\n"
    "the same day.\n";

}  // namespace

TEST_CASE("one-paragraph-per-line text gives one passage per line", "[unit][segment][paragraphs]") {
    const auto d = segment_text(kOnePerLine);
    REQUIRE(d.passages.size() == 5);
    CHECK(d.passages[1].text.starts_with("Village elders asked"));
    CHECK(d.passages[4].text == "A written summary went to the regional office the same evening.");
}

TEST_CASE("hard-wrapped text is joined into its paragraphs", "[unit][segment][paragraphs]") {
    const auto d = segment_text(kHardWrapped);
    REQUIRE(d.passages.size() == 3);
    CHECK(d.passages[0].text ==
          "The quartermaster counted every tent, stove and water tank in the depot before the convoy left, and "
          "wrote the figures into the logbook that travels with the lead vehicle.");
    CHECK(d.passages[1].text.ends_with("until the engineers had strengthened it."));
    CHECK(d.passages[2].text.starts_with("When the engineers finished"));
}

TEST_CASE("a wrapped line that breaks off mid-sentence is joined in one-per-line text", "[unit][paragraphs]") {
    std::vector<Block> blocks = {{BlockKind::paragraph,
                                  "The council met the delegation from the\nnorthern provinces on Monday.\n"
                                  "It agreed to meet again within a month.",
                                  0, 0}};
    const auto out = split_line_paragraphs(blocks);
    REQUIRE(out.size() == 2);
    CHECK(out[0].text == "The council met the delegation from the\nnorthern provinces on Monday.");
    CHECK(out[1].text == "It agreed to meet again within a month.");
}

TEST_CASE("lists keep their items on separate lines, wrapped items are joined", "[unit][segment][paragraphs][lists]") {
    const auto d = segment_text(
        "The patrol base needs the following before the rains:\n"
        "- a second generator with enough fuel for\n"
        "  three weeks of operation,\n"
        "- drainage around the perimeter,\n"
        "- a covered store for rations.\n"
        "The engineers will report on progress every Friday until the work is done.\n");
    REQUIRE(d.passages.size() == 2);
    CHECK(d.passages[0].kind == PassageKind::list);
    CHECK(d.passages[0].text ==
          "The patrol base needs the following before the rains:\n"
          "- a second generator with enough fuel for three weeks of operation,\n"
          "- drainage around the perimeter,\n"
          "- a covered store for rations.");
    CHECK(d.passages[1].kind == PassageKind::paragraph);

    SECTION("other bullets (en dash, typographic, '?' for a lost one) stay as written, ASCII ones become '- '") {
        const auto e = segment_text(
            "Tasks of the team:\n\u2013 clear the access road\n\u2022 mark the minefield edge\n? train local deminers\n"
            "* keep the log\n");
        REQUIRE(e.passages.size() == 1);
        CHECK(e.passages[0].text ==
              "Tasks of the team:\n\u2013 clear the access road\n\u2022 mark the minefield edge\n? train local deminers\n"
              "- keep the log");
    }
}

TEST_CASE("a title line and a Source line are document metadata, not passages", "[unit][segment][header]") {
    const auto d = segment_text(
        "Observers Return to the Northern Valley\n"
        "Source: https://news.example.org/2031/observers-return\n"
        "\n"
        "Observers Return to the Northern Valley\n"
        "The observer team went back to the northern valley after a pause of two months.\n"
        "Its first task is to check the river crossing that the elders had asked about.\n");
    CHECK(d.meta.title == "Observers Return to the Northern Valley");
    CHECK(d.meta.source_url == "https://news.example.org/2031/observers-return");
    REQUIRE(d.passages.size() == 2);
    CHECK(d.passages[0].text.starts_with("The observer team went back"));
    CHECK_FALSE(any_passage_contains(d, "Source:"));

    SECTION("a first line that reads as running text is no title") {
        const auto e = segment_text("The team left at dawn and reached the valley before noon.\n\nThen it rained.\n");
        CHECK(e.meta.title == "sample.txt");
        CHECK(e.passages.size() == 1);  // "Then it rained." is under four words
    }
    SECTION("a Source line in angle brackets, in any case") {
        const auto e = segment_text("Ferry Notes\nSOURCE: <https://example.org/ferry>\n\nThe ferry crosses the river twice a day.\n", true);
        CHECK(e.meta.source_url == "https://example.org/ferry");
        CHECK(e.meta.title == "Ferry Notes");
    }
    SECTION("a title in capitals is shown in title case") {
        const auto e = segment_text("RIVER CROSSINGS IN THE RAINY SEASON\n\nFerries need a landing on either bank and a crew of three.\n");
        CHECK(e.meta.title == "River Crossings in the Rainy Season");
    }
    SECTION("a Markdown heading on the first line is the title") {
        const auto e = segment_text("# Notes on River Crossings\n\nFerries need a landing on either bank and a crew of three.\n", true);
        CHECK(e.meta.title == "Notes on River Crossings");
    }
}

TEST_CASE("page furniture of web pages is kept out of passages", "[unit][segment][furniture]") {
    const auto d = segment_text(
        "Ferry Service Restored\n"
        "Source: https://example.org/ferry\n"
        "\n"
        "By Amina Okafor and Lars Berg\n"
        "Tue, 04/03/2029 - 10:15\n"
        "Share this article on Facebook\n"
        "Engineers and villagers rebuilt the ferry landing in nine days.\n"
        "Villagers carry sacks of cement to the new ferry landing.\n"
        "Photo: Field Office/Example\n"
        "The ferry now crosses the river twice a day, carrying traders and schoolchildren.\n"
        "Read more\n"
        "Source: district records, 2029\n");
    CHECK(texts(d) == std::vector<std::string>{
                          "Engineers and villagers rebuilt the ferry landing in nine days.",
                          "Villagers carry sacks of cement to the new ferry landing.",
                          "The ferry now crosses the river twice a day, carrying traders and schoolchildren."});
    REQUIRE(d.passages.size() == 3);
    CHECK(d.passages[1].kind == PassageKind::caption);  // the caption above the photo credit
    CHECK(d.passages[0].kind == PassageKind::paragraph);
    CHECK(furniture_kind("By Amina Okafor") == Furniture::byline);
    CHECK(furniture_kind("By a vote of 14 to none, the council renewed the mandate.") == Furniture::none);
    CHECK(furniture_kind("UN Photo/Jane Example") == Furniture::photo_credit);
    CHECK(furniture_kind("Learn more \u00BB") == Furniture::link_prompt);
    CHECK(furniture_kind("12 March 2029") == Furniture::dateline);
    CHECK(furniture_kind("12 soldiers were hurt in March 2029.") == Furniture::none);
    CHECK(furniture_kind("Posted Fri 2 Mar 2029") == Furniture::dateline);
    CHECK(furniture_kind("Print-friendly version, PDF and email") == Furniture::share_buttons);
    CHECK(furniture_kind("Get the weekly field brief by email: sign up") == Furniture::link_prompt);
    CHECK(furniture_kind("Villagers at the new landing. Photo credit: A. Okafor/Field Office") == Furniture::caption);
    CHECK(furniture_kind("The council will print and share the report with the districts.") == Furniture::none);
    CHECK(furniture_kind("Follow us on Twitter") == Furniture::share_buttons);
    CHECK(furniture_kind("Get the ferry timetable in PDF format:") == Furniture::link_prompt);
    CHECK(furniture_kind("Download the annual report (PDF, 2 MB)") == Furniture::link_prompt);
    CHECK(furniture_kind("The office will send the timetable to each village as a PDF file by the end of the month.") == Furniture::none);
    CHECK(furniture_kind("Home > Field Offices > River District") == Furniture::navigation);
    CHECK(furniture_kind("You are here: Home \u00BB About the office") == Furniture::navigation);
    CHECK(furniture_kind("Home to three million people / refugees included, the valley needs ferries.") == Furniture::none);
    CHECK(furniture_kind("Home > ") == Furniture::none);
    CHECK(furniture_kind("River News Service \u2022 Ferries Desk \u2022 Lowtown") == Furniture::navigation);
    CHECK(furniture_kind("About | Timetables | Contact | Donate") == Furniture::navigation);
    CHECK(furniture_kind("Ferries run daily | the office opens at nine and closes when the last boat is in | Lowtown") == Furniture::none);
}

TEST_CASE("a paragraph a page prints twice in a row is one passage", "[unit][segment][furniture]") {
    const auto d = segment_text(
        "Ferry Service Restored\n\n"
        "The district council today reopened the ferry across the river after nine days of work.\n\n"
        "The district council today reopened the ferry across the river after nine days of work.\n\n"
        "Traders welcomed the news.\n");
    CHECK(texts(d) == std::vector<std::string>{
                          "The district council today reopened the ferry across the river after nine days of work.",
                          "Traders welcomed the news."});
}

TEST_CASE("short lines above the headline a page repeats are its masthead, not passages", "[unit][segment][furniture]") {
    const auto d = segment_text(
        "Ferry Service Restored\n"
        "Source: https://example.org/ferry\n\n"
        "Rivers of news. Every bank covered.\n\n"
        "Ferry Service Restored\n\n"
        "The district council today reopened the ferry across the river after nine days of work.\n\n"
        "Rivers of news. Every bank covered.\n");
    CHECK(texts(d) == std::vector<std::string>{
                          "The district council today reopened the ferry across the river after nine days of work."});
    // (printed again at the foot, right after the lead, the slogan repeats a recent paragraph)
    // A real paragraph above the repeated headline stays.
    const auto kept = segment_text(
        "Ferry Service Restored\n\n"
        "The district council today reopened the ferry across the river after nine days of work on the landing.\n\n"
        "Ferry Service Restored\n\n"
        "Traders welcomed the news.\n");
    CHECK(kept.passages.size() == 2);
}

TEST_CASE("a lead-in too short for a paragraph stays with its list", "[unit][segment]") {
    const auto d = segment_text(
        "Ferry Office\n\n"
        "The ferry office was opened by the district council in the spring.\n"
        "Its tasks:\n"
        "- keeping the timetable;\n"
        "- training the crews.\n");
    REQUIRE(d.passages.size() == 2);
    CHECK(d.passages[1].kind == PassageKind::list);
    CHECK(d.passages[1].text == "Its tasks:\n- keeping the timetable;\n- training the crews.");
}

TEST_CASE("in hard-wrapped text a short furniture line is not wrapped into a paragraph", "[unit][segment][furniture]") {
    const auto d = segment_text(
        "Ferry Service Restored\n"
        "\n"
        "Engineers and villagers rebuilt the ferry landing on the eastern bank of the\n"
        "river in nine days, working in two shifts while the water was still high, and\n"
        "the district paid for the cement, the steel and the hire of the crane.\n"
        "\n"
        "The ferry now crosses the river twice a day, carrying traders, patients and\n"
        "schoolchildren, and the crossing takes a quarter of an hour in calm weather.\n"
        "\n"
        "Read more\n"
        "Share this page\n");
    CHECK(texts(d) == std::vector<std::string>{
                          "Engineers and villagers rebuilt the ferry landing on the eastern bank of the river in nine days, "
                          "working in two shifts while the water was still high, and the district paid for the cement, the "
                          "steel and the hire of the crane.",
                          "The ferry now crosses the river twice a day, carrying traders, patients and schoolchildren, and "
                          "the crossing takes a quarter of an hour in calm weather."});
}

TEST_CASE("a paragraph that opens with a date is not a footnote", "[unit][segment][footnotes]") {
    CHECK_FALSE(looks_like_footnote("13 June 2031 \u2013 The council extended the observer mission for a year."));
    CHECK_FALSE(looks_like_footnote("4 Sept. 2030: The ferry reopened after the floods had receded."));
    CHECK(looks_like_footnote("13 Further detail is given in the annual report of the mission."));
    const auto d = segment_text("13 June 2031 \u2013 The council extended the observer mission for another year.\n");
    REQUIRE(d.passages.size() == 1);
    CHECK(d.passages[0].kind == PassageKind::paragraph);
}

TEST_CASE("passages are bounded: long text is cut at sentences, then words", "[unit][segment][bounds]") {
    SECTION("a one-line file of a megabyte gives passages under the limit") {
        std::string line;
        for (int i = 0; line.size() < 1024 * 1024; ++i)
            line += "Sentence number " + std::to_string(i) + " tells how the ferry crossed the river again. ";
        const auto d = segment_text(line + "\n");
        REQUIRE(d.passages.size() > 250);
        for (const auto& p : d.passages) {
            CHECK(p.text.size() <= kMaxPassageBytes);
            CHECK(p.text.ends_with("again."));  // cut at a sentence end
            CHECK(d.text.substr(p.begin, p.end - p.begin) == p.text);
        }
    }
    SECTION("a run without sentence ends is cut after words, a run without spaces anywhere") {
        std::string words;
        while (words.size() < 3 * 1000) words += "ferry ";
        const auto pieces = bounded_pieces(words, 1000);
        REQUIRE(pieces.size() >= 3);
        for (const auto& [from, to] : pieces) {
            CHECK(to - from <= 1000);
            CHECK(words.substr(from, to - from).ends_with("ferry"));
        }
        const std::string blob(2500, 'x');
        const auto cut = bounded_pieces(blob, 1000);
        REQUIRE(cut.size() == 3);
        CHECK(cut[2].second == 2500);
    }
    SECTION("a long list goes on in a new list passage") {
        std::string list = "Items:\n";
        for (int i = 0; i < 200; ++i) list += "- crate number " + std::to_string(i) + " holds tent poles and pegs\n";
        const auto d = segment_text(list);
        REQUIRE(d.passages.size() >= 2);
        for (const auto& p : d.passages) {
            CHECK(p.kind == PassageKind::list);
            CHECK(p.text.size() <= kMaxPassageBytes);
        }
    }
}

// The real web documents of ../shared/corpus-web: no document whose body has more than three
// paragraphs may become a single passage (nor half as many passages as paragraphs). A body
// paragraph is counted without the segmenter:
// a line (below the header) that ends a sentence and is not a list item, with at least 8 words.
TEST_CASE("no real web document with several paragraphs becomes one passage", "[integration][paragraphs]") {
    const auto corpus = std::filesystem::path(MANDALA_SHARED_DIR) / "corpus-web";
    if (!std::filesystem::exists(corpus)) {
        WARN("no ../shared/corpus-web here: skipped");
        return;
    }
    int documents = 0;
    for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
        if (entry.path().extension() != ".txt") continue;
        std::ifstream in(entry.path());
        int body_paragraphs = 0, line_no = 0;
        for (std::string line; std::getline(in, line);) {
            if (++line_no <= 2) continue;
            const std::size_t lead = line.find_first_not_of(' ');
            if (lead == std::string::npos) continue;
            const std::string_view item = std::string_view(line).substr(lead);
            if (item.starts_with("- ") || item.starts_with("\u2022") || item.starts_with("* ")) continue;  // a list item
            while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
            const auto words = std::count(line.begin(), line.end(), ' ') + 1;
            if (words >= 8 && (line.ends_with(".") || line.ends_with("!") || line.ends_with("?"))) ++body_paragraphs;
        }
        const auto d = segment_file(entry.path(), Catalog{});
        INFO(entry.path().filename().string() << ": " << body_paragraphs << " paragraphs, " << d.passages.size() << " passages");
        // Not one passage for the body (lists and sentences wrapped over lines count once or twice).
        if (body_paragraphs > 3) CHECK(d.passages.size() >= static_cast<std::size_t>(body_paragraphs + 1) / 2);
        for (const auto& p : d.passages) CHECK(p.text.find("Source: http") == std::string::npos);
        ++documents;
    }
    CHECK(documents > 40);
}
