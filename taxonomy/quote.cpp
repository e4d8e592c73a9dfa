#include "taxonomy/quote.h"

#include "text/clean.h"
#include "text/unicode.h"

namespace mandala::taxonomy {

std::string normalize_for_quote_match(std::string_view s) {
    std::string out;
    for (char c : text::nfkc(s))
        if (c != '*' && c != '_') out += c;
    // text::fold also strips diacritics; harmless here since both sides are folded alike.
    return text::collapse_whitespace(text::fold(out));
}

}  // namespace mandala::taxonomy
