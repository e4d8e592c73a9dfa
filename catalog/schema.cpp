#include "catalog/schema.h"

#include <string_view>

#include "catalog/sqlite.h"

namespace mandala::catalog {
namespace {

// Every table and index of the current version. CREATE ... IF NOT EXISTS, so running it on an
// upgraded catalog adds what an older version lacked.
constexpr std::string_view kSchemaSql = R"SQL(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS documents(
  id TEXT PRIMARY KEY, source TEXT, path TEXT UNIQUE, format TEXT, title TEXT, publisher TEXT,
  year INTEGER, kind TEXT, language TEXT, licence TEXT, source_url TEXT, organizations_json TEXT,
  content_hash TEXT, bytes INTEGER, passages INTEGER, indexed_at TEXT);
CREATE TABLE IF NOT EXISTS sections(
  doc TEXT, id INTEGER, parent INTEGER, level INTEGER, number TEXT, title TEXT, heading TEXT,
  kind TEXT, path_json TEXT, PRIMARY KEY(doc, id));
CREATE TABLE IF NOT EXISTS passages(
  id TEXT PRIMARY KEY, doc TEXT, ordinal INTEGER, section INTEGER, kind TEXT, text TEXT,
  begin INTEGER, "end" INTEGER, page INTEGER, footnote_number INTEGER, cited_by TEXT, cites_json TEXT);
CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc, ordinal);
CREATE TABLE IF NOT EXISTS acronyms(doc TEXT, acronym TEXT, expansion TEXT, source TEXT);
CREATE INDEX IF NOT EXISTS acronyms_key ON acronyms(acronym);
CREATE TABLE IF NOT EXISTS tags(
  passage_id TEXT, doc TEXT, category TEXT, score REAL, evidence_json TEXT, model_share REAL,
  is_primary INTEGER);
CREATE INDEX IF NOT EXISTS tags_passage ON tags(passage_id);
CREATE INDEX IF NOT EXISTS tags_category ON tags(category);
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
)SQL";

bool has_table(Connection& db, std::string_view name) {
    return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").bind(1, name).step();
}

bool has_column(Connection& db, std::string_view table, std::string_view column) {
    auto st = db.prepare("SELECT 1 FROM pragma_table_info(?) WHERE name = ?");
    return st.bind(1, table).bind(2, column).step();
}

// Version 1 -> 2: entities.detail (a resolution's year, how a mission was resolved) became part
// of the table; catalogs written before it get the column, empty for their rows.
void upgrade_1_to_2(Connection& db) {
    if (has_table(db, "entities") && !has_column(db, "entities", "detail"))
        db.exec("ALTER TABLE entities ADD COLUMN detail TEXT NOT NULL DEFAULT ''");
}

using Upgrade = void (*)(Connection&);
// kUpgrades[v - kOldestUpgradableVersion] takes a catalog from version v to v + 1.
constexpr Upgrade kUpgrades[] = {upgrade_1_to_2};
static_assert(std::size(kUpgrades) == kSchemaVersion - kOldestUpgradableVersion);

std::string versions_read() {
    return "this program reads schema versions " + std::to_string(kOldestUpgradableVersion) + " to " +
           std::to_string(kSchemaVersion);
}

void record_version(Connection& db) {
    db.prepare("INSERT INTO meta(key, value) VALUES('schema_version', ?)"
               " ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        .bind(1, std::to_string(kSchemaVersion))
        .run();
}

void upgrade(Connection& db, int from) {
    db.exec("BEGIN IMMEDIATE");
    try {
        for (int v = from; v < kSchemaVersion; ++v) kUpgrades[v - kOldestUpgradableVersion](db);
        db.exec(kSchemaSql);
        record_version(db);
        db.exec("COMMIT");
    } catch (...) {
        db.exec("ROLLBACK");
        throw;
    }
}

}  // namespace

int recorded_schema_version(Connection& db) {
    if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table'").step()) return -1;
    if (!has_table(db, "meta")) return 0;
    auto st = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'");
    if (!st.step()) return 0;
    try {
        return std::stoi(st.text(0));
    } catch (const std::exception&) {
        return 0;  // not a version this or any program wrote
    }
}

void check_schema_readable(Connection& db, const std::filesystem::path& file) {
    const int version = recorded_schema_version(db);
    if (version > kSchemaVersion)
        throw SchemaTooNew("the index catalog " + file.string() + " has schema version " + std::to_string(version) +
                           ", newer than this program's " + std::to_string(kSchemaVersion) +
                           ": use a newer mandala, or re-index into a new --db folder");
    if (version >= 0 && version < kOldestUpgradableVersion)
        throw SchemaTooOld("the index catalog " + file.string() + " has schema version " + std::to_string(version) +
                           " (" + versions_read() + "), too old to upgrade: re-index it (delete its folder and run "
                           "`mandala index` again)");
}

void prepare_schema_for_writing(Connection& db, const std::filesystem::path& file) {
    check_schema_readable(db, file);
    db.exec("PRAGMA journal_mode=WAL");
    const int version = recorded_schema_version(db);
    if (version == kSchemaVersion) {
        db.exec(kSchemaSql);  // a no-op on a catalog of this version, kept for one that lost an index
        return;
    }
    if (version < 0) {
        db.exec(kSchemaSql);
        record_version(db);
        return;
    }
    upgrade(db, version);
}

}  // namespace mandala::catalog
