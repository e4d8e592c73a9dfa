#pragma once
// "Did you mean": a query word is corrected only when it is unknown, that is neither an English
// word (the Debian word lists wamerican and wbritish, installed by scripts/setup) nor a word of
// the corpus. "learned", "reach" or "leaving" are never typos just because the corpus lacks them.
#include <xapian.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace mandala::search {

class EnglishWords {
public:
    EnglishWords() = default;
    // One word a line; case folded, possessives ("Africa's") skipped.
    explicit EnglishWords(const std::vector<std::filesystem::path>& files);
    // The configured word lists (text/data_files.h), read once per process. A list that is
    // missing is skipped: then only the corpus tells what a word is.
    static const EnglishWords& system();

    bool contains(std::string_view folded) const { return words_.count(std::string(folded)) > 0; }
    std::size_t size() const { return words_.size(); }

private:
    std::unordered_set<std::string> words_;
};

// Whether a folded query word may be a typo: three or more letters, no digit, and neither English
// nor in the corpus (every part of a hyphenated word checked on its own).
bool unknown_word(std::string_view folded, const EnglishWords& english, const Xapian::Database& corpus);

// The closest corpus word to an unknown word: Xapian's spelling data (every plain word the
// indexer saw, with its frequency), at most two edits away, the fewest edits first and then the
// most frequent; "" when none.
std::string spelling_suggestion(const std::string& folded, const Xapian::Database& spelling);

}  // namespace mandala::search
