#pragma once
// The indexing pipeline: read -> normalize -> segment -> extract -> tag -> write.
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "indexer/catalog.h"
#include "indexer/model.h"

namespace mandala::indexer {

// Read, normalize and segment one file (no extraction or tagging); for tests and tools.
SegmentedDocument segment_file(const std::filesystem::path& path, const Catalog& catalog = Catalog::load_default());

struct IndexOptions {
    std::vector<std::filesystem::path> corpus_dirs;
    std::filesystem::path db_dir = "data";
    bool tag = true;      // run the taxonomy tagger
    bool extract = true;  // run entity extraction
    std::size_t shards = 0;  // Xapian shards; 0 keeps the index's recorded count (1 for a new index)
    // Threads writing Xapian in a first run (IndexWriter::begin_parallel_writes); 0: one per core
    // but one, at least 2 and at most 4. Later runs update the index in place on one thread.
    std::size_t xapian_writers = 0;
    // A run that would remove more than half of the indexed documents (an unmounted disk, a
    // mistyped --corpus) throws Conflict instead, unless this is set.
    bool allow_mass_removal = false;
};

struct FileFailure {
    std::string path;
    std::string reason;
};

struct IndexProgress {
    std::size_t files_done = 0, files_total = 0, passages = 0;
    std::uint64_t bytes_done = 0, bytes_total = 0;
    double seconds = 0;
};

struct IndexReport {
    std::size_t files = 0, indexed = 0, unchanged = 0, removed = 0, passages = 0;
    std::uint64_t bytes = 0;  // bytes of the files (re)indexed
    double seconds = 0;
    // Where the time went: reading, normalizing and segmenting (on two threads); Xapian writing the
    // passages on `writers` threads (summed over them) and their waiting for extraction and tagging
    // (which run alongside on another thread); committing, with the merge of a parallel first run.
    double segment_seconds = 0, xapian_seconds = 0, waiting_seconds = 0, commit_seconds = 0;
    std::size_t writers = 0;
    std::vector<FileFailure> failures;
};

// Indexes every supported file under the corpus folders, incrementally by content hash.
// Files that fail are reported in the result and leave their earlier indexed version intact.
IndexReport run_index(const IndexOptions& options, const std::function<void(const IndexProgress&)>& progress = {});

// Files under the corpus folders, sorted, hidden files skipped.
std::vector<std::filesystem::path> corpus_files(const std::vector<std::filesystem::path>& dirs);

// One file of a corpus: where it is, and its key, the path relative to the corpus folder it was
// found under ("sub/report.pdf"), which is what identifies a document from run to run however the
// folder is spelled (relative, absolute, with a trailing slash) or wherever it is mounted.
struct CorpusFile {
    std::filesystem::path file;
    std::string key;
};

// What listing the corpus folders found: the files (sorted by key), the entries that could not
// be looked at (a symlink loop, a folder that cannot be listed), and the keys of the folders that
// could not be listed ("sub/private"): documents under them are kept, not removed.
struct CorpusListing {
    std::vector<CorpusFile> files;
    std::vector<FileFailure> failures;
    std::vector<std::string> unlisted_folders;
};

// Lists the corpus folders. Throws InputError when one is not a folder; two files with the same
// key under two folders are a failure for the second.
CorpusListing list_corpus(const std::vector<std::filesystem::path>& dirs);

// Whether the document key `key` lies under one of `folders` (keys of folders).
bool under_any(const std::string& key, const std::vector<std::string>& folders);

}  // namespace mandala::indexer
