// The mission registry: built from the acronym pairs of every document (abbreviation tables and
// inline definitions), completed by the project's list of known missions.
#include <algorithm>
#include <set>

#include "indexer/extract/entities.h"
#include "indexer/extract/phrases.h"
#include "text/analyzer.h"
#include "text/unicode.h"

namespace mandala::indexer {

namespace {

using extract::PhraseHit;
using extract::PhraseMatcher;

// Words that make an expansion name a peace operation, and words that show it names something
// else that happens to contain one ("Head of Mission", "Status-of-forces agreement").
const std::set<std::string> kStrongHeads = {"mission", "missions", "operation", "force", "observer",
                                            "observation", "administration", "supervision"};
const std::set<std::string> kWeakHeads = {"office", "centre", "center"};  // need a place too
const std::set<std::string> kBlockers = {"agreement", "team", "process", "planning", "analysis", "assessment",
                                         "standards", "department", "head", "leadership", "unit", "policy",
                                         "forces", "operations"};

struct Matchers {
    text::Analyzer analyzer;
    PhraseMatcher owners;  // organizations that deploy missions; payload: index in organizations
    PhraseMatcher places;  // payload: index in places

    explicit Matchers(const Gazetteer& g) {
        for (std::size_t i = 0; i < g.organizations.size(); ++i) {
            const auto& o = g.organizations[i];
            if (!o.deploys_missions) continue;
            owners.add(o.key, static_cast<int>(i), true, analyzer);
            owners.add(o.name, static_cast<int>(i), false, analyzer);
            for (const auto& a : o.aliases) owners.add(a, static_cast<int>(i), extract::looks_like_acronym(a), analyzer);
        }
        for (std::size_t i = 0; i < g.places.size(); ++i) {
            const auto& p = g.places[i];
            places.add(p.name, static_cast<int>(i), false, analyzer);
            for (const auto& v : p.variants) places.add(v, static_cast<int>(i), extract::looks_like_acronym(v), analyzer);
        }
    }
};

bool has_word(const std::vector<text::Token>& tokens, const std::set<std::string>& words) {
    return std::any_of(tokens.begin(), tokens.end(), [&](const text::Token& t) { return words.count(t.folded) > 0; });
}

// The deploying organization named at the start of an expansion ("UN ...", "the African Union ...").
std::string owner_of(const std::string& expansion, const Matchers& m, const Gazetteer& g) {
    auto tokens = m.analyzer.tokens(expansion);
    std::size_t at = (!tokens.empty() && tokens[0].folded == "the") ? 1 : 0;
    PhraseHit hit;
    if (m.owners.match_at(tokens, expansion, at, hit)) return g.organizations[static_cast<std::size_t>(hit.payload)].key;
    return {};
}

// The first country an expansion names, else its first region ("Sahel Mali" is in Mali).
std::string host_of(const std::string& expansion, const Matchers& m, const Gazetteer& g) {
    auto tokens = m.analyzer.tokens(expansion);
    std::string region;
    for (const auto& hit : m.places.match(tokens, expansion)) {
        const Place& p = g.places[static_cast<std::size_t>(hit.payload)];
        if (p.kind == "country") return p.key;
        if (region.empty()) region = p.key;
    }
    return region;
}

bool names_mission_with(const std::string& expansion, const Matchers& m, const Gazetteer& g) {
    auto tokens = m.analyzer.tokens(expansion);
    if (has_word(tokens, kBlockers)) return false;
    bool has_owner = !owner_of(expansion, m, g).empty();
    bool has_place = !host_of(expansion, m, g).empty();
    if (has_word(tokens, kStrongHeads)) return has_owner || has_place;
    return has_word(tokens, kWeakHeads) && has_place;
}

// "UN Mission in Liberia" is also written "United Nations Mission in Liberia"; "EU Naval Force
// Mediterranean / Operation Sophia" names the same mission twice.
std::vector<std::string> name_variants(const std::string& expansion) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        std::size_t slash = expansion.find(" / ", start);
        out.push_back(expansion.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
        if (slash == std::string::npos) break;
        start = slash + 3;
    }
    static const std::pair<std::string, std::string> kLongForms[] = {
        {"UN ", "United Nations "}, {"EU ", "European Union "}, {"AU ", "African Union "}};
    std::size_t n = out.size();
    for (std::size_t i = 0; i < n; ++i)
        for (const auto& [short_form, long_form] : kLongForms)
            if (out[i].starts_with(short_form)) out.push_back(long_form + out[i].substr(short_form.size()));
    if (n > 1) out.push_back(expansion);
    return out;
}

void add_alias(Mission& m, const std::string& alias) {
    if (alias.empty() || alias == m.key) return;
    if (std::find(m.aliases.begin(), m.aliases.end(), alias) == m.aliases.end()) m.aliases.push_back(alias);
}

Mission& find_or_add(std::vector<Mission>& missions, const std::string& key) {
    auto it = std::find_if(missions.begin(), missions.end(), [&](const Mission& m) { return m.key == key; });
    if (it != missions.end()) return *it;
    missions.push_back(Mission{key, {}, {}, {}, {}});
    return missions.back();
}

// A mission already registered under another acronym with the same expansion ("SMM" defined
// inline for what the table calls "SMM Ukraine").
Mission* same_expansion(std::vector<Mission>& missions, const std::string& expansion) {
    std::string folded = text::fold(expansion);
    for (auto& m : missions)
        if (text::fold(m.expansion) == folded) return &m;
    return nullptr;
}

void add_from_pair(std::vector<Mission>& missions, const AcronymPair& pair, const Matchers& m, const Gazetteer& g) {
    if (Mission* known = same_expansion(missions, pair.expansion); known && known->key != pair.acronym) {
        add_alias(*known, pair.acronym);
        return;
    }
    // Inline definitions are looser than tables: they add a mission, or a name of one, only when
    // the name is specific enough to say where ("UN mission in Somalia", not "UN mission").
    if (pair.source == "inline" && host_of(pair.expansion, m, g).empty()) return;
    Mission& mission = find_or_add(missions, pair.acronym);
    if (mission.expansion.empty()) mission.expansion = pair.expansion;
    for (const auto& name : name_variants(pair.expansion)) add_alias(mission, name);
    if (mission.organization.empty()) mission.organization = owner_of(pair.expansion, m, g);
    if (mission.host.empty()) mission.host = host_of(pair.expansion, m, g);
}

void complete_from_known(std::vector<Mission>& missions, const KnownMission& known) {
    Mission& mission = find_or_add(missions, known.key);
    if (mission.expansion.empty()) {
        mission.expansion = known.expansion;
        for (const auto& name : name_variants(known.expansion)) add_alias(mission, name);
    }
    if (mission.organization.empty()) mission.organization = known.organization;
    if (mission.host.empty()) mission.host = known.host;
    for (const auto& a : known.aliases) add_alias(mission, a);
}

// "SMM Ukraine" is also called plain "SMM" when no other mission key starts with that word.
void add_short_aliases(std::vector<Mission>& missions, const Gazetteer& g) {
    std::map<std::string, int> first_words;
    auto first_word = [](const std::string& key) { return key.substr(0, key.find(' ')); };
    for (const auto& m : missions) ++first_words[first_word(m.key)];
    for (auto& m : missions) {
        std::string word = first_word(m.key);
        bool is_org = std::any_of(g.organizations.begin(), g.organizations.end(),
                                  [&](const Organization& o) { return o.key == word; });
        if (word != m.key && word.size() >= 3 && first_words[word] == 1 && !is_org &&
            extract::looks_like_acronym(word))
            add_alias(m, word);
    }
}

}  // namespace

