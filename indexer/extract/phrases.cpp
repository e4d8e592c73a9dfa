#include "indexer/extract/phrases.h"


namespace mandala::indexer::extract {

std::string token_key(std::string_view folded) {
    std::string out;
    out.reserve(folded.size());
    for (std::size_t i = 0; i < folded.size(); ++i) {
        // U+2019 and U+2018 (E2 80 99 / E2 80 98) are the apostrophes PDFs and word processors use.
        if (folded.compare(i, 3, "\xE2\x80\x99") == 0 || folded.compare(i, 3, "\xE2\x80\x98") == 0) {
            out += '\'';
            i += 2;
        } else {
            out += folded[i];
        }
    }
    // A possessive names the same thing: "MINUSMA's mandate" mentions MINUSMA.
    if (out.size() > 2 && out.ends_with("'s")) out.resize(out.size() - 2);
    return out;
}

std::string_view bare_surface(std::string_view text, const text::Token& token) {
    std::string_view s = text.substr(token.begin, token.end - token.begin);
    if (s.ends_with("'s")) s.remove_suffix(2);
    else if (s.ends_with("\xE2\x80\x99s")) s.remove_suffix(4);
    return s;
}

bool looks_like_acronym(std::string_view word) {
    if (word.size() < 2 || word.size() > 12) return false;
    if (word.front() < 'A' || word.front() > 'Z') return false;
    int capitals = 0;
    for (char c : word) {
        if (c >= 'A' && c <= 'Z') ++capitals;
        else if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '&') return false;
    }
    return capitals >= 2;
}

void PhraseMatcher::add(std::string_view phrase, int payload, bool case_sensitive,
                        const text::Analyzer& analyzer) {
    Phrase p;
    p.case_sensitive = case_sensitive;
    p.payload = payload;
    for (const auto& t : analyzer.tokens(phrase)) {
        p.keys.push_back(token_key(t.folded));
        if (case_sensitive) p.surfaces.emplace_back(bare_surface(phrase, t));
    }
    if (p.keys.empty()) return;
    by_first_key_[p.keys.front()].push_back(phrases_.size());
    phrases_.push_back(std::move(p));
}

std::vector<std::string> token_keys(const std::vector<text::Token>& tokens) {
    std::vector<std::string> keys;
    keys.reserve(tokens.size());
    for (const auto& t : tokens) keys.push_back(token_key(t.folded));
    return keys;
}

bool PhraseMatcher::matches(const Phrase& p, const std::vector<text::Token>& tokens,
                            const std::vector<std::string>& keys, std::string_view text, std::size_t at) const {
    if (at + p.keys.size() > tokens.size()) return false;
    for (std::size_t k = 0; k < p.keys.size(); ++k) {
        bool same = p.case_sensitive ? bare_surface(text, tokens[at + k]) == p.surfaces[k] : keys[at + k] == p.keys[k];
        if (!same) return false;
    }
    return true;
}

bool PhraseMatcher::longest_at(const std::vector<text::Token>& tokens, const std::vector<std::string>& keys,
                               std::string_view text, std::size_t at, PhraseHit& hit) const {
    auto it = by_first_key_.find(keys[at]);
    if (it == by_first_key_.end()) return false;
    bool found = false;
    for (std::size_t index : it->second) {
        const Phrase& p = phrases_[index];
        if ((!found || at + p.keys.size() > hit.last) && matches(p, tokens, keys, text, at)) {
            hit = {at, at + p.keys.size(), p.payload};
            found = true;
        }
    }
    return found;
}

bool PhraseMatcher::match_at(const std::vector<text::Token>& tokens, std::string_view text, std::size_t at,
                             PhraseHit& hit) const {
    return at < tokens.size() && longest_at(tokens, token_keys(tokens), text, at, hit);
}

std::vector<PhraseHit> PhraseMatcher::match(const std::vector<text::Token>& tokens, std::string_view text) const {
    return match(tokens, token_keys(tokens), text);
}

std::vector<PhraseHit> PhraseMatcher::match(const std::vector<text::Token>& tokens,
                                            const std::vector<std::string>& keys, std::string_view text) const {
    std::vector<PhraseHit> out;
    for (std::size_t i = 0; i < tokens.size();) {
        PhraseHit hit;
        if (longest_at(tokens, keys, text, i, hit)) {
            out.push_back(hit);
            i = hit.last;
        } else {
            ++i;
        }
    }
    return out;
}

}  // namespace mandala::indexer::extract
