#include "taxonomy/sentences.h"

#include <unicode/brkiter.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <stdexcept>

namespace mandala::taxonomy {
namespace {

icu::BreakIterator& thread_sentence_iterator() {
    static thread_local std::unique_ptr<icu::BreakIterator> iterator = [] {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::BreakIterator> it(icu::BreakIterator::createSentenceInstance(icu::Locale::getEnglish(), status));
        if (U_FAILURE(status)) throw std::runtime_error("ICU sentence break iterator unavailable");
        return it;
    }();
    return *iterator;
}

// Byte offsets of ICU's sentence boundaries (UTF-16 indexes mapped back onto the UTF-8 text).
std::vector<std::size_t> icu_boundaries(std::string_view text) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    std::vector<std::size_t> byte_at(static_cast<std::size_t>(u.length()) + 1, text.size());
    std::size_t byte = 0;
    for (int32_t i = 0; i < u.length() && byte < text.size();) {
        UChar32 c = u.char32At(i);
        byte_at[static_cast<std::size_t>(i)] = byte;
        if (U16_LENGTH(c) == 2) byte_at[static_cast<std::size_t>(i) + 1] = byte;
        i += U16_LENGTH(c);
        byte += static_cast<std::size_t>(U8_LENGTH(c));
    }
    auto& it = thread_sentence_iterator();
    it.setText(u);
    std::vector<std::size_t> out;
    for (int32_t b = it.next(); b != icu::BreakIterator::DONE; b = it.next()) out.push_back(byte_at[static_cast<std::size_t>(b)]);
    return out;
}

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

// A list item starts here: a bullet character, or "(a)"/"(iv)"/"(3)" after a space.
bool list_item_at(std::string_view text, std::size_t i) {
    static constexpr std::array<std::string_view, 5> kBullets = {"\u2022", "\u25AA", "\u25CF", "\u25E6", "\u2023"};
    for (auto b : kBullets)
        if (text.substr(i).starts_with(b)) return true;
    if (text[i] != '(' || i == 0 || !is_space(text[i - 1])) return false;
    std::size_t close = text.find(')', i);
    if (close == std::string_view::npos || close - i > 5 || close == i + 1) return false;
    for (std::size_t k = i + 1; k < close; ++k)
        if (!std::isalnum(static_cast<unsigned char>(text[k]))) return false;
    return true;
}

// Breaks ICU does not make: before list items, after "; " and at line breaks before a dash item.
std::vector<std::size_t> list_boundaries(std::string_view text) {
    std::vector<std::size_t> out;
    for (std::size_t i = 1; i < text.size(); ++i) {
        if (list_item_at(text, i)) out.push_back(i);
        else if (text[i - 1] == ';' && is_space(text[i])) out.push_back(i + 1);
        else if (text[i - 1] == '\n' && (text[i] == '-' || text[i] == '*')) out.push_back(i);
    }
    return out;
}

}  // namespace

std::vector<SentenceSpan> split_sentences(std::string_view text) {
    if (text.empty()) return {};
    auto cuts = icu_boundaries(text);
    auto more = list_boundaries(text);
    cuts.insert(cuts.end(), more.begin(), more.end());
    cuts.push_back(text.size());
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    std::vector<SentenceSpan> out;
    std::size_t start = 0;
    for (std::size_t cut : cuts) {
        std::size_t b = start, e = std::min(cut, text.size());
        while (b < e && is_space(text[b])) ++b;
        while (e > b && is_space(text[e - 1])) --e;
        if (e > b) out.push_back({b, e});
        start = cut;
    }
    return out;
}

}  // namespace mandala::taxonomy
