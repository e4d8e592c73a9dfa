#include "indexer/store.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <xapian.h>

#include <cstdio>
#include <cstdlib>
#include <set>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

#include "indexer/extract/entities.h"
#include "indexer/passage_document.h"
#include "indexer/schema.h"
#include "indexer/sqlite.h"
#include "text/errors.h"

namespace mandala::indexer {
namespace fs = std::filesystem;

fs::path xapian_path(const fs::path& db_dir) { return db_dir / "xapian"; }
fs::path catalog_path(const fs::path& db_dir) { return db_dir / "catalog.sqlite"; }
fs::path spelling_path(const fs::path& db_dir) { return db_dir / "spelling"; }

std::size_t shard_of(std::string_view doc_id, std::size_t shards) {
    std::uint64_t h = 14695981039346656037ull;
    for (unsigned char c : doc_id) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return shards <= 1 ? 0 : static_cast<std::size_t>(h % shards);
}

fs::path shard_path(const fs::path& db_dir, std::size_t shard, std::size_t shards) {
    if (shards <= 1) return xapian_path(db_dir);
    char name[32];
    std::snprintf(name, sizeof name, "shard-%02zu", shard);
    return xapian_path(db_dir) / name;
}

namespace {

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
)SQL";

std::string to_json(const std::vector<std::string>& items) {
    Poco::JSON::Array a;
    for (const auto& s : items) a.add(s);
    std::ostringstream out;
    a.stringify(out);
    return out.str();
}

std::string to_json(const std::vector<int>& items) {
    Poco::JSON::Array a;
    for (int n : items) a.add(n);
    std::ostringstream out;
    a.stringify(out);
    return out.str();
}

std::vector<std::string> strings_from_json(const std::string& json) {
    std::vector<std::string> out;
    if (json.empty()) return out;
    Poco::JSON::Parser parser;
    auto a = parser.parse(json).extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < a->size(); ++i) out.push_back(a->getElement<std::string>(static_cast<unsigned>(i)));
    return out;
}

void ensure_schema(Connection& db) {
    db.exec("PRAGMA journal_mode=WAL");
    db.exec(kSchemaSql);
    create_entity_tables(db.handle());
    auto check = db.prepare("SELECT value FROM meta WHERE key='schema_version'");
    if (check.step()) {
        if (std::stoi(check.text(0)) > kSchemaVersion)
            throw Conflict("index schema version " + check.text(0) + " is newer than this program's " +
                           std::to_string(kSchemaVersion));
        return;
    }
    db.prepare("INSERT INTO meta(key, value) VALUES('schema_version', ?)").bind(1, std::to_string(kSchemaVersion)).run();
}

// The recorded shard count; 0 when none is recorded and the index holds nothing yet.
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

Xapian::WritableDatabase open_writable(const fs::path& path, const fs::path& db_dir) {
    try {
        return Xapian::WritableDatabase(path.string(), Xapian::DB_CREATE_OR_OPEN, static_cast<int>(kXapianBlockSize));
    } catch (const Xapian::DatabaseLockError&) {
        throw Conflict("the index at " + db_dir.string() + " is being written by another process");
    }
}

}  // namespace

struct IndexWriter::Impl {
    fs::path dir;
    std::unique_ptr<Connection> sql;
    std::vector<Xapian::WritableDatabase> shards;  // one per shard, in shard order
    Xapian::WritableDatabase spelling_db;          // only with several shards
    bool in_transaction = false;

    // Partial databases of a parallel first run, [writer][shard], merged into the shards at commit.
    std::vector<std::vector<Xapian::WritableDatabase>> parts;

    Xapian::WritableDatabase& shard_for(const std::string& doc_id) { return shards[shard_of(doc_id, shards.size())]; }
    Xapian::WritableDatabase& spelling() {
        if (shards.size() > 1) return spelling_db;
        return parts.empty() ? shards[0] : parts[0][0];  // a part's spellings are merged with it
    }
    fs::path parts_dir() const { return dir / "xapian-parts"; }
    fs::path part_path(std::size_t writer, std::size_t shard) const {
        return parts_dir() / (std::to_string(writer) + "-" + std::to_string(shard));
    }

    void discard_parts() {
        for (auto& writer : parts)
            for (auto& x : writer) x.close();
        parts.clear();
        std::error_code ignored;
        fs::remove_all(parts_dir(), ignored);
    }

