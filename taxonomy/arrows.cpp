#include "taxonomy/arrows.h"

#include <algorithm>
#include <map>

#include "taxonomy/json_util.h"
#include "taxonomy/sources.h"
#include "text/analyzer.h"
#include "text/clean.h"

namespace mandala::taxonomy {
namespace {

std::vector<std::string> stems_of(std::string_view s, const text::Analyzer& analyzer) {
    std::vector<std::string> out;
    for (const auto& t : analyzer.tokens(s)) out.push_back(t.stem);
    return out;
}

// Tokens that may separate two labels of one see-also list.
bool is_list_joiner(std::string_view folded) { return folded == "and" || folded == "or" || folded == "as" || folded == "well"; }

// Only punctuation and spaces between two tokens: a list separator, not running text.
bool only_separators(std::string_view gap) {
    return std::all_of(gap.begin(), gap.end(), [](char c) {
        return c == ' ' || c == ',' || c == '.' || c == ';' || c == '*' || c == '_';
    });
}

// Extraction leaves LaTeX and emphasis debris inside labels ("Rule$ of Law").
std::string without_markup(std::string_view s) {
    std::string out;
    for (char c : s)
        if (c != '$' && c != '*' && c != '_') out += c;
    return out;
}

std::size_t first_token_at(const std::vector<text::Token>& tokens, std::size_t byte) {
    return static_cast<std::size_t>(std::lower_bound(tokens.begin(), tokens.end(), byte,
                                                     [](const text::Token& t, std::size_t b) { return t.begin < b; }) -
                                    tokens.begin());
}

// Byte offsets just after each arrow, and after a dash that stands for one ("see also – Police").
// LaTeX arrows that text::canonicalize_arrows does not know yet ("\longrightarrow") count too.
std::vector<std::size_t> arrow_targets(std::string_view s) {
    std::vector<std::size_t> out;
    for (std::string_view marker : {text::kArrow, std::string_view("\u2013 "), std::string_view("\\longrightarrow"),
                                    std::string_view("\\Longrightarrow"), std::string_view("\\Rightarrow")}) {
        for (std::size_t pos = s.find(marker); pos != std::string_view::npos; pos = s.find(marker, pos + 1))
            out.push_back(pos + marker.size());
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::map<std::string, std::string> glossary_section_categories(const Taxonomy& taxonomy, const std::string& doc) {
    std::map<std::string, std::string> out;
    for (const auto& c : taxonomy.categories)
        for (const auto& e : c.exemplars)
            if (e.doc == doc) out[heading_key(e.section)] = c.id;
    return out;
}

}  // namespace

LabelMatcher::LabelMatcher(const Taxonomy& taxonomy) {
    text::Analyzer analyzer;
    for (const auto& c : taxonomy.categories) {
        labels_.push_back({c.id, stems_of(c.pref_label, analyzer)});
        for (const auto& alt : c.alt_labels) labels_.push_back({c.id, stems_of(alt, analyzer)});
    }
    std::stable_sort(labels_.begin(), labels_.end(),
                     [](const Label& a, const Label& b) { return a.stems.size() > b.stems.size(); });
}

std::vector<ArrowLink> LabelMatcher::links(std::string_view from, std::string_view passage,
                                           const text::Analyzer& analyzer) const {
    auto tokens = analyzer.tokens(passage);
    auto label_at = [&](std::size_t i) -> const Label* {
        for (const auto& label : labels_) {
            if (i + label.stems.size() > tokens.size()) continue;
            bool equal = std::equal(label.stems.begin(), label.stems.end(), tokens.begin() + static_cast<long>(i),
                                    [](const std::string& s, const text::Token& t) { return s == t.stem; });
            if (equal) return &label;
        }
        return nullptr;
    };
    std::vector<ArrowLink> out;
    for (std::size_t target : arrow_targets(passage)) {
        bool continued = false;
        for (std::size_t i = first_token_at(tokens, target); i < tokens.size();) {
            if (continued && i > 0 && !only_separators(passage.substr(tokens[i - 1].end, tokens[i].begin - tokens[i - 1].end))) break;
            const Label* label = label_at(i);
            if (!label) break;
            std::size_t end = i + label->stems.size();
            std::string surface = without_markup(passage.substr(tokens[i].begin, tokens[end - 1].end - tokens[i].begin));
            if (label->category != from) out.push_back({std::string(from), label->category, surface, continued});
            continued = true;
            for (i = end; i < tokens.size() && is_list_joiner(tokens[i].folded);) ++i;
        }
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> related_from_arrows(const Taxonomy& taxonomy,
                                                                     std::string_view section_category,
                                                                     std::string_view passage_text) {
    static thread_local text::Analyzer analyzer;  // ICU objects are costly: one per thread
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& link : LabelMatcher(taxonomy).links(section_category, passage_text, analyzer))
        if (std::find(out.begin(), out.end(), std::pair{link.from, link.to}) == out.end())
            out.emplace_back(link.from, link.to);
    return out;
}

std::vector<std::pair<std::string, Related>> related_from_glossary(const Taxonomy& taxonomy,
                                                                   const std::filesystem::path& glossary) {
    const std::string doc = glossary.filename().string();
    auto categories = glossary_section_categories(taxonomy, doc);
    LabelMatcher matcher(taxonomy);
    text::Analyzer analyzer;
    std::map<std::pair<std::string, std::string>, std::string> found;
    for (const auto& p : split_source_text(json::read_file(glossary), doc)) {
        auto it = categories.find(p.section);
        if (it == categories.end()) continue;
        for (const auto& link : matcher.links(it->second, p.text, analyzer)) {
            std::string evidence = doc + ", " + p.section + ": " + std::string(text::kArrow) + " " + link.surface;
            found.emplace(std::pair{link.from, link.to}, evidence + (link.continued ? " (listed after an arrow)" : ""));
        }
    }
    std::vector<std::pair<std::string, Related>> out;
    for (const auto& [key, evidence] : found) out.push_back({key.first, Related{key.second, evidence}});
    return out;
}

}  // namespace mandala::taxonomy
