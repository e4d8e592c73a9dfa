// The mission registry: the project's registry of peace operations (indexer/data/missions.json),
// completed by the acronym pairs of every document (abbreviation tables and inline definitions)
// for missions the registry does not know.
#include <algorithm>
#include <map>
#include <optional>
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
                                         "forces", "operations", "conference",
                                         "national"};  // a country's own body ("Somali National Security Force")

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

void add_alias(Mission& m, const std::string& alias) {
    if (alias.empty() || alias == m.key) return;
    if (std::find(m.aliases.begin(), m.aliases.end(), alias) == m.aliases.end()) m.aliases.push_back(alias);
}

// "EU Naval Force Mediterranean / Operation Sophia" names the same mission twice.
std::vector<std::string> slash_halves(const std::string& name) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        std::size_t slash = name.find(" / ", start);
        out.push_back(name.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
        if (slash == std::string::npos) break;
        start = slash + 3;
    }
    return out;
}

// "United Nations Mission in Liberia" is also written "UN Mission in Liberia", and the reverse:
// each organization that deploys missions is written by its name or its key.
std::vector<std::string> organization_forms(const std::string& name, const Gazetteer& g) {
    std::vector<std::string> out;
    for (const auto& o : g.organizations) {
        if (!o.deploys_missions || o.name.empty()) continue;
        if (name.starts_with(o.name + " ")) out.push_back(o.key + name.substr(o.name.size()));
        else if (name.starts_with(o.key + " ")) out.push_back(o.name + name.substr(o.key.size()));
    }
    return out;
}

// Headlines drop articles: "Mission in Central African Republic and Chad".
std::string without_articles(const std::string& name) {
    std::string out;
    std::size_t i = 0;
    while (i <= name.size()) {
        std::size_t j = std::min(name.find(' ', i), name.size());
        std::string_view word(name.data() + i, j - i);
        if (out.empty() || (word != "the" && word != "The")) out += (out.empty() ? "" : " ") + std::string(word);
        i = j + 1;
    }
    return out;
}

// Every way the registry's names are written: as given, "UN"/"United Nations" forms, slash
// halves, and without articles.
std::vector<std::string> name_variants(const std::string& name, const Gazetteer& g) {
    std::vector<std::string> out;
    for (const auto& half : slash_halves(name)) {
        out.push_back(half);
        for (auto& form : organization_forms(half, g)) out.push_back(std::move(form));
    }
    std::size_t n = out.size();
    for (std::size_t i = 0; i < n; ++i)
        if (std::string bare = without_articles(out[i]); bare != out[i]) out.push_back(bare);
    if (out.size() > 1 && name.find(" / ") != std::string::npos) out.push_back(name);
    return out;
}

Mission& find_or_add(std::vector<Mission>& missions, const std::string& key) {
    auto it = std::find_if(missions.begin(), missions.end(), [&](const Mission& m) { return m.key == key; });
    if (it != missions.end()) return *it;
    missions.push_back(Mission{key, {}, {}, {}, {}, 0, 0, false, {}});
    return missions.back();
}

void add_known(std::vector<Mission>& missions, const KnownMission& known, const Gazetteer& g) {
    Mission& mission = find_or_add(missions, known.key);
    mission.known = true;
    mission.expansion = known.names.empty() ? std::string() : known.names.front();
    mission.organization = known.organization;
    mission.host = known.hosts.empty() ? std::string() : known.hosts.front();
    mission.hosts = known.hosts;
    mission.start = known.start;
    mission.end = known.end;
    for (const auto& a : known.acronyms) add_alias(mission, a);
    for (const auto& name : known.names)
        for (const auto& variant : name_variants(name, g)) add_alias(mission, variant);
    for (const auto& a : known.aliases)
        for (const auto& variant : name_variants(a, g)) add_alias(mission, variant);
}

// Missions by every name and acronym: acronyms as written, names folded.
class MissionNames {
public:
    explicit MissionNames(const std::vector<Mission>& missions) {
        for (std::size_t i = 0; i < missions.size(); ++i) add(missions[i], i);
    }
    void add(const Mission& m, std::size_t index) {
        acronyms_.emplace(m.key, index);
        if (!m.expansion.empty()) names_.emplace(text::fold(m.expansion), index);
        for (const auto& a : m.aliases) {
            if (extract::looks_like_acronym(a.substr(0, a.find(' ')))) acronyms_.emplace(a, index);
            names_.emplace(text::fold(a), index);
        }
    }
    std::optional<std::size_t> by_acronym(const std::string& a) const { return find(acronyms_, a); }
    std::optional<std::size_t> by_name(const std::string& n) const { return find(names_, text::fold(n)); }

private:
    static std::optional<std::size_t> find(const std::map<std::string, std::size_t>& m, const std::string& k) {
        auto it = m.find(k);
        return it == m.end() ? std::nullopt : std::optional<std::size_t>(it->second);
    }
    std::map<std::string, std::size_t> acronyms_, names_;
};

