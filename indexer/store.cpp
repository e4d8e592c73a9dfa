#include "indexer/store.h"

#include <xapian.h>

#include <stdexcept>

#include "catalog/writer.h"
#include "catalog/xapian_schema.h"
#include "indexer/passage_document.h"
#include "text/errors.h"

namespace mandala::indexer {
namespace fs = std::filesystem;

namespace {

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
    std::unique_ptr<catalog::CatalogWriter> sql;
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
    fs::path parts_dir() const { return catalog::xapian_parts_path(dir); }
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
        sql->begin();
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
};

IndexWriter::IndexWriter(const fs::path& db_dir, std::size_t shards) : impl_(std::make_unique<Impl>()) {
    impl_->dir = db_dir;
    if (shards > kMaxShards) throw InputError("at most " + std::to_string(kMaxShards) + " shards");
    fs::create_directories(db_dir);
    impl_->sql = std::make_unique<catalog::CatalogWriter>(db_dir);
    const std::size_t recorded = impl_->sql->recorded_shards();
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
    impl_->sql->record_shards(n);
}

IndexWriter::~IndexWriter() {
    if (!impl_->in_transaction) return;
    // Not committed: leave both stores as they were at the last commit.
    try {
        impl_->discard_parts();
        for (auto& x : impl_->shards) x.cancel_transaction();
        if (impl_->shards.size() > 1) impl_->spelling_db.cancel_transaction();
        impl_->sql->rollback();
    } catch (...) {
    }
}

std::map<std::string, std::string> IndexWriter::committed_hashes() const { return impl_->sql->committed_hashes(); }

std::map<std::string, std::string> IndexWriter::committed_ids() const { return impl_->sql->committed_ids(); }

std::vector<std::pair<std::string, AcronymPair>> IndexWriter::committed_acronyms() const {
    return impl_->sql->committed_acronyms();
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
    impl_->sql->write_document(d);
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
    impl_->sql->write_registry(registry);
}

void IndexWriter::remove_document(const std::string& doc_id) {
    impl_->begin();
    impl_->sql->delete_document(doc_id);
    impl_->shard_for(doc_id).delete_document(schema::term(schema::kDocPrefix, doc_id));
}

void IndexWriter::rekey_document(const std::string& old_path, const std::string& new_path) {
    impl_->begin();
    impl_->sql->rekey_document(old_path, new_path);
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
    // The catalog's commit bumps the generation readers compare to notice a commit
    // (web/index_handle.h): last, so it changes once.
    impl_->sql->commit();
    impl_->in_transaction = false;
}

}  // namespace mandala::indexer
