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
    std::vector<FileFailure> failures;
};

// Indexes every supported file under the corpus folders, incrementally by content hash.
// Files that fail are reported in the result and leave their earlier indexed version intact.
IndexReport run_index(const IndexOptions& options, const std::function<void(const IndexProgress&)>& progress = {});

// Files under the corpus folders, sorted, hidden files skipped.
std::vector<std::filesystem::path> corpus_files(const std::vector<std::filesystem::path>& dirs);

}  // namespace mandala::indexer
