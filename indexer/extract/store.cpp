// SQLite tables of entities, cross-references and the registry. The writer calls these inside
// its own transaction, so none of them begins or commits one.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "indexer/extract/entities.h"
#include "indexer/sqlite.h"
#include "indexer/store.h"

namespace mandala::indexer {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS entities(
  passage_id TEXT NOT NULL, doc TEXT NOT NULL, type TEXT NOT NULL, key TEXT NOT NULL,
  surface TEXT NOT NULL, begin INTEGER NOT NULL, end INTEGER NOT NULL, detail TEXT NOT NULL DEFAULT '');
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
CREATE TABLE IF NOT EXISTS document_dates(doc TEXT PRIMARY KEY, date TEXT NOT NULL);
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
    Statement insert(db, "INSERT INTO entities(passage_id, doc, type, key, surface, begin, end, detail) VALUES(?,?,?,?,?,?,?,?)");
    for (const auto& m : doc.entities) {
        insert.bind(1, passage_id(doc, m.passage)).bind(2, doc.meta.id).bind(3, m.type).bind(4, m.key)
            .bind(5, m.surface).bind(6, static_cast<std::int64_t>(m.begin)).bind(7, static_cast<std::int64_t>(m.end))
            .bind(8, m.detail);
        insert.run();
    }
    if (!doc.meta.date.empty()) {
        Statement date(db, "INSERT INTO document_dates(doc, date) VALUES(?,?)");
        date.bind(1, doc.meta.id).bind(2, doc.meta.date).run();
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

// An index written before entities had a `detail` column gets one (empty for its old rows).
void add_detail_column(sqlite3* db) {
    Statement columns(db, "PRAGMA table_info(entities)");
    while (columns.step())
        if (columns.text(1) == "detail") return;
    exec(db, "ALTER TABLE entities ADD COLUMN detail TEXT NOT NULL DEFAULT ''");
}

}  // namespace

void create_entity_tables(sqlite3* db) {
    exec(db, kSchema);
    add_detail_column(db);
}

namespace {

bool has_table(Connection& db, const char* name) {
    return db.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?").bind(1, name).step();
}

}  // namespace

std::map<std::string, std::vector<EntityMention>> load_passage_entities(const std::filesystem::path& db_dir) {
    check_index(db_dir);
    Connection db(catalog_path(db_dir), Connection::Mode::read_only);
    std::map<std::string, std::vector<EntityMention>> out;
    if (!has_table(db, "entities")) return out;
    bool with_detail = false;
    for (auto columns = db.prepare("PRAGMA table_info(entities)"); columns.step();) with_detail |= columns.text(1) == "detail";
    auto st = db.prepare(std::string("SELECT passage_id, type, key, surface, begin, end, ") +
                         (with_detail ? "detail" : "''") + " FROM entities ORDER BY passage_id, " +
                         (with_detail ? "detail NOT IN ('title', 'heading', 'furniture'), " : "") + "begin, rowid");
    while (st.step())
        out[st.text(0)].push_back({0, st.text(1), st.text(2), st.text(3), static_cast<std::size_t>(st.integer(4)),
                                   static_cast<std::size_t>(st.integer(5)), st.text(6)});
    return out;
}

std::map<std::string, std::string> load_document_dates(const std::filesystem::path& db_dir) {
    check_index(db_dir);
    Connection db(catalog_path(db_dir), Connection::Mode::read_only);
    std::map<std::string, std::string> out;
    if (!has_table(db, "document_dates")) return out;
    for (auto st = db.prepare("SELECT doc, date FROM document_dates"); st.step();) out[st.text(0)] = st.text(1);
    return out;
}

std::vector<Mission> load_missions(const std::filesystem::path& db_dir) {
    check_index(db_dir);
    Connection db(catalog_path(db_dir), Connection::Mode::read_only);
    std::vector<Mission> out;
    for (auto st = db.prepare("SELECT key, expansion, organization, host, aliases_json FROM missions ORDER BY key"); st.step();) {
        Mission m{st.text(0), st.text(1), st.text(2), st.text(3), {}, 0, 0, false, {}};
        auto aliases = Poco::JSON::Parser().parse(st.text(4)).extract<Poco::JSON::Array::Ptr>();
        for (std::size_t i = 0; i < aliases->size(); ++i) m.aliases.push_back(aliases->getElement<std::string>(static_cast<unsigned>(i)));
        out.push_back(std::move(m));
    }
    return out;
}


void delete_document_entities(sqlite3* db, const std::string& doc_id) {
    for (const char* sql : {"DELETE FROM entities WHERE doc = ?", "DELETE FROM xrefs WHERE doc = ?",
                            "DELETE FROM document_dates WHERE doc = ?"}) {
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