    // Each shard becomes the merge of its parts: compacted into a new folder that then takes the
    // place of the (empty) shard, whose transaction is dropped.
    void merge_parts() {
        for (auto& writer : parts)
            for (auto& x : writer) x.commit();
        for (std::size_t s = 0; s < shards.size(); ++s) {
            Xapian::Database merged;
            for (std::size_t w = 0; w < parts.size(); ++w) merged.add_database(Xapian::Database(part_path(w, s).string()));
            const fs::path target = shard_path(dir, s, shards.size());
            const fs::path fresh = target.string() + ".merged";
            fs::remove_all(fresh);
            merged.compact(fresh.string(), 0, static_cast<int>(kXapianBlockSize));
            shards[s].cancel_transaction();
            shards[s].close();
            fs::remove_all(target);
            fs::rename(fresh, target);
            shards[s] = open_writable(target, dir);
        }
        discard_parts();
    }

    void begin() {
        if (in_transaction) return;
        sql->exec("BEGIN IMMEDIATE");
        for (auto& x : shards) x.begin_transaction(true);
        if (shards.size() > 1) spelling_db.begin_transaction(true);
        in_transaction = true;
    }

    // The spelling counts are summed here and handed to Xapian once per word at commit:
    // add_spelling(word, n) leaves the same table as n calls of add_spelling(word, 1), and each
    // call costs a walk over Xapian's pending fragment maps.
    SpellingCounts spellings;

    void require_transaction() const {
        if (!in_transaction) throw std::logic_error("IndexWriter: begin() first");
    }

    void flush_spellings() {
        for (const auto& [word, count] : spellings) spelling().add_spelling(word, count);
        spellings.clear();
    }

    void delete_sql(const std::string& doc_id) {
        // Every row of a document is written with its `documents` row, in one transaction, and
        // deleted with it: without that row there is nothing to delete. Checking first spares a
        // new document the DELETEs on tables without an index on `doc` (tags, acronyms), each a
        // scan of the whole table, which made a first run quadratic in the number of documents.
        if (!sql->prepare("SELECT 1 FROM documents WHERE id = ?").bind(1, doc_id).step()) return;
        delete_document_entities(sql->handle(), doc_id);
        for (std::string_view table : {"documents WHERE id", "sections WHERE doc", "passages WHERE doc",
                                       "acronyms WHERE doc", "tags WHERE doc"}) {
            sql->prepare("DELETE FROM " + std::string(table) + " = ?").bind(1, doc_id).run();
        }
    }

    void write_document_row(const SegmentedDocument& d) {
        sql->prepare(
               "INSERT INTO documents(id, source, path, format, title, publisher, year, kind, language, licence,"
               " source_url, organizations_json, content_hash, bytes, passages, indexed_at)"
               " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,datetime('now'))")
            .bind(1, d.meta.id).bind(2, d.source).bind(3, d.path).bind(4, d.format).bind(5, d.meta.title)
            .bind(6, d.meta.publisher).bind(7, d.meta.year).bind(8, d.meta.kind).bind(9, d.meta.language)
            .bind(10, d.meta.licence).bind(11, d.meta.source_url).bind(12, to_json(d.meta.organizations))
            .bind(13, d.content_hash).bind(14, static_cast<std::int64_t>(d.bytes))
            .bind(15, static_cast<std::int64_t>(d.passages.size()))
            .run();
    }

    void write_sections(const SegmentedDocument& d) {
        auto st = sql->prepare(
            "INSERT INTO sections(doc, id, parent, level, number, title, heading, kind, path_json)"
            " VALUES(?,?,?,?,?,?,?,?,?)");
        for (const auto& s : d.sections) {
            st.bind(1, d.meta.id).bind(2, s.id).bind(3, s.parent).bind(4, s.level).bind(5, s.number)
                .bind(6, s.title).bind(7, s.heading).bind(8, s.kind).bind(9, to_json(s.path));
            st.run();
        }
    }

    void write_passages(const SegmentedDocument& d) {
        auto st = sql->prepare(
            "INSERT INTO passages(id, doc, ordinal, section, kind, text, begin, \"end\", page, footnote_number,"
            " cited_by, cites_json) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)");
        for (const auto& p : d.passages) {
            st.bind(1, p.id).bind(2, d.meta.id).bind(3, p.ordinal).bind(4, p.section).bind(5, to_string(p.kind))
                .bind(6, p.text).bind(7, static_cast<std::int64_t>(p.begin)).bind(8, static_cast<std::int64_t>(p.end))
                .bind(9, p.page).bind(11, p.cited_by).bind(12, to_json(p.cited_footnotes));
            if (p.footnote_number)
                st.bind(10, *p.footnote_number);
            else
                st.bind_null(10);
            st.run();
        }
    }

