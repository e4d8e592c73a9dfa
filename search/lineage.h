#pragma once
// Mandate lineage: the documents about one mission in date order and, for each consecutive pair,
// what changed. Plain functions over plain structs, each testable alone:
//   align_paragraphs   paragraphs of two documents paired by word-shingle similarity, moved ones found;
//   word_diff          words added and removed between two aligned paragraphs;
//   sentence_changes   sentences of one document missing from the other (anywhere in it);
//   operative_verb     the mandate verb of a sentence and its strength (decides ... calls upon);
//   task_profile       per task category, the strongest verb that assigns it, with the sentence;
//   compare_profiles   tasks gained, lost and changed in strength;
//   build_lineage      all of the above over documents in date order.
// mission_lineage() reads the documents from an index's catalog; everything else sees no index.
#include <filesystem>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "taxonomy/tag.h"

namespace mandala::taxonomy {
class TaxonomyTagger;
}

namespace mandala::search {

inline constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

// ---- paragraph alignment ----

struct AlignOptions {
    // Dice coefficient of word bigrams from which two paragraphs are the same paragraph (edited).
    double min_similarity = 0.4;
};

struct ParagraphLink {
    std::size_t before = kNone, after = kNone;  // paragraph indexes; kNone on the side it is missing from
    double similarity = 0;                      // 1 when the words are the same
    bool moved = false;                         // kept, but out of order relative to the other kept ones
    bool added() const { return before == kNone; }
    bool removed() const { return after == kNone; }
    bool same() const { return before != kNone && after != kNone && similarity >= 1.0; }
};

// Pairs each paragraph of `after` with at most one of `before` (best similarity first, then the
// nearest position); the paired ones out of the longest in-order run are `moved`. Links come in
// the order of `after`, each removed paragraph after the kept one that preceded it.
std::vector<ParagraphLink> align_paragraphs(const std::vector<std::string>& before, const std::vector<std::string>& after,
                                            const AlignOptions& options = {});

// Dice coefficient of the word bigrams (folded words; single words for a one-word text).
double paragraph_similarity(std::string_view a, std::string_view b);

// ---- word diff ----

enum class DiffOp { equal, added, removed };

struct DiffSpan {
    DiffOp op = DiffOp::equal;
    std::string text;  // surface text with the spacing and punctuation that follow each word
};

// Longest common subsequence of the folded words; consecutive words of one kind form one span.
std::vector<DiffSpan> word_diff(std::string_view before, std::string_view after);

// ---- sentences ----

// ICU sentence boundaries, trimmed, empty ones dropped.
std::vector<std::string> split_sentences(std::string_view text);

struct ChangedSentence {
    std::string before, after;
};

struct SentenceChanges {
    std::vector<std::string> added, removed;  // found nowhere (not even edited) in the other document
    std::vector<ChangedSentence> changed;     // an edited version is in the other document
};

// Sentences compared across whole documents, so a moved sentence is neither added nor removed.
// Two sentences are one edited sentence from a bigram Dice of 0.5.
SentenceChanges sentence_changes(const std::vector<std::string>& before_paragraphs,
                                 const std::vector<std::string>& after_paragraphs);

// ---- operative verbs and task profiles ----

// Mandate language, weakest to strongest: the Council calls upon or urges others, encourages,
// requests (the Secretary-General, the mission), authorizes (the use of force, a deployment),
// decides (binding, e.g. the mandate itself).
enum class Strength { none = 0, calls_upon = 1, encourages = 2, requests = 3, authorizes = 4, decides = 5 };

std::string_view strength_name(Strength s);  // "decides", ..., "calls upon"; "" for none

struct OperativeVerb {
    Strength strength = Strength::none;
    std::string surface;  // as written ("Further decides" gives "decides")
};

// The first operative verb of a sentence, or none.
OperativeVerb operative_verb(std::string_view sentence);

struct LineageParagraph {
    std::string id;  // passage id, empty for a text not in an index
    std::string text;
};

struct LineageDocument {
    std::string doc, title, kind, date;
    int year = 0;
    std::vector<LineageParagraph> paragraphs;
};

struct TaskEntry {
    std::string category;
    Strength strength = Strength::none;
    std::string verb;      // surface form
    std::string sentence;  // the evidence
    std::string passage;   // its paragraph's passage id
};

struct TaskProfile {
    std::vector<TaskEntry> tasks;  // one per category, in order of first assignment
};

// `taggings[i]` are the task categories of `doc.paragraphs[i]`. A paragraph assigns its categories
// when it has an operative verb, or when it follows a lead-in ("Decides that the mandate shall
// include the following tasks:") whose verb it inherits, up to the next paragraph with a verb.
// Per category the strongest verb wins, the first one among equals.
TaskProfile task_profile(const LineageDocument& doc, const std::vector<taxonomy::Tagging>& taggings);
// The same with each paragraph tagged by `tagger`.
TaskProfile task_profile(const LineageDocument& doc, const taxonomy::TaxonomyTagger& tagger);

struct StrengthChange {
    TaskEntry before, after;
};

struct TaskChanges {
    std::vector<TaskEntry> gained, lost;  // gained: from the later document; lost: from the earlier one
    std::vector<StrengthChange> strength;
};

TaskChanges compare_profiles(const TaskProfile& before, const TaskProfile& after);

// ---- the lineage ----

struct LineageStep {
    std::size_t before = 0, after = 0;     // document indexes
    std::vector<ParagraphLink> links;
    std::vector<std::vector<DiffSpan>> diffs;  // per link: the word diff of an edited pair, else empty
    SentenceChanges sentences;
    TaskChanges tasks;
    bool detailed = true;                  // false: links and tasks only (no diffs, no sentences)
};

// Paragraph links of a step by kind (a moved pair counts as moved, not as same or changed).
struct LinkCounts {
    std::size_t same = 0, changed = 0, moved = 0, added = 0, removed = 0;
};
LinkCounts count_links(const std::vector<ParagraphLink>& links);

// How much of a lineage is computed: everything (the CLI, the exports), or per step only the
// alignment and the tasks (the web page's overview; a step's details are asked for one at a time).
enum class LineageDetail { full, summary };

struct Lineage {
    std::string mission, name;
    std::vector<std::string> predecessors, successors;
    std::vector<LineageDocument> documents;  // date order
    std::vector<TaskProfile> profiles;       // per document
    std::vector<LineageStep> steps;          // per consecutive pair
};

// Sorts `documents` by date (then year, then id) and compares each with the next.
Lineage build_lineage(std::string mission, std::vector<LineageDocument> documents,
                      const std::vector<std::vector<taxonomy::Tagging>>& taggings, LineageDetail detail = LineageDetail::full);

// The documents of an index about `mission` (a registry key; the mission most mentioned in the
// document), their paragraphs (footnotes left out) and stored tags. Throws NotFound for a mission
// the index does not know, InputError for an empty key.
Lineage mission_lineage(const std::filesystem::path& db_dir, const std::string& mission,
                        LineageDetail detail = LineageDetail::full);

// Step `n` of the mission's lineage in full (documents n and n+1 in date order): the lineage's
// documents, of which only those two with their paragraphs and task profiles, and that one step.
// Throws NotFound when the lineage has no step n.
Lineage mission_lineage_step(const std::filesystem::path& db_dir, const std::string& mission, std::size_t n);

// What trace needs of a document besides its passages: the mission it is about (the one named in
// most of its passages, among equals the first named; empty when it names none) and its date
// (empty when the index has none).
struct DocumentFacts {
    std::string mission, date;
};
// Reads the catalog of `db_dir`; documents it does not hold are left out.
std::map<std::string, DocumentFacts> document_facts(const std::filesystem::path& db_dir, const std::set<std::string>& docs);
// Reads every document's facts into the cache document_facts answers from (a server's start:
// the first trace of a common phrase would otherwise read them, 0.3-0.5 s on 2,000 documents).
void preload_document_facts(const std::filesystem::path& db_dir);

std::string to_json(const Lineage& lineage);
// The overview: documents without their paragraphs (a count instead), each with its task
// profile; per step the link counts and the tasks gained, lost and changed in strength.
std::string summary_to_json(const Lineage& lineage);
// The one step of mission_lineage_step(): its two documents with their paragraphs, the links
// with word diffs, the sentences and the tasks.
std::string step_to_json(const Lineage& lineage);

}  // namespace mandala::search
