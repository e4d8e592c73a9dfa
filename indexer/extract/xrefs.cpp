#include "indexer/extract/xrefs.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "text/clean.h"
#include "text/unicode.h"

namespace mandala::indexer::extract {

namespace {

constexpr int kMaxListItems = 12;  // bare labels that may continue one arrow list

std::string_view gap(const std::string& text, std::size_t from, std::size_t to) {
    return std::string_view(text).substr(from, to - from);
}

bool only_list_punctuation(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == ',' || c == '.' || c == ';'; });
}

// A label ends a list item when what follows is punctuation, an arrow, a bracket or the end.
bool ends_list_item(const std::string& text, std::size_t end) {
    std::string_view rest = std::string_view(text).substr(end);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    if (rest.empty() || rest.starts_with(text::kArrow)) return true;
    char c = rest.front();
    return c == ',' || c == '.' || c == ';' || c == ')' || c == ':';
}

std::size_t first_token_at_or_after(const std::vector<text::Token>& tokens, std::size_t byte) {
    auto it = std::lower_bound(tokens.begin(), tokens.end(), byte,
                               [](const text::Token& t, std::size_t b) { return t.begin < b; });
    return static_cast<std::size_t>(it - tokens.begin());
}

CrossReference see_also(const std::string& text, const CategoryMatcher& c, const std::vector<text::Token>& tokens,
                        std::size_t evidence_begin, const PhraseHit& hit) {
    CrossReference x;
    x.kind = "see-also";
    x.target = c.ids[static_cast<std::size_t>(hit.payload)];
    std::size_t end = tokens[hit.last - 1].end;
    x.evidence = text.substr(evidence_begin, end - evidence_begin);
    return x;
}

// Labels that follow the arrow's label as bare list items, until something else comes.
void continue_list(const std::string& text, const std::vector<text::Token>& tokens,
                   const std::vector<std::string>& keys, const CategoryMatcher& c, PhraseHit hit,
                   std::vector<CrossReference>& out) {
    for (int items = 0; items < kMaxListItems && hit.last < tokens.size(); ++items) {
        std::size_t next = hit.last;
        auto plain_gap = [&](std::size_t at) {
            return only_list_punctuation(gap(text, tokens[at - 1].end, tokens[at].begin));
        };
        if (!plain_gap(next)) return;
        if (tokens[next].folded == "and" || tokens[next].folded == "or") ++next;
        // An arrow in the gap starts its own reference; the arrow loop takes it.
        PhraseHit item;
        if (next >= tokens.size() || !plain_gap(next) || !c.labels.match_at(tokens, keys, text, next, item)) return;
        if (!ends_list_item(text, tokens[item.last - 1].end)) return;
        out.push_back(see_also(text, c, tokens, tokens[item.first].begin, item));
        hit = item;
    }
}

int roman_value(std::string_view s) {
    static constexpr std::array<std::string_view, 12> kRoman = {"i", "ii", "iii", "iv", "v", "vi",
                                                                "vii", "viii", "ix", "x", "xi", "xii"};
    auto it = std::find(kRoman.begin(), kRoman.end(), s);
    return it == kRoman.end() ? 0 : static_cast<int>(it - kRoman.begin()) + 1;
}

// "Chapter VI" and "chapter 6" compare alike: fold and turn roman numerals into digits.
std::string normalize_number(std::string_view folded_number) {
    int roman = roman_value(folded_number);
    return roman ? std::to_string(roman) : std::string(folded_number);
}

bool is_reference_word(std::string_view folded) {
    return folded == "chapter" || folded == "chapters" || folded == "annex" || folded == "section" ||
           folded == "sections" || folded == "part";
}

std::string singular(std::string_view word) {
    std::string w(word);
    if (w.ends_with("s")) w.pop_back();
    return w;
}

