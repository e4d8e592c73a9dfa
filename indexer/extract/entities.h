#pragma once
// Entities and cross-references: which missions, organizations, places, years, resolutions and
// document symbols each passage names, which acronyms a document defines inline, and what links
// to what (see-also arrows, footnote citations, internal references).
//
// Flow: load_gazetteer (project data files) -> build_registry (missions from the acronyms of all
// documents) -> EntityExtractor::extract (per document) -> the catalog (catalog/writer.h) and
// entity_terms / entity_values (Xapian).
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "catalog/reader.h"
#include "catalog/registry.h"
#include "indexer/model.h"
#include "text/analyzer.h"

namespace mandala::indexer {

using catalog::EntityRegistry;
using catalog::KnownMission;
using catalog::Mission;
using catalog::Organization;

// A place of the gazetteer: a country or a region. `key` is folded ("mali", "cote-divoire").
struct Place {
    std::string key;
    std::string name;
    std::string iso;                   // ISO 3166 alpha-2 for countries, empty for regions
    std::string kind;                  // country or region
    std::vector<std::string> variants;  // other names; all-caps variants match case-sensitively
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

// Reading back (export, evaluation) belongs to the catalog (catalog/reader.h).
using catalog::load_document_dates;
using catalog::load_missions;
using catalog::load_passage_entities;

}  // namespace mandala::indexer
