// `mandala config [--json] [flags]`: the settings in effect, each with where its value came from
// (default, file, environment, flag), then a check of the data files they point at.
#include <iostream>

#include "cli/args.h"
#include "cli/commands.h"
#include "text/data_files.h"

namespace mandala::cli {

int run_config(const Arguments& argv, const Config& config) {
    const Args args(argv,
                    {"--db", "--corpus", "--host", "--port", "--threads", "--queue", "--max-connections", "--request-timeout",
                     "--min-rate", "--search-cache-mb", "--time-limit", "--static"},
                    {"--json"});
    if (!args.positionals().empty()) throw UsageError("config takes no arguments (flags show their effect)");
    std::cout << describe(config.with_flags(args), args.has("--json"));
    data::check_required();  // after printing, so a broken installation shows where it looked
    return 0;
}

}  // namespace mandala::cli
