#include "search/snippets.h"

namespace mandala::search {

std::string make_snippet(const Xapian::MSet& mset, const std::string& text, std::size_t length) {
    static const Xapian::Stem stemmer("english");
    return mset.snippet(text, length, stemmer,
                        Xapian::MSet::SNIPPET_EXHAUSTIVE,
                        std::string(kHighlightStart), std::string(kHighlightEnd), "…");
}

}  // namespace mandala::search
