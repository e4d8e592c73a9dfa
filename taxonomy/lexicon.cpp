#include "taxonomy/lexicon.h"

#include <algorithm>
#include <cctype>

#include "taxonomy/clauses.h"
#include "text/unicode.h"

namespace mandala::taxonomy {
namespace {

std::string plural_stripped(std::string_view surface) {
    if (surface.size() > 2 && surface.back() == 's') return std::string(surface.substr(0, surface.size() - 1));
    return std::string(surface);
}

// The stemmer conflates words of different meaning ("government"/"governance",
// "stability"/"stabilize", "account"/"accountable"). Inflections of one word differ only in the
// last letter of the shorter one and by at most three letters of the longer ("elections" /
// "election", "monitoring" / "monitor"), so a stem match also asks for that; forms that differ
// more ("demobilized" / "demobilization") are listed as terms of their own. Tuned on the dev
// sets: the looser "all but two letters" let "stability" fire "stabilize" (untagged 0.69 -> 0.74).
bool same_word_family(std::string_view a, std::string_view b) {
    std::size_t shorter = std::min(a.size(), b.size());
    std::size_t common = 0;
    while (common < shorter && a[common] == b[common]) ++common;
    std::size_t longer = std::max(a.size(), b.size());
    return common + 1 >= shorter && common + 3 >= longer;
}

// A term followed by "mission", "office" or "operation" is part of a name ("the Verification
// Mission", "the rule of law mission", "the Electoral Assistance Office"): it says what kind of
// body is meant, not that the sentence gives it that task, so it counts as a support term.
bool names_an_office(std::span<const text::Token> tokens, std::size_t last) {
    if (last + 1 >= tokens.size()) return false;
    const std::string& next = tokens[last + 1].folded;
    return next == "mission" || next == "missions" || next == "office" || next == "operation";
}

bool capitalised(std::string_view text, const text::Token& t) {
    return t.end > t.begin && std::isupper(static_cast<unsigned char>(text[t.begin]));
}

bool name_glue(const text::Token& t) {
    return t.folded == "of" || t.folded == "for" || t.folded == "in" || t.folded == "and" || t.folded == "the";
}

// A term inside the proper name of a body an organisation owns ("United Nations Interim Security
// Force for Abyei", "African Union Regional Protection Force"): the name says what the body is,
// not that the sentence gives it that task, so the term counts as support. The term's own words are
// capitalised and the capitalised run before it starts with the owner.
bool inside_owned_name(std::string_view text, std::span<const text::Token> tokens, std::size_t first, std::size_t last) {
    for (std::size_t k = first; k <= last; ++k)
        if (!capitalised(text, tokens[k]) && !name_glue(tokens[k])) return false;
    std::size_t k = first;
    while (k > 0 && first - k < 8 && (capitalised(text, tokens[k - 1]) || name_glue(tokens[k - 1]))) {
        --k;
        const std::string& w = tokens[k].folded;
        const std::string& after = k + 1 < tokens.size() ? tokens[k + 1].folded : w;
        if ((w == "united" && after == "nations") || ((w == "african" || w == "european") && after == "union")) return true;
        if (w == "un" || w == "au" || w == "eu" || w == "osce" || w == "nato") return true;
    }
    return false;
}

// A term right after a number counts people or things ("220 military observers", "1,500 police
// officers"): troop and staff figures are composition, not a task, so it counts as support.
bool counts_personnel(std::span<const text::Token> tokens, std::size_t first) {
    if (first == 0) return false;
    const std::string& previous = tokens[first - 1].folded;
    return !previous.empty() && std::all_of(previous.begin(), previous.end(), [](unsigned char c) {
        return std::isdigit(c) || c == ',' || c == '.';
    });
}

}  // namespace

Lexicon::Lexicon(const Taxonomy& taxonomy, const text::Analyzer& analyzer) : categories_(taxonomy.categories.size()) {
    for (std::size_t c = 0; c < taxonomy.categories.size(); ++c) {
        const auto& category = taxonomy.categories[c];
        for (const auto& term : category.key_terms) add(c, term, kKeyTermWeight, analyzer);
        for (const auto& term : category.support_terms) add(c, term, kSupportTermWeight, analyzer);
        for (const auto& acronym : category.acronyms) {
            terms_.push_back({c, {}, acronym, kKeyTermWeight, {}});
            by_acronym_[acronym].push_back(terms_.size() - 1);
        }
    }
    // Longest phrases first, so that a category's longest match at a position wins.
    for (auto& [stem, ids] : by_first_stem_)
        std::stable_sort(ids.begin(), ids.end(),
                         [this](std::size_t a, std::size_t b) { return terms_[a].stems.size() > terms_[b].stems.size(); });
}

void Lexicon::add(std::size_t category, const std::string& term, double weight, const text::Analyzer& analyzer) {
    Term t{category, {}, {}, weight, {}};
    for (const auto& token : analyzer.tokens(term)) t.stems.push_back(token.stem), t.words.push_back(token.folded);
    if (t.stems.empty()) return;
    terms_.push_back(std::move(t));
    by_first_stem_[terms_.back().stems.front()].push_back(terms_.size() - 1);
}

bool Lexicon::matches(const Term& term, std::span<const text::Token> tokens, std::size_t i) const {
    if (i + term.stems.size() > tokens.size()) return false;
    for (std::size_t k = 0; k < term.stems.size(); ++k)
        if (tokens[i + k].stem != term.stems[k] || !same_word_family(tokens[i + k].folded, term.words[k])) return false;
    return true;
}

LexicalHits Lexicon::match(std::string_view text, std::span<const text::Token> tokens) const {
    LexicalHits hits(categories_);
    std::vector<std::size_t> covered_until(categories_, 0);  // per category: no overlapping matches
    const auto roles = clause_roles(text, tokens);
    // A term met twice counts once, at its strongest use: named in a proviso and assigned in the
    // main clause, it is assigned.
    auto record = [&](std::size_t category, std::string surface, double weight, ClauseRole role) {
        if (role == ClauseRole::excluded) return;  // "outside the mandate of ...": not this passage's task
        if (role == ClauseRole::aside) weight = std::min(weight, kSupportTermWeight);
        auto& list = hits[category];
        auto same = std::find_if(list.begin(), list.end(), [&](const LexicalHit& h) { return h.surface == surface; });
        if (same == list.end()) list.push_back({std::move(surface), weight});
        else same->weight = std::max(same->weight, weight);
    };
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        std::string_view surface = text.substr(tokens[i].begin, tokens[i].end - tokens[i].begin);
        for (const std::string& key : {std::string(surface), plural_stripped(surface)})
            if (auto it = by_acronym_.find(key); it != by_acronym_.end())
                for (auto id : it->second) record(terms_[id].category, terms_[id].acronym, terms_[id].weight, roles[i]);
        auto it = by_first_stem_.find(tokens[i].stem);
        if (it == by_first_stem_.end()) continue;
        for (auto id : it->second) {
            const Term& term = terms_[id];
            if (covered_until[term.category] > i || !matches(term, tokens, i)) continue;
            std::size_t last = i + term.stems.size() - 1;
            covered_until[term.category] = last + 1;
            bool weak = names_an_office(tokens, last) || counts_personnel(tokens, i) ||
                        inside_owned_name(text, tokens, i, last);
            double weight = weak ? std::min(term.weight, kSupportTermWeight) : term.weight;
            record(term.category, text::fold(text.substr(tokens[i].begin, tokens[last].end - tokens[i].begin)), weight,
                   roles[i]);
        }
    }
    return hits;
}

double lexical_score(const std::vector<LexicalHit>& hits) {
    double sum = 0.0;
    for (const auto& h : hits) sum += h.weight;
    return sum;
}

}  // namespace mandala::taxonomy
