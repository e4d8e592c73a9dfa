#include "catalog/reader.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <cstdlib>

#include "catalog/json_columns.h"
#include "catalog/paths.h"
#include "catalog/schema.h"
#include "text/errors.h"

namespace mandala::catalog {
namespace fs = std::filesystem;

void check_index(const fs::path& db_dir) {
    // A host serving remote shards needs only the catalog and, with shards, the spelling data.
    if (!fs::exists(catalog_path(db_dir)) || !(fs::exists(xapian_path(db_dir)) || fs::exists(spelling_path(db_dir))))
        throw NotFound("no index at " + db_dir.string() + " (run `mandala index --db " + db_dir.string() + "` first)");
    Connection db(catalog_path(db_dir), Connection::Mode::read_only);
    check_schema_readable(db, catalog_path(db_dir));
}

Connection open_catalog(const fs::path& db_dir) {
    check_index(db_dir);
    return Connection(catalog_path(db_dir), Connection::Mode::read_only);
}

std::size_t recorded_shards(Connection& db, const fs::path& db_dir) {
    auto st = db.prepare("SELECT value FROM meta WHERE key='xapian_shards'");
    if (st.step()) {
        const long n = std::strtol(st.text(0).c_str(), nullptr, 10);
        if (n < 1 || static_cast<std::size_t>(n) > kMaxShards)
            throw Conflict("the catalog at " + db_dir.string() + " records an invalid shard count '" + st.text(0) + "'");
        return static_cast<std::size_t>(n);
    }
    // An index from before shards: one Xapian database, if anything was written.
    auto docs = db.prepare("SELECT COUNT(*) FROM documents");
    const bool has_documents = docs.step() && docs.integer(0) > 0;
    return has_documents || fs::exists(xapian_path(db_dir)) ? 1 : 0;
}

std::size_t shard_count(const fs::path& db_dir) {
    Connection db = open_catalog(db_dir);
    const std::size_t n = recorded_shards(db, db_dir);
    return n ? n : 1;
}

std::vector<std::string> shard_paths(const fs::path& db_dir) {
    const std::size_t n = shard_count(db_dir);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < n; ++i) out.push_back(shard_path(db_dir, i, n).string());
    return out;
}

std::string committed_generation(Connection& catalog) {
    auto st = catalog.prepare("SELECT value FROM meta WHERE key='generation'");
    return st.step() ? st.text(0) : "0";
}

std::vector<StoredDocument> load_documents(const fs::path& db_dir) {
    Connection db = open_catalog(db_dir);
    auto st = db.prepare(
        "SELECT id, source, path, format, title, publisher, kind, language, content_hash, year, bytes, passages"
        " FROM documents ORDER BY id");
    std::vector<StoredDocument> out;
    while (st.step()) {
        StoredDocument d{st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5),
                         st.text(6), st.text(7), st.text(8)};
        d.year = static_cast<int>(st.integer(9));
        d.bytes = static_cast<std::uint64_t>(st.integer(10));
        d.passages = static_cast<std::size_t>(st.integer(11));
        out.push_back(std::move(d));
    }
    return out;
}

