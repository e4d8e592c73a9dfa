#include "catalog/paths.h"

#include <cstdint>
#include <cstdio>

namespace mandala::catalog {
namespace fs = std::filesystem;

fs::path catalog_path(const fs::path& db_dir) { return db_dir / "catalog.sqlite"; }
fs::path xapian_path(const fs::path& db_dir) { return db_dir / "xapian"; }
fs::path spelling_path(const fs::path& db_dir) { return db_dir / "spelling"; }
fs::path xapian_parts_path(const fs::path& db_dir) { return db_dir / "xapian-parts"; }

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

}  // namespace mandala::catalog