    void write_acronyms(const SegmentedDocument& d) {
        auto st = sql->prepare("INSERT INTO acronyms(doc, acronym, expansion, source) VALUES(?,?,?,?)");
        for (const auto& a : d.acronyms) {
            st.bind(1, d.meta.id).bind(2, a.acronym).bind(3, a.expansion).bind(4, a.source);
            st.run();
        }
    }

    void write_tags(const SegmentedDocument& d) {
        auto st = sql->prepare(
            "INSERT INTO tags(passage_id, doc, category, score, evidence_json, model_share, is_primary)"
            " VALUES(?,?,?,?,?,?,?)");
        for (std::size_t i = 0; i < d.tags.size() && i < d.passages.size(); ++i) {
            for (const auto& t : d.tags[i].tags) {
                st.bind(1, d.passages[i].id).bind(2, d.meta.id).bind(3, t.category).bind(4, t.score)
                    .bind(5, to_json(t.evidence)).bind(6, t.model_share).bind(7, t.category == d.tags[i].primary ? 1 : 0);
                st.run();
            }
        }
    }
};

IndexWriter::IndexWriter(const fs::path& db_dir, std::size_t shards) : impl_(std::make_unique<Impl>()) {
    impl_->dir = db_dir;
    if (shards > kMaxShards) throw InputError("at most " + std::to_string(kMaxShards) + " shards");
    fs::create_directories(db_dir);
    impl_->sql = std::make_unique<Connection>(catalog_path(db_dir), Connection::Mode::read_write);
    ensure_schema(*impl_->sql);
    const std::size_t recorded = recorded_shards(*impl_->sql, db_dir);
    if (recorded && shards && shards != recorded)
        throw Conflict("the index at " + db_dir.string() + " has " + std::to_string(recorded) + " shard" +
                       (recorded == 1 ? "" : "s") + ", not " + std::to_string(shards) +
                       ": index into a new --db folder to change the shard count");
    const std::size_t n = recorded ? recorded : (shards ? shards : 1);
    if (n > 1 && fs::exists(xapian_path(db_dir)) && !fs::exists(shard_path(db_dir, 0, n)))
        throw Conflict(xapian_path(db_dir).string() + " holds an unsharded Xapian database, not " + std::to_string(n) + " shards");
    if (n > 1) fs::create_directories(xapian_path(db_dir));
    for (std::size_t i = 0; i < n; ++i) impl_->shards.push_back(open_writable(shard_path(db_dir, i, n), db_dir));
    if (n > 1) impl_->spelling_db = open_writable(spelling_path(db_dir), db_dir);
    impl_->sql->prepare("INSERT OR IGNORE INTO meta(key, value) VALUES('xapian_shards', ?)").bind(1, std::to_string(n)).run();
}

IndexWriter::~IndexWriter() {
    if (!impl_->in_transaction) return;
    // Not committed: leave both stores as they were at the last commit.
    try {
        impl_->discard_parts();
        for (auto& x : impl_->shards) x.cancel_transaction();
        if (impl_->shards.size() > 1) impl_->spelling_db.cancel_transaction();
        impl_->sql->exec("ROLLBACK");
    } catch (...) {
    }
}

std::map<std::string, std::string> IndexWriter::committed_hashes() const {
    std::map<std::string, std::string> out;
    auto st = impl_->sql->prepare("SELECT path, content_hash FROM documents");
    while (st.step()) out[st.text(0)] = st.text(1);
    return out;
}

std::map<std::string, std::string> IndexWriter::committed_ids() const {
    std::map<std::string, std::string> out;
    auto st = impl_->sql->prepare("SELECT path, id FROM documents");
    while (st.step()) out[st.text(0)] = st.text(1);
    return out;
}

std::vector<std::pair<std::string, AcronymPair>> IndexWriter::committed_acronyms() const {
    std::vector<std::pair<std::string, AcronymPair>> out;
    auto st = impl_->sql->prepare("SELECT doc, acronym, expansion, source FROM acronyms");
    while (st.step()) out.push_back({st.text(0), {st.text(1), st.text(2), st.text(3)}});
    return out;
}

void IndexWriter::replace_document(const SegmentedDocument& d) {
    std::vector<Xapian::Document> passages;
    passages.reserve(d.passages.size());
    for (std::size_t i = 0; i < d.passages.size(); ++i) passages.push_back(build_passage_document(d, i));
    replace_document(d, std::move(passages));
}

void IndexWriter::replace_document(const SegmentedDocument& d, std::vector<Xapian::Document> passages) {
    if (passages.size() != d.passages.size())
        throw std::logic_error("replace_document: " + std::to_string(passages.size()) + " Xapian documents for " +
                               std::to_string(d.passages.size()) + " passages");
    begin();
    write_catalog(d);
    for (const auto& xd : passages) count_spellings(xd, impl_->spellings);
    write_passages(d.meta.id, passages);
}