namespace {

StoredPassage stored_passage(const Statement& st) {
    StoredPassage p;
    p.id = st.text(0);
    p.doc = st.text(1);
    p.source = st.text(2);
    p.title = st.text(3);
    p.section_kind = st.text(4);
    p.kind = st.text(5);
    p.text = st.text(6);
    p.section = strings_from_json_column(st.text(7));
    p.ordinal = static_cast<int>(st.integer(8));
    p.page = static_cast<int>(st.integer(9));
    p.section_id = static_cast<int>(st.integer(10));
    return p;
}

// Each passage's tags, highest score first, and its primary category.
void add_tags(Connection& db, std::vector<StoredPassage>& passages, const std::map<std::string, std::size_t>& index) {
    auto tags = db.prepare(
        "SELECT passage_id, category, score, evidence_json, model_share, is_primary FROM tags ORDER BY score DESC");
    while (tags.step()) {
        auto it = index.find(tags.text(0));
        if (it == index.end()) continue;
        StoredPassage& p = passages[it->second];
        p.tags.push_back({tags.text(1), tags.real(2), strings_from_json_column(tags.text(3)), tags.real(4), {}});
        if (tags.integer(5)) p.primary = tags.text(1);
    }
}

Section section_row(const Statement& st) {
    Section s;
    s.id = static_cast<int>(st.integer(0));
    s.parent = static_cast<int>(st.integer(1));
    s.level = static_cast<int>(st.integer(2));
    s.number = st.text(3);
    s.title = st.text(4);
    s.heading = st.text(5);
    s.kind = st.text(6);
    s.path = strings_from_json_column(st.text(7));
    return s;
}

bool has_table(Connection& db, const char* name) {
    return db.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?").bind(1, name).step();
}

}  // namespace

std::vector<StoredPassage> load_passages(const fs::path& db_dir) {
    Connection db = open_catalog(db_dir);
    auto st = db.prepare(
        "SELECT p.id, p.doc, d.source, d.title, s.kind, p.kind, p.text, s.path_json, p.ordinal, p.page, p.section"
        " FROM passages p JOIN documents d ON d.id = p.doc"
        " LEFT JOIN sections s ON s.doc = p.doc AND s.id = p.section ORDER BY p.doc, p.ordinal");
    std::vector<StoredPassage> out;
    std::map<std::string, std::size_t> index;
    while (st.step()) {
        out.push_back(stored_passage(st));
        index[out.back().id] = out.size() - 1;
    }
    add_tags(db, out, index);
    return out;
}

std::vector<Section> load_sections(const fs::path& db_dir, const std::string& doc_id) {
    Connection db = open_catalog(db_dir);
    auto st = db.prepare(
        "SELECT id, parent, level, number, title, heading, kind, path_json FROM sections WHERE doc = ? ORDER BY id");
    st.bind(1, doc_id);
    std::vector<Section> out;
    while (st.step()) out.push_back(section_row(st));
    if (out.empty()) throw NotFound("no document '" + doc_id + "' in the index");
    return out;
}

std::vector<AcronymPair> load_acronyms(const fs::path& db_dir, const std::string& doc_id) {
    Connection db = open_catalog(db_dir);
    auto st = db.prepare(doc_id.empty() ? "SELECT acronym, expansion, source FROM acronyms ORDER BY acronym"
                                        : "SELECT acronym, expansion, source FROM acronyms WHERE doc = ? ORDER BY acronym");
    if (!doc_id.empty()) st.bind(1, doc_id);
    std::vector<AcronymPair> out;
    while (st.step()) out.push_back({st.text(0), st.text(1), st.text(2)});
    return out;
}

