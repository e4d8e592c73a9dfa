#include "web/index_handle.h"

#include <sys/stat.h>

#include "catalog/sqlite.h"

#include "catalog/paths.h"
#include "catalog/reader.h"
#include "search/lineage.h"
#include "search/spelling.h"
#include "web/http.h"

namespace mandala::web {
namespace fs = std::filesystem;

IndexHandle::IndexHandle(fs::path db_dir, std::vector<std::string> shards)
    : db_dir_(std::move(db_dir)), shards_(std::move(shards)) {}

IndexHandle::Lease::~Lease() {
    if (owner_ && searcher_) owner_->release(std::move(searcher_), stamp_);
}

IndexHandle::~IndexHandle() = default;

std::string IndexHandle::stamp() const {
    const fs::path catalog = catalog::catalog_path(db_dir_);
    struct stat info {};
    if (::stat(catalog.c_str(), &info) != 0 || info.st_size == 0) return "";
    const std::string identity = std::to_string(info.st_dev) + ":" + std::to_string(info.st_ino);
    std::lock_guard lock(catalog_mutex_);
    try {
        if (!catalog_ || identity != catalog_identity_) {
            catalog_.reset();
            catalog_ = std::make_unique<catalog::Connection>(catalog, catalog::Connection::Mode::read_only);
            catalog_identity_ = identity;
        }
        return identity + ":" + catalog::committed_generation(*catalog_);
    } catch (const std::exception&) {
        catalog_.reset();  // a catalog being created or damaged: acquire() says what is wrong
        return identity + ":unreadable";
    }
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
    auto searcher = open_searcher(now);
    return Lease(this, std::move(searcher), now);
}

std::unique_ptr<search::Searcher> IndexHandle::open_searcher(const std::string& now) {
    try {
        catalog::check_index(db_dir_);
    } catch (const NotFound&) {
        throw HttpError(503, "no index yet: run `mandala index` first");
    }
    try {
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
        return searcher;
    } catch (const NotFound& e) {  // a shard that does not open: the index is damaged, not missing
        throw HttpError(503, std::string("the index cannot be opened: ") + e.what());
    } catch (const Xapian::DatabaseOpeningError& e) {
        throw HttpError(503, "the index cannot be opened: " + e.get_msg());
    } catch (const Unavailable& e) {
        throw HttpError(503, e.what());
    }
}

namespace {

// Reads a row of the catalog's documents, the table every listing joins on.
void read_catalog(const fs::path& db_dir) { catalog::probe_catalog(db_dir); }

// Reads the passage count and the first posting of the all-documents list (Xapian's postlist
// table), which a search needs first.
void read_xapian(const search::Searcher& searcher) {
    const Xapian::Database& db = searcher.database();
    if (db.get_doccount() > 0) (void)*db.postlist_begin("");
}

}  // namespace

IndexHealth IndexHandle::check() {
    IndexHealth health;
    if (!fs::exists(catalog::catalog_path(db_dir_))) return {"catalog", "no index yet: run `mandala index` first"};
    try {
        read_catalog(db_dir_);
    } catch (const std::exception& e) {
        return {"catalog", std::string("the catalog cannot be read: ") + e.what()};
    }
    try {
        // A searcher of its own, not one of the pool: those may hold files deleted since.
        read_xapian(*open_searcher(stamp()));
    } catch (const HttpError& e) {
        return {"xapian", e.what()};
    } catch (const Xapian::Error& e) {
        return {"xapian", "the search index cannot be read: " + e.get_msg()};
    } catch (const std::exception& e) {
        return {"xapian", e.what()};
    }
    return health;
}

void IndexHandle::warm_up() {
    (void)search::EnglishWords::system();
    try {
        (void)acquire();  // the lease returns its searcher to the pool
        search::preload_document_facts(db_dir_);
    } catch (const HttpError&) {
        // no index yet: requests will say so
    } catch (const std::exception&) {
        // a damaged catalog: requests will say so, with the reason
    }
}

void IndexHandle::release(std::unique_ptr<search::Searcher> s, const std::string& stamp) {
    std::lock_guard lock(mutex_);
    if (stamp == stamp_ && idle_.size() < 64) idle_.push_back(std::move(s));
}

}  // namespace mandala::web