// The labels a section answers to: "chapter 6", "annex 1", "section 4.2"; top-level numbered
// sections also answer to "chapter N".
std::vector<std::string> section_labels(const Section& s, const text::Analyzer& analyzer) {
    auto tokens = analyzer.tokens(s.number.empty() ? s.heading : s.number);
    if (tokens.empty()) return {};
    const std::string& first = tokens[0].folded;
    if (tokens.size() >= 2 && is_reference_word(first))
        return {singular(first) + " " + normalize_number(tokens[1].folded)};
    if (s.number.empty() || !std::isdigit(static_cast<unsigned char>(first[0]))) return {};
    if (first.find('.') == std::string::npos) return {"section " + first, "chapter " + first};
    return {"section " + first};
}

}  // namespace

std::string CategoryMatcher::category_of_title(const std::string& title, const text::Analyzer& analyzer) const {
    auto tokens = analyzer.tokens(title);
    PhraseHit hit;
    if (!tokens.empty() && labels.match_at(tokens, title, 0, hit) && hit.last == tokens.size())
        return ids[static_cast<std::size_t>(hit.payload)];
    return {};
}

SectionIndex index_sections(const std::vector<Section>& sections, const text::Analyzer& analyzer) {
    SectionIndex index;
    for (const auto& s : sections)
        for (auto& label : section_labels(s, analyzer)) index.by_label.emplace(label, s.id);  // first wins
    return index;
}

std::vector<CrossReference> find_see_also(const std::string& text, const std::vector<text::Token>& tokens,
                                          const CategoryMatcher& categories) {
    std::vector<CrossReference> out;
    if (text.find(text::kArrow) == std::string::npos) return out;
    const auto keys = token_keys(tokens);
    for (std::size_t arrow = text.find(text::kArrow); arrow != std::string::npos;
         arrow = text.find(text::kArrow, arrow + text::kArrow.size())) {
        std::size_t at = first_token_at_or_after(tokens, arrow + text::kArrow.size());
        if (at < tokens.size() && tokens[at].folded == "the") ++at;
        PhraseHit hit;
        if (at >= tokens.size() || !categories.labels.match_at(tokens, keys, text, at, hit)) continue;
        out.push_back(see_also(text, categories, tokens, arrow, hit));
        continue_list(text, tokens, keys, categories, hit, out);
    }
    return out;
}

std::vector<CrossReference> find_internal_references(const std::string& text,
                                                     const std::vector<text::Token>& tokens,
                                                     const SectionIndex& sections) {
    std::vector<CrossReference> out;
    for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
        if (!is_reference_word(tokens[i].folded)) continue;
        const auto& number = tokens[i + 1];
        bool numeric = std::isdigit(static_cast<unsigned char>(number.folded[0])) != 0;
        if (!numeric && roman_value(number.folded) == 0) continue;
        std::string label = singular(tokens[i].folded) + " " + normalize_number(number.folded);
        bool after_see = i > 0 && tokens[i - 1].folded == "see";
        auto found = sections.by_label.find(label);
        int target = found == sections.by_label.end() ? -1 : found->second;
        if (target < 0 && !after_see) continue;
        std::size_t begin = after_see ? tokens[i - 1].begin : tokens[i].begin;
        CrossReference x;
        x.kind = "internal";
        x.target = text.substr(tokens[i].begin, number.end - tokens[i].begin);
        x.target_section = target;
        x.evidence = text.substr(begin, number.end - begin);
        out.push_back(std::move(x));
        ++i;
    }
    return out;
}

std::vector<CrossReference> find_footnote_citations(const SegmentedDocument& doc) {
    std::vector<CrossReference> out;
    for (std::size_t p = 0; p < doc.passages.size(); ++p) {
        for (int number : doc.passages[p].cited_footnotes) {
            CrossReference x;
            x.passage = static_cast<int>(p);
            x.kind = "footnote";
            x.target = std::to_string(number);
            x.evidence = x.target;
            // The footnote is the first one with that number after the citing passage (numbers
            // can restart per chapter), else any earlier one.
            auto matches = [&](const Passage& f) { return f.footnote_number && *f.footnote_number == number; };
            auto after = std::find_if(doc.passages.begin() + static_cast<long>(p), doc.passages.end(), matches);
            auto found = after != doc.passages.end() ? after : std::find_if(doc.passages.begin(), doc.passages.end(), matches);
            if (found != doc.passages.end()) x.target_passage = found->id;
            out.push_back(std::move(x));
        }
    }
    return out;
}

}  // namespace mandala::indexer::extract
