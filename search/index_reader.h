#pragma once
// Read-only access to an index: opens the Xapian database and the catalog and answers the
// summary questions of `mandala stats`.
#include <filesystem>
#include <map>
#include <string>

namespace mandala::search {

struct IndexStats {
    std::size_t documents = 0, passages = 0, sections = 0, acronyms = 0, tagged_passages = 0;
    std::uint64_t source_bytes = 0, index_bytes = 0;
    std::map<std::string, std::size_t> passages_by_kind;
    std::map<std::string, std::size_t> passages_by_document;
    std::map<std::string, std::size_t> passages_by_category;
};

IndexStats collect_stats(const std::filesystem::path& db_dir);

// Bytes used on disk by everything under `dir`.
std::uint64_t disk_usage(const std::filesystem::path& dir);

}  // namespace mandala::search
