#pragma once
// Language tracing: every passage that contains a phrase or a near-variant of it. Candidates come
// from the index (the exact phrase, then the phrase's words); each is scored by shingle
// similarity: the share of the phrase's word bigrams (stems, stop words kept) found in the best
// window of the passage. Exact matches (the folded word sequence occurs) come first.
//
// Each line carries its mission (the passage's own mission mentions, else the mission its document
// is about: "the Mission" of a mandate) and its variant form (the folded words of the matched
// window). The response groups the lines by mission in date order, counts missions per year and
// gathers the variant forms, each with the words that differ from the phrase.
//
// A common phrase is carried by tens of thousands of passages. The summaries (forms, missions,
// years, counts) are made from what the index stores per passage (document, year, ordinal,
// missions: value slots), so an exact match costs no text analysis; only the lines returned (a
// page, when TraceOptions::limit is set) are analysed into keyword-in-context lines. Near-variants
// (at most `candidates` passages) are always analysed: their similarity decides whether they count.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "search/search.h"

namespace mandala::search {

struct TraceOptions {
    double min_similarity = 0.5;    // near-variants below this are dropped
    std::size_t candidates = 400;   // best word matches examined for near-variants
    std::size_t context_words = 10; // words of context either side in the KWIC line
    std::set<std::string> forms;          // when not empty: only lines of these variant forms
    std::set<std::string> exclude_forms;  // lines of these variant forms are dropped
    // The lines returned (the summaries always count every line of the kept forms):
    std::optional<std::size_t> limit;    // at most this many (none: every line, as the CLI and exports give; 0: none)
    std::size_t offset = 0;              // after skipping this many of the selection
    std::optional<std::string> mission;  // only lines of this mission (registry key; "": lines of no mission)
    std::optional<int> year;             // only lines of this document year (0: of unknown year)
};

// Who the passage asks to act, from the words before the match in its sentence: the mission (its
// name, "the Mission", "the Force", "peacekeepers") or someone else (the Government, the parties,
// Member States...). Unknown when the sentence names neither.
enum class Addressee { unknown, mission, other };

struct TraceLine {
    SearchHit hit;
    double similarity = 0;  // 1 for exact matches
    bool exact = false;
    int ordinal = 0;                   // the passage's place in its document (orders lines of one document)
    std::string before, match, after;  // keyword in context
    std::string form;                  // folded words of the matched window: the variant form
    std::vector<std::string> missions; // registry keys: the passage's own mentions, else its document's
    bool mission_from_document = false;
    std::string date;                  // the document's date when the index has one
    Addressee addressee = Addressee::unknown;
};

struct VariantForm {
    std::string form;
    bool exact = false;
    std::size_t count = 0;  // lines
    int first_year = 0, last_year = 0;
    std::vector<std::string> missions;
    std::vector<std::string> missing, extra;  // phrase words the form lacks; its words the phrase lacks
};

struct YearCount {
    int year = 0;
    std::size_t missions = 0, lines = 0;  // missions: 1 in a mission's own year counts
};

struct MissionTrace {
    std::string mission;               // registry key; "" for lines of no mission
    int first_year = 0, last_year = 0;
    std::string first_doc, last_doc;
    std::size_t count = 0;             // its lines, all of them (not only those returned)
    std::vector<YearCount> years;      // its lines per document year, ascending (0: unknown year, last)
    std::vector<std::size_t> lines;    // indexes into TraceResponse::lines of its returned lines, by date then passage
};

struct TraceResponse {
    std::string phrase;
    // The lines returned: every line, or the page asked for. Without a mission or year filter,
    // exact matches first by date, then near-variants (addressed to the mission before others, by
    // similarity, date); with one, in date order.
    std::vector<TraceLine> lines;
    std::size_t total = 0;               // lines of the kept forms, over all missions and years
    std::size_t selected = 0;            // of those, the lines of the mission and year asked for
    std::size_t offset = 0;              // as asked
    std::optional<std::size_t> limit;    // as asked (none: every selected line)
    std::vector<VariantForm> forms;      // exact form first, then by count
    std::vector<MissionTrace> missions;  // by first appearance (the no-mission group last)
    std::vector<YearCount> years;        // ascending; lines of no year left out
};

// The words of `form` against the phrase's (both folded): phrase words missing, extra words.
void explain_form(const std::vector<std::string>& phrase, const std::vector<std::string>& form,
                  std::vector<std::string>& missing, std::vector<std::string>& extra);

// Addressee of the sentence holding the match, from the text before it (`lead`, any length).
Addressee addressee_of(std::string_view lead, const std::vector<std::string>& mission_keys);
std::string_view addressee_name(Addressee a);

// Shingle similarity of `phrase` to the best window of `passage` (both token lists of stems):
// share of the phrase's bigrams (unigrams for one word) present in the window; `where` receives
// the window's first and last token index.
double shingle_similarity(const std::vector<std::string>& phrase, const std::vector<std::string>& passage,
                          std::pair<std::size_t, std::size_t>* where = nullptr);

// Throws InputError for an empty phrase and LimitExceeded for one over kMaxQueryWords words.
TraceResponse trace_phrase(const Searcher& searcher, const std::string& phrase, const TraceOptions& options = {});

std::string to_json(const TraceResponse& response);
// One row per line, in mission then date order, with a header row (RFC 4180 quoting):
// mission,date,year,doc,title,passage,section,exact,similarity,form,addressee,before,match,after
std::string to_csv(const TraceResponse& response);

}  // namespace mandala::search
