#include "web/index_handle.h"

#include "indexer/store.h"
#include "web/http.h"

namespace mandala::web {
namespace fs = std::filesystem;

IndexHandle::IndexHandle(fs::path db_dir) : db_dir_(std::move(db_dir)) {}

IndexHandle::Lease::~Lease() {
    if (owner_ && searcher_) owner_->release(std::move(searcher_), stamp_);
}

std::string IndexHandle::stamp() const {
    std::string out;
    for (const fs::path& p : {indexer::catalog_path(db_dir_), fs::path(indexer::catalog_path(db_dir_).string() + "-wal"),
                              indexer::xapian_path(db_dir_) / "iamglass"}) {
        std::error_code ec;
        const auto t = fs::last_write_time(p, ec);
        const auto size = fs::file_size(p, ec);
        if (!ec) out += std::to_string(t.time_since_epoch().count()) + ":" + std::to_string(size);
        out += ";";
    }
    return out;
}

std::size_t IndexHandle::reopens() const {
    std::lock_guard lock(mutex_);
    return reopens_;
}

IndexHandle::Lease IndexHandle::acquire() {
    const std::string now = stamp();
    {
        std::lock_guard lock(mutex_);
        if (now != stamp_) {
            if (!stamp_.empty()) ++reopens_;
            idle_.clear();
            stamp_ = now;
        }
        if (!idle_.empty()) {
            auto s = std::move(idle_.back());
            idle_.pop_back();
            return Lease(this, std::move(s), now);
        }
    }
    try {
        indexer::check_index(db_dir_);
        return Lease(this, std::make_unique<search::Searcher>(db_dir_), now);
    } catch (const NotFound&) {
        throw HttpError(503, "no index yet at " + db_dir_.string() + ": run `mandala index` first");
    } catch (const Xapian::DatabaseOpeningError& e) {
        throw HttpError(503, "the index cannot be opened: " + e.get_msg());
    }
}

void IndexHandle::release(std::unique_ptr<search::Searcher> s, const std::string& stamp) {
    std::lock_guard lock(mutex_);
    if (stamp == stamp_ && idle_.size() < 64) idle_.push_back(std::move(s));
}

}  // namespace mandala::web
