// Mission mentions of one document, in three steps: match every passage against the registry's
// names; resolve names several missions share from what the document says elsewhere (the
// missions it names unambiguously, the places it names, its year); then resolve indirect
// references ("the Mission", a misspelt acronym, a name without owner and place) to missions the
// document already names.
#include "indexer/extract/mission_mentions.h"

#include <algorithm>
#include <map>
#include <optional>

#include "text/unicode.h"

namespace mandala::indexer::extract {

namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

struct Hit {
    std::size_t passage;
    PhraseHit phrase;  // payload: the group, then the resolved mission
};

EntityMention mention(const std::string& key, const std::string& text, std::size_t begin, std::size_t end,
                      std::string detail = {}) {
    return {0, "mission", key, text.substr(begin, end - begin), begin, end, std::move(detail)};
}

// Where a name several missions share stands: the places its passage and its document name.
struct Setting {
    const std::set<std::string>& passage_places;
    const std::set<std::string>& document_places;
    int year;
};

bool hosted_in(const Mission& m, const std::set<std::string>& places) {
    return std::any_of(m.hosts.begin(), m.hosts.end(), [&](const std::string& h) { return places.count(h) > 0; }) ||
           (!m.host.empty() && places.count(m.host) > 0);
}

// How well a mission sharing a name fits: hosted in a place its passage names, named in the
// document by a name of its own, hosted in a place the document names, running in its year.
int fit(const Mission& m, std::size_t index, const std::map<std::size_t, int>& named, const Setting& at) {
    int score = 0;
    if (hosted_in(m, at.passage_places)) score += 8;
    if (named.count(index)) score += 4;
    if (hosted_in(m, at.document_places)) score += 2;
    if (at.year && m.start && m.start <= at.year && (m.end == 0 || at.year <= m.end)) score += 1;
    return score;
}

// The one best-fitting mission of a group, or kNone when none fits or two fit equally.
std::size_t resolve(const std::vector<std::size_t>& group, const EntityRegistry& registry,
                    const std::map<std::size_t, int>& named, const Setting& at) {
    if (group.size() == 1) return group.front();
    std::size_t best = kNone;
    int best_score = 0;
    bool tie = false;
    for (std::size_t i : group) {
        int score = fit(registry.missions[i], i, named, at);
        if (score > best_score) {
            best = i;
            best_score = score;
            tie = false;
        } else if (score == best_score && score > 0) {
            tie = true;
        }
    }
    return tie ? kNone : best;
}

// The words an organization's name is made of ("united", "nations", "eu"): a name's owner part.
std::set<std::string> owner_words(const EntityRegistry& registry) {
    std::set<std::string> out = {"the"};
    for (const auto& o : registry.organizations) {
        if (!o.deploys_missions) continue;
        out.insert(token_key(text::fold(o.key)));
        std::string name = text::fold(o.name);
        for (std::size_t i = 0; i < name.size();) {
            std::size_t j = std::min(name.find(' ', i), name.size());
            out.insert(name.substr(i, j - i));
            i = j + 1;
        }
    }
    return out;
}

// "the EU training mission in Mali", "un-interim-force-in-lebanon": a registry name whose own
// words (after its owner, before its place) are all written in lower case is a description or
// an address, not the name. "operation Atalanta" keeps a capitalized word and stays a name.
bool written_as_name(const std::string& text, const std::vector<text::Token>& tokens, const PhraseHit& h,
                     const std::set<std::string>& owners) {
    static const std::set<std::string> kPlaceWords = {"in", "to", "for", "of", "on", "at"};
    std::size_t i = h.first;
    while (i + 1 < h.last && owners.count(token_key(tokens[i].folded))) ++i;
    int kept = 0, lowered = 0;
    for (; i < h.last && !kPlaceWords.count(tokens[i].folded); ++i) {
        char c = text[tokens[i].begin];
        if (c >= 'a' && c <= 'z') ++lowered;
        else ++kept;
    }
    return kept > 0 || lowered == 0;
}

std::vector<Hit> match_all(const SegmentedDocument& doc, const std::vector<std::vector<text::Token>>& tokens,
                           const MissionMatcher& matcher) {
    const auto owners = owner_words(matcher.registry);
    std::vector<Hit> hits;
    for (std::size_t p = 0; p < doc.passages.size(); ++p)
        for (const auto& h : matcher.phrases.match(tokens[p], token_keys(tokens[p]), doc.passages[p].text))
            if (written_as_name(doc.passages[p].text, tokens[p], h, owners)) hits.push_back({p, h});
    return hits;
}

// Replaces each hit's group by its mission, dropping hits that stay ambiguous.
std::vector<Hit> resolve_all(std::vector<Hit> hits, const MissionMatcher& matcher,
                             const std::vector<std::set<std::string>>& places, int year) {
    std::map<std::size_t, int> named;  // missions named by a name no other mission has
    for (const auto& h : hits)
        if (const auto& g = matcher.groups[static_cast<std::size_t>(h.phrase.payload)]; g.size() == 1) ++named[g.front()];
    std::set<std::string> document_places;
    for (const auto& p : places) document_places.insert(p.begin(), p.end());
    std::vector<Hit> out;
    for (auto h : hits) {
        const Setting at{places[h.passage], document_places, year};
        std::size_t m = resolve(matcher.groups[static_cast<std::size_t>(h.phrase.payload)], matcher.registry, named, at);
        if (m == kNone) continue;
        h.phrase.payload = static_cast<int>(m);
        out.push_back(h);
    }
    return out;
}

// "UN Mission in South Sudan (UNMISS)" is one mention of UNMISS, not two.
void add_merged(const std::vector<Hit>& hits, const std::vector<std::vector<text::Token>>& tokens,
                const SegmentedDocument& doc, const EntityRegistry& registry, std::vector<std::vector<EntityMention>>& out) {
    for (std::size_t i = 0; i < hits.size(); ++i) {
        const Hit& h = hits[i];
        const std::string& text = doc.passages[h.passage].text;
        const auto& t = tokens[h.passage];
        std::size_t begin = t[h.phrase.first].begin, end = t[h.phrase.last - 1].end;
        if (i + 1 < hits.size() && hits[i + 1].passage == h.passage && hits[i + 1].phrase.payload == h.phrase.payload) {
            std::size_t next = t[hits[i + 1].phrase.first].begin;
            std::string_view gap = std::string_view(text).substr(end, next - end);
            if (gap == " (" || gap == "(") {
                end = t[hits[i + 1].phrase.last - 1].end;
                if (end < text.size() && text[end] == ')') ++end;
                ++i;
            }
        }
        out[h.passage].push_back(mention(registry.missions[static_cast<std::size_t>(h.phrase.payload)].key, text, begin, end));
    }
}

// The mission a document is about: the only one it names, or one with at least two mentions
// and three in four of all.
std::optional<std::size_t> main_mission(const std::vector<Hit>& hits) {
    std::map<std::size_t, int> count;
    for (const auto& h : hits) ++count[static_cast<std::size_t>(h.phrase.payload)];
    if (count.empty()) return std::nullopt;
    auto top = std::max_element(count.begin(), count.end(), [](auto& a, auto& b) { return a.second < b.second; });
    if (count.size() == 1 || (top->second >= 2 && top->second * 4 >= static_cast<int>(hits.size()) * 3)) return top->first;
    return std::nullopt;
}

// The head word by which a text refers back to a mission: "Mission", "Force", "Operation", "Office".
std::string head_word(const Mission& m) {
    std::string head;
    for (const char* word : {" Mission", " Force", " Operation", " Office"})
        if (m.expansion.find(word) != std::string::npos && head.empty()) head = word + 1;
    return head;
}

bool overlaps(const std::vector<EntityMention>& found, std::size_t begin, std::size_t end) {
    return std::any_of(found.begin(), found.end(), [&](const EntityMention& m) { return begin < m.end && m.begin < end; });
}

// "the Mission", "The Mission's": the main mission, recorded as resolved.
void add_back_references(const SegmentedDocument& doc, const std::vector<std::vector<text::Token>>& tokens,
                         const Mission& main, std::vector<std::vector<EntityMention>>& out) {
    const std::string head = head_word(main);
    if (head.empty()) return;
    for (std::size_t p = 0; p < doc.passages.size(); ++p) {
        const std::string& text = doc.passages[p].text;
        const auto& t = tokens[p];
        for (std::size_t i = 1; i < t.size(); ++i) {
            if (bare_surface(text, t[i]) != head || t[i - 1].folded != "the") continue;
            if (t[i - 1].end + 1 != t[i].begin || overlaps(out[p], t[i - 1].begin, t[i].end)) continue;
            out[p].push_back(mention(main.key, text, t[i - 1].begin, t[i].end, "main-mission"));
        }
    }
}

// One insertion, deletion, substitution or swap of neighbours turns `a` into `b`.
bool one_edit_apart(std::string_view a, std::string_view b) {
    if (a.size() > b.size()) std::swap(a, b);
    if (b.size() - a.size() > 1 || a == b) return false;
    std::size_t i = 0;
    while (i < a.size() && a[i] == b[i]) ++i;
    if (a.size() == b.size())
        return a.substr(i + 1) == b.substr(i + 1) ||
               (i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] && a.substr(i + 2) == b.substr(i + 2));
    return a.substr(i) == b.substr(i + 1);
}

