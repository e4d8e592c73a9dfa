#pragma once
// List items in passage text. A list passage holds one item per line, each line opening with a
// bullet and a space: the document's own bullet glyph when it typed one ("• ", "▪ ", "– ", or
// "? " where a bullet was lost to a wrong character set), so that a quote taken from the
// document matches the passage; "- " when the format marks items without a glyph (HTML <li>,
// Word numbering, Markdown's ASCII markers).
#include <array>
#include <cstddef>
#include <string_view>

namespace mandala::catalog {

// Bullets kept as written, besides "- ".
inline constexpr std::array<std::string_view, 19> kBulletGlyphs = {
    "\u2022", "\u25AA", "\u25CF", "\u00B7", "\u2013", "\u2014", "\u25E6", "\u25A0", "\u25A1", "\u25CB",
    "\u25BA", "\u25B8", "\u27A2", "\u2713", "\u2043", "\uF0B7", "\uF0A7", "?", "-"};

// Length of the bullet and its space opening an item line of a list passage, or 0.
inline std::size_t item_bullet(std::string_view line) {
    for (std::string_view glyph : kBulletGlyphs)
        if (line.size() > glyph.size() && line.starts_with(glyph) && line[glyph.size()] == ' ') return glyph.size() + 1;
    return 0;
}

}  // namespace mandala::catalog
