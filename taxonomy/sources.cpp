#include "taxonomy/sources.h"

#include <cctype>

#include "taxonomy/tagger.h"
#include "text/clean.h"

namespace mandala::taxonomy {
namespace {

std::vector<std::string> blank_line_blocks(std::string_view raw) {
    std::vector<std::string> blocks;
    std::string current;
    std::size_t pos = 0;
    while (pos <= raw.size()) {
        std::size_t end = raw.find('\n', pos);
        if (end == std::string_view::npos) end = raw.size();
        std::string_view line = raw.substr(pos, end - pos);
        bool blank = line.find_first_not_of(" \t\r") == std::string_view::npos;
        if (blank && !current.empty()) blocks.push_back(std::move(current)), current.clear();
        if (!blank) current += (current.empty() ? "" : "\n") + std::string(line);
        pos = end + 1;
    }
    if (!current.empty()) blocks.push_back(std::move(current));
    return blocks;
}

bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// "4.6 Output: ..." -> "4.6"; empty when the line is not a numbered heading. Table-of-contents
// lines (dot leaders) are not headings.
std::string heading_number(std::string_view line) {
    if (line.size() > 160 || line.find("....") != std::string_view::npos) return {};
    std::size_t i = 0;
    bool dotted = false;
    while (i < line.size() && (is_digit(line[i]) || (line[i] == '.' && i > 0))) dotted |= line[i++] == '.';
    if (!dotted || i >= line.size() || line[i] != ' ' || line[i - 1] == '.') return {};
    if (i + 1 >= line.size() || !std::isupper(static_cast<unsigned char>(line[i + 1]))) return {};
    return std::string(line.substr(0, i));
}

// ALL-CAPS outside parentheses ("PROTECTION OF CIVILIANS (PoC)"), short, one line.
bool is_caps_heading(std::string_view line) {
    if (line.size() > 90 || line.find('\n') != std::string_view::npos) return false;
    int depth = 0, upper = 0;
    for (char c : line) {
        if (c == '(') ++depth;
        if (c == ')') --depth;
        if (depth > 0 || !std::isalpha(static_cast<unsigned char>(c))) continue;
        if (std::islower(static_cast<unsigned char>(c))) return false;
        ++upper;
    }
    return upper >= 4;
}

bool is_footnote(std::string_view block) {
    if (!block.empty() && is_digit(block[0])) {
        std::size_t i = 0;
        while (i < block.size() && is_digit(block[i])) ++i;
        return i < block.size() && block[i] == ' ' && i <= 3;
    }
    return text::superscript_digit_at(block, 0) > 0;
}

// Page breaks split paragraphs; a block starting in lower case continues the previous one.
bool continues_previous(const std::vector<SourcePassage>& out, std::string_view block) {
    return !out.empty() && !out.back().footnote && text::starts_lowercase(block);
}

// Joined as the indexer hands headings to the tagger, so training and indexing read the same.
std::string numbered_heading_path(const std::vector<std::pair<std::string, std::string>>& numbered) {
    std::vector<std::string> lines;
    for (const auto& [number, line] : numbered) lines.push_back(line);
    return heading_path(lines);
}

}  // namespace

std::string heading_key(std::string_view heading) {
    std::string out;
    for (char c : text::collapse_whitespace(heading)) {
        if (c == '*' || c == '_') continue;
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return text::collapse_whitespace(out);
}

bool section_matches(std::string_view section, std::string_view declared) {
    if (section == declared) return true;
    if (declared.empty() || !is_digit(declared[0])) return heading_key(section) == heading_key(declared);
    return section.size() > declared.size() && section.starts_with(declared) && section[declared.size()] == '.';
}

std::vector<SourcePassage> split_source_text(std::string_view raw, const std::string& doc) {
    std::vector<SourcePassage> out;
    std::string section = "front", heading;
    std::vector<std::pair<std::string, std::string>> numbered;  // open numbered headings, outermost first
    for (const auto& block : blank_line_blocks(raw)) {
        std::string first_line = block.substr(0, block.find('\n'));
        if (auto number = heading_number(first_line); !number.empty() && block.find('\n') == std::string::npos) {
            while (!numbered.empty() && !section_matches(number, numbered.back().first)) numbered.pop_back();
            numbered.emplace_back(number, first_line);
            section = number, heading = numbered_heading_path(numbered);
        } else if (first_line.starts_with("ANNEX")) {
            section = "annex", heading = first_line, numbered.clear();
        } else if (is_caps_heading(block)) {
            section = heading_key(block), heading = block, numbered.clear();
        } else if (continues_previous(out, block)) {
            out.back().text += " " + text::clean_block(block, true);
        } else {
            out.push_back({doc, section, heading, text::clean_block(block, true), is_footnote(block)});
        }
    }
    return out;
}

}  // namespace mandala::taxonomy
