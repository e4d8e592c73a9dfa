#pragma once
// The one text pipeline for documents and queries: ICU word breaking -> folding -> stemming.
// The indexer, the tagger and the query parser all call it, so a query folds exactly like the
// text it must match.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mandala::text {

struct Token {
    std::string folded;      // case- and diacritic-folded surface form
    std::string stem;        // English stem of the folded form
    std::size_t begin = 0;   // byte offset in the analysed text
    std::size_t end = 0;     // byte offset one past the token
    bool is_number = false;
};

// Splits text into word tokens with ICU's word BreakIterator (punctuation and spaces dropped).
// Each token is folded and stemmed with Xapian's English stemmer.
class Analyzer {
public:
    Analyzer();
    ~Analyzer();
    Analyzer(const Analyzer&) = delete;
    Analyzer& operator=(const Analyzer&) = delete;

    std::vector<Token> tokens(std::string_view text) const;
    std::string stem(std::string_view folded_word) const;

private:
    struct Impl;
    Impl* impl_;
};

// True for the small English stop list used to ignore function words in matching.
bool is_stopword(std::string_view folded_word);

}  // namespace mandala::text
