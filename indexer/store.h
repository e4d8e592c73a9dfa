#pragma once
// Writing the index: a Xapian database of passages (what is searched) and the catalog (what is
// listed and joined, catalog/writer.h). The writer commits both per run; a run killed half-way leaves the last
// committed state readable, and a document whose SQLite row is not committed is re-indexed.
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "catalog/paths.h"
#include "catalog/reader.h"
#include "catalog/registry.h"
#include "indexer/model.h"

namespace Xapian {
class Document;
}

namespace mandala::indexer {

// The index's folder layout and the catalog's read side belong to catalog/; the indexer and its
// tests know them by these names too.
using catalog::catalog_path;
using catalog::check_index;
using catalog::committed_generation;
using catalog::EntityRegistry;
using catalog::Connection;
using catalog::kMaxShards;
using catalog::kXapianBlockSize;
using catalog::load_acronyms;
using catalog::load_documents;
using catalog::load_passages;
using catalog::load_sections;
using catalog::shard_count;
using catalog::shard_of;
using catalog::shard_path;
using catalog::shard_paths;
using catalog::spelling_path;
using catalog::StoredDocument;
using catalog::StoredPassage;
using catalog::xapian_path;

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

}  // namespace mandala::indexer
