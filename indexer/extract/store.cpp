// SQLite tables of entities, cross-references and the registry. The writer calls these inside
// its own transaction, so none of them begins or commits one.
#include <Poco/JSON/Array.h>

#include <sstream>

#include "indexer/extract/entities.h"
#include "indexer/sqlite.h"

namespace mandala::indexer {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS entities(
  passage_id TEXT NOT NULL, doc TEXT NOT NULL, type TEXT NOT NULL, key TEXT NOT NULL,
  surface TEXT NOT NULL, begin INTEGER NOT NULL, end INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS entities_by_key ON entities(type, key);
CREATE INDEX IF NOT EXISTS entities_by_passage ON entities(passage_id);
CREATE INDEX IF NOT EXISTS entities_by_doc ON entities(doc);
CREATE TABLE IF NOT EXISTS xrefs(
  passage_id TEXT NOT NULL, doc TEXT NOT NULL, kind TEXT NOT NULL, from_category TEXT NOT NULL,
  target TEXT NOT NULL, target_section INTEGER NOT NULL, target_passage TEXT NOT NULL,
  evidence TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS xrefs_by_passage ON xrefs(passage_id);
CREATE INDEX IF NOT EXISTS xrefs_by_doc ON xrefs(doc);
CREATE INDEX IF NOT EXISTS xrefs_by_target ON xrefs(kind, target);
CREATE INDEX IF NOT EXISTS xrefs_by_target_passage ON xrefs(target_passage);
CREATE TABLE IF NOT EXISTS missions(
  key TEXT PRIMARY KEY, expansion TEXT NOT NULL, organization TEXT NOT NULL, host TEXT NOT NULL,
  aliases_json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS organizations(
  key TEXT PRIMARY KEY, name TEXT NOT NULL, parent TEXT NOT NULL, aliases_json TEXT NOT NULL);
)sql";

void exec(sqlite3* db, const char* sql) {
    char* error = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
        std::string message = error ? error : "unknown error";
        sqlite3_free(error);
        throw SqliteError("entity tables: " + message);
    }
}

std::string json_array(const std::vector<std::string>& items) {
    Poco::JSON::Array array;
    for (const auto& i : items) array.add(i);
    std::ostringstream out;
    array.stringify(out);
    return out.str();
}

const std::string& passage_id(const SegmentedDocument& doc, int index) {
    return doc.passages.at(static_cast<std::size_t>(index)).id;
}

void write_entities(sqlite3* db, const SegmentedDocument& doc) {
    Statement insert(db, "INSERT INTO entities(passage_id, doc, type, key, surface, begin, end) VALUES(?,?,?,?,?,?,?)");
    for (const auto& m : doc.entities) {
        insert.bind(1, passage_id(doc, m.passage)).bind(2, doc.meta.id).bind(3, m.type).bind(4, m.key)
            .bind(5, m.surface).bind(6, static_cast<std::int64_t>(m.begin)).bind(7, static_cast<std::int64_t>(m.end));
        insert.run();
    }
}

void write_xrefs(sqlite3* db, const SegmentedDocument& doc) {
    Statement insert(db, "INSERT INTO xrefs(passage_id, doc, kind, from_category, target, target_section, "
                         "target_passage, evidence) VALUES(?,?,?,?,?,?,?,?)");
    for (const auto& x : doc.xrefs) {
        insert.bind(1, passage_id(doc, x.passage)).bind(2, doc.meta.id).bind(3, x.kind).bind(4, x.from_category)
            .bind(5, x.target).bind(6, x.target_section).bind(7, x.target_passage).bind(8, x.evidence);
        insert.run();
    }
}

}  // namespace

void create_entity_tables(sqlite3* db) { exec(db, kSchema); }

void delete_document_entities(sqlite3* db, const std::string& doc_id) {
    for (const char* sql : {"DELETE FROM entities WHERE doc = ?", "DELETE FROM xrefs WHERE doc = ?"}) {
        Statement del(db, sql);
        del.bind(1, doc_id).run();
    }
}

void write_document_entities(sqlite3* db, const SegmentedDocument& doc) {
    delete_document_entities(db, doc.meta.id);
    write_entities(db, doc);
    write_xrefs(db, doc);
}

void write_registry(sqlite3* db, const EntityRegistry& registry) {
    exec(db, "DELETE FROM missions; DELETE FROM organizations;");
    Statement mission(db, "INSERT INTO missions(key, expansion, organization, host, aliases_json) VALUES(?,?,?,?,?)");
    for (const auto& m : registry.missions) {
        mission.bind(1, m.key).bind(2, m.expansion).bind(3, m.organization).bind(4, m.host).bind(5, json_array(m.aliases));
        mission.run();
    }
    Statement org(db, "INSERT INTO organizations(key, name, parent, aliases_json) VALUES(?,?,?,?)");
    for (const auto& o : registry.organizations) {
        org.bind(1, o.key).bind(2, o.name).bind(3, o.parent).bind(4, json_array(o.aliases));
        org.run();
    }
}

}  // namespace mandala::indexer
