#pragma once
// Character-level clean-up of one block of extracted text. Each function is pure and small;
// `clean_block` applies them in the order that matters (arrows before dashes, NFKC first).
#include <string>
#include <string_view>

namespace mandala::text {

// The canonical cross-reference marker that every noisy arrow form becomes.
inline constexpr std::string_view kArrow = "\u2192";  // →

// NFKC + arrows + dashes + emphasis + whitespace: what every reader's text goes through.
std::string clean_block(std::string_view raw, bool strip_markdown);

// `\rightarrow`, `-->`, `->>`, `—>`, `---)`, `(—)`, `(---)`, `--- Word`, `->` all become " → ".
std::string canonicalize_arrows(std::string_view s);

// Hyphen variants become '-', en/em/figure dashes and minus become '–'; soft hyphens vanish.
std::string normalize_dashes(std::string_view s);

// Every run of Unicode white space becomes one ASCII space; leading/trailing space is trimmed.
std::string collapse_whitespace(std::string_view s);

// Removes Markdown emphasis markers (`**bold**`, `*it*`, `__b__`, `_i_`) and inline HTML tags
// such as `<u>`, keeping the words.
std::string strip_markdown_emphasis(std::string_view s);

// Repairs words split at line ends inside a block: "demobili- zation" -> "demobilization",
// while suspended hyphens ("short- and long-term") are kept.
std::string dehyphenate(std::string_view s);

// Byte length of the superscript digit (¹, ², ⁴ ...) starting at byte `i` of `s`, or 0.
std::size_t superscript_digit_at(std::string_view s, std::size_t i);

// NFKC that leaves superscript digits alone: they mark footnotes and must stay recognisable.
std::string nfkc_keeping_superscripts(std::string_view s);

// True when the text ends a sentence (., !, ?, :, ; or a closing quote/bracket after one).
bool ends_sentence(std::string_view s);

// True when the first letter of `s` is lower case (a continuation of a split paragraph).
bool starts_lowercase(std::string_view s);

}  // namespace mandala::text