bool all_capitals(std::string_view w) {
    return std::all_of(w.begin(), w.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// A capitalized word one edit away from the acronym of exactly one mission the document names
// ("UNISOM" beside "UNSOM"), and no acronym the registry knows: that mission, recorded as a variant.
void add_variants(const SegmentedDocument& doc, const std::vector<std::vector<text::Token>>& tokens,
                  const std::vector<Hit>& hits, const MissionMatcher& matcher, std::vector<std::vector<EntityMention>>& out) {
    std::map<std::string, std::size_t> acronyms;  // acronyms of the missions named
    for (const auto& h : hits) {
        const Mission& m = matcher.registry.missions[static_cast<std::size_t>(h.phrase.payload)];
        for (const auto& a : m.aliases)
            if (a.size() >= 4 && all_capitals(a)) acronyms.emplace(a, static_cast<std::size_t>(h.phrase.payload));
        if (all_capitals(m.key) && m.key.size() >= 4) acronyms.emplace(m.key, static_cast<std::size_t>(h.phrase.payload));
    }
    if (acronyms.empty()) return;
    for (std::size_t p = 0; p < doc.passages.size(); ++p) {
        const std::string& text = doc.passages[p].text;
        for (const auto& t : tokens[p]) {
            std::string_view word = bare_surface(text, t);
            if (word.size() < 5 || !all_capitals(word) || overlaps(out[p], t.begin, t.end)) continue;
            if (matcher.registry.organization(std::string(word))) continue;
            std::size_t found = kNone;
            int candidates = 0;
            for (const auto& [acronym, m] : acronyms)
                if (one_edit_apart(word, acronym) && m != found) found = m, ++candidates;
            if (candidates == 1)
                out[p].push_back(mention(matcher.registry.missions[found].key, text, t.begin, t.begin + word.size(), "variant"));
        }
    }
}

std::vector<std::string> words_of(const std::string& name) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < name.size();) {
        std::size_t j = std::min(name.find(' ', i), name.size());
        if (j > i) out.push_back(name.substr(i, j - i));
        i = j + 1;
    }
    return out;
}

