// The tagger: evidence a reader can check (per sentence), no category for management talk, a task
// one sentence assigns kept in a long passage, near misses, thread safety, and the dev-set figures
// measured leaving the scored document out of training.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <set>
#include <thread>

#include "taxonomy/clauses.h"
#include "taxonomy/evaluation.h"
#include "taxonomy/json_util.h"
#include "taxonomy/lexicon.h"
#include "taxonomy/sentences.h"
#include "taxonomy/sources.h"
#include "taxonomy/tagger.h"
#include "taxonomy/train.h"

using namespace mandala::taxonomy;

namespace {

const std::filesystem::path kCorpus = std::filesystem::path(MANDALA_SHARED_DIR) / "corpus";
const std::filesystem::path kDevGold = std::filesystem::path(MANDALA_SHARED_DIR) / "eval" / "tagging-dev.jsonl";

const TaxonomyTagger& tagger() {
    static const TaxonomyTagger instance;  // loads taxonomy/ of the source tree once
    return instance;
}

bool has_tag(const Tagging& t, const std::string& id) {
    return std::any_of(t.tags.begin(), t.tags.end(), [&](const Tag& tag) { return tag.category == id; });
}

const Tag* find_tag(const Tagging& t, const std::string& id) {
    for (const auto& tag : t.tags)
        if (tag.category == id) return &tag;
    return nullptr;
}

// Stand-in for the indexer's passages: the corpus text files split on blank lines.
std::vector<EvalPassage> corpus_passages() {
    std::vector<EvalPassage> out;
    for (const auto& entry : std::filesystem::directory_iterator(kCorpus)) {
        if (entry.path().extension() != ".txt" && entry.path().extension() != ".md") continue;
        std::string doc = entry.path().filename().string();
        int ordinal = 0;
        for (auto& p : split_source_text(json::read_file(entry.path()), doc))
            out.push_back({doc + "#" + std::to_string(++ordinal), doc, p.heading, p.text});
    }
    return out;
}

}  // namespace

TEST_CASE("a DDR sentence that never says DDR is tagged ddr with the terms that fired", "[unit]") {
    auto t = tagger().tag("Ex-combatants gathered in cantonment sites, handed in their weapons and were demobilized "
                          "before returning to their communities.");
    REQUIRE(t.primary == "ddr");
    const Tag* ddr = find_tag(t, "ddr");
    REQUIRE(ddr != nullptr);
    auto fired = [&](const std::string& term) {
        return std::find(ddr->evidence.begin(), ddr->evidence.end(), term) != ddr->evidence.end();
    };
    CHECK(fired("ex-combatants"));
    CHECK(fired("cantonment sites"));
    CHECK(fired("demobilized"));
    CHECK(ddr->score > 0.5);
    CHECK(ddr->model_share >= 0.0);
    CHECK(ddr->model_share <= 1.0);
}

TEST_CASE("stems meet across word forms but not inside other words", "[unit]") {
    auto t = tagger().tag("The mission supported the demobilisation of fighters and the reintegration programmes.");
    CHECK(has_tag(t, "ddr"));
    auto policy = tagger().tag("The mission's policy on budgets and staffing was reviewed by headquarters.");
    CHECK_FALSE(has_tag(policy, "policing"));
}

TEST_CASE("mission leadership, budgets and staffing get no category", "[unit]") {
    CHECK(tagger().tag("The Head of Mission chairs the mission leadership team, which meets weekly to review the "
                       "budget, staffing tables and the coordination of mission components with headquarters.")
              .tags.empty());
    CHECK(tagger().tag("").tags.empty());
    CHECK(tagger().tag("").primary.empty());
}

TEST_CASE("acronyms fire on the surface form only", "[unit]") {
    auto t = tagger().tag("The SSR programme trained the new army battalions and the ministry of defence.");
    REQUIRE(has_tag(t, "ssr"));
    auto ssr = find_tag(t, "ssr");
    CHECK(std::find(ssr->evidence.begin(), ssr->evidence.end(), "SSR") != ssr->evidence.end());
}

