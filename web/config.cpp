#include "web/config.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>

#include "text/data_files.h"
#include "text/errors.h"

namespace mandala::web {

std::filesystem::path default_static_dir() { return data::file(data::kWebDir); }

void Config::validate() {
    if (db_dir.empty()) throw InputError("the index folder must not be empty");
    if (packs_file.empty()) packs_file = db_dir / "packs.sqlite";
    if (static_dir.empty()) static_dir = default_static_dir();
    if (host.empty()) throw InputError("the host must not be empty");
    for (const auto& s : shards)
        if (s.empty()) throw InputError("a --shard location must not be empty");
    if (threads < 1 || threads > 256) throw InputError("threads must be between 1 and 256");
    if (queue < 1 || queue > 10000) throw InputError("queue must be between 1 and 10000");
    if (max_connections < 1 || max_connections > 100000) throw InputError("max connections must be between 1 and 100000");
    if (request_timeout <= 0 || request_timeout > 600) throw InputError("the request timeout must be between 0 and 600 seconds");
    if (socket_timeout < 1) throw InputError("the keep-alive timeout must be at least 1 second");
    if (retry_after < 0) throw InputError("Retry-After must not be negative");
    if (max_body < 1024) throw InputError("the body limit must be at least 1024 bytes");
    if (time_limit <= 0 || time_limit > 60) throw InputError("the time limit must be between 0 and 60 seconds");
    if (search_cache_mb < 0 || search_cache_mb > kMaxSearchCacheMb)
        throw InputError("the search cache size must be between 0 and " + std::to_string(kMaxSearchCacheMb) +
                         " MB (0 turns it off), got " + std::to_string(search_cache_mb));
}

bool Config::has_remote_shard() const {
    for (const auto& s : shards)
        if (s.rfind("tcp://", 0) == 0) return true;
    return false;
}

std::size_t Config::search_cache_bytes() const {
    if (has_remote_shard() || search_cache_mb <= 0) return 0;
    return static_cast<std::size_t>(search_cache_mb) << 20;
}

long long parse_search_cache_mb(const std::string& text, const std::string& source) {
    errno = 0;
    char* end = nullptr;
    const long long n = std::strtoll(text.c_str(), &end, 10);
    const bool starts_like_number = !text.empty() && (std::isdigit(static_cast<unsigned char>(text[0])) || text[0] == '-');
    if (!starts_like_number || *end != '\0' || errno == ERANGE)
        throw InputError(source + " must be a whole number of megabytes (0 to " + std::to_string(Config::kMaxSearchCacheMb) +
                         ", 0 turns the search cache off), got '" + text + "'");
    return n;
}

}  // namespace mandala::web
