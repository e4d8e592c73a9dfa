// `mandala entities [--type mission] [--db DIR] [--json]`: the entity registry with counts.
#include <Poco/JSON/Object.h>

#include <iostream>

#include "cli/args.h"
#include "cli/commands.h"
#include "search/xref.h"

namespace mandala::cli {

int run_entities(const Arguments& argv, const Config& config) {
    Args args(argv, {"--db", "--type"}, {"--json"});
    if (!args.positionals().empty())
        throw UsageError("usage: mandala entities [--type mission|organization|place|year|resolution|"
                         "document-symbol|acronym] [--db DIR] [--json]");
    const auto entries = search::list_entities(db_dir(args, config), args.value("--type"));
    if (args.has("--json")) {
        search::to_json(entries)->stringify(std::cout, 2);
        std::cout << "\n";
    } else {
        std::cout << search::to_text(entries);
    }
    return 0;
}

}  // namespace mandala::cli
