#pragma once
// Where each part of an index lives inside its folder (`--db DIR`): the catalog, the Xapian
// database or its shards, the spelling data. Every stage finds the parts through these names.
#include <cstddef>
#include <filesystem>
#include <string_view>

namespace mandala::catalog {

std::filesystem::path catalog_path(const std::filesystem::path& db_dir);   // <db>/catalog.sqlite
std::filesystem::path xapian_path(const std::filesystem::path& db_dir);    // <db>/xapian
std::filesystem::path spelling_path(const std::filesystem::path& db_dir);  // <db>/spelling
// The partial databases of a parallel first run, merged into the shards at commit.
std::filesystem::path xapian_parts_path(const std::filesystem::path& db_dir);  // <db>/xapian-parts

// Shards (docs/deployment.md). With one shard the Xapian database is <db>/xapian, holding the
// passages and the spelling data. With N > 1 the passages are split over <db>/xapian/shard-00 ..
// shard-(N-1), each document (all its passages) in shard_of(document id, N), and the spelling data
// lives in <db>/spelling, beside the catalog (Xapian's remote backend does not serve spellings).
// The count is recorded in the catalog (meta key 'xapian_shards') when the index is created.
inline constexpr std::size_t kMaxShards = 256;
// FNV-1a (64-bit) of the document id, mod `shards`: stable across runs, hosts and versions.
std::size_t shard_of(std::string_view doc_id, std::size_t shards);
std::filesystem::path shard_path(const std::filesystem::path& db_dir, std::size_t shard, std::size_t shards);

// The B-tree block size of a new Xapian database (Xapian's default is 8 KB; an existing one keeps
// its own). A search reads every block through a pread() of its own, and on the 2,000-document
// benchmark those system calls were a fifth of a query's time: blocks 8 times larger cut them,
// made queries 10-20% faster and indexing about 7% faster (docs/benchmarks.md).
inline constexpr unsigned kXapianBlockSize = 65536;

}  // namespace mandala::catalog