TEST_CASE("the primary comes first, the other tags best first", "[unit]") {
    auto t = tagger().tag("Police officers and judges were trained to restore the rule of law and the courts.");
    REQUIRE_FALSE(t.tags.empty());
    CHECK(t.primary == t.tags.front().category);
    CHECK(std::is_sorted(t.tags.begin() + 1, t.tags.end(), [](const Tag& a, const Tag& b) { return a.score > b.score; }));
}

TEST_CASE("sentences: ICU breaks, list items and semicolons", "[unit]") {
    const std::string text = "The mission monitors the ceasefire. It supports the elections; it trains the police. "
                             "Its tasks are: (a) to clear mines (b) to help refugees return.";
    std::vector<std::string> got;
    for (const auto& s : split_sentences(text)) got.push_back(text.substr(s.begin, s.end - s.begin));
    CHECK(got == std::vector<std::string>{"The mission monitors the ceasefire.", "It supports the elections;",
                                          "it trains the police.", "Its tasks are:", "(a) to clear mines",
                                          "(b) to help refugees return."});
    CHECK(split_sentences("").empty());
    CHECK(split_sentences("   ").empty());
}

TEST_CASE("an authorization of force to protect civilians is robust-interventions and protection-of-civilians", "[unit]") {
    const std::string text = "The Council authorized the Mission to use all necessary means to carry out its mandate, "
                             "including to protect civilians under threat of physical violence.";
    auto t = tagger().tag(text);
    const Tag* robust = find_tag(t, "robust-interventions");
    const Tag* poc = find_tag(t, "protection-of-civilians");
    REQUIRE(robust != nullptr);
    REQUIRE(poc != nullptr);
    auto fired = [](const Tag* tag, const std::string& term) {
        return std::find(tag->evidence.begin(), tag->evidence.end(), term) != tag->evidence.end();
    };
    CHECK(fired(robust, "all necessary means"));
    CHECK(fired(poc, "protect civilians"));
    // The sentence evidence points into the text and names the same terms.
    REQUIRE_FALSE(robust->sentences.empty());
    const auto& s = robust->sentences.front();
    CHECK(s.begin == 0);
    CHECK(s.end == text.size());
    CHECK(std::find(s.terms.begin(), s.terms.end(), "all necessary means") != s.terms.end());
}

TEST_CASE("a procedural Chapter VII extension gets no category but shows its near misses", "[unit]") {
    auto t = tagger().tag("Acting under Chapter VII, the Council extended the mandate until 30 September.");
    CHECK(t.tags.empty());
    CHECK(t.primary.empty());
    REQUIRE_FALSE(t.near_misses.empty());
    const double threshold = tagger().model().calibration.threshold;
    for (const auto& m : t.near_misses) {
        CHECK(m.score < threshold);
        CHECK((m.score >= threshold - kNearMissMargin || !m.evidence.empty()));
    }
    CHECK(find_tag(Tagging{t.near_misses, {}, {}}, "robust-interventions") != nullptr);
}

TEST_CASE("a task one sentence of a short passage assigns is kept beside the primary", "[unit]") {
    // Mostly about elections; one sentence gives the mission a second, different task.
    const std::string text = "The mission will support the electoral commission with voter registration, polling "
                             "logistics and the security of the ballot. It will also deploy child protection advisers.";
    auto t = tagger().tag(text);
    CHECK(t.primary == "elections");
    const Tag* caac = find_tag(t, "children-armed-conflict");
    REQUIRE(caac != nullptr);
    REQUIRE_FALSE(caac->sentences.empty());
    CHECK(text.substr(caac->sentences.front().begin).starts_with("It will also deploy"));
}

TEST_CASE("the stemmer's false friends do not fire: government is not governance", "[unit]") {
    auto t = tagger().tag("The Government and the opposition met in the capital on Tuesday.");
    CHECK_FALSE(has_tag(t, "governance"));
    for (const auto& m : t.near_misses) CHECK(m.category != "governance");
}

