#pragma once
// What the web page lists and joins: a passage in its context (document imprint, section,
// neighbours, tags), documents with their outline counts, category counts and heatmaps, a
// mission's mentions per year, completions. Each takes a catalog opened by open_catalog(); counts
// stay 64-bit as SQLite gives them. Lists stored as JSON are read leniently here: a malformed one
// (an index written by another version) yields what could be read, since these only display it.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "catalog/passage_record.h"
#include "catalog/sqlite.h"

namespace mandala::catalog {

// A passage with its document's imprint and its section; `record.source` is left empty and
// `record.year` is the document's.
struct PassageInContext {
    PassageRecord record;
    int ordinal = 0;
    std::int64_t section_id = 0;
    std::optional<std::int64_t> footnote_number;
    std::string publisher, document_kind;
};
// Throws NotFound for an unknown passage id.
PassageInContext passage_in_context(Connection& db, const std::string& passage_id);

struct PassageLink {
    std::string id, text, kind;
};
// The passage just before (`previous`) or after `ordinal` in `doc`, if any.
std::optional<PassageLink> neighbour(Connection& db, const std::string& doc, int ordinal, bool previous);

struct PassageTag {
    std::string category;
    double score = 0;
    std::vector<std::string> evidence;
    bool primary = false;
};
// Highest score first.
std::vector<PassageTag> passage_tags(Connection& db, const std::string& passage_id);

struct DocumentListing {
    std::string id, title, publisher;
    std::int64_t year = 0;
    std::string kind, language, format, source;
    std::int64_t passages = 0;
    std::vector<std::string> organizations;
};
struct DocumentDetail : DocumentListing {
    std::string licence, source_url, content_hash;
    std::int64_t bytes = 0;
    std::string indexed_at;
};
// Newest first, then by title.
std::vector<DocumentListing> list_documents(Connection& db);
// Throws NotFound for an unknown document id.
DocumentDetail document_detail(Connection& db, const std::string& doc_id);
// Per section id of the document: its passage count and first passage's id.
std::map<int, std::pair<std::int64_t, std::string>> section_passages(Connection& db, const std::string& doc_id);

// Tagged passages per category; and per (document, category), in the catalog's order.
std::map<std::string, std::int64_t> category_passage_counts(Connection& db);
std::vector<std::tuple<std::string, std::string, std::int64_t>> document_category_counts(Connection& db);

// Every document (oldest first, then by id) with its passages tagged `category` and in all.
struct CategoryInDocument {
    std::string doc, title;
    std::int64_t year = 0;
    std::vector<std::string> organizations;
    std::int64_t passages = 0, of = 0;
};
std::vector<CategoryInDocument> category_in_documents(Connection& db, const std::string& category);

// Mentions of a mission per document year (none in a catalog without entities).
struct YearMentions {
    std::int64_t year = 0, mentions = 0, documents = 0;
};
std::vector<YearMentions> mission_timeline(Connection& db, const std::string& mission_key);

// Completions of a typed prefix: (key, name) pairs of missions whose key starts with the prefix or
// whose name holds it, acronyms that start with it, documents whose title holds it; 20 of each.
std::vector<std::pair<std::string, std::string>> missions_matching(Connection& db, const std::string& prefix);
std::vector<std::pair<std::string, std::string>> acronyms_starting(Connection& db, const std::string& prefix);
std::vector<std::pair<std::string, std::string>> documents_titled(Connection& db, const std::string& part);

}  // namespace mandala::catalog
