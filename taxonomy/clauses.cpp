#include "taxonomy/clauses.h"

#include <algorithm>
#include <array>
#include <initializer_list>

namespace mandala::taxonomy {
namespace {

struct Trigger {
    std::initializer_list<std::string_view> words;  // folded
    ClauseRole role;
    bool runs_over_commas;  // an enumeration: its items are separated by commas
};

// Our own list of the English that sets a task aside; folded words, matched in sequence.
const std::array<Trigger, 17> kTriggers{{
    {{"without", "prejudice"}, ClauseRole::aside, false},
    {{"provided", "that"}, ClauseRole::aside, false},
    {{"providing", "that"}, ClauseRole::aside, false},
    {{"notwithstanding"}, ClauseRole::aside, false},
    {{"except"}, ClauseRole::aside, false},
    {{"excepting"}, ClauseRole::aside, false},
    {{"excluding"}, ClauseRole::aside, false},
    {{"not", "including"}, ClauseRole::aside, false},
    {{"other", "than"}, ClauseRole::aside, false},
    {{"with", "the", "exception", "of"}, ClauseRole::aside, false},
    {{"apart", "from"}, ClauseRole::aside, false},
    {{"aside", "from"}, ClauseRole::aside, false},
    {{"unless"}, ClauseRole::aside, false},
    {{"ranging", "from"}, ClauseRole::aside, true},
    {{"range", "from"}, ClauseRole::aside, true},
    {{"ranges", "from"}, ClauseRole::aside, true},
    {{"ranged", "from"}, ClauseRole::aside, true},
}};

// "outside / beyond [the|its|...] scope|purview|remit|mandate|... [of]": what follows is excluded.
bool is_limit_word(std::string_view w) { return w == "outside" || w == "beyond"; }
bool is_determiner(std::string_view w) {
    return w == "the" || w == "its" || w == "their" || w == "his" || w == "her" || w == "our" || w == "this" ||
           w == "that" || w == "a";
}
bool is_competence_noun(std::string_view w) {
    return w == "scope" || w == "purview" || w == "remit" || w == "mandate" || w == "mandates" || w == "competence" ||
           w == "competences" || w == "responsibility" || w == "responsibilities" || w == "jurisdiction" ||
           w == "ambit" || w == "realm";
}

// Tokens of the trigger at i, or 0.
std::size_t trigger_length(const Trigger& t, std::span<const text::Token> tokens, std::size_t i) {
    if (i + t.words.size() > tokens.size()) return 0;
    std::size_t k = 0;
    for (auto w : t.words)
        if (tokens[i + k++].folded != w) return 0;
    return t.words.size();
}

std::size_t exclusion_length(std::span<const text::Token> tokens, std::size_t i) {
    if (!is_limit_word(tokens[i].folded)) return 0;
    std::size_t k = i + 1;
    if (k < tokens.size() && tokens[k].folded == "of") ++k;  // "outside of the purview of"
    if (k < tokens.size() && is_determiner(tokens[k].folded)) ++k;
    if (k >= tokens.size() || !is_competence_noun(tokens[k].folded)) return 0;
    ++k;
    if (k < tokens.size() && tokens[k].folded == "of") ++k;
    return k - i;
}

bool contains_any(std::string_view gap, std::initializer_list<std::string_view> marks) {
    return std::any_of(marks.begin(), marks.end(), [&](std::string_view m) { return gap.find(m) != std::string_view::npos; });
}

// Whether the text between tokens k-1 and k closes the clause.
bool clause_ends_before(std::string_view text, std::span<const text::Token> tokens, std::size_t k, bool runs_over_commas) {
    std::string_view gap = text.substr(tokens[k - 1].end, tokens[k].begin - tokens[k - 1].end);
    if (contains_any(gap, {";", ":", ".", "!", "?", "\n", "\u2014", "\u2013"})) return true;
    return !runs_over_commas && gap.find(',') != std::string_view::npos;
}

void mark(std::vector<ClauseRole>& roles, std::string_view text, std::span<const text::Token> tokens, std::size_t start,
          ClauseRole role, bool runs_over_commas) {
    for (std::size_t k = start; k < tokens.size(); ++k) {
        if (clause_ends_before(text, tokens, k, runs_over_commas)) break;  // k >= 1: the trigger precedes
        roles[k] = std::max(roles[k], role);
    }
}

// The clause before an exclusion is what it excludes: "most recovery efforts are outside the
// purview of the mission".
void mark_back(std::vector<ClauseRole>& roles, std::string_view text, std::span<const text::Token> tokens, std::size_t i) {
    for (std::size_t k = i; k > 0 && !clause_ends_before(text, tokens, k, false); --k) roles[k - 1] = ClauseRole::excluded;
}

}  // namespace

std::vector<ClauseRole> clause_roles(std::string_view text, std::span<const text::Token> tokens) {
    std::vector<ClauseRole> roles(tokens.size(), ClauseRole::plain);
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (std::size_t n = exclusion_length(tokens, i)) {
            mark(roles, text, tokens, i + n, ClauseRole::excluded, false);
            mark_back(roles, text, tokens, i);
            continue;
        }
        for (const auto& t : kTriggers)
            if (std::size_t n = trigger_length(t, tokens, i)) {
                mark(roles, text, tokens, i + n, t.role, t.runs_over_commas);
                break;
            }
    }
    return roles;
}

}  // namespace mandala::taxonomy
