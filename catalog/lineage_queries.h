#pragma once
// The catalog's queries behind mandate lineage and the document facts trace uses
// (search/lineage.h): a mission's registry row and the documents naming it, a document's
// metadata, paragraphs and stored tags, each document's date and main mission. Each takes a
// catalog opened read-only; search/ aligns, diffs and caches.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "catalog/sqlite.h"

namespace mandala::catalog {

// A registry mission with its names and, where the catalog records them, its predecessors and
// successors. Lists here are JSON arrays, or a single key as plain text.
struct MissionWithLinks {
    std::string key, name;
    std::vector<std::string> aliases, predecessors, successors;
};
// In the catalog's own order (its first match wins a look-up).
std::vector<MissionWithLinks> missions_with_links(Connection& db);

// The documents with a passage naming the mission.
std::set<std::string> documents_naming_mission(Connection& db, const std::string& key);

// A document's title, kind, year and date ("" when unknown). Throws NotFound for an unknown id.
struct DatedDocument {
    std::string id, title, kind, date;
    int year = 0;
};
DatedDocument dated_document(Connection& db, const std::string& doc_id);

// A document's passages but footnotes, in order, each with its section's id and heading.
struct ParagraphRow {
    std::string id, text;
    std::int64_t section = 0;
    std::string heading;
};
std::vector<ParagraphRow> document_paragraphs(Connection& db, const std::string& doc_id);

// The stored tags of a document's passages, by passage, best first; evidence is empty when the
// stored list cannot be read (it only picks the sentence shown).
struct PassageTagRow {
    std::string passage_id, category;
    double score = 0;
    std::vector<std::string> evidence;
};
std::vector<PassageTagRow> document_passage_tags(Connection& db, const std::string& doc_id);

// Every document's date; every (document, mission) with the passages naming it and the first
// one's ordinal.
std::map<std::string, std::string> all_document_dates(Connection& db);
struct MissionInDocument {
    std::string doc, key;
    std::int64_t passages = 0, first_ordinal = 0;
};
std::vector<MissionInDocument> missions_in_documents(Connection& db);

// One document's date and main mission (the mission named in most of its passages, then the
// earliest named, then by key), with its statements prepared once for many documents.
class DocumentFactsReader {
public:
    explicit DocumentFactsReader(Connection& db);
    // (main mission or "", date), or nothing for a document not in the catalog.
    std::optional<std::pair<std::string, std::string>> read(const std::string& doc_id);

private:
    Statement date_;
    Statement main_mission_;
};

}  // namespace mandala::catalog