TEST_CASE("troop figures and mission names are not tasks", "[unit]") {
    // A term after a number counts personnel; a term before "mission"/"office" is part of a name.
    auto figures = tagger().tag("The Council authorized 4,200 troops, among them 220 military observers, for an "
                                "initial period of six months.");
    CHECK_FALSE(has_tag(figures, "monitoring-verification"));
    auto name = tagger().tag("The Council extended the Verification Mission by one year.");
    CHECK_FALSE(has_tag(name, "monitoring-verification"));
    // The same terms giving a task still count.
    auto task = tagger().tag("The mission's military observers monitor the ceasefire line.");
    CHECK(task.primary == "monitoring-verification");
    // A term inside the proper name of an organisation's body ("United Nations ... Security Force")
    // names the body; the same words as a task still count.
    auto owned = tagger().tag("The United Nations Interim Security Force for the Upper Valley was set up in 2031.");
    CHECK_FALSE(has_tag(owned, "ssr"));
    auto reform = tagger().tag("The mission advises on the reform of the national security forces and their oversight.");
    CHECK(has_tag(reform, "ssr"));
}

namespace {

// The role of the clause holding `word` (its first occurrence) in `text`.
ClauseRole role_of(const std::string& text, const std::string& word) {
    auto tokens = thread_analyzer().tokens(text);
    auto roles = clause_roles(text, tokens);
    for (std::size_t i = 0; i < tokens.size(); ++i)
        if (tokens[i].folded == word) return roles[i];
    FAIL("no token " << word);
    return ClauseRole::plain;
}

// The weight `category`'s term `surface` gets in `text`, 0 when it does not fire.
double term_weight(const std::string& text, const std::string& category, const std::string& surface) {
    const auto& categories = tagger().taxonomy().categories;
    auto c = static_cast<std::size_t>(std::find_if(categories.begin(), categories.end(),
                                                   [&](const auto& x) { return x.id == category; }) - categories.begin());
    static const Lexicon lexicon(tagger().taxonomy(), thread_analyzer());
    auto tokens = thread_analyzer().tokens(text);
    auto hits = lexicon.match(text, tokens);
    for (const auto& h : hits[c])
        if (h.surface == surface) return h.weight;
    return 0.0;
}

}  // namespace

TEST_CASE("clauses: provisos and exceptions are asides up to the next comma", "[unit]") {
    const std::string text = "Without prejudice to the elections planned for spring, the office will hire drivers.";
    CHECK(role_of(text, "elections") == ClauseRole::aside);
    CHECK(role_of(text, "drivers") == ClauseRole::plain);
    CHECK(role_of("Staff may travel freely unless curfews apply in the district.", "curfews") == ClauseRole::aside);
    CHECK(role_of("All units, other than the engineers, returned home.", "engineers") == ClauseRole::aside);
    CHECK(role_of("All units, other than the engineers, returned home.", "returned") == ClauseRole::plain);
}

TEST_CASE("clauses: an enumeration after 'ranging from' runs over commas to the end of the clause", "[unit]") {
    const std::string text = "Partners work on topics ranging from courts, prisons and policing to land disputes; "
                             "the mission hosts their meetings.";
    CHECK(role_of(text, "prisons") == ClauseRole::aside);
    CHECK(role_of(text, "land") == ClauseRole::aside);
    CHECK(role_of(text, "hosts") == ClauseRole::plain);
}

TEST_CASE("clauses: what lies outside the purview of the mission is excluded, before or after", "[unit]") {
    const std::string before = "Road building is largely outside of the purview of the mission, as donors fund it.";
    CHECK(role_of(before, "road") == ClauseRole::excluded);
    CHECK(role_of(before, "donors") == ClauseRole::plain);
    const std::string after = "In our view it falls beyond the remit of the force to train judges.";
    CHECK(role_of(after, "judges") == ClauseRole::excluded);
    CHECK(role_of("The mission stood outside the town.", "town") == ClauseRole::plain);
}

