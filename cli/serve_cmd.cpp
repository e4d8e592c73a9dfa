// `mandala serve`: the HTTP service, configured by cli/config.h (flags over the environment over the
//  configuration file). Stops cleanly on SIGTERM or SIGINT.
#include <csignal>
#include <iostream>

#include "cli/args.h"
#include "cli/commands.h"
#include "indexer/pipeline.h"
#include "web/server.h"

namespace mandala::cli {
namespace {

constexpr const char* kUsage =
    "usage: mandala serve [--db DIR] [--shard LOCATION ...] [--port 8080] [--host 127.0.0.1] [--corpus DIR ...]\n"
    "                     [--static DIR] [--threads N] [--queue 256] [--max-connections 1024]\n"
    "                     [--request-timeout 10] [--min-rate 1024] [--search-cache-mb 64] [--time-limit 5]\n"
    "  --threads: workers answering requests; --queue: whole requests waiting for one (beyond: 503 Retry-After)\n"
    "  --max-connections: open connections (beyond: 503 Retry-After); --request-timeout: seconds for a request's\n"
    "           head and body to arrive, --min-rate: bytes/s it must average (else 408; docs/deployment.md)\n"
    "  --shard: a shard's local path or tcp://HOST:PORT of its xapian-tcpsrv, once per shard in shard order\n"
    "           (default: the shards under --db; the catalog is always read from --db)\n"
    "  --search-cache-mb: memory for repeated search answers, 0 to 4096 (0: off; always off with a tcp:// shard)\n"
    "  --time-limit: seconds a search may spend matching (at most 60)\n"
    "environment: MANDALA_DB, MANDALA_HOST, MANDALA_PORT, MANDALA_THREADS, MANDALA_ADMIN_TOKEN (enables\n"
    "             POST /api/admin/reindex), MANDALA_CORPUS (folders the admin endpoint reindexes, ':'-separated),\n"
    "             MANDALA_STATIC, MANDALA_SEARCH_CACHE_MB, MANDALA_TIME_LIMIT; all also in the configuration file\n"
    "             (`mandala config`)\n";

// POST /api/admin/reindex runs the indexer through this: the service itself does not link it.
web::ReindexReport reindex(const std::vector<std::filesystem::path>& corpus_dirs, const std::filesystem::path& db_dir) {
    indexer::IndexOptions options;
    options.corpus_dirs = corpus_dirs;
    options.db_dir = db_dir;
    const indexer::IndexReport report = indexer::run_index(options);
    return {report.files, report.indexed, report.unchanged, report.removed, report.passages, report.failures.size(),
            report.seconds};
}

// The service's settings from the command's configuration (cli/config.h), flags laid over it.
web::Config service_config(const Args& args, const Config& config) {
    const Config effective = config.with_flags(args);
    web::Config c;
    c.db_dir = effective.db;
    c.shards = args.values("--shard");
    c.host = effective.host;
    c.port = effective.port;
    c.admin_token = effective.admin_token;
    c.corpus_dirs = effective.corpus_dirs;
    c.reindex = reindex;
    c.static_dir = effective.static_dir;
    c.threads = effective.threads;
    c.queue = effective.queue;
    c.max_connections = effective.max_connections;
    c.request_timeout = effective.request_timeout;
    c.min_rate = effective.min_rate;
    c.search_cache_mb = effective.search_cache_mb;
    c.time_limit = effective.time_limit;
    c.validate();
    return c;
}

}  // namespace

int run_serve(const Arguments& argv, const Config& config) {
    const Args args(argv, {"--db", "--shard", "--port", "--host", "--corpus", "--static", "--threads", "--queue", "--max-connections",
                     "--request-timeout", "--min-rate", "--search-cache-mb", "--time-limit"},
                    {"--help"});
    if (args.has("--help")) {
        std::cout << kUsage;
        return 0;
    }
    if (!args.positionals().empty()) throw UsageError(std::string("serve takes no arguments\n") + kUsage);
    const web::Config service = service_config(args, config);

    // Block the stop signals in every thread (the workers inherit the mask) and wait for one here.
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, nullptr);

    web::Server server(service);
    server.app().index().warm_up();  // the first request should not pay for loading the word lists
    server.start();
    std::cerr << "mandala: serving " << service.db_dir.string() << " on http://" << service.host << ":" << server.port()
              << "/ (Ctrl-C to stop)\n";
    int signal = 0;
    sigwait(&stop, &signal);
    std::cerr << "mandala: stopping (signal " << signal << ")\n";
    server.stop();
    return 0;
}

}  // namespace mandala::cli