const Mission* EntityRegistry::mission(const std::string& key) const {
    auto it = std::find_if(missions.begin(), missions.end(), [&](const Mission& m) { return m.key == key; });
    return it == missions.end() ? nullptr : &*it;
}

const Organization* EntityRegistry::organization(const std::string& key) const {
    auto it = std::find_if(organizations.begin(), organizations.end(),
                           [&](const Organization& o) { return o.key == key; });
    return it == organizations.end() ? nullptr : &*it;
}

bool names_mission(const std::string& expansion, const Gazetteer& gazetteer) {
    Matchers m(gazetteer);
    return names_mission_with(expansion, m, gazetteer);
}

EntityRegistry build_registry(const std::vector<AcronymPair>& acronyms, const Gazetteer& g) {
    Matchers m(g);
    EntityRegistry registry;
    registry.organizations = g.organizations;
    auto is_org = [&](const std::string& key) { return registry.organization(key) != nullptr; };
    // Table definitions first: they are the documents' own, more careful, statements.
    for (const char* source : {"table", "inline"})
        for (const auto& pair : acronyms)
            if (pair.source == source && !is_org(pair.acronym) && names_mission_with(pair.expansion, m, g))
                add_from_pair(registry.missions, pair, m, g);
    for (const auto& known : g.missions) complete_from_known(registry.missions, known);
    for (auto& mission : registry.missions)
        if (mission.organization.empty()) mission.organization = "other";
    add_short_aliases(registry.missions, g);
    std::sort(registry.missions.begin(), registry.missions.end(),
              [](const Mission& a, const Mission& b) { return a.key < b.key; });
    return registry;
}

}  // namespace mandala::indexer
