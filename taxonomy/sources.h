#pragma once
// A deliberately simple reading of the plain-text corpus files, used to gather training
// exemplars and glossary cross-references without depending on the indexer (which itself
// depends on this library). Paragraphs are blank-line separated; headings are numbered lines
// ("4.6 Output: ..."), ANNEX lines, or ALL-CAPS glossary headings.
#include <string>
#include <string_view>
#include <vector>

#include "taxonomy/taxonomy.h"

namespace mandala::taxonomy {

struct SourcePassage {
    std::string doc;
    std::string section;  // "front", "4.6.1", "annex" or a glossary heading ("HUMAN RIGHTS")
    std::string heading;  // heading path as written ("4.4 Output: ... › 4.4.3 ..."), empty for "front"
    std::string text;     // cleaned text (text::clean_block)
    bool footnote = false;
};

std::vector<SourcePassage> split_source_text(std::string_view raw, const std::string& doc);

// True when a passage of `section` falls under an exemplar declared for section `declared`:
// equal keys, or a sub-section number ("4.6.1" under "4.6", "1.2" under "1").
bool section_matches(std::string_view section, std::string_view declared);

// Glossary headings compare without emphasis marks, case and spacing differences.
std::string heading_key(std::string_view heading);

}  // namespace mandala::taxonomy