void IndexWriter::begin() { impl_->begin(); }

void IndexWriter::write_catalog(const SegmentedDocument& d) {
    impl_->require_transaction();
    impl_->delete_sql(d.meta.id);
    impl_->write_document_row(d);
    impl_->write_sections(d);
    impl_->write_passages(d);
    impl_->write_acronyms(d);
    impl_->write_tags(d);
    write_document_entities(impl_->sql->handle(), d);
}

void IndexWriter::write_passages(const std::string& doc_id, const std::vector<Xapian::Document>& passages) {
    impl_->require_transaction();
    Xapian::WritableDatabase& db = impl_->shard_for(doc_id);
    db.delete_document(schema::term(schema::kDocPrefix, doc_id));
    // That deleted every passage of this document, and a passage id is its document's id + "#" +
    // ordinal, so no other document holds this id term: adding is what replace_document(id term,
    // xd) would do, without its look-up of the term's postings through every pending change.
    for (const auto& xd : passages) db.add_document(xd);
}

std::size_t IndexWriter::begin_parallel_writes(std::size_t writers) {
    impl_->require_transaction();
    if (!impl_->parts.empty()) return impl_->parts.size();  // already begun
    if (writers < 2) return 1;
    for (auto& x : impl_->shards)
        if (x.get_lastdocid() != 0) return 1;  // an index with a history is updated in place
    impl_->discard_parts();  // left by a run that died
    fs::create_directories(impl_->parts_dir());
    impl_->parts.resize(writers);
    for (std::size_t w = 0; w < writers; ++w)
        for (std::size_t s = 0; s < impl_->shards.size(); ++s)
            impl_->parts[w].emplace_back(impl_->part_path(w, s).string(), Xapian::DB_CREATE_OR_OVERWRITE,
                                         static_cast<int>(kXapianBlockSize));
    return writers;
}

void IndexWriter::write_passages(std::size_t writer, const std::string& doc_id,
                                 const std::vector<Xapian::Document>& passages) {
    impl_->require_transaction();
    if (impl_->parts.empty()) {
        if (writer != 0) throw std::logic_error("write_passages: writer " + std::to_string(writer) + " without parallel writes");
        write_passages(doc_id, passages);
        return;
    }
    // A first run holds each document once, so there is nothing to delete or replace.
    Xapian::WritableDatabase& part = impl_->parts.at(writer)[shard_of(doc_id, impl_->shards.size())];
    for (const auto& xd : passages) part.add_document(xd);
}

void IndexWriter::add_spellings(SpellingCounts counts) {
    impl_->require_transaction();
    if (impl_->spellings.empty()) {
        impl_->spellings = std::move(counts);
        return;
    }
    for (const auto& [word, n] : counts) impl_->spellings[word] += n;
}

void count_spellings(const Xapian::Document& xd, SpellingCounts& counts) {
    for (auto it = xd.termlist_begin(); it != xd.termlist_end(); ++it) {
        const std::string& t = *it;
        if (t.size() < 3 || t.size() > 30 || !(t[0] >= 'a' && t[0] <= 'z')) continue;
        if (t.find_first_of("0123456789") != std::string::npos) continue;
        ++counts[t];
    }
}

void IndexWriter::replace_registry(const EntityRegistry& registry) {
    impl_->begin();
    write_registry(impl_->sql->handle(), registry);
}

void IndexWriter::remove_document(const std::string& doc_id) {
    impl_->begin();
    impl_->delete_sql(doc_id);
    impl_->shard_for(doc_id).delete_document(schema::term(schema::kDocPrefix, doc_id));
}

void IndexWriter::rekey_document(const std::string& old_path, const std::string& new_path) {
    impl_->begin();
    impl_->sql->prepare("UPDATE documents SET path = ? WHERE path = ?").bind(1, new_path).bind(2, old_path).run();
}

void IndexWriter::commit() {
    if (!impl_->in_transaction) return;
    // Xapian first: if we die before SQLite commits, the documents' hashes are not recorded and
    // the next run re-indexes them, replacing the same passage ids (in the same shard: a document's
    // shard depends on its id only).
    impl_->flush_spellings();
    if (!impl_->parts.empty())
        impl_->merge_parts();  // leaves the shards merged, committed and out of their transaction
    else
        for (auto& x : impl_->shards) x.commit_transaction();
    if (impl_->shards.size() > 1) impl_->spelling_db.commit_transaction();
    // What readers compare to notice a commit (web/index_handle.h): written last, so it changes once.
    impl_->sql->exec(
        "INSERT INTO meta(key, value) VALUES('generation', '1')"
        " ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1");
    impl_->sql->exec("COMMIT");
    impl_->in_transaction = false;
}

