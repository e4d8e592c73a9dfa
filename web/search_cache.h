#pragma once
// Rendered answers of GET /api/search, kept so that a repeated request (a facet toggled back, a
// page reloaded or paginated back) costs a lookup instead of a search. Least recently used entries
// go first once keys and bodies together exceed the byte budget. Keys begin with the index stamp
// they were computed at, so an answer from an older commit can never be returned; when a request
// brings a new stamp every entry of the old one is dropped at once to free the memory.
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "search/search.h"

namespace mandala::web {

struct SearchCacheStats {
    std::uint64_t hits = 0, misses = 0;
    std::size_t entries = 0, bytes = 0, max_bytes = 0;
};

class SearchCache {
public:
    // `max_bytes` 0: disabled (find never hits, insert keeps nothing).
    explicit SearchCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}
    SearchCache(const SearchCache&) = delete;
    SearchCache& operator=(const SearchCache&) = delete;

    bool enabled() const { return max_bytes_ > 0; }
    // The body stored under `key` for index `stamp`, marked most recently used; counts a hit or a miss.
    std::optional<std::string> find(const std::string& stamp, const std::string& key);
    // Stores `body`; an entry larger than the whole budget is not kept.
    void insert(const std::string& stamp, const std::string& key, std::string body);
    SearchCacheStats stats() const;

    // The part of the key that names the request: every field of SearchRequest that changes the
    // answer, each length-prefixed so that no query or filter value can imitate a field boundary.
    static std::string request_key(const search::SearchRequest& request);

private:
    struct Entry {
        std::string key;  // stamp + request key; the index below points into it
        std::string body;
        std::size_t bytes() const { return key.size() + body.size(); }
    };
    using Entries = std::list<Entry>;  // most recently used first

    void adopt_stamp(const std::string& stamp);
    void evict_until_fits(std::size_t incoming);
    void erase(Entries::iterator it);

    const std::size_t max_bytes_;
    mutable std::mutex mutex_;
    std::string stamp_;
    Entries entries_;
    // Views into the keys of `entries_`: list nodes never move, so each key is stored once.
    std::unordered_map<std::string_view, Entries::iterator> index_;
    std::size_t bytes_ = 0;
    std::uint64_t hits_ = 0, misses_ = 0;
};

// The cache's counters and sizes in the Prometheus text format (appended to /metrics).
std::string render_search_cache_metrics(const SearchCacheStats& stats);

}  // namespace mandala::web
