#pragma once
// Read-only access to an index: opens the Xapian database and the catalog and answers the
// summary questions of `mandala stats`.
#include <cstdint>
#include <filesystem>

#include "catalog/reader.h"

namespace mandala::search {

// What the catalog counts, and the index's size on disk.
struct IndexStats : catalog::CatalogCounts {
    std::uint64_t index_bytes = 0;
};

IndexStats collect_stats(const std::filesystem::path& db_dir);

// Bytes used on disk by everything under `dir`.
std::uint64_t disk_usage(const std::filesystem::path& dir);

}  // namespace mandala::search
