#pragma once
// Matching of known names (places, organizations, missions, category labels) against the word
// tokens of a text: leftmost-longest, token by token, so the cost is linear in the text and
// diacritics, case and apostrophe forms never block a match. Acronyms match case-sensitively
// ("WHO" the organization, not "who").
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "text/analyzer.h"

namespace mandala::indexer::extract {

// The key a token is compared by: folded, with typographic apostrophes made plain and no
// possessive ending.
std::string token_key(std::string_view folded);

// A token's surface without a possessive ending ("MINUSMA's" -> "MINUSMA").
std::string_view bare_surface(std::string_view text, const text::Token& token);

// True for an acronym-like word: starts with a capital and has at least two capitals
// ("UNMISS", "PoC", "QUIPs", "EUCAP"), no more than 12 characters.
bool looks_like_acronym(std::string_view word);

struct PhraseHit {
    std::size_t first = 0;  // index of the first token
    std::size_t last = 0;   // one past the last token
    int payload = 0;
};

// The token keys of a text, computed once and shared by every matcher run over it.
std::vector<std::string> token_keys(const std::vector<text::Token>& tokens);

class PhraseMatcher {
public:
    // Adds `phrase` with a caller-defined payload. `case_sensitive` phrases must match the
    // surface exactly (acronyms); the others match folded tokens.
    void add(std::string_view phrase, int payload, bool case_sensitive, const text::Analyzer& analyzer);

    // Non-overlapping leftmost-longest matches; `keys` are token_keys(tokens).
    std::vector<PhraseHit> match(const std::vector<text::Token>& tokens, std::string_view text) const;
    std::vector<PhraseHit> match(const std::vector<text::Token>& tokens, const std::vector<std::string>& keys,
                                 std::string_view text) const;

    // The longest phrase starting exactly at token `at`, if any.
    bool match_at(const std::vector<text::Token>& tokens, std::string_view text, std::size_t at,
                  PhraseHit& hit) const;
    bool match_at(const std::vector<text::Token>& tokens, const std::vector<std::string>& keys,
                  std::string_view text, std::size_t at, PhraseHit& hit) const {
        return at < tokens.size() && longest_at(tokens, keys, text, at, hit);
    }

    bool empty() const { return phrases_.empty(); }

private:
    struct Phrase {
        std::vector<std::string> keys;      // folded token keys
        std::vector<std::string> surfaces;  // exact surfaces when case-sensitive
        bool case_sensitive = false;
        int payload = 0;
    };
    bool matches(const Phrase& p, const std::vector<text::Token>& tokens, const std::vector<std::string>& keys,
                 std::string_view text, std::size_t at) const;
    bool longest_at(const std::vector<text::Token>& tokens, const std::vector<std::string>& keys,
                    std::string_view text, std::size_t at, PhraseHit& hit) const;

    std::vector<Phrase> phrases_;
    std::unordered_map<std::string, std::vector<std::size_t>> by_first_key_;
};

}  // namespace mandala::indexer::extract
