#include "search/snippets.h"

#include <unordered_map>

#include "text/analyzer.h"
#include "text/unicode.h"

namespace mandala::search {
namespace {

// Xapian's English stemmer with a memory: the snippet generator stems every word of every hit's
// text, and a result page repeats the same few hundred words. Same stems, so same snippets.
class CachingStemmer : public Xapian::StemImplementation {
public:
    std::string operator()(const std::string& word) override {
        auto it = stems_.find(word);
        if (it != stems_.end()) return it->second;
        if (stems_.size() >= kMaxWords) stems_.clear();
        return stems_.emplace(word, english_(word)).first->second;
    }
    std::string get_description() const override { return "english (cached)"; }

private:
    static constexpr std::size_t kMaxWords = 100000;
    Xapian::Stem english_{"english"};
    std::unordered_map<std::string, std::string> stems_;
};

// Xapian marks every term of the query, so the function words of an expansion phrase
// ("disarmament, demobilization and reintegration" for DDR) were marked wherever they stood.
// Those marks are dropped: a stopword is never what made a passage match.
std::string unmark_stopwords(const std::string& snippet) {
    std::string out;
    out.reserve(snippet.size());
    std::size_t at = 0;
    for (;;) {
        const std::size_t open = snippet.find(kHighlightStart, at);
        const std::size_t close = open == std::string::npos ? open : snippet.find(kHighlightEnd, open + kHighlightStart.size());
        if (close == std::string::npos) break;
        const std::size_t word_at = open + kHighlightStart.size();
        const std::string_view word(snippet.data() + word_at, close - word_at);
        out.append(snippet, at, open - at);
        if (text::is_stopword(text::fold(word)))
            out.append(word);
        else
            out.append(snippet, open, close + kHighlightEnd.size() - open);
        at = close + kHighlightEnd.size();
    }
    out.append(snippet, at, std::string::npos);
    return out;
}

}  // namespace

std::string make_snippet(const Xapian::MSet& mset, const std::string& text, std::size_t length) {
    // One per thread: Xapian handles are reference-counted without atomics, so a shared one
    // corrupts its count when two requests make snippets at once; and the cache is not locked.
    thread_local const Xapian::Stem stemmer(new CachingStemmer);
    return unmark_stopwords(mset.snippet(text, length, stemmer, Xapian::MSet::SNIPPET_EXHAUSTIVE,
                                         std::string(kHighlightStart), std::string(kHighlightEnd), "…"));
}

}  // namespace mandala::search
