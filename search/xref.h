#pragma once
// Cross-reference look-ups over catalog.sqlite: a mission, a task category, an acronym or a
// passage, and what it is linked to; plus the entity registry with counts. Plain structs out,
// rendered as JSON (Poco) or text by the functions at the end. Unknown keys throw NotFound.
#include <Poco/JSON/Object.h>

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace mandala::search {

struct PassageRef {
    std::string id, doc, section, text;  // text: a short excerpt
    double score = 0;                    // tag score where the list is ranked by it
};

struct KeyCount {
    std::string key;
    std::size_t count = 0;
};

struct DocumentPassages {
    std::string doc;
    std::vector<PassageRef> passages;
};

struct MissionReport {
    std::string key, expansion, organization, host;
    std::vector<std::string> aliases;
    std::vector<DocumentPassages> mentions;  // passages naming it, grouped by document
    std::vector<KeyCount> categories;        // tagged passages among them, per category
    std::vector<KeyCount> co_missions;       // other missions named in the same passages
    std::vector<KeyCount> years;             // years named in the same passages
};

struct RelatedCategory {
    std::string id;
    std::vector<std::string> arrows_to;    // evidence of see-also arrows from the category to it
    std::vector<std::string> arrows_from;  // evidence of arrows from it to the category
    std::size_t co_occurrences = 0;        // passages tagged with both
    bool in_taxonomy = false;              // listed as related in the taxonomy
};

struct CategoryReport {
    std::string id, label, scope;
    std::vector<RelatedCategory> related;   // arrows first, then by co-occurrence
    std::vector<KeyCount> missions;         // missions named in passages tagged with it
    std::vector<DocumentPassages> top_passages;  // best tagged passages per document
};

struct AcronymDefinition {
    std::string expansion;
    std::vector<std::string> documents;  // where it is defined
    std::vector<std::string> sources;    // table, inline
};

struct AcronymReport {
    std::string acronym;
    std::vector<AcronymDefinition> definitions;
};

struct SectionRef {
    std::string label;    // as the text says it ("Chapter 6")
    int section = -1;     // resolved Section id, -1 when unresolved
    std::string heading;  // heading of the resolved section
};

struct EntityRef {
    std::string type, key, surface;
};

struct PassageReport {
    PassageRef passage;
    std::string footnote_number;            // when the passage is a footnote
    std::vector<PassageRef> cites;          // footnotes it cites
    std::vector<PassageRef> cited_by;       // passages citing it
    std::vector<SectionRef> refers_to;      // internal references
    std::vector<std::string> see_also;      // categories its arrows point at
    std::vector<EntityRef> entities;
};

struct RegistryEntry {
    std::string type, key, name, organization, host, parent;
    std::size_t mentions = 0, passages = 0, documents = 0;
};

// `db_dir` holds catalog.sqlite.
MissionReport xref_mission(const std::filesystem::path& db_dir, const std::string& key);
CategoryReport xref_category(const std::filesystem::path& db_dir, const std::string& id,
                             const std::filesystem::path& taxonomy_json);
AcronymReport xref_acronym(const std::filesystem::path& db_dir, const std::string& acronym);
PassageReport xref_passage(const std::filesystem::path& db_dir, const std::string& passage_id);
// Every entity of `type` (mission, organization, place, year, resolution, document-symbol,
// acronym) or of all types when empty, with mention counts; registry missions and
// organizations are listed even when no passage names them.
std::vector<RegistryEntry> list_entities(const std::filesystem::path& db_dir, const std::string& type = {});

Poco::JSON::Object::Ptr to_json(const MissionReport& r);
Poco::JSON::Object::Ptr to_json(const CategoryReport& r);
Poco::JSON::Object::Ptr to_json(const AcronymReport& r);
Poco::JSON::Object::Ptr to_json(const PassageReport& r);
Poco::JSON::Object::Ptr to_json(const std::vector<RegistryEntry>& entries);

std::string to_text(const MissionReport& r);
std::string to_text(const CategoryReport& r);
std::string to_text(const AcronymReport& r);
std::string to_text(const PassageReport& r);
std::string to_text(const std::vector<RegistryEntry>& entries);

}  // namespace mandala::search
