#include "web/config.h"

#include "text/errors.h"

namespace mandala::web {

std::filesystem::path default_static_dir() { return MANDALA_WEB_STATIC_DIR; }

void Config::validate() {
    if (db_dir.empty()) throw InputError("the index folder must not be empty");
    if (packs_file.empty()) packs_file = db_dir / "packs.sqlite";
    if (static_dir.empty()) static_dir = default_static_dir();
    if (host.empty()) throw InputError("the host must not be empty");
    for (const auto& s : shards)
        if (s.empty()) throw InputError("a --shard location must not be empty");
    if (threads < 1 || threads > 256) throw InputError("threads must be between 1 and 256");
    if (queue < 1 || queue > 10000) throw InputError("queue must be between 1 and 10000");
    if (max_body < 1024) throw InputError("the body limit must be at least 1024 bytes");
    if (time_limit <= 0 || time_limit > 60) throw InputError("the time limit must be between 0 and 60 seconds");
}

}  // namespace mandala::web
