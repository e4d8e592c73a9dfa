#pragma once
// Small helpers shared inside search/: the per-thread analyzer and the data folder.
#include <filesystem>

#include "text/analyzer.h"

namespace mandala::search {

// The text pipeline of text/ (ICU iterators are per thread, so one analyzer per thread).
inline const text::Analyzer& analyzer() {
    thread_local text::Analyzer a;
    return a;
}

// search/data: $MANDALA_SEARCH_DATA_DIR when set, else the folder of the source tree.
inline std::filesystem::path default_data_dir() {
    if (const char* dir = std::getenv("MANDALA_SEARCH_DATA_DIR"); dir && *dir) return dir;
    return std::filesystem::path(MANDALA_SOURCE_DIR) / "search" / "data";
}

}  // namespace mandala::search
