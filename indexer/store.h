#pragma once
// The index on disk: a Xapian database of passages (what is searched) and catalog.sqlite (what is
// listed and joined). The writer commits both per run; a run killed half-way leaves the last
// committed state readable, and a document whose SQLite row is not committed is re-indexed.
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "indexer/model.h"

namespace Xapian {
class Document;
}

namespace mandala::indexer {

struct EntityRegistry;

inline constexpr int kSchemaVersion = 1;

std::filesystem::path xapian_path(const std::filesystem::path& db_dir);
std::filesystem::path catalog_path(const std::filesystem::path& db_dir);

// Shards (docs/deployment.md). With one shard the Xapian database is <db>/xapian, holding the
// passages and the spelling data. With N > 1 the passages are split over <db>/xapian/shard-00 ..
// shard-(N-1), each document (all its passages) in shard_of(document id, N), and the spelling data
// lives in <db>/spelling, beside the catalog (Xapian's remote backend does not serve spellings).
// The count is recorded in the catalog (meta key 'xapian_shards') when the index is created.
inline constexpr std::size_t kMaxShards = 256;
// FNV-1a (64-bit) of the document id, mod `shards`: stable across runs, hosts and versions.
std::size_t shard_of(std::string_view doc_id, std::size_t shards);
std::filesystem::path shard_path(const std::filesystem::path& db_dir, std::size_t shard, std::size_t shards);
std::filesystem::path spelling_path(const std::filesystem::path& db_dir);
// The shard count recorded in the catalog at `db_dir` (1 for an index from before shards).
std::size_t shard_count(const std::filesystem::path& db_dir);
// The local paths of every shard of the index at `db_dir`, in shard order.
std::vector<std::string> shard_paths(const std::filesystem::path& db_dir);

struct StoredDocument {
    std::string id, source, path, format, title, publisher, kind, language, content_hash;
    int year = 0;
    std::uint64_t bytes = 0;
    std::size_t passages = 0;
};

struct StoredPassage {
    std::string id, doc, source, title, section_kind, kind, text;
    std::vector<std::string> section;  // heading path
    int ordinal = 0, page = 0, section_id = 0;
    std::vector<taxonomy::Tag> tags;
    std::string primary;
};

// Spelling data for "did you mean": every plain word term (lower-case, no prefix) of a passage's
// Xapian document, counted once per passage, summed into `counts`.
using SpellingCounts = std::unordered_map<std::string, unsigned>;  // unsigned: Xapian::termcount
void count_spellings(const Xapian::Document& passage, SpellingCounts& counts);

class IndexWriter {
public:
    // `shards`: 0 keeps the count recorded in the catalog (1 for a new index). A count that differs
    // from the recorded one throws Conflict: the documents would land in other shards, so a new
    // count needs a new index folder (see docs/deployment.md, "Reindexing").
    explicit IndexWriter(const std::filesystem::path& db_dir, std::size_t shards = 0);
    ~IndexWriter();
    IndexWriter(const IndexWriter&) = delete;
    IndexWriter& operator=(const IndexWriter&) = delete;

    // Content hash per document path, as last committed.
    std::map<std::string, std::string> committed_hashes() const;
    // Document ids per source path, as last committed.
    std::map<std::string, std::string> committed_ids() const;

    // Acronym pairs per document id, as last committed.
    std::vector<std::pair<std::string, AcronymPair>> committed_acronyms() const;

    void replace_document(const SegmentedDocument& doc);
    // The same with the passages' Xapian documents already built (passages[i] is
    // build_passage_document(doc, i)), so another thread can build them while this one writes.
    void replace_document(const SegmentedDocument& doc, std::vector<Xapian::Document> passages);

    // replace_document() in three parts, for a pipeline that writes the catalog on one thread and
    // Xapian on another: they touch disjoint state once begin() has opened both transactions
    // (each part throws std::logic_error without it). The spelling counts of the passages
    // (count_spellings) are handed over once, before commit().
    void begin();
    void write_catalog(const SegmentedDocument& doc);
    void write_passages(const std::string& doc_id, const std::vector<Xapian::Document>& passages);

    // A first run (no passage ever written) can write Xapian on several threads: writer w of
    // `writers` fills partial databases of its own (one per shard, under <db>/xapian-parts), which
    // commit() merges into each shard with Xapian's compactor. Xapian's writer is the slowest
    // stage of indexing and runs on one thread per database, so this is how a run uses a second
    // core; the merge costs about a twentieth of the writing and leaves the databases compact.
    // Returns the number of writers to use: 1 (plain write_passages) unless the index is empty.
    // Call after begin(); write_passages(w, ...) for w < writers may then run on separate threads.
    std::size_t begin_parallel_writes(std::size_t writers);
    void write_passages(std::size_t writer, const std::string& doc_id, const std::vector<Xapian::Document>& passages);
    void add_spellings(SpellingCounts counts);
    void remove_document(const std::string& doc_id);
    // Records that the document found at `old_path` is now known by `new_path` (its key), in this
    // run's transaction; its id and everything else stay.
    void rekey_document(const std::string& old_path, const std::string& new_path);
    // Replaces the mission and organization registry (built from every document's acronyms).
    void replace_registry(const EntityRegistry& registry);
    // Makes every change since the last commit durable in both stores.
    void commit();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The B-tree block size of a new Xapian database (Xapian's default is 8 KB; an existing one keeps
// its own). A search reads every block through a pread() of its own, and on the 2,000-document
// benchmark those system calls were a fifth of a query's time: blocks 8 times larger cut them,
// made queries 10-20% faster and indexing about 7% faster (docs/benchmarks.md).
inline constexpr unsigned kXapianBlockSize = 65536;

// Read side used by stats, export, outline and evaluation.
std::vector<StoredDocument> load_documents(const std::filesystem::path& db_dir);
std::vector<StoredPassage> load_passages(const std::filesystem::path& db_dir);
std::vector<Section> load_sections(const std::filesystem::path& db_dir, const std::string& doc_id);
std::vector<AcronymPair> load_acronyms(const std::filesystem::path& db_dir, const std::string& doc_id = {});

class Connection;
// The number of index runs committed into the catalog open at `catalog` (meta key 'generation',
// incremented in each run's last transaction; "0" for a catalog that never recorded one).
std::string committed_generation(Connection& catalog);

// Throws NotFound when no index exists at `db_dir`, Conflict when its schema is newer.
void check_index(const std::filesystem::path& db_dir);

}  // namespace mandala::indexer
