#pragma once
// Normalization of a read document: clean text per block (text/), then document-level repairs
// that need to see neighbouring blocks: page furniture removal and re-joining of paragraphs
// split by page breaks.
#include "indexer/model.h"

namespace mandala::indexer {

NormalizedDocument normalize(RawDocument raw);

// A short paragraph line not ending a sentence: page furniture when it recurs three times or more
// (a running header of a paginated document is dropped here; a headline a web page repeats is
// kept out of passages by the segmenter, which still reads the missions it names).
bool is_furniture_candidate(const Block& b);
constexpr int kRunningLineRepeats = 3;

// True for lines that are only a page number ("12", "- 12 -", "Page 12", "xii").
bool is_page_number(std::string_view line);

// True when the block starts like a footnote: superscript digits, or 1-3 digits and a space
// before a capitalised word ("19 For additional ...").
bool looks_like_footnote(std::string_view text);

}  // namespace mandala::indexer
