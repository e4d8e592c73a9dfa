#pragma once
// ICU-backed Unicode helpers shared by indexing and querying: both sides must fold the same way.
#include <string>
#include <string_view>

namespace mandala::text {

// True when `s` is well-formed UTF-8.
bool is_valid_utf8(std::string_view s);

// Replaces ill-formed sequences with U+FFFD so later stages can rely on valid UTF-8.
std::string repair_utf8(std::string_view s);

// Unicode NFKC composition (ligatures, full-width forms and superscripts become plain letters).
std::string nfkc(std::string_view s);

// Case folding plus removal of diacritics: "Côte d'Ivoire" and "COTE D'IVOIRE" fold alike.
std::string fold(std::string_view s);

// Number of Unicode code points in valid UTF-8.
std::size_t code_points(std::string_view s);

}  // namespace mandala::text
