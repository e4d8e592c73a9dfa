#pragma once
// Snippets: the best-matching stretch of a passage with the query's terms highlighted, from
// Xapian's snippet generator (it marks stemmed forms and every expansion term of the query, since
// synonyms are part of the query it was given).
#include <xapian.h>

#include <string>
#include <string_view>

namespace mandala::search {

inline constexpr std::string_view kHighlightStart = "<mark>";
inline constexpr std::string_view kHighlightEnd = "</mark>";

// HTML-escaped text of at most about `length` bytes with matches wrapped in <mark>...</mark>.
std::string make_snippet(const Xapian::MSet& mset, const std::string& text, std::size_t length = 240);

}  // namespace mandala::search
