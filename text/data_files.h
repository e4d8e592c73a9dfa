#pragma once
// Where Mandala's own data files live: the taxonomy and its model, the mission registry and
// gazetteer, the search thesaurus, the document catalog and the web page. Installed, they are in
// share/mandala beside the program's bin/ (the build tree mirrors that layout in
// <build>/share/mandala); the command line may name another folder (`--data-dir`,
// MANDALA_DATA_DIR, the configuration file). The folder is set once, before any work starts, and
// a file missing from it is an error naming the file, never a silent downgrade.
#include <filesystem>
#include <string_view>
#include <vector>

#include "text/errors.h"

namespace mandala::data {

// A data file Mandala needs is missing or unreadable. The command line exits with status 2.
class MissingDataFile : public InputError {
public:
    using InputError::InputError;
};

// The folders and files inside the data folder.
inline constexpr std::string_view kTaxonomyDir = "taxonomy";      // task-categories.json, model.json
inline constexpr std::string_view kRegistryDir = "registry";      // missions, organizations, places
inline constexpr std::string_view kSearchDir = "search";          // thesaurus.json
inline constexpr std::string_view kWebDir = "web";                // the static web page
inline constexpr std::string_view kCatalogFile = "corpus/catalog.json";

// What the process reads from outside the index: the data folder, and the English word lists that
// tell a correctly spelled word from a typo (system files, from Debian's wamerican and wbritish).
struct Locations {
    std::filesystem::path dir;
    std::vector<std::filesystem::path> word_lists;
};

// The data folder of an installed program: <folder of the executable>/../share/mandala.
std::filesystem::path installed_dir();
// The word lists when nothing else is configured.
std::vector<std::filesystem::path> default_word_lists();

// Sets the locations for the whole process; call before any thread starts. Until it is called,
// installed_dir() and default_word_lists() are used.
void configure(Locations locations);
const Locations& locations();
inline const std::filesystem::path& dir() { return locations().dir; }

// dir() / relative, checked: MissingDataFile naming the path when it is not a readable file or folder.
std::filesystem::path file(std::string_view relative);

// Every data file the program needs, relative to dir().
const std::vector<std::string_view>& required_files();
// Checks every required file at once, so a broken installation fails at start with a clear message.
void check_required();

}  // namespace mandala::data
