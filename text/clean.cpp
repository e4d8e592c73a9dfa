#include "text/clean.h"

#include <array>
#include <cctype>
#include <utility>

#include "text/unicode.h"

namespace mandala::text {
namespace {

void replace_all(std::string& s, std::string_view from, std::string_view to) {
    if (from.empty()) return;
    std::size_t pos = 0;
    while ((pos = s.find(from, pos)) != std::string::npos) {
        s.replace(pos, from.size(), to);
        pos += to.size();
    }
}

bool is_upper_ascii(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower_ascii(char c) { return c >= 'a' && c <= 'z'; }
bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || (c & 0x80); }

// A '$' glued to the end of a word ("Rule$ of Law") is a LaTeX math delimiter left by a converter;
// currency signs stand before digits and stay.
std::string drop_math_delimiters(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const bool after_word = i > 0 && std::isalpha(static_cast<unsigned char>(s[i - 1]));
        const bool before_digit = i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1]));
        if (s[i] == '$' && after_word && !before_digit) continue;
        out += s[i];
    }
    return out;
}

}  // namespace

std::string canonicalize_arrows(std::string_view in) {
    std::string s(in);
    // Longest forms first so that "-->" is not read as "-" + "->".
    static constexpr std::array<std::string_view, 17> kForms = {
        "$\\longrightarrow", "$\\rightarrow", "\\longrightarrow", "\\rightarrow", "(---)", "---)", "(\u2014)", "(\u2013)", "\u2014>", "\u2013>", "-->",
        "->>", "->", "\u27F6", "\u21D2", "\u2794", "\u279D"};
    const std::string marker = " " + std::string(kArrow) + " ";
    for (auto form : kForms) replace_all(s, form, marker);
    // A bare "---" (or em-dash run) standing before a capitalised word is an arrow too.
    std::size_t pos = 0;
    while ((pos = s.find("--- ", pos)) != std::string::npos) {
        std::size_t next = pos + 4;
        if (next < s.size() && is_upper_ascii(s[next]))
            s.replace(pos, 4, marker);
        else
            pos += 4;
    }
    replace_all(s, std::string(kArrow) + " " + std::string(kArrow), std::string(kArrow));
    return drop_math_delimiters(s);
}

std::string normalize_dashes(std::string_view in) {
    std::string s(in);
    replace_all(s, "\u00AD", "");  // soft hyphen
    for (auto h : {"\u2010", "\u2011"}) replace_all(s, h, "-");
    for (auto d : {"\u2012", "\u2014", "\u2015", "\u2212"}) replace_all(s, d, "\u2013");
    return s;
}

std::string collapse_whitespace(std::string_view in) {
    // Map the Unicode spaces that survive NFKC (NBSP becomes ' ' already) and tabs to ' '.
    std::string s(in);
    for (auto sp : {"\u2028", "\u2029", "\u200B", "\uFEFF", "\u3000"}) replace_all(s, sp, " ");
    std::string out;
    out.reserve(s.size());
    bool space = false;
    for (char c : s) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            space = true;
            continue;
        }
        if (static_cast<unsigned char>(c) < 0x20) continue;  // other control characters
        if (space && !out.empty()) out += ' ';
        space = false;
        out += c;
    }
    return out;
}

std::string strip_markdown_emphasis(std::string_view in) {
    std::string s(in);
    // Inline HTML tags that leak into text extracts (<u>, </u>, <em>, <br>).
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '<') {
            std::size_t close = s.find('>', i);
            std::size_t name = i + 1 + (i + 1 < s.size() && s[i + 1] == '/');
            if (close != std::string::npos && close - i <= 6 && name < close &&
                std::isalpha(static_cast<unsigned char>(s[name]))) {
                bool tag = true;
                for (std::size_t k = name; k < close; ++k)
                    if (!std::isalnum(static_cast<unsigned char>(s[k])) && s[k] != '/') tag = false;
                if (tag) {
                    i = close;
                    continue;
                }
            }
        }
        out += s[i];
    }
    s = std::move(out);
    replace_all(s, "**", "");
    replace_all(s, "__", "");
    // Single '*' or '_' that touch a word on one side only are emphasis marks, not content.
    out.clear();
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '*' || c == '_') {
            bool before = i > 0 && is_word_char(s[i - 1]);
            bool after = i + 1 < s.size() && is_word_char(s[i + 1]);
            if (before != after || (!before && !after)) continue;
        }
        out += c;
    }
    return out;
}

