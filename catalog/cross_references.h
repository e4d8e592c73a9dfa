#pragma once
// The catalog's queries behind the cross-reference views (search/xref.h): what links to a
// mission, a task category, an acronym or a passage, and the entity registry with its counts.
// Rows come back as the catalog holds them; search/ cuts excerpts, groups and ranks. Each takes
// a catalog opened by open_catalog().
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "catalog/sqlite.h"

namespace mandala::catalog {

// A passage with its section's heading ("" when none) and its whole text; `mention_at` or `score`
// when the query says so.
struct PassageRow {
    std::string id, doc, heading, text;
    std::size_t mention_at = 0;
    double score = 0;
};

struct KeyCountRow {
    std::string key;
    std::size_t count = 0;
};

struct RegistryMissionRow {
    std::string key, expansion, organization, host;
    std::vector<std::string> aliases;
};

// ---- missions
// The registry's missions in the catalog's own order (its first match wins a look-up).
std::vector<RegistryMissionRow> registry_missions(Connection& db);
// Each passage naming the mission once, in document order; `mention_at` is its first mention's
// byte offset in the text (0 when named in its heading, title or a furniture line before it).
std::vector<PassageRow> passages_naming_mission(Connection& db, const std::string& key);
// Tagged passages naming the mission, per category, most first.
std::vector<KeyCountRow> categories_of_mission(Connection& db, const std::string& key);
// Entities of `type` other than the mission in passages naming it, most first, at most `limit`.
std::vector<KeyCountRow> entities_beside_mission(Connection& db, const std::string& key, const std::string& type,
                                                 int limit);

// ---- task categories
// (target, evidence) of see-also arrows from the category; (from_category, evidence) of arrows to it.
std::vector<std::pair<std::string, std::string>> arrows_from_category(Connection& db, const std::string& id);
std::vector<std::pair<std::string, std::string>> arrows_to_category(Connection& db, const std::string& id);
// Other categories tagged on the same passages, with the number of such passages.
std::vector<KeyCountRow> co_occurring_categories(Connection& db, const std::string& id);
// Whether any passage is tagged with the category or any arrow names it.
bool category_in_index(Connection& db, const std::string& id);
// Missions named in passages tagged with the category, most first, at most `limit`.
std::vector<KeyCountRow> missions_of_category(Connection& db, const std::string& id, int limit);
// Passages tagged with the category with their score, by document, best first within it.
std::vector<PassageRow> passages_of_category(Connection& db, const std::string& id);

// ---- acronyms
struct AcronymRow {
    std::string acronym, expansion, doc, source;
};
// Definitions of the acronym spelt exactly (or in any case with `any_case`), by document.
std::vector<AcronymRow> acronym_definitions(Connection& db, const std::string& acronym, bool any_case);

// ---- passages
// The passage and its footnote number ("" when it is no footnote), if it exists.
std::optional<std::pair<PassageRow, std::string>> passage_with_footnote(Connection& db, const std::string& id);
// Footnotes the passage cites; passages citing it (as a footnote).
std::vector<PassageRow> footnotes_cited_by(Connection& db, const std::string& id);
std::vector<PassageRow> passages_citing(Connection& db, const std::string& id);
struct InternalReferenceRow {
    std::string target;
    int section = -1;
    std::string heading;
};
std::vector<InternalReferenceRow> internal_references(Connection& db, const std::string& id);
// Categories the passage's see-also arrows point to.
std::vector<std::string> see_also_targets(Connection& db, const std::string& id);
struct EntityRow {
    std::string type, key, surface;
};
// The passage's entities in text order.
std::vector<EntityRow> passage_entity_rows(Connection& db, const std::string& id);

// ---- the registry
struct MentionCountRow {
    std::string type, key;
    std::size_t mentions = 0, passages = 0, documents = 0;
};
// Mentions per (type, key), for one type or all ("").
std::vector<MentionCountRow> mention_counts(Connection& db, const std::string& type);
// (key, expansion, organization, host) of the registry's missions; (key, name, parent) of its
// organizations; both by key.
std::vector<RegistryMissionRow> registry_missions_by_key(Connection& db);
struct RegistryOrganizationRow {
    std::string key, name, parent;
};
std::vector<RegistryOrganizationRow> registry_organizations(Connection& db);

}  // namespace mandala::catalog
