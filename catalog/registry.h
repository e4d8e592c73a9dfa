#pragma once
// The registry of missions and organizations: the project's own (indexer/data/missions.json,
// organizations.json: facts about operations, not about any document) and the one the indexer
// builds from it and every document's acronyms, which the catalog stores (tables missions and
// organizations, docs/schema.md).
#include <filesystem>
#include <string>
#include <vector>

namespace mandala::catalog {

// An organization. `key` is its acronym as usually written ("OSCE", "UNDP").
struct Organization {
    std::string key;
    std::string name;
    std::string parent;                // key of the parent organization, empty when none
    std::vector<std::string> aliases;  // other names and acronyms
    bool deploys_missions = false;     // UN, EU, AU, OSCE, NATO, ... (names a mission's owner)
    bool ambiguous = false;            // acronym that is also an English word ("WHO")
};

// A peace operation of the project's registry (indexer/data/missions.json): facts about the
// operation, not about any document. Names are written out ("United Nations Mission in ..."); the
// short forms "UN ...", "AU ...", "EU ..." are derived when the registry is built.
struct KnownMission {
    std::string key;                    // the usual acronym or short name: "MINUSMA", "EULEX Kosovo"
    std::vector<std::string> acronyms;  // English and French acronyms ("UNOCI", "ONUCI")
    std::vector<std::string> names;     // full names
    std::vector<std::string> aliases;   // other short forms
    std::string organization, kind;
    std::vector<std::string> hosts;     // place keys of places.json
    int start = 0, end = 0;             // years; 0 when unknown or still running
    std::vector<std::string> predecessors, successors;
    std::string source;                 // where the entry can be checked
};

struct Mission {
    std::string key;           // acronym as written: "MINUSMA", "EULEX Kosovo", "SMM Ukraine"
    std::string expansion;     // its name: "United Nations Multidimensional Integrated Stabilization Mission in Mali"
    std::string organization;  // UN, EU, OSCE, AU, NATO or other
    std::string host;          // place key of the host country or region, empty when unknown
    std::vector<std::string> aliases;  // other names and acronyms (registry's and the documents')
    int start = 0, end = 0;    // years of the registry entry, 0 when unknown
    bool known = false;        // from the registry (not only from a document's definition)
    std::vector<std::string> hosts;  // every host place of the registry entry (host is the first)
};

struct EntityRegistry {
    std::vector<Mission> missions;
    std::vector<Organization> organizations;

    const Mission* mission(const std::string& key) const;
    const Organization* organization(const std::string& key) const;
};

// The missions of the project's registry file (missions.json). Throws InputError naming the file
// when it cannot be read or an entry is malformed.
std::vector<KnownMission> load_known_missions(const std::filesystem::path& file);

}  // namespace mandala::catalog
