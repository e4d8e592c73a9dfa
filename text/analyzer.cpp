#include "text/analyzer.h"

#include <unicode/brkiter.h>
#include <unicode/unistr.h>
#include <xapian.h>

#include <algorithm>
#include <array>
#include <memory>
#include <stdexcept>
#include <unordered_map>

#include "text/unicode.h"

namespace mandala::text {

struct Analyzer::Impl {
    std::unique_ptr<icu::BreakIterator> words;
    Xapian::Stem stemmer{"english"};
    // Stems already computed by this analyzer: a corpus repeats a few tens of thousands of
    // words, and the Snowball stemmer costs more than a look-up. Per instance, like the break
    // iterator, so no locking; emptied when it grows past kMaxCachedStems (odd inputs).
    std::unordered_map<std::string, std::string> stems;
    static constexpr std::size_t kMaxCachedStems = 200000;

    const std::string& stem(const std::string& folded) {
        auto it = stems.find(folded);
        if (it != stems.end()) return it->second;
        if (stems.size() >= kMaxCachedStems) stems.clear();
        return stems.emplace(folded, stemmer(folded)).first->second;
    }
};

Analyzer::Analyzer() : impl_(new Impl) {
    UErrorCode status = U_ZERO_ERROR;
    impl_->words.reset(icu::BreakIterator::createWordInstance(icu::Locale::getEnglish(), status));
    if (U_FAILURE(status)) {
        delete impl_;
        throw std::runtime_error("ICU word break iterator unavailable");
    }
}

Analyzer::~Analyzer() { delete impl_; }

std::string Analyzer::stem(std::string_view folded_word) const {
    return impl_->stem(std::string(folded_word));
}

namespace {

// Maps UTF-16 indexes of ICU back to byte offsets of the UTF-8 input.
std::vector<std::size_t> utf16_to_byte_offsets(const icu::UnicodeString& u, std::string_view s) {
    std::vector<std::size_t> map(static_cast<std::size_t>(u.length()) + 1, s.size());
    std::size_t byte = 0;
    int32_t i = 0;
    while (i < u.length() && byte < s.size()) {
        map[static_cast<std::size_t>(i)] = byte;
        UChar32 c = u.char32At(i);
        int32_t units = U16_LENGTH(c);
        if (units == 2) map[static_cast<std::size_t>(i) + 1] = byte;
        i += units;
        byte += static_cast<std::size_t>(U8_LENGTH(c));
    }
    return map;
}

bool has_letter_or_digit(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](unsigned char c) {
        return c >= 0x80 || std::isalnum(c);
    });
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

}  // namespace

std::vector<Token> Analyzer::tokens(std::string_view text) const {
    std::vector<Token> out;
    out.reserve(text.size() / 5 + 1);  // English runs at about six bytes a word
    icu::UnicodeString u =
        icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    auto offsets = utf16_to_byte_offsets(u, text);
    icu::BreakIterator& it = *impl_->words;
    it.setText(u);
    int32_t start = it.first();
    for (int32_t end = it.next(); end != icu::BreakIterator::DONE; start = end, end = it.next()) {
        if (it.getRuleStatus() == UBRK_WORD_NONE) continue;
        Token t;
        t.begin = offsets[static_cast<std::size_t>(start)];
        t.end = offsets[static_cast<std::size_t>(end)];
        std::string_view surface = text.substr(t.begin, t.end - t.begin);
        if (!has_letter_or_digit(surface)) continue;
        t.folded = fold(surface);
        // Possessives fold onto the noun: "mission's" matches "mission".
        if (t.folded.size() > 2 && t.folded.ends_with("'s")) t.folded.resize(t.folded.size() - 2);
        t.is_number = all_digits(t.folded);
        t.stem = t.is_number ? t.folded : impl_->stem(t.folded);
        out.push_back(std::move(t));
    }
    return out;
}

bool is_stopword(std::string_view w) {
    static constexpr std::array<std::string_view, 48> kStop = {
        "a",    "an",   "and",  "are",  "as",   "at",   "be",    "been", "but",   "by",    "for",  "from",
        "had",  "has",  "have", "he",   "her",  "his",  "if",    "in",   "into",  "is",    "it",   "its",
        "of",   "on",   "or",   "our",  "she",  "so",   "such",  "than", "that",  "the",   "their", "them",
        "then", "there", "these", "they", "this", "to",  "was",   "were", "which", "will",  "with", "would"};
    return std::binary_search(kStop.begin(), kStop.end(), w);
}

}  // namespace mandala::text
