#pragma once
// The index on disk: a Xapian database of passages (what is searched) and catalog.sqlite (what is
// listed and joined). The writer commits both per run; a run killed half-way leaves the last
// committed state readable, and a document whose SQLite row is not committed is re-indexed.
#include <filesystem>
#include <map>
#include <memory>
#include <string>
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

class IndexWriter {
public:
    explicit IndexWriter(const std::filesystem::path& db_dir);
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
    void remove_document(const std::string& doc_id);
    // Replaces the mission and organization registry (built from every document's acronyms).
    void replace_registry(const EntityRegistry& registry);
    // Makes every change since the last commit durable in both stores.
    void commit();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Process-wide Xapian write tuning: flush the indexer's pending postings every
// kXapianFlushThreshold passages (Xapian's default is 10,000) unless XAPIAN_FLUSH_THRESHOLD is
// set. Xapian writes them into the open transaction, so the run still commits once; smaller
// batches keep its in-memory posting maps small and indexing faster. It sets an environment
// variable, so call it at the start of main(), before any thread exists.
inline constexpr int kXapianFlushThreshold = 1000;
void tune_xapian_writes();

// Read side used by stats, export, outline and evaluation.
std::vector<StoredDocument> load_documents(const std::filesystem::path& db_dir);
std::vector<StoredPassage> load_passages(const std::filesystem::path& db_dir);
std::vector<Section> load_sections(const std::filesystem::path& db_dir, const std::string& doc_id);
std::vector<AcronymPair> load_acronyms(const std::filesystem::path& db_dir, const std::string& doc_id = {});

// Throws NotFound when no index exists at `db_dir`, Conflict when its schema is newer.
void check_index(const std::filesystem::path& db_dir);

}  // namespace mandala::indexer
