#pragma once
// Segmentation: normalized blocks -> section tree + passages + abbreviation pairs.
#include <string>
#include <string_view>

#include "indexer/model.h"

namespace mandala::indexer {

// Splits a normalized document into sections and passages. `meta` comes from the catalog
// (its kind decides, e.g., that ALL-CAPS sections of a glossary are glossary entries).
SegmentedDocument segment(NormalizedDocument doc, DocumentMeta meta);

// A heading recognised in a line of text, with its number and level.
struct HeadingMatch {
    std::string number;  // "4.3.5", "Chapter 4", "Annex 1", or empty
    std::string title;   // without number
    int level = 1;
};

// Numbered headings ("4.3.1 Operational Activities", "Chapter 4: ...", "Annex 1: ...", "ANNEX I").
bool match_numbered_heading(std::string_view line, HeadingMatch& out);

// ALL-CAPS headings ("HUMAN RIGHTS", "PROTECTION OF CIVILIANS (PoC)").
bool is_all_caps_heading(std::string_view line);

// The section kind of a heading title ("Challenges and Risks" -> "challenges-and-risks").
std::string section_kind_of(std::string_view title, std::string_view number);

// "INSTITUTIONAL CAPACITY BUILDING" -> "Institutional Capacity Building".
std::string title_case(std::string_view upper);

}  // namespace mandala::indexer
