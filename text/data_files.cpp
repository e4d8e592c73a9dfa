#include "text/data_files.h"

#include <unistd.h>

#include <fstream>

namespace mandala::data {
namespace fs = std::filesystem;

namespace {

fs::path executable_path() {
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : exe;
}

Locations& configured() {
    static Locations l{installed_dir(), default_word_lists()};
    return l;
}

bool readable(const fs::path& p) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) return ::access(p.c_str(), R_OK | X_OK) == 0;
    std::ifstream in(p, std::ios::binary);
    return in.good() && fs::is_regular_file(p, ec);
}

}  // namespace

fs::path installed_dir() {
    const fs::path exe = executable_path();
    if (exe.empty()) return fs::path("share") / "mandala";
    return (exe.parent_path() / ".." / "share" / "mandala").lexically_normal();
}

std::vector<fs::path> default_word_lists() {
    return {"/usr/share/dict/american-english", "/usr/share/dict/british-english"};
}

void configure(Locations locations) { configured() = std::move(locations); }

const Locations& locations() { return configured(); }

fs::path file(std::string_view relative) {
    fs::path p = dir() / fs::path(relative);
    if (!readable(p))
        throw MissingDataFile("missing data file " + p.string() +
                              " (the data folder is set by --data-dir, MANDALA_DATA_DIR or paths.data_dir in the configuration file; "
                              "`mandala config` shows where it came from)");
    return p;
}

const std::vector<std::string_view>& required_files() {
    static const std::vector<std::string_view> files = {
        "taxonomy/task-categories.json", "taxonomy/model.json",  "registry/missions.json",
        "registry/organizations.json",   "registry/places.json", "search/thesaurus.json",
        kCatalogFile,                    "web/index.html",       "web/app.js",
        "web/style.css",
    };
    return files;
}

void check_required() {
    for (std::string_view f : required_files()) file(f);
    for (const fs::path& list : locations().word_lists)
        if (!readable(list))
            throw MissingDataFile("missing word list " + list.string() +
                                  " (Debian's wamerican and wbritish install the default ones; word_lists in the "
                                  "configuration names others)");
}

}  // namespace mandala::data
