#pragma once
// The index as the service sees it: opened read-only, one Searcher per concurrent request (Xapian
// objects are not thread-safe), and reopened when the indexer commits. Each acquire() compares a
// cheap stamp with the stamp the idle searchers were opened at, and drops them when it changed.
// The stamp comes from committed state only: the catalog file's identity (device and inode: a
// catalog swapped in by a rename is another file) and the generation the indexer increments in
// the catalog's last transaction of a run, after Xapian has committed. Nothing an index run
// writes before that commit (Xapian's flushed postings, SQLite's write-ahead log) changes it, so
// the pool reopens once per commit. Remote shards are seen to change through the catalog too; a
// searcher whose shard server restarted reopens it itself, and one that cannot answers 503.
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "search/search.h"

namespace mandala::catalog {
class Connection;
}

namespace mandala::web {

// What /healthz reports: which store failed to open or read ("catalog", "xapian"), and why.
struct IndexHealth {
    std::string failed;  // empty when both open
    std::string detail;  // may name server paths: App::redact() it before answering
    bool ok() const { return failed.empty(); }
};

class IndexHandle {
public:
    // `shards`: where the passages are searched (search::ShardLocations; empty: those under db_dir).
    explicit IndexHandle(std::filesystem::path db_dir, std::vector<std::string> shards = {});
    ~IndexHandle();
    IndexHandle(const IndexHandle&) = delete;
    IndexHandle& operator=(const IndexHandle&) = delete;

    class Lease {
    public:
        Lease(IndexHandle* owner, std::unique_ptr<search::Searcher> s, std::string stamp)
            : owner_(owner), searcher_(std::move(s)), stamp_(std::move(stamp)) {}
        Lease(Lease&&) = default;
        ~Lease();
        const search::Searcher& operator*() const { return *searcher_; }
        const search::Searcher* operator->() const { return searcher_.get(); }
        // The index stamp this searcher was opened at (what its answers may be cached under).
        const std::string& stamp() const { return stamp_; }

    private:
        IndexHandle* owner_;
        std::unique_ptr<search::Searcher> searcher_;
        std::string stamp_;
    };

    // A searcher over the latest committed index; 503 when there is no index.
    Lease acquire() { return acquire(stamp()); }
    // The same with the stamp the caller has just read (a search first looks the cache up with it).
    Lease acquire(const std::string& now);
    const std::filesystem::path& db_dir() const { return db_dir_; }
    // Stamp of the committed index ("" when there is none).
    std::string stamp() const;
    std::size_t reopens() const;
    // Opens the catalog and a searcher over Xapian and reads from both.
    IndexHealth check();
    // Loads what the first request would otherwise wait for (a searcher, the catalog's synonyms,
    // the English word lists, the documents' main missions and dates); without an index yet, or
    // with a damaged one, it does nothing (requests then answer with the reason).
    void warm_up();

private:
    void release(std::unique_ptr<search::Searcher> s, const std::string& stamp);
    // A new searcher over the index as of `now` (a stamp); HttpError 503 when it cannot be opened.
    std::unique_ptr<search::Searcher> open_searcher(const std::string& now);

    std::filesystem::path db_dir_;
    std::vector<std::string> shards_;
    // The catalog connection the stamp reads the generation through, and the identity of the
    // file it has open ("device:inode"): kept open, so a read costs no open() and no schema parse.
    mutable std::mutex catalog_mutex_;
    mutable std::unique_ptr<catalog::Connection> catalog_;
    mutable std::string catalog_identity_;
    mutable std::mutex mutex_;
    std::string stamp_;
    std::vector<std::unique_ptr<search::Searcher>> idle_;
    // The synonyms (acronyms of the catalog) for all searchers of the snapshot `synonyms_stamp_`:
    // loading them took ~0.1 s per searcher, i.e. the first 1.5 s of CPU under 16 concurrent requests.
    std::mutex synonyms_mutex_;
    std::shared_ptr<const search::Synonyms> synonyms_;
    std::string synonyms_stamp_;
    // One facet table per index snapshot for all searchers (not one each: memory).
    std::shared_ptr<search::FacetTables> facet_tables_ = std::make_shared<search::FacetTables>();
    std::size_t reopens_ = 0;
};

}  // namespace mandala::web