std::string dehyphenate(std::string_view in) {
    std::string s(in);
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        // "xx- yy": a hyphen followed by a space, between lower-case letters.
        if (s[i] == '-' && i > 0 && is_lower_ascii(s[i - 1]) && i + 2 < s.size() && s[i + 1] == ' ' &&
            is_lower_ascii(s[i + 2])) {
            std::size_t end = i + 2;
            while (end < s.size() && is_lower_ascii(s[end])) ++end;
            std::string_view next(s.data() + i + 2, end - i - 2);
            if (next == "and" || next == "or" || next == "to" || next == "nor") {
                out += s[i];
                continue;  // suspended hyphen: "short- and long-term"
            }
            out += '-';  // compound broken at a line end keeps its hyphen: "self- defence"
            ++i;         // drop the space
            continue;
        }
        out += s[i];
    }
    return out;
}

bool ends_sentence(std::string_view s) {
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    if (s.empty()) return true;
    // Skip closing quotes, brackets and footnote superscript digits (already NFKC'd to ASCII digits
    // only when they follow punctuation: "violence.¹⁹" -> "violence.19").
    std::size_t i = s.size();
    auto strip_suffix = [&](std::string_view suffix) {
        if (i >= suffix.size() && s.substr(i - suffix.size(), suffix.size()) == suffix) {
            i -= suffix.size();
            return true;
        }
        return false;
    };
    bool changed = true;
    while (changed && i > 0) {
        changed = false;
        for (auto q : {"\"", "'", ")", "]", "\u201D", "\u2019", "*"})
            if (strip_suffix(q)) changed = true;
        while (i > 0) {
            std::size_t back = i >= 3 && superscript_digit_at(s, i - 3) == 3 ? 3
                               : i >= 2 && superscript_digit_at(s, i - 2) == 2 ? 2 : 0;
            if (!back) break;
            i -= back;
            changed = true;
        }
        while (i > 1 && std::isdigit(static_cast<unsigned char>(s[i - 1])) &&
               (s[i - 2] == '.' || s[i - 2] == ';' || std::isdigit(static_cast<unsigned char>(s[i - 2])))) {
            --i;
            changed = true;
        }
    }
    if (i == 0) return true;
    char c = s[i - 1];
    return c == '.' || c == '!' || c == '?' || c == ':' || c == ';';
}

bool starts_lowercase(std::string_view s) {
    for (char c : s) {
        if (c == ' ' || c == '"' || c == '(' || c == '\'') continue;
        return is_lower_ascii(c);
    }
    return false;
}

std::size_t superscript_digit_at(std::string_view s, std::size_t i) {
    // ¹ ² ³ are Latin-1 (2 bytes); ⁰ ⁴-⁹ are U+2070.. (3 bytes).
    if (i + 1 < s.size() && s[i] == '\xC2' && (s[i + 1] == '\xB9' || s[i + 1] == '\xB2' || s[i + 1] == '\xB3'))
        return 2;
    if (i + 2 < s.size() && s[i] == '\xE2' && s[i + 1] == '\x81' &&
        (s[i + 2] == '\xB0' || (s[i + 2] >= '\xB4' && s[i + 2] <= '\xB9')))
        return 3;
    return 0;
}

std::string nfkc_keeping_superscripts(std::string_view s) {
    // Superscript digits are footnote markers; NFKC would turn "violence.¹⁹" into "violence.19".
    std::string out;
    std::size_t piece = 0;
    for (std::size_t i = 0; i < s.size();) {
        if (std::size_t n = superscript_digit_at(s, i)) {
            out += nfkc(s.substr(piece, i - piece));
            out.append(s.substr(i, n));
            i += n;
            piece = i;
        } else {
            ++i;
        }
    }
    out += nfkc(s.substr(piece));
    return out;
}

std::string clean_block(std::string_view raw, bool strip_markdown) {
    std::string s = nfkc_keeping_superscripts(repair_utf8(raw));
    s = canonicalize_arrows(s);
    s = normalize_dashes(s);
    if (strip_markdown) s = strip_markdown_emphasis(s);
    s = collapse_whitespace(s);
    return dehyphenate(s);
}

}  // namespace mandala::text