TEST_CASE("a task named in a proviso, a range or an exclusion does not count as key evidence", "[unit]") {
    CHECK(term_weight("The mission supports voter registration.", "elections", "voter registration") == kKeyTermWeight);
    CHECK(term_weight("Except for voter registration, the mission leaves logistics to partners.", "elections",
                      "voter registration") == kSupportTermWeight);
    CHECK(term_weight("Voter registration is outside the mandate of the mission.", "elections", "voter registration") ==
          0.0);
    // Named in a proviso and assigned in the main clause: assigned.
    CHECK(term_weight("Except where voter registration is under way, the mission supports voter registration.",
                      "elections", "voter registration") == kKeyTermWeight);
    auto aside = tagger().tag("Without prejudice to ongoing disarmament and demobilization programmes, the Head of "
                              "Mission approved the office budget for the coming year.");
    CHECK_FALSE(has_tag(aside, "ddr"));
    auto assigned = tagger().tag("The Head of Mission approved the budget of the disarmament and demobilization "
                                 "programmes for the coming year.");
    CHECK(has_tag(assigned, "ddr"));
}

TEST_CASE("tagging from several threads gives the same result as from one", "[unit]") {
    const std::string text = "Election commission staff and voter registration were supported by the mission.";
    auto expected = tagger().tag(text);
    std::vector<Tagging> results(4);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < results.size(); ++i)
        threads.emplace_back([&, i] { for (int k = 0; k < 20; ++k) results[i] = tagger().tag(text); });
    for (auto& th : threads) th.join();
    for (const auto& r : results) {
        CHECK(r.primary == expected.primary);
        CHECK(r.tags.size() == expected.tags.size());
    }
}

TEST_CASE("dev-set figures reach the thresholds of issue 13, leaving the scored document out of training", "[integration]") {
    // The dev passages all come from one document of the seed corpus; the model that scores them
    // is retrained without that document's exemplars, as `mandala eval tagging` does by default.
    auto gold = load_tagging_gold(kDevGold);
    std::set<std::string> scored;
    for (const auto& g : gold) scored.insert(g.doc);
    auto left_out = taggers_without_each(tagger().taxonomy(), TrainingOptions{kCorpus, {}, 5, {}}, scored);
    REQUIRE(left_out.size() == scored.size());
    auto report = evaluate_tagging(gold, corpus_passages(), [&](const EvalPassage& p) {
        auto it = left_out.find(p.source);
        return (it == left_out.end() ? tagger() : *it->second).tag(p.text, p.section);
    });
    std::cout << report.to_text();
    CHECK(report.unlocated.empty());
    // Issue 13's targets here: micro-F1 >= 0.75, primary >= 0.80, untagged >= 0.70 (with the
    // indexer's passages this model reaches 0.78, 0.85 and 0.81, 13 of 16; docs/evaluation.md).
    CHECK(report.micro_f1 >= 0.75);
    CHECK(report.primary_accuracy() >= 0.80);
    CHECK(report.untagged_share() >= 0.70);
}

TEST_CASE("retraining from the corpus reproduces the committed model", "[integration]") {
    // Compared by behaviour and within rounding: floating-point sums may differ in the last digits
    // between compilers, which must not fail the build.
    TrainingOptions options{kCorpus, {kDevGold}, 5, {}};
    auto retrained = train_model(tagger().taxonomy(), options);
    const auto& committed = tagger().model();
    CHECK(retrained.centroids.classes() == committed.centroids.classes());
    CHECK(retrained.training_stats == committed.training_stats);
    CHECK(retrained.calibration.threshold == Approx(committed.calibration.threshold).margin(0.011));
    CHECK(retrained.calibration.bias == Approx(committed.calibration.bias).epsilon(1e-3));
    for (std::size_t k = 0; k < kFeatureCount; ++k)
        CHECK(retrained.calibration.weights[k] == Approx(committed.calibration.weights[k]).epsilon(1e-3));
    TaxonomyTagger fresh(tagger().taxonomy(), retrained);
    for (const auto& p : corpus_passages()) {
        auto a = fresh.tag(p.text, p.section), b = tagger().tag(p.text, p.section);
        CHECK(a.primary == b.primary);
        for (std::size_t i = 0; i < std::min(a.tags.size(), b.tags.size()); ++i)
            CHECK(a.tags[i].score == Approx(b.tags[i].score).margin(0.01));
    }
}