std::size_t shard_count(const fs::path& db_dir) {
    check_index(db_dir);
    Connection db(catalog_path(db_dir), Connection::Mode::read_only);
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

void check_index(const fs::path& db_dir) {
    // A host serving remote shards needs only the catalog and, with shards, the spelling data.
    if (!fs::exists(catalog_path(db_dir)) || !(fs::exists(xapian_path(db_dir)) || fs::exists(spelling_path(db_dir))))
        throw NotFound("no index at " + db_dir.string() + " (run `mandala index --db " + db_dir.string() + "` first)");
    Connection db(catalog_path(db_dir), Connection::Mode::read_only);
    auto st = db.prepare("SELECT value FROM meta WHERE key='schema_version'");
    if (st.step() && std::stoi(st.text(0)) > kSchemaVersion)
        throw Conflict("index schema version " + st.text(0) + " is newer than this program's");
}

std::vector<StoredDocument> load_documents(const fs::path& db_dir) {
    check_index(db_dir);
    Connection db(catalog_path(db_dir), Connection::Mode::read_only);
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

std::vector<StoredPassage> load_passages(const fs::path& db_dir) {
    check_index(db_dir);
    Connection db(catalog_path(db_dir), Connection::Mode::read_only);
    auto st = db.prepare(
        "SELECT p.id, p.doc, d.source, d.title, s.kind, p.kind, p.text, s.path_json, p.ordinal, p.page, p.section"
        " FROM passages p JOIN documents d ON d.id = p.doc"
        " LEFT JOIN sections s ON s.doc = p.doc AND s.id = p.section ORDER BY p.doc, p.ordinal");
    std::vector<StoredPassage> out;
    std::map<std::string, std::size_t> index;
    while (st.step()) {
        StoredPassage p;
        p.id = st.text(0);
        p.doc = st.text(1);
        p.source = st.text(2);
        p.title = st.text(3);
        p.section_kind = st.text(4);
        p.kind = st.text(5);
        p.text = st.text(6);
        p.section = strings_from_json(st.text(7));
        p.ordinal = static_cast<int>(st.integer(8));
        p.page = static_cast<int>(st.integer(9));
        p.section_id = static_cast<int>(st.integer(10));
        index[p.id] = out.size();
        out.push_back(std::move(p));
    }
    auto tags = db.prepare(
        "SELECT passage_id, category, score, evidence_json, model_share, is_primary FROM tags ORDER BY score DESC");
    while (tags.step()) {
        auto it = index.find(tags.text(0));
        if (it == index.end()) continue;
        StoredPassage& p = out[it->second];
        p.tags.push_back({tags.text(1), tags.real(2), strings_from_json(tags.text(3)), tags.real(4), {}});
        if (tags.integer(5)) p.primary = tags.text(1);
    }
    return out;
}

std::vector<Section> load_sections(const fs::path& db_dir, const std::string& doc_id) {
    check_index(db_dir);
    Connection db(catalog_path(db_dir), Connection::Mode::read_only);
    auto st = db.prepare(
        "SELECT id, parent, level, number, title, heading, kind, path_json FROM sections WHERE doc = ? ORDER BY id");
    st.bind(1, doc_id);
    std::vector<Section> out;
    while (st.step()) {
        Section s;
        s.id = static_cast<int>(st.integer(0));
        s.parent = static_cast<int>(st.integer(1));
        s.level = static_cast<int>(st.integer(2));
        s.number = st.text(3);
        s.title = st.text(4);
        s.heading = st.text(5);
        s.kind = st.text(6);
        s.path = strings_from_json(st.text(7));
        out.push_back(std::move(s));
    }
    if (out.empty()) throw NotFound("no document '" + doc_id + "' in the index");
    return out;
}

std::vector<AcronymPair> load_acronyms(const fs::path& db_dir, const std::string& doc_id) {
    check_index(db_dir);
    Connection db(catalog_path(db_dir), Connection::Mode::read_only);
    auto st = db.prepare(doc_id.empty() ? "SELECT acronym, expansion, source FROM acronyms ORDER BY acronym"
                                        : "SELECT acronym, expansion, source FROM acronyms WHERE doc = ? ORDER BY acronym");
    if (!doc_id.empty()) st.bind(1, doc_id);
    std::vector<AcronymPair> out;
    while (st.step()) out.push_back({st.text(0), st.text(1), st.text(2)});
    return out;
}

}  // namespace mandala::indexer
