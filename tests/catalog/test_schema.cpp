// The catalog's schema version: a catalog of version 1 is upgraded when opened for writing, one
// too old or too new is refused with a typed error naming its version. Fixtures are tiny catalogs
// written here with the tables of each version.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <string>

#include "catalog/paths.h"
#include "catalog/reader.h"
#include "catalog/schema.h"
#include "catalog/sqlite.h"
#include "catalog/writer.h"

namespace fs = std::filesystem;
using namespace mandala;
using catalog::Connection;

namespace {

struct TempIndex {
    fs::path dir;
    TempIndex() {
        dir = fs::temp_directory_path() / ("mandala-schema-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
        fs::remove_all(dir);
        fs::create_directories(catalog::xapian_path(dir));  // check_index wants the Xapian folder too
    }
    ~TempIndex() { fs::remove_all(dir); }
    static int& counter() {
        static int n = 0;
        return n;
    }
};

// A catalog as version 1 wrote it before entities.detail existed: one document, one mention.
void write_version_1_catalog(const fs::path& dir) {
    Connection db(catalog::catalog_path(dir), Connection::Mode::read_write);
    db.exec(
        "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
        "INSERT INTO meta VALUES('schema_version', '1');"
        "CREATE TABLE documents(id TEXT PRIMARY KEY, source TEXT, path TEXT UNIQUE, format TEXT, title TEXT,"
        " publisher TEXT, year INTEGER, kind TEXT, language TEXT, licence TEXT, source_url TEXT,"
        " organizations_json TEXT, content_hash TEXT, bytes INTEGER, passages INTEGER, indexed_at TEXT);"
        "INSERT INTO documents(id, path, title, year) VALUES('mandate', 'mandate.txt', 'A mandate', 2013);"
        "CREATE TABLE entities(passage_id TEXT NOT NULL, doc TEXT NOT NULL, type TEXT NOT NULL, key TEXT NOT NULL,"
        " surface TEXT NOT NULL, begin INTEGER NOT NULL, end INTEGER NOT NULL);"
        "INSERT INTO entities VALUES('mandate#1', 'mandate', 'mission', 'MINUSMA', 'MINUSMA', 0, 7);");
}

void write_catalog_of_version(const fs::path& dir, const std::string& version) {
    Connection db(catalog::catalog_path(dir), Connection::Mode::read_write);
    db.exec("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT)");
    if (!version.empty()) db.prepare("INSERT INTO meta VALUES('schema_version', ?)").bind(1, version).run();
}

int version_of(const fs::path& dir) {
    Connection db(catalog::catalog_path(dir), Connection::Mode::read_only);
    return catalog::recorded_schema_version(db);
}

}  // namespace

TEST_CASE("a new catalog is created at the current schema version", "[unit][catalog]") {
    TempIndex index;
    { catalog::CatalogWriter writer(index.dir); }
    CHECK(version_of(index.dir) == catalog::kSchemaVersion);
    CHECK_NOTHROW(catalog::check_index(index.dir));
}

TEST_CASE("a version 1 catalog is read as it is and upgraded when written", "[unit][catalog]") {
    TempIndex index;
    write_version_1_catalog(index.dir);
    CHECK_NOTHROW(catalog::check_index(index.dir));
    CHECK(catalog::load_passage_entities(index.dir).at("mandate#1").at(0).detail.empty());
    CHECK(version_of(index.dir) == 1);  // reading does not upgrade

    { catalog::CatalogWriter writer(index.dir); }
    CHECK(version_of(index.dir) == catalog::kSchemaVersion);
    Connection db(catalog::catalog_path(index.dir), Connection::Mode::read_only);
    auto detail = db.prepare("SELECT key, detail FROM entities");
    REQUIRE(detail.step());
    CHECK(detail.text(0) == "MINUSMA");
    CHECK(detail.text(1).empty());
    CHECK(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'xrefs'").step());  // tables 1 lacked are added
    CHECK(catalog::load_documents(index.dir).at(0).title == "A mandate");
}

TEST_CASE("a catalog too old to upgrade is refused with its version and the way out", "[unit][catalog]") {
    TempIndex index;
    write_catalog_of_version(index.dir, "");  // tables but no recorded version: before versions
    try {
        catalog::CatalogWriter writer(index.dir);
        FAIL("a catalog without a version was opened");
    } catch (const catalog::SchemaTooOld& e) {
        const std::string message = e.what();
        CHECK(message.find("schema version 0") != std::string::npos);
        CHECK(message.find("re-index") != std::string::npos);
    }
    CHECK_THROWS_AS(catalog::check_index(index.dir), catalog::SchemaTooOld);
}

TEST_CASE("a catalog from a newer program is refused, for reading and for writing", "[unit][catalog]") {
    TempIndex index;
    const int newer = catalog::kSchemaVersion + 1;
    write_catalog_of_version(index.dir, std::to_string(newer));
    CHECK_THROWS_AS(catalog::CatalogWriter(index.dir), catalog::SchemaTooNew);
    try {
        catalog::check_index(index.dir);
        FAIL("a newer catalog was read");
    } catch (const catalog::SchemaTooNew& e) {
        CHECK(std::string(e.what()).find("schema version " + std::to_string(newer)) != std::string::npos);
    }
    CHECK(version_of(index.dir) == newer);  // left as it was
}
