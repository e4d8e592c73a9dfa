#pragma once
// Hand-written scanners over one passage: each is linear in the text and never backtracks, so
// malformed input (unbalanced parentheses, endless capitals, dangling arrows) costs no more than
// clean input.
#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

#include "indexer/model.h"
#include "text/analyzer.h"

namespace mandala::indexer::extract {

using ByteRange = std::pair<std::size_t, std::size_t>;

// Resolutions: "resolution 1894 (2009)", "resolutions 1325 (2000), 1612 (2005) and 1820 (2008)",
// "S/RES/2100 (2013)". Adds to `numbers` the byte ranges of resolution numbers (not years).
std::vector<EntityMention> find_resolutions(std::string_view text, const std::vector<text::Token>& tokens,
                                            std::vector<ByteRange>& numbers);

// UN document symbols: "A/63/881-S/2009/304", "A/64/19", "S/PRST/2009/1" (not S/RES/...).
std::vector<EntityMention> find_document_symbols(std::string_view text);

// Years from 1945 to `last_year`, ranges ("1998 - 99", "2005 – 2007") expanded to each year.
// Tokens inside `excluded` (resolution numbers, document symbols) are not years.
std::vector<EntityMention> find_years(std::string_view text, const std::vector<text::Token>& tokens,
                                      const std::vector<ByteRange>& excluded, int last_year);

}  // namespace mandala::indexer::extract
