// `mandala eval entities --gold FILE [--db DIR] [--json]`: mission mentions of an index against a
// gold set, mention and document level, with the misses.
// `mandala eval dates --gold FILE [--db DIR] [--json]`: document years and dated resolutions.
#include <iostream>

#include "cli/args.h"
#include "cli/commands.h"
#include "indexer/extract/evaluation.h"

namespace mandala::cli {

int run_eval_entities(const Arguments& argv, const Config& config) {
    Args args(argv, {"--gold", "--db"}, {"--json"});
    if (!args.has("--gold")) throw UsageError("usage: mandala eval entities --gold FILE [--db DIR] [--json]");
    auto report = indexer::evaluate_missions(args.value("--gold"), db_dir(args, config));
    std::cout << (args.has("--json") ? report.to_json() : report.to_text());
    return 0;
}

int run_eval_dates(const Arguments& argv, const Config& config) {
    Args args(argv, {"--gold", "--db"}, {"--json"});
    if (!args.has("--gold")) throw UsageError("usage: mandala eval dates --gold FILE [--db DIR] [--json]");
    auto report = indexer::evaluate_dates(args.value("--gold"), db_dir(args, config));
    std::cout << (args.has("--json") ? report.to_json() : report.to_text());
    return 0;
}

}  // namespace mandala::cli
