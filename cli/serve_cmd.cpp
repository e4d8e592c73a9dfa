// `mandala serve [--db DIR] [--shard LOCATION ...] [--port 8080] [--host 127.0.0.1] [--corpus DIR ...]
//  [--static DIR] [--threads N] [--queue N] [--max-connections N] [--request-timeout S] [--min-rate B]
//  [--search-cache-mb 64]`: the HTTP service. Flags override MANDALA_DB,
//  MANDALA_PORT, MANDALA_ADMIN_TOKEN, MANDALA_CORPUS, MANDALA_STATIC and MANDALA_SEARCH_CACHE_MB.
//  Stops cleanly on SIGTERM or SIGINT.
#include <csignal>
#include <cstdlib>
#include <iostream>

#include "cli/args.h"
#include "cli/commands.h"
#include "web/server.h"

namespace mandala::cli {
namespace {

constexpr const char* kUsage =
    "usage: mandala serve [--db DIR] [--shard LOCATION ...] [--port 8080] [--host 127.0.0.1] [--corpus DIR ...]\n"
    "                     [--static DIR] [--threads N] [--queue 256] [--max-connections 1024]\n"
    "                     [--request-timeout 10] [--min-rate 1024] [--search-cache-mb 64]\n"
    "  --threads: workers answering requests; --queue: whole requests waiting for one (beyond: 503 Retry-After)\n"
    "  --max-connections: open connections (beyond: 503 Retry-After); --request-timeout: seconds for a request's\n"
    "           head and body to arrive, --min-rate: bytes/s it must average (else 408; docs/deployment.md)\n"
    "  --shard: a shard's local path or tcp://HOST:PORT of its xapian-tcpsrv, once per shard in shard order\n"
    "           (default: the shards under --db; the catalog is always read from --db)\n"
    "  --search-cache-mb: memory for repeated search answers, 0 to 4096 (0: off; always off with a tcp:// shard)\n"
    "environment: MANDALA_DB, MANDALA_PORT, MANDALA_ADMIN_TOKEN (enables POST /api/admin/reindex),\n"
    "             MANDALA_CORPUS (folder reindexed by the admin endpoint), MANDALA_STATIC, MANDALA_SEARCH_CACHE_MB\n";

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}

int port_number(const std::string& text, const char* what) {
    try {
        std::size_t used = 0;
        const int n = std::stoi(text, &used);
        if (used == text.size() && n >= 0 && n <= 65535) return n;
    } catch (const std::exception&) {
    }
    throw UsageError(std::string(what) + " must be a port number (0..65535), got '" + text + "'");
}

web::Config config_from(const Args& args) {
    web::Config c;
    c.db_dir = db_dir(args);
    c.shards = args.values("--shard");
    if (const std::string p = env("MANDALA_PORT"); !p.empty()) c.port = static_cast<std::uint16_t>(port_number(p, "MANDALA_PORT"));
    if (args.has("--port")) c.port = static_cast<std::uint16_t>(port_number(args.value("--port"), "--port"));
    c.host = args.value("--host", "127.0.0.1");
    c.admin_token = env("MANDALA_ADMIN_TOKEN");
    for (const auto& d : args.values("--corpus")) c.corpus_dirs.emplace_back(d);
    if (c.corpus_dirs.empty() && !env("MANDALA_CORPUS").empty()) c.corpus_dirs.emplace_back(env("MANDALA_CORPUS"));
    c.static_dir = args.value("--static", env("MANDALA_STATIC"));
    c.threads = static_cast<std::size_t>(args.integer("--threads", 16, 1, 256));
    c.queue = static_cast<std::size_t>(args.integer("--queue", static_cast<int>(c.queue), 1, 10000));
    c.max_connections = static_cast<std::size_t>(args.integer("--max-connections", static_cast<int>(c.max_connections), 1, 100000));
    c.request_timeout = args.integer("--request-timeout", static_cast<int>(c.request_timeout), 1, 600);
    c.min_rate = static_cast<std::size_t>(args.integer("--min-rate", static_cast<int>(c.min_rate), 0, 1 << 30));
    if (const std::string mb = env("MANDALA_SEARCH_CACHE_MB"); !mb.empty())
        c.search_cache_mb = web::parse_search_cache_mb(mb, "MANDALA_SEARCH_CACHE_MB");
    if (args.has("--search-cache-mb"))
        c.search_cache_mb = web::parse_search_cache_mb(args.value("--search-cache-mb"), "--search-cache-mb");
    c.validate();
    return c;
}

}  // namespace

int run_serve(const std::vector<std::string>& argv) {
    const Args args(argv, {"--db", "--shard", "--port", "--host", "--corpus", "--static", "--threads", "--queue", "--max-connections",
                     "--request-timeout", "--min-rate", "--search-cache-mb"},
                    {"--help"});
    if (args.has("--help")) {
        std::cout << kUsage;
        return 0;
    }
    if (!args.positionals().empty()) throw UsageError(std::string("serve takes no arguments\n") + kUsage);
    const web::Config config = config_from(args);

    // Block the stop signals in every thread (the workers inherit the mask) and wait for one here.
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, nullptr);

    web::Server server(config);
    server.app().index().warm_up();  // the first request should not pay for loading the word lists
    server.start();
    std::cerr << "mandala: serving " << config.db_dir.string() << " on http://" << config.host << ":" << server.port()
              << "/ (Ctrl-C to stop)\n";
    int signal = 0;
    sigwait(&stop, &signal);
    std::cerr << "mandala: stopping (signal " << signal << ")\n";
    server.stop();
    return 0;
}

}  // namespace mandala::cli
