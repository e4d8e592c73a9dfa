#include "web/search_cache.h"

#include <algorithm>
#include <sstream>
#include <vector>

namespace mandala::web {
namespace {

// "<length>:<bytes>": a field can hold any byte, ':' included, without blurring into the next one.
void append_field(std::string& out, std::string_view value) {
    out += std::to_string(value.size());
    out += ':';
    out += value;
}

std::string full_key(const std::string& stamp, const std::string& key) {
    std::string out;
    out.reserve(stamp.size() + key.size() + 8);
    append_field(out, stamp);
    out += key;
    return out;
}

}  // namespace

std::string SearchCache::request_key(const search::SearchRequest& r) {
    std::string out;
    append_field(out, r.query);
    // std::map already orders the facets. Values within a facet are ORed, so their order cannot
    // change the answer: sorted, "a then b" and "b then a" share one entry.
    append_field(out, std::to_string(r.filters.size()));
    for (const auto& [facet, values] : r.filters) {
        append_field(out, facet);
        std::vector<std::string> sorted = values;
        std::sort(sorted.begin(), sorted.end());
        append_field(out, std::to_string(sorted.size()));
        for (const auto& v : sorted) append_field(out, v);
    }
    for (const std::size_t n : {r.limit, r.page, r.facet_values, r.snippet_length}) append_field(out, std::to_string(n));
    append_field(out, r.sort == search::SortOrder::year ? "year" : "relevance");
    for (const bool flag : {r.collapse, r.collapse_identical, r.facets, r.snippets}) append_field(out, flag ? "1" : "0");
    return out;
}

std::optional<std::string> SearchCache::find(const std::string& stamp, const std::string& key) {
    if (!enabled()) return std::nullopt;
    const std::string wanted = full_key(stamp, key);
    std::lock_guard lock(mutex_);
    adopt_stamp(stamp);
    const auto it = index_.find(wanted);
    if (it == index_.end()) {
        ++misses_;
        return std::nullopt;
    }
    ++hits_;
    entries_.splice(entries_.begin(), entries_, it->second);  // most recently used; iterators stay valid
    return it->second->body;
}

void SearchCache::insert(const std::string& stamp, const std::string& key, std::string body) {
    if (!enabled()) return;
    Entry entry{full_key(stamp, key), std::move(body)};
    if (entry.bytes() > max_bytes_) return;
    std::lock_guard lock(mutex_);
    adopt_stamp(stamp);
    if (const auto it = index_.find(entry.key); it != index_.end()) erase(it->second);  // a concurrent miss stored it
    evict_until_fits(entry.bytes());
    bytes_ += entry.bytes();
    entries_.push_front(std::move(entry));
    index_.emplace(entries_.front().key, entries_.begin());
}

SearchCacheStats SearchCache::stats() const {
    std::lock_guard lock(mutex_);
    return {hits_, misses_, entries_.size(), bytes_, max_bytes_};
}

// Entries of another stamp can never be hit again (the key starts with the stamp): free them now
// rather than waiting for eviction. During a commit two stamps may alternate for a moment; that
// only costs the few entries made in that moment.
void SearchCache::adopt_stamp(const std::string& stamp) {
    if (stamp == stamp_) return;
    index_.clear();
    entries_.clear();
    bytes_ = 0;
    stamp_ = stamp;
}

void SearchCache::evict_until_fits(std::size_t incoming) {
    while (!entries_.empty() && bytes_ + incoming > max_bytes_) erase(std::prev(entries_.end()));
}

void SearchCache::erase(Entries::iterator it) {
    bytes_ -= it->bytes();
    index_.erase(it->key);  // before the node (which the view points into) goes
    entries_.erase(it);
}

std::string render_search_cache_metrics(const SearchCacheStats& s) {
    std::ostringstream out;
    out << "# HELP mandala_search_cache_hits_total Searches answered from the result cache.\n"
        << "# TYPE mandala_search_cache_hits_total counter\nmandala_search_cache_hits_total " << s.hits << "\n"
        << "# HELP mandala_search_cache_misses_total Searches the result cache could not answer.\n"
        << "# TYPE mandala_search_cache_misses_total counter\nmandala_search_cache_misses_total " << s.misses << "\n"
        << "# HELP mandala_search_cache_entries Answers held by the result cache.\n"
        << "# TYPE mandala_search_cache_entries gauge\nmandala_search_cache_entries " << s.entries << "\n"
        << "# HELP mandala_search_cache_bytes Bytes of keys and answers held by the result cache.\n"
        << "# TYPE mandala_search_cache_bytes gauge\nmandala_search_cache_bytes " << s.bytes << "\n"
        << "# HELP mandala_search_cache_max_bytes Byte budget of the result cache (0: disabled).\n"
        << "# TYPE mandala_search_cache_max_bytes gauge\nmandala_search_cache_max_bytes " << s.max_bytes << "\n";
    return out.str();
}

}  // namespace mandala::web
