#include "catalog/cross_references.h"

#include "catalog/json_columns.h"

namespace mandala::catalog {
namespace {

constexpr const char* kMissionPassages =
    "(SELECT DISTINCT passage_id FROM entities WHERE type = 'mission' AND key = ?1)";

// What a statement's fifth column holds, after (id, doc, section heading, text).
enum class Extra { none, score, mention_at };

std::vector<PassageRow> passage_rows(Statement& st, Extra extra = Extra::none) {
    std::vector<PassageRow> out;
    while (st.step()) {
        PassageRow p{st.text(0), st.text(1), st.text(2), st.text(3)};
        if (extra == Extra::mention_at) p.mention_at = static_cast<std::size_t>(st.integer(4));
        if (extra == Extra::score) p.score = st.real(4);
        out.push_back(std::move(p));
    }
    return out;
}

std::vector<KeyCountRow> key_counts(Statement& st) {
    std::vector<KeyCountRow> out;
    while (st.step()) out.push_back({st.text(0), static_cast<std::size_t>(st.integer(1))});
    return out;
}

std::vector<std::pair<std::string, std::string>> text_pairs(Statement& st) {
    std::vector<std::pair<std::string, std::string>> out;
    while (st.step()) out.emplace_back(st.text(0), st.text(1));
    return out;
}

// A query of one string parameter.
Statement bound(Connection& db, const std::string& sql, const std::string& value) {
    Statement st = db.prepare(sql);
    st.bind(1, value);
    return st;
}

}  // namespace

std::vector<RegistryMissionRow> registry_missions(Connection& db) {
    std::vector<RegistryMissionRow> out;
    Statement st = db.prepare("SELECT key, expansion, organization, host, aliases_json FROM missions");
    while (st.step())
        out.push_back({st.text(0), st.text(1), st.text(2), st.text(3), strings_from_json_column(st.text(4))});
    return out;
}

std::vector<PassageRow> passages_naming_mission(Connection& db, const std::string& key) {
    Statement st = bound(db, std::string("SELECT p.id, p.doc, COALESCE(s.heading, ''), p.text, m.at FROM ") +
                                 "(SELECT passage_id, MIN(CASE WHEN detail IN ('title', 'heading', 'furniture') THEN 0 ELSE begin END) AS at FROM entities "
                                 "WHERE type = 'mission' AND "
                                 "key = ?1 GROUP BY passage_id) m JOIN passages p ON p.id = m.passage_id "
                                 "LEFT JOIN sections s ON s.doc = p.doc AND s.id = p.section ORDER BY p.doc, p.ordinal",
                         key);
    return passage_rows(st, Extra::mention_at);
}

std::vector<KeyCountRow> categories_of_mission(Connection& db, const std::string& key) {
    Statement st = bound(db, std::string("SELECT category, COUNT(DISTINCT passage_id) FROM tags WHERE passage_id IN ") +
                                 kMissionPassages + " GROUP BY category ORDER BY 2 DESC, category",
                         key);
    return key_counts(st);
}

std::vector<KeyCountRow> entities_beside_mission(Connection& db, const std::string& key, const std::string& type,
                                                 int limit) {
    Statement st = db.prepare(std::string("SELECT key, COUNT(DISTINCT passage_id) FROM entities WHERE type = ?2 "
                                          "AND key != ?1 AND passage_id IN ") + kMissionPassages +
                              " GROUP BY key ORDER BY 2 DESC, key LIMIT " + std::to_string(limit));
    st.bind(1, key).bind(2, type);
    return key_counts(st);
}

std::vector<std::pair<std::string, std::string>> arrows_from_category(Connection& db, const std::string& id) {
    Statement st = bound(db, "SELECT target, evidence FROM xrefs WHERE kind = 'see-also' AND from_category = ?", id);
    return text_pairs(st);
}

std::vector<std::pair<std::string, std::string>> arrows_to_category(Connection& db, const std::string& id) {
    Statement st = bound(db, "SELECT from_category, evidence FROM xrefs WHERE kind = 'see-also' AND target = ? "
                             "AND from_category != ''", id);
    return text_pairs(st);
}

std::vector<KeyCountRow> co_occurring_categories(Connection& db, const std::string& id) {
    Statement st = bound(db, "SELECT b.category, COUNT(DISTINCT a.passage_id) FROM tags a JOIN tags b "
                             "ON b.passage_id = a.passage_id AND b.category != a.category WHERE a.category = ? "
                             "GROUP BY b.category", id);
    return key_counts(st);
}

bool category_in_index(Connection& db, const std::string& id) {
    return bound(db, "SELECT 1 FROM tags WHERE category = ?1 UNION SELECT 1 FROM xrefs WHERE kind = "
                     "'see-also' AND (target = ?1 OR from_category = ?1) LIMIT 1", id)
        .step();
}

std::vector<KeyCountRow> missions_of_category(Connection& db, const std::string& id, int limit) {
    Statement st = bound(db, "SELECT e.key, COUNT(DISTINCT e.passage_id) FROM entities e JOIN tags t ON "
                             "t.passage_id = e.passage_id WHERE t.category = ? AND e.type = 'mission' "
                             "GROUP BY e.key ORDER BY 2 DESC, e.key LIMIT " + std::to_string(limit), id);
    return key_counts(st);
}

std::vector<PassageRow> passages_of_category(Connection& db, const std::string& id) {
    Statement st = bound(db, "SELECT p.id, p.doc, COALESCE(s.heading, ''), p.text, t.score FROM passages p "
                             "JOIN tags t ON t.passage_id = p.id LEFT JOIN sections s ON s.doc = p.doc AND "
                             "s.id = p.section WHERE t.category = ? ORDER BY p.doc, t.score DESC, p.ordinal", id);
    return passage_rows(st, Extra::score);
}

std::vector<AcronymRow> acronym_definitions(Connection& db, const std::string& acronym, bool any_case) {
    Statement st = bound(db, any_case ? "SELECT acronym, expansion, doc, source FROM acronyms WHERE acronym = ? COLLATE NOCASE "
                                        "ORDER BY doc"
                                      : "SELECT acronym, expansion, doc, source FROM acronyms WHERE acronym = ? ORDER BY doc",
                         acronym);
    std::vector<AcronymRow> out;
    while (st.step()) out.push_back({st.text(0), st.text(1), st.text(2), st.text(3)});
    return out;
}

std::optional<std::pair<PassageRow, std::string>> passage_with_footnote(Connection& db, const std::string& id) {
    Statement st = bound(db, "SELECT p.id, p.doc, COALESCE(s.heading, ''), p.text, COALESCE(p.footnote_number, '') "
                             "FROM passages p LEFT JOIN sections s ON s.doc = p.doc AND s.id = p.section "
                             "WHERE p.id = ?", id);
    if (!st.step()) return std::nullopt;
    return std::make_pair(PassageRow{st.text(0), st.text(1), st.text(2), st.text(3)}, st.text(4));
}

std::vector<PassageRow> footnotes_cited_by(Connection& db, const std::string& id) {
    Statement st = bound(db, "SELECT p.id, p.doc, COALESCE(s.heading, ''), p.text FROM xrefs x JOIN passages p "
                             "ON p.id = x.target_passage LEFT JOIN sections s ON s.doc = p.doc AND s.id = p.section "
                             "WHERE x.passage_id = ? AND x.kind = 'footnote' ORDER BY p.ordinal", id);
    return passage_rows(st);
}

std::vector<PassageRow> passages_citing(Connection& db, const std::string& id) {
    Statement st = bound(db, "SELECT p.id, p.doc, COALESCE(s.heading, ''), p.text FROM xrefs x JOIN passages p "
                             "ON p.id = x.passage_id LEFT JOIN sections s ON s.doc = p.doc AND s.id = p.section "
                             "WHERE x.target_passage = ? AND x.kind = 'footnote' ORDER BY p.ordinal", id);
    return passage_rows(st);
}

std::vector<InternalReferenceRow> internal_references(Connection& db, const std::string& id) {
    Statement st = bound(db, "SELECT x.target, x.target_section, COALESCE(s.heading, '') FROM xrefs x "
                             "LEFT JOIN sections s ON s.doc = x.doc AND s.id = x.target_section "
                             "WHERE x.passage_id = ? AND x.kind = 'internal'", id);
    std::vector<InternalReferenceRow> out;
    while (st.step()) out.push_back({st.text(0), static_cast<int>(st.integer(1)), st.text(2)});
    return out;
}

std::vector<std::string> see_also_targets(Connection& db, const std::string& id) {
    Statement st = bound(db, "SELECT target FROM xrefs WHERE passage_id = ? AND kind = 'see-also'", id);
    std::vector<std::string> out;
    while (st.step()) out.push_back(st.text(0));
    return out;
}

std::vector<EntityRow> passage_entity_rows(Connection& db, const std::string& id) {
    Statement st = bound(db, "SELECT type, key, surface FROM entities WHERE passage_id = ? ORDER BY begin", id);
    std::vector<EntityRow> out;
    while (st.step()) out.push_back({st.text(0), st.text(1), st.text(2)});
    return out;
}

std::vector<MentionCountRow> mention_counts(Connection& db, const std::string& type) {
    Statement st = bound(db, "SELECT type, key, COUNT(*), COUNT(DISTINCT passage_id), COUNT(DISTINCT doc) "
                             "FROM entities WHERE ?1 = '' OR type = ?1 GROUP BY type, key", type);
    std::vector<MentionCountRow> out;
    while (st.step())
        out.push_back({st.text(0), st.text(1), static_cast<std::size_t>(st.integer(2)),
                       static_cast<std::size_t>(st.integer(3)), static_cast<std::size_t>(st.integer(4))});
    return out;
}

std::vector<RegistryMissionRow> registry_missions_by_key(Connection& db) {
    Statement st = db.prepare("SELECT key, expansion, organization, host FROM missions ORDER BY key");
    std::vector<RegistryMissionRow> out;
    while (st.step()) out.push_back({st.text(0), st.text(1), st.text(2), st.text(3), {}});
    return out;
}

std::vector<RegistryOrganizationRow> registry_organizations(Connection& db) {
    Statement st = db.prepare("SELECT key, name, parent FROM organizations ORDER BY key");
    std::vector<RegistryOrganizationRow> out;
    while (st.step()) out.push_back({st.text(0), st.text(1), st.text(2)});
    return out;
}

}  // namespace mandala::catalog
