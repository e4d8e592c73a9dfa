#include "search/index_reader.h"

#include <xapian.h>

#include "catalog/reader.h"

namespace mandala::search {
namespace fs = std::filesystem;

std::uint64_t disk_usage(const fs::path& dir) {
    std::uint64_t total = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); ++it)
        if (it->is_regular_file(ec)) total += it->file_size(ec);
    return total;
}

IndexStats collect_stats(const fs::path& db_dir) {
    IndexStats s{catalog::count_contents(db_dir)};
    s.index_bytes = disk_usage(db_dir);
    return s;
}

}  // namespace mandala::search
