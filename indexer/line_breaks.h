#pragma once
// Single line breaks in text files (and <br> in web pages): hard wraps or paragraph ends?
// Text is either wrapped to a width (every line nearly as long as the longest, most lines ending
// mid-sentence) or written one paragraph per line (lines of any length, ending sentences). The
// layout is measured over the whole document and, where the document gives too little evidence,
// over the block; then each break is decided from the lines on either side of it.
#include <vector>

#include "indexer/model.h"

namespace mandala::indexer {

// Splits paragraph and list-item blocks at the line breaks that end a paragraph; the lines of
// each resulting block are trimmed and still joined by '\n' (the hard wraps, which the cleaner
// folds). A list item's own continuation stays the item; text after its end becomes paragraphs.
std::vector<Block> split_line_paragraphs(std::vector<Block> blocks);

}  // namespace mandala::indexer
