#include "search/snippets.h"

#include <unordered_map>

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

}  // namespace

std::string make_snippet(const Xapian::MSet& mset, const std::string& text, std::size_t length) {
    thread_local const Xapian::Stem stemmer(new CachingStemmer);  // per thread: the cache is not locked
    return mset.snippet(text, length, stemmer,
                        Xapian::MSet::SNIPPET_EXHAUSTIVE,
                        std::string(kHighlightStart), std::string(kHighlightEnd), "…");
}

}  // namespace mandala::search