std::map<std::string, std::vector<EntityMention>> load_passage_entities(const fs::path& db_dir) {
    Connection db = open_catalog(db_dir);
    std::map<std::string, std::vector<EntityMention>> out;
    if (!has_table(db, "entities")) return out;
    // A catalog of schema version 1 (read as it is until it is next written) may lack `detail`.
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

std::map<std::string, std::string> load_document_dates(const fs::path& db_dir) {
    Connection db = open_catalog(db_dir);
    std::map<std::string, std::string> out;
    if (!has_table(db, "document_dates")) return out;
    for (auto st = db.prepare("SELECT doc, date FROM document_dates"); st.step();) out[st.text(0)] = st.text(1);
    return out;
}

std::vector<Mission> load_missions(const fs::path& db_dir) {
    Connection db = open_catalog(db_dir);
    std::vector<Mission> out;
    for (auto st = db.prepare("SELECT key, expansion, organization, host, aliases_json FROM missions ORDER BY key"); st.step();)
        out.push_back({st.text(0), st.text(1), st.text(2), st.text(3), strings_from_json_column(st.text(4)), 0, 0, false, {}});
    return out;
}

namespace {

std::map<std::string, std::size_t> counts(Connection& db, const char* sql) {
    std::map<std::string, std::size_t> out;
    auto st = db.prepare(sql);
    while (st.step()) out[st.text(0)] = static_cast<std::size_t>(st.integer(1));
    return out;
}

std::size_t scalar(Connection& db, const char* sql) {
    auto st = db.prepare(sql);
    return st.step() ? static_cast<std::size_t>(st.integer(0)) : 0;
}

// Aliases are an extra: a column an older index wrote otherwise leaves them out, the names count.
std::vector<std::string> aliases(const std::string& json) {
    std::vector<std::string> out;
    if (json.empty()) return out;
    try {
        Poco::JSON::Parser parser;
        auto arr = parser.parse(json).extract<Poco::JSON::Array::Ptr>();
        for (std::size_t i = 0; arr && i < arr->size(); ++i) out.push_back(arr->getElement<std::string>(static_cast<unsigned>(i)));
    } catch (const Poco::Exception&) {
        // an index written by another version: aliases are an extra, the names still count
    }
    return out;
}

}  // namespace

CatalogCounts count_contents(const fs::path& db_dir) {
    Connection db = open_catalog(db_dir);
    CatalogCounts c;
    c.documents = scalar(db, "SELECT COUNT(*) FROM documents");
    c.passages = scalar(db, "SELECT COUNT(*) FROM passages");
    c.sections = scalar(db, "SELECT COUNT(*) FROM sections");
    c.acronyms = scalar(db, "SELECT COUNT(*) FROM (SELECT DISTINCT acronym, expansion FROM acronyms)");
    c.tagged_passages = scalar(db, "SELECT COUNT(DISTINCT passage_id) FROM tags");
    c.source_bytes = scalar(db, "SELECT COALESCE(SUM(bytes), 0) FROM documents");
    c.passages_by_kind = counts(db, "SELECT kind, COUNT(*) FROM passages GROUP BY kind");
    c.passages_by_document = counts(db, "SELECT doc, COUNT(*) FROM passages GROUP BY doc");
    c.passages_by_category = counts(db, "SELECT category, COUNT(DISTINCT passage_id) FROM tags GROUP BY category");
    return c;
}

void probe_catalog(const fs::path& db_dir) {
    Connection catalog(catalog_path(db_dir), Connection::Mode::read_only);
    catalog.prepare("SELECT count(*) FROM documents").step();
}

std::vector<std::vector<std::string>> registry_names(const fs::path& db_dir) {
    std::vector<std::vector<std::string>> out;
    if (!fs::exists(catalog_path(db_dir))) return out;
    Connection db(catalog_path(db_dir), Connection::Mode::read_only);
    for (const char* sql : {"SELECT key, expansion, aliases_json FROM missions",
                            "SELECT key, name, aliases_json FROM organizations"}) {
        try {
            Statement st = db.prepare(sql);
            while (st.step()) {
                std::vector<std::string> names{st.text(0), st.text(1)};
                for (auto& a : aliases(st.text(2))) names.push_back(std::move(a));
                out.push_back(std::move(names));
            }
        } catch (const SqliteError&) {
            // no registry tables (an index written before the registry existed)
        }
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> mission_hosts(const fs::path& db_dir) {
    std::vector<std::pair<std::string, std::string>> out;
    if (!fs::exists(catalog_path(db_dir))) return out;
    Connection db(catalog_path(db_dir), Connection::Mode::read_only);
    try {
        Statement st = db.prepare("SELECT host, key FROM missions WHERE host != ''");
        while (st.step()) out.emplace_back(st.text(0), st.text(1));
    } catch (const SqliteError&) {
        // no registry table (an index written before the registry existed)
    }
    return out;
}

}  // namespace mandala::catalog
