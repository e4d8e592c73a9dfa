#include "search/snippets.h"

namespace mandala::search {

std::string make_snippet(const Xapian::MSet& mset, const std::string& text, std::size_t length) {
    // One per thread: Xapian handles are reference-counted without atomics, so a shared one
    // corrupts its count when two requests make snippets at once.
    static thread_local const Xapian::Stem stemmer("english");
    return mset.snippet(text, length, stemmer,
                        Xapian::MSet::SNIPPET_EXHAUSTIVE,
                        std::string(kHighlightStart), std::string(kHighlightEnd), "…");
}

}  // namespace mandala::search
