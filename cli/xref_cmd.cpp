// `mandala xref mission KEY | category ID | acronym X | passage ID [--db DIR] [--json]`
#include <Poco/JSON/Object.h>

#include <array>
#include <filesystem>
#include <functional>
#include <iostream>
#include <string_view>

#include "cli/args.h"
#include "cli/commands.h"
#include "taxonomy/taxonomy.h"
#include "search/xref.h"

namespace mandala::cli {
namespace {

namespace fs = std::filesystem;

// The taxonomy that gives categories their scope: --taxonomy, else the data folder's.
fs::path taxonomy_file(const Args& args) {
    if (args.has("--taxonomy")) return args.value("--taxonomy");
    return taxonomy::default_taxonomy_dir() / taxonomy::kTaxonomyFile;
}

template <typename Report>
int print(const Report& report, bool json) {
    if (json) {
        search::to_json(report)->stringify(std::cout, 2);
        std::cout << "\n";
    } else {
        std::cout << search::to_text(report);
    }
    return 0;
}

struct Lookup {
    std::string_view kind;
    std::function<int(const Args&, const std::string&, const std::string& db)> run;
};

const std::array<Lookup, 4> kLookups = {
    Lookup{"mission", [](const Args& a, const std::string& key, const std::string& db) {
               return print(search::xref_mission(db, key), a.has("--json"));
           }},
    Lookup{"category", [](const Args& a, const std::string& id, const std::string& db) {
               return print(search::xref_category(db, id, taxonomy_file(a)), a.has("--json"));
           }},
    Lookup{"acronym", [](const Args& a, const std::string& acronym, const std::string& db) {
               return print(search::xref_acronym(db, acronym), a.has("--json"));
           }},
    Lookup{"passage", [](const Args& a, const std::string& id, const std::string& db) {
               return print(search::xref_passage(db, id), a.has("--json"));
           }},
};

constexpr std::string_view kUsage =
    "usage: mandala xref (mission KEY | category ID | acronym X | passage ID) [--db DIR] [--json]";

}  // namespace

int run_xref(const Arguments& argv, const Config& config) {
    Args args(argv, {"--db", "--taxonomy"}, {"--json"});
    const auto& words = args.positionals();
    if (words.size() != 2) throw UsageError(std::string(kUsage));
    for (const auto& lookup : kLookups)
        if (lookup.kind == words[0]) return lookup.run(args, words[1], db_dir(args, config));
    throw UsageError("unknown xref kind '" + words[0] + "'\n" + std::string(kUsage));
}

}  // namespace mandala::cli
