#pragma once
// The service's configuration: one validated struct, built from defaults, then the environment
// (MANDALA_DB, MANDALA_PORT, MANDALA_ADMIN_TOKEN, MANDALA_CORPUS, MANDALA_STATIC,
// MANDALA_SEARCH_CACHE_MB), then flags.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace mandala::web {

// What a re-index did, as POST /api/admin/reindex reports it.
struct ReindexReport {
    std::size_t files = 0, indexed = 0, unchanged = 0, removed = 0, passages = 0, failures = 0;
    double seconds = 0;
};

// Indexes the corpus folders into the index folder. The service does not index itself (web/
// stands after the catalog, not after the indexer): `mandala serve` hands it the indexer's run.
using Reindexer = std::function<ReindexReport(const std::vector<std::filesystem::path>& corpus_dirs,
                                              const std::filesystem::path& db_dir)>;

struct Config {
    std::filesystem::path db_dir = "data";
    std::vector<std::string> shards;      // --shard: local paths or tcp://HOST:PORT; empty: those under db_dir
    std::filesystem::path packs_file;     // default: <db_dir>/packs.sqlite
    std::filesystem::path static_dir;     // default: web/static of the source tree
    std::vector<std::filesystem::path> corpus_dirs;  // what POST /api/admin/reindex indexes
    Reindexer reindex;                    // how it indexes them; empty: the endpoint answers 409
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;            // 0: an ephemeral port
    std::string admin_token;              // empty: admin endpoints are disabled
    std::size_t threads = 16;             // bounded worker pool
    std::size_t queue = 256;              // whole requests waiting for a worker; beyond: 503 + Retry-After
    std::size_t max_connections = 1024;   // open connections; beyond: 503 + Retry-After at once
    std::size_t max_body = 1 << 20;       // bytes; larger bodies get 413
    double time_limit = 5.0;              // seconds a search may spend matching
    int socket_timeout = 30;              // seconds an idle keep-alive connection is kept open
    double request_timeout = 10.0;        // seconds for a whole request (head and body) to arrive; then 408
    std::size_t min_rate = 1024;          // bytes/s a request must average after its first second; else 408
    int retry_after = 1;                  // seconds, in the Retry-After of a 503 for overload
    bool access_log = true;               // one JSON line per request on stderr
    long long search_cache_mb = 64;       // result cache of GET /api/search (web/search_cache.h); 0: off

    static constexpr long long kMaxSearchCacheMb = 4096;

    // Fills the defaults that depend on other fields; throws InputError when a value is unusable.
    void validate();
    // A shard served over tcp://: its content can change without the local index stamp changing.
    bool has_remote_shard() const;
    // Bytes the search cache may hold: 0 when it is off or a shard is remote.
    std::size_t search_cache_bytes() const;
};

// The number of megabytes in `text` (from `source`, a flag or variable name, for the message);
// InputError when it is not a whole number. The range is checked by Config::validate().
long long parse_search_cache_mb(const std::string& text, const std::string& source);

std::filesystem::path default_static_dir();

}  // namespace mandala::web
