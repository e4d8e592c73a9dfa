#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli/args.h"
#include "cli/commands.h"
#include "indexer/pipeline.h"
#include "indexer/store.h"

namespace mandala::cli {
namespace fs = std::filesystem;

namespace {

std::string megabytes(std::uint64_t bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / 1e6);
    return buf;
}

// A one-line progress bar on a terminal: documents, passages, MB/s, ETA.
void draw_progress(const indexer::IndexProgress& p) {
    const double share = p.bytes_total ? static_cast<double>(p.bytes_done) / static_cast<double>(p.bytes_total) : 1.0;
    const int width = 24, filled = static_cast<int>(share * width);
    const double rate = p.seconds > 0 ? static_cast<double>(p.bytes_done) / 1e6 / p.seconds : 0.0;
    const double eta = share > 0 ? p.seconds * (1 - share) / share : 0.0;
    std::fprintf(stderr, "\r[%s%s] %zu/%zu documents, %zu passages, %.1f MB/s, ETA %.0fs ",
                 std::string(static_cast<std::size_t>(filled), '#').c_str(),
                 std::string(static_cast<std::size_t>(width - filled), ' ').c_str(), p.files_done, p.files_total,
                 p.passages, rate, eta);
    if (p.files_done == p.files_total) std::fprintf(stderr, "\n");
}

}  // namespace

int run_index(const Arguments& argv, const Config& config) {
    Args args(argv, {"--corpus", "--db", "--shards"}, {"--quiet", "--no-tags", "--no-entities", "--allow-mass-removal"});
    if (!args.positionals().empty()) throw UsageError("index takes no positional arguments (use --corpus DIR)");
    const Config effective = config.with_flags(args);
    if (effective.corpus_dirs.empty()) throw UsageError("no folder to index: give --corpus DIR (or set paths.corpus)");
    indexer::IndexOptions options;
    options.corpus_dirs = effective.corpus_dirs;
    options.db_dir = effective.db;
    options.tag = !args.has("--no-tags");
    options.extract = !args.has("--no-entities");
    options.allow_mass_removal = args.has("--allow-mass-removal");
    // --shards N splits the Xapian side into N shards (docs/deployment.md); fixed when the index is created.
    if (args.has("--shards")) options.shards = static_cast<std::size_t>(args.integer("--shards", 1, 1, static_cast<int>(indexer::kMaxShards)));

    const bool terminal = isatty(STDERR_FILENO) && !args.has("--quiet");
    auto report = indexer::run_index(options, terminal ? draw_progress : std::function<void(const indexer::IndexProgress&)>{});
    for (const auto& f : report.failures) std::cerr << "mandala: skipped " << f.path << ": " << f.reason << "\n";
    const double rate = report.seconds > 0 ? static_cast<double>(report.bytes) / 1e6 / report.seconds : 0.0;
    std::printf("indexed %zu of %zu files (%zu unchanged, %zu removed, %zu failed): %zu passages, %s in %.2fs (%.1f MB/s) -> %s\n",
                report.indexed, report.files, report.unchanged, report.removed, report.failures.size(),
                report.passages, megabytes(report.bytes).c_str(), report.seconds, rate, options.db_dir.c_str());
    if (report.indexed > 0)
        std::printf("time: %.2fs reading and segmenting; %.2fs Xapian writing on %zu thread%s, %.2fs of it waiting"
                    " for extraction and tagging; %.2fs committing\n",
                    report.segment_seconds, report.xapian_seconds + report.waiting_seconds, report.writers,
                    report.writers == 1 ? "" : "s", report.waiting_seconds, report.commit_seconds);
    return report.failures.empty() ? 0 : 1;
}

}  // namespace mandala::cli