// A definition's expansion may run back into the clause before the name ("mandate of the United
// Nations Multidimensional ..."): a name starts at its first capitalized word.
std::string name_start(const std::string& expansion) {
    std::size_t at = 0;
    while (at < expansion.size() && !(expansion[at] >= 'A' && expansion[at] <= 'Z')) {
        std::size_t space = expansion.find(' ', at);
        if (space == std::string::npos) return expansion;
        at = space + 1;
    }
    return at < expansion.size() ? expansion.substr(at) : expansion;
}

void add_from_pair(std::vector<Mission>& missions, MissionNames& names, const AcronymPair& pair,
                   const Matchers& m, const Gazetteer& g) {
    // The registry's names win over a document's wording of a mission it knows.
    if (names.by_acronym(pair.acronym)) return;
    const std::string expansion = name_start(pair.expansion);
    if (auto known = names.by_name(expansion)) {
        add_alias(missions[*known], pair.acronym);  // a document's own acronym for a known name
        names.add(missions[*known], *known);
        return;
    }
    if (!names_mission_with(expansion, m, g)) return;
    // Inline definitions are looser than tables: they add a mission only when the name is
    // specific enough to say where ("UN mission in Somalia", not "UN mission").
    if (pair.source == "inline" && host_of(expansion, m, g).empty()) return;
    Mission& mission = find_or_add(missions, pair.acronym);
    if (mission.expansion.empty()) mission.expansion = expansion;
    for (const auto& name : name_variants(expansion, g)) add_alias(mission, name);
    if (mission.organization.empty()) mission.organization = owner_of(expansion, m, g);
    if (mission.host.empty()) mission.host = host_of(expansion, m, g);
    names.add(mission, static_cast<std::size_t>(&mission - missions.data()));
}

// "SMM Ukraine" is also called plain "SMM", "EULEX Kosovo" plain "EULEX". A first word that
// starts several keys ("EUFOR Althea", "EUFOR Tchad/RCA") is given to each: the extractor
// resolves it from the document.
void add_short_aliases(std::vector<Mission>& missions, const Gazetteer& g) {
    auto first_word = [](const std::string& key) { return key.substr(0, key.find(' ')); };
    std::set<std::string> taken;  // acronyms that are a mission's own key or acronym
    for (const auto& m : missions) {
        taken.insert(m.key);
        for (const auto& a : m.aliases)
            if (a.find(' ') == std::string::npos) taken.insert(a);
    }
    for (auto& m : missions) {
        std::string word = first_word(m.key);
        bool is_org = std::any_of(g.organizations.begin(), g.organizations.end(),
                                  [&](const Organization& o) { return o.key == word; });
        if (word != m.key && word.size() >= 3 && !is_org && !taken.count(word) && extract::looks_like_acronym(word))
            add_alias(m, word);
    }
}

}  // namespace

bool names_mission(const std::string& expansion, const Gazetteer& gazetteer) {
    Matchers m(gazetteer);
    return names_mission_with(expansion, m, gazetteer);
}

EntityRegistry build_registry(const std::vector<AcronymPair>& acronyms, const Gazetteer& g) {
    Matchers m(g);
    EntityRegistry registry;
    registry.organizations = g.organizations;
    for (const auto& known : g.missions) add_known(registry.missions, known, g);
    registry.missions.reserve(registry.missions.size() + acronyms.size());  // add_from_pair keeps references
    MissionNames names(registry.missions);
    auto is_org = [&](const std::string& key) { return registry.organization(key) != nullptr; };
    // Table definitions first: they are the documents' own, more careful, statements.
    for (const char* source : {"table", "inline"})
        for (const auto& pair : acronyms)
            if (pair.source == source && !is_org(pair.acronym)) add_from_pair(registry.missions, names, pair, m, g);
    for (auto& mission : registry.missions)
        if (mission.organization.empty()) mission.organization = "other";
    add_short_aliases(registry.missions, g);
    std::sort(registry.missions.begin(), registry.missions.end(),
              [](const Mission& a, const Mission& b) { return a.key < b.key; });
    return registry;
}

}  // namespace mandala::indexer
