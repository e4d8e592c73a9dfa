#include "web/index_handle.h"

#include "indexer/store.h"
#include "web/http.h"

namespace mandala::web {
namespace fs = std::filesystem;

IndexHandle::IndexHandle(fs::path db_dir, std::vector<std::string> shards)
    : db_dir_(std::move(db_dir)), shards_(std::move(shards)) {}

IndexHandle::Lease::~Lease() {
    if (owner_ && searcher_) owner_->release(std::move(searcher_), stamp_);
}

std::string IndexHandle::stamp() const {
    std::string out;
    std::vector<fs::path> files{indexer::catalog_path(db_dir_), fs::path(indexer::catalog_path(db_dir_).string() + "-wal")};
    std::vector<std::string> shards = shards_;
    if (shards.empty()) {
        std::lock_guard lock(shards_mutex_);
        if (local_shards_.empty()) {
            try {
                local_shards_ = indexer::shard_paths(db_dir_);  // fixed once the index exists
            } catch (const std::exception&) {
                // no index yet: acquire() reports it
            }
        }
        shards = local_shards_.empty() ? std::vector<std::string>{indexer::xapian_path(db_dir_).string()} : local_shards_;
    }
    for (const auto& s : shards)
        if (s.rfind("tcp://", 0) != 0) files.push_back(fs::path(s) / "iamglass");
    for (const fs::path& p : files) {
        std::error_code ec;
        const auto t = fs::last_write_time(p, ec);
        const auto size = fs::file_size(p, ec);
        // An empty file holds nothing, like a missing one: a reader opening the catalog creates an
        // empty -wal, which must not look like a commit (it would reopen the pool and make the
        // search answers cached just before stale).
        if (!ec && size > 0) out += std::to_string(t.time_since_epoch().count()) + ":" + std::to_string(size);
        out += ";";
    }
    return out;
}

std::size_t IndexHandle::reopens() const {
    std::lock_guard lock(mutex_);
    return reopens_;
}

IndexHandle::Lease IndexHandle::acquire(const std::string& now) {
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
        std::shared_ptr<const search::Synonyms> synonyms;
        {
            std::lock_guard lock(synonyms_mutex_);
            if (!synonyms_ || synonyms_stamp_ != now) {
                synonyms_ = std::make_shared<const search::Synonyms>(search::Synonyms::load(db_dir_));
                synonyms_stamp_ = now;
            }
            synonyms = synonyms_;
        }
        auto searcher = std::make_unique<search::Searcher>(db_dir_, shards_, std::move(synonyms), search::RankingWeights{});
        searcher->share_facet_tables(facet_tables_);
        return Lease(this, std::move(searcher), now);
    } catch (const NotFound&) {
        throw HttpError(503, "no index yet at " + db_dir_.string() + ": run `mandala index` first");
    } catch (const Xapian::DatabaseOpeningError& e) {
        throw HttpError(503, "the index cannot be opened: " + e.get_msg());
    } catch (const Unavailable& e) {
        throw HttpError(503, e.what());
    }
}

void IndexHandle::release(std::unique_ptr<search::Searcher> s, const std::string& stamp) {
    std::lock_guard lock(mutex_);
    if (stamp == stamp_ && idle_.size() < 64) idle_.push_back(std::move(s));
}

}  // namespace mandala::web
