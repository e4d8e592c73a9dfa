#pragma once
// Bounded passages: a search answer, a passage page and a pack item hold whole passages, so no
// passage may grow without limit (a one-line file of megabytes would otherwise be one passage).
#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

namespace mandala::indexer {

// Largest passage text in bytes: a long paragraph of a report is 1-2 KB.
inline constexpr std::size_t kMaxPassageBytes = 4096;

// Byte ranges [begin, end) that cover `text` in order, each at most `limit` bytes, cut at
// sentence ends (ICU), failing that after a space, failing that at a character boundary.
// Spaces at a cut belong to no range. A text within the limit is one range.
std::vector<std::pair<std::size_t, std::size_t>> bounded_pieces(std::string_view text,
                                                                 std::size_t limit = kMaxPassageBytes);

}  // namespace mandala::indexer
