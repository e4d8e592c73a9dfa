#include "search/index_reader.h"

#include <xapian.h>

#include "catalog/paths.h"
#include "catalog/reader.h"
#include "catalog/sqlite.h"

namespace mandala::search {
namespace fs = std::filesystem;
using catalog::Connection;

std::uint64_t disk_usage(const fs::path& dir) {
    std::uint64_t total = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); ++it)
        if (it->is_regular_file(ec)) total += it->file_size(ec);
    return total;
}

namespace {

std::map<std::string, std::size_t> counts(Connection& db, const char* sql) {
    std::map<std::string, std::size_t> out;
    auto st = db.prepare(sql);
    while (st.step()) out[st.text(0)] = static_cast<std::size_t>(st.integer(1));
    return out;
}

std::size_t scalar(Connection& db, const char* sql) {
    auto st = db.prepare(sql);
    return st.step() ? static_cast<std::size_t>(st.integer(0)) : 0;
}

}  // namespace

IndexStats collect_stats(const fs::path& db_dir) {
    catalog::check_index(db_dir);
    Connection db(catalog::catalog_path(db_dir), Connection::Mode::read_only);
    IndexStats s;
    s.documents = scalar(db, "SELECT COUNT(*) FROM documents");
    s.passages = scalar(db, "SELECT COUNT(*) FROM passages");
    s.sections = scalar(db, "SELECT COUNT(*) FROM sections");
    s.acronyms = scalar(db, "SELECT COUNT(*) FROM (SELECT DISTINCT acronym, expansion FROM acronyms)");
    s.tagged_passages = scalar(db, "SELECT COUNT(DISTINCT passage_id) FROM tags");
    s.source_bytes = scalar(db, "SELECT COALESCE(SUM(bytes), 0) FROM documents");
    s.passages_by_kind = counts(db, "SELECT kind, COUNT(*) FROM passages GROUP BY kind");
    s.passages_by_document = counts(db, "SELECT doc, COUNT(*) FROM passages GROUP BY doc");
    s.passages_by_category = counts(db, "SELECT category, COUNT(DISTINCT passage_id) FROM tags GROUP BY category");
    s.index_bytes = disk_usage(db_dir);
    return s;
}

}  // namespace mandala::search
