#pragma once
// The lexical layer: key terms, phrases and acronyms of every category, compiled to stem
// sequences once and matched on token boundaries, so "demobilized" meets "demobilization" and
// "ex-combatants" meets "ex-combatant", while "police" never fires inside "policy".
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "taxonomy/taxonomy.h"
#include "text/analyzer.h"

namespace mandala::taxonomy {

struct LexicalHit {
    std::string surface;  // as written in the passage, e.g. "cantonment sites"
    double weight = 0.0;
};

// Per category (index into Taxonomy::categories): the distinct terms that fired.
using LexicalHits = std::vector<std::vector<LexicalHit>>;

inline constexpr double kKeyTermWeight = 1.0;
inline constexpr double kSupportTermWeight = 0.3;
// A section heading is one short line chosen by an author: weaker evidence than a sentence
// using the term, so its hits count at this fraction.
inline constexpr double kHeadingHitFactor = 0.5;

class Lexicon {
public:
    Lexicon(const Taxonomy& taxonomy, const text::Analyzer& analyzer);
    LexicalHits match(std::string_view text, std::span<const text::Token> tokens) const;
    std::size_t categories() const { return categories_; }

private:
    struct Term {
        std::size_t category = 0;
        std::vector<std::string> stems;  // empty for acronyms
        std::string acronym;             // matched on the surface, case-sensitive
        double weight = 0.0;
        std::vector<std::string> words;  // folded words of the term, one per stem
    };
    void add(std::size_t category, const std::string& term, double weight, const text::Analyzer& analyzer);
    bool matches(const Term& term, std::span<const text::Token> tokens, std::size_t i) const;

    std::size_t categories_ = 0;
    std::vector<Term> terms_;
    std::unordered_map<std::string, std::vector<std::size_t>> by_first_stem_;  // longest term first
    std::unordered_map<std::string, std::vector<std::size_t>> by_acronym_;
};

// Sum of the weights of the distinct terms that fired.
double lexical_score(const std::vector<LexicalHit>& hits);

}  // namespace mandala::taxonomy
