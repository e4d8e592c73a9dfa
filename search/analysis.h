#pragma once
// Small helpers shared inside search/: the per-thread analyzer and the data folder.
#include <filesystem>

#include "text/analyzer.h"
#include "text/data_files.h"

namespace mandala::search {

// The text pipeline of text/ (ICU iterators are per thread, so one analyzer per thread).
inline const text::Analyzer& analyzer() {
    thread_local text::Analyzer a;
    return a;
}

// The search data (the thesaurus) inside Mandala's data folder (text/data_files.h).
inline std::filesystem::path default_data_dir() { return data::file(data::kSearchDir); }

}  // namespace mandala::search
