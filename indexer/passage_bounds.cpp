#include "indexer/passage_bounds.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/utext.h>

#include <algorithm>
#include <memory>

namespace mandala::indexer {
namespace {

struct UTextClose {
    void operator()(UText* t) const { utext_close(t); }
};

// Sentence boundaries as byte offsets (ICU reads UTF-8 natively through UText), 0 and size
// included; only 0 and size when ICU cannot run.
std::vector<std::size_t> sentence_boundaries(std::string_view text) {
    std::vector<std::size_t> out{0};
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<UText, UTextClose> ut(
        utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status));
    std::unique_ptr<icu::BreakIterator> it(icu::BreakIterator::createSentenceInstance(icu::Locale::getEnglish(), status));
    if (U_SUCCESS(status)) it->setText(ut.get(), status);
    if (U_SUCCESS(status))
        for (int32_t b = it->next(); b != icu::BreakIterator::DONE; b = it->next())
            out.push_back(static_cast<std::size_t>(b));
    if (out.back() != text.size()) out.push_back(text.size());
    return out;
}

bool is_continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Where to end a piece that starts at `start` and may reach `max_end`.
std::size_t cut_point(std::string_view text, const std::vector<std::size_t>& sentences, std::size_t start,
                      std::size_t max_end) {
    auto it = std::upper_bound(sentences.begin(), sentences.end(), max_end);
    if (it != sentences.begin() && *std::prev(it) > start) return *std::prev(it);
    const std::size_t space = text.substr(start, max_end - start).rfind(' ');
    if (space != std::string_view::npos && space > 0) return start + space + 1;
    std::size_t end = max_end;
    while (end > start + 1 && is_continuation_byte(text[end])) --end;
    return end;
}

}  // namespace

std::vector<std::pair<std::size_t, std::size_t>> bounded_pieces(std::string_view text, std::size_t limit) {
    if (text.size() <= limit || limit < 8) return {{0, text.size()}};
    const std::vector<std::size_t> sentences = sentence_boundaries(text);
    std::vector<std::pair<std::size_t, std::size_t>> pieces;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = text.size() - start <= limit ? text.size() : cut_point(text, sentences, start, start + limit);
        std::size_t trimmed = end;
        while (trimmed > start && (text[trimmed - 1] == ' ' || text[trimmed - 1] == '\n')) --trimmed;
        if (trimmed > start) pieces.emplace_back(start, trimmed);
        start = end;
        while (start < text.size() && (text[start] == ' ' || text[start] == '\n')) ++start;
    }
    return pieces;
}

}  // namespace mandala::indexer
