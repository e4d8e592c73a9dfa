#include "search/spelling.h"

#include <cctype>
#include <fstream>

#include "text/data_files.h"
#include "text/unicode.h"

namespace mandala::search {
namespace fs = std::filesystem;

namespace {

bool ascii(std::string_view s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}

}  // namespace

EnglishWords::EnglishWords(const std::vector<fs::path>& files) {
    for (const auto& file : files) {
        std::ifstream in(file);
        std::string line;
        while (std::getline(in, line)) {
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (line.empty() || line.find('\'') != std::string::npos) continue;
            if (ascii(line)) {
                for (char& c : line) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                words_.insert(line);
            } else {
                words_.insert(text::fold(line));  // "café" is looked up as the query folds it
            }
        }
    }
}

const EnglishWords& EnglishWords::system() {
    static const EnglishWords words(data::locations().word_lists);
    return words;
}

namespace {

bool known_part(std::string_view part, const EnglishWords& english, const Xapian::Database& corpus) {
    if (part.size() < 3) return true;
    for (char c : part)
        if (std::isdigit(static_cast<unsigned char>(c))) return true;
    return english.contains(part) || corpus.term_exists(std::string(part));
}

}  // namespace

bool unknown_word(std::string_view folded, const EnglishWords& english, const Xapian::Database& corpus) {
    if (folded.size() < 3 || known_part(folded, english, corpus)) return false;
    if (folded.find('-') == std::string_view::npos) return true;
    // "peace-building": unknown only when a part is
    std::size_t i = 0;
    while (i <= folded.size()) {
        std::size_t j = folded.find('-', i);
        if (j == std::string_view::npos) j = folded.size();
        if (!known_part(folded.substr(i, j - i), english, corpus)) return true;
        i = j + 1;
    }
    return false;
}

std::string spelling_suggestion(const std::string& folded, const Xapian::Database& spelling) {
    const std::string s = spelling.get_spelling_suggestion(folded, 2);
    return s == folded ? std::string() : s;
}

}  // namespace mandala::search