// A name without its owner and its place: "United Nations Verification Mission in Colombia" ->
// "Verification Mission". Empty unless at least two capitalized words are left.
std::vector<std::string> short_form(const std::string& name, const std::set<std::string>& owners) {
    static const std::set<std::string> kPlaceWords = {"in", "to", "for", "of", "on", "at"};
    std::vector<std::string> words = words_of(name), out;
    std::size_t i = 0;
    while (i < words.size() && owners.count(token_key(text::fold(words[i])))) ++i;
    for (; i < words.size() && !kPlaceWords.count(words[i]); ++i) out.push_back(words[i]);
    const bool capitalized = std::all_of(out.begin(), out.end(), [](const std::string& w) { return w[0] >= 'A' && w[0] <= 'Z'; });
    if (out.size() < 2 || !capitalized || i == words.size()) return {};
    return out;
}

// "the Verification Mission" after the document has named the United Nations Verification
// Mission in Colombia: a mission's name without owner and place, written as in the name, is that
// mission when it is the short form of exactly one mission the document names (recorded as a
// short form). A short form alone, in a document naming no such mission, stays a description.
void add_short_forms(const SegmentedDocument& doc, const std::vector<std::vector<text::Token>>& tokens,
                     const std::vector<Hit>& hits, const MissionMatcher& matcher,
                     std::vector<std::vector<EntityMention>>& out) {
    const auto owners = owner_words(matcher.registry);
    std::map<std::vector<std::string>, std::set<std::size_t>> forms;  // short form -> missions
    for (const auto& h : hits) {
        const auto index = static_cast<std::size_t>(h.phrase.payload);
        const Mission& m = matcher.registry.missions[index];
        forms[short_form(m.expansion, owners)].insert(index);
        for (const auto& a : m.aliases) forms[short_form(a, owners)].insert(index);
    }
    forms.erase(std::vector<std::string>());
    for (std::size_t p = 0; p < doc.passages.size(); ++p) {
        const std::string& text = doc.passages[p].text;
        const auto& t = tokens[p];
        for (const auto& [form, missions] : forms) {
            if (missions.size() != 1) continue;
            for (std::size_t i = 0; i + form.size() <= t.size(); ++i) {
                std::size_t k = 0;
                while (k < form.size() && bare_surface(text, t[i + k]) == form[k]) ++k;
                const std::size_t begin = t[i].begin, end = t[i + form.size() - 1].end;
                // After "UN", "EU": a longer name written otherwise than the registry writes it.
                const bool owned = i > 0 && t[i - 1].folded != "the" && owners.count(token_key(t[i - 1].folded));
                if (k < form.size() || owned || overlaps(out[p], begin, end)) continue;
                out[p].push_back(mention(matcher.registry.missions[*missions.begin()].key, text, begin, end, "short-form"));
            }
        }
    }
}

}  // namespace

std::vector<std::vector<EntityMention>> find_mission_mentions(const SegmentedDocument& doc,
                                                              const std::vector<std::vector<text::Token>>& tokens,
                                                              const MissionMatcher& matcher,
                                                              const std::vector<std::set<std::string>>& places, int year) {
    std::vector<std::vector<EntityMention>> out(doc.passages.size());
    auto hits = resolve_all(match_all(doc, tokens, matcher), matcher, places, year);
    add_merged(hits, tokens, doc, matcher.registry, out);
    if (auto main = main_mission(hits)) add_back_references(doc, tokens, matcher.registry.missions[*main], out);
    add_variants(doc, tokens, hits, matcher, out);
    add_short_forms(doc, tokens, hits, matcher, out);
    for (auto& found : out)
        std::stable_sort(found.begin(), found.end(), [](const EntityMention& a, const EntityMention& b) { return a.begin < b.begin; });
    return out;
}

}  // namespace mandala::indexer::extract
