#pragma once
// Entities and cross-references: which missions, organizations, places, years, resolutions and
// document symbols each passage names, which acronyms a document defines inline, and what links
// to what (see-also arrows, footnote citations, internal references).
//
// Flow: load_gazetteer (project data files) -> build_registry (missions from the acronyms of all
// documents) -> EntityExtractor::extract (per document) -> write_document_entities (SQLite) and
// entity_terms / entity_values (Xapian).
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "indexer/model.h"
#include "text/analyzer.h"

struct sqlite3;

namespace mandala::indexer {

// A place of the gazetteer: a country or a region. `key` is folded ("mali", "cote-divoire").
struct Place {
    std::string key;
    std::string name;
    std::string iso;                   // ISO 3166 alpha-2 for countries, empty for regions
    std::string kind;                  // country or region
    std::vector<std::string> variants;  // other names; all-caps variants match case-sensitively
};

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

// A task category as see-also arrows name it.
struct CategoryLabel {
    std::string id;
    std::vector<std::string> labels;  // prefLabel first, then altLabels
};

struct Gazetteer {
    std::vector<Place> places;
    std::vector<Organization> organizations;
    std::vector<KnownMission> missions;
    std::vector<CategoryLabel> categories;
};

// Reads places.json, organizations.json and missions.json from `data_dir` (indexer/data), and
// the category labels from `taxonomy_json` (prefLabel/altLabel of taxonomy/task-categories.json)
// or, when that file is absent, from a built-in table of the 23 categories.
Gazetteer load_gazetteer(const std::filesystem::path& data_dir,
                         const std::filesystem::path& taxonomy_json = {});

// The built-in category labels (used when no taxonomy file is at hand).
std::vector<CategoryLabel> builtin_category_labels();

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

// Missions from expansions naming a mission, operation, force, office or observer group of an
// organization or in a place; organizations from the gazetteer.
EntityRegistry build_registry(const std::vector<AcronymPair>& acronyms_of_all_documents,
                              const Gazetteer& gazetteer);

// True when an expansion names a peace operation ("UN Mission in Liberia", "Kosovo Force").
bool names_mission(const std::string& expansion, const Gazetteer& gazetteer);

// Fills doc.entities and doc.xrefs, and appends inline acronym definitions to doc.acronyms.
// Cost is linear in the text: every scanner is hand-written and bounded.
class EntityExtractor {
public:
    EntityExtractor(const EntityRegistry& registry, const Gazetteer& gazetteer);
    ~EntityExtractor();
    EntityExtractor(const EntityExtractor&) = delete;
    EntityExtractor& operator=(const EntityExtractor&) = delete;

    void extract(SegmentedDocument& doc) const;
    // The same with each passage's tokens already made (tokens[i] is text::Analyzer::tokens of
    // passage i's text): the indexer analyses each passage once for extraction, tagging and index.
    void extract(SegmentedDocument& doc, const std::vector<std::vector<text::Token>>& tokens) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Inline acronym definitions in one text: "UN Mission in South Sudan (UNMISS)",
// "Protection of Civilians (PoC)", "(henceforth DPKO)", "DDR (disarmament, ...)".
std::vector<AcronymPair> find_inline_acronyms(const std::string& text);

// The acronyms a document defines: its abbreviation tables (doc.acronyms) and its inline
// definitions, without repeats. The pipeline gathers these from every document for build_registry.
std::vector<AcronymPair> document_acronyms(const SegmentedDocument& doc);

// Xapian boolean terms of a passage's entities (schema prefixes + folded keys).
std::vector<std::string> entity_terms(const SegmentedDocument& doc, int passage_index);

// Multi-valued facet slots of a passage: (slot, '\n'-separated sorted keys), non-empty ones only.
std::vector<std::pair<unsigned, std::string>> entity_values(const SegmentedDocument& doc,
                                                            int passage_index);

// SQLite storage, called by the writer inside its transaction.
void create_entity_tables(sqlite3* db);
void delete_document_entities(sqlite3* db, const std::string& doc_id);
void write_document_entities(sqlite3* db, const SegmentedDocument& doc);
void write_registry(sqlite3* db, const EntityRegistry& registry);

// Reading back (export, evaluation): every passage's mentions by passage id, in text order
// (`passage` is 0 in each); every dated document's date by document id; the mission registry as
// indexed (the registry's and the documents' missions, all names in `aliases`).
std::map<std::string, std::vector<EntityMention>> load_passage_entities(const std::filesystem::path& db_dir);
std::map<std::string, std::string> load_document_dates(const std::filesystem::path& db_dir);
std::vector<Mission> load_missions(const std::filesystem::path& db_dir);

}  // namespace mandala::indexer
