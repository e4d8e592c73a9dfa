#include "catalog/lineage_queries.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include "text/errors.h"

namespace mandala::catalog {
namespace {

// A JSON array of strings, or one key as plain text (see lineage_queries.h).
std::vector<std::string> key_list(const std::string& json) {
    std::vector<std::string> out;
    if (json.empty() || json.front() != '[') {
        if (!json.empty()) out.push_back(json);  // a single key
        return out;
    }
    auto array = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < array->size(); ++i) out.push_back(array->getElement<std::string>(static_cast<unsigned>(i)));
    return out;
}

bool has_column(Connection& db, const std::string& table, const std::string& column) {
    Statement st = db.prepare("SELECT 1 FROM pragma_table_info('" + table + "') WHERE name = ?");
    st.bind(1, column);
    return st.step();
}

// The SQL expression of a document's date for `FROM documents d`: the dates table or column the
// indexer writes when it reads document dates, else none (an index from before dates).
std::string date_expression(Connection& db) {
    Statement table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'document_dates'");
    if (table.step()) return "COALESCE((SELECT date FROM document_dates WHERE doc = d.id), '')";
    return has_column(db, "documents", "date") ? "COALESCE(d.date, '')" : "''";
}

}  // namespace

std::vector<MissionWithLinks> missions_with_links(Connection& db) {
    std::string columns = "key, expansion, aliases_json";
    const bool links = has_column(db, "missions", "predecessors_json") && has_column(db, "missions", "successors_json");
    if (links) columns += ", predecessors_json, successors_json";
    std::vector<MissionWithLinks> out;
    for (Statement st = db.prepare("SELECT " + columns + " FROM missions"); st.step();) {
        MissionWithLinks m{st.text(0), st.text(1), key_list(st.text(2)), {}, {}};
        if (links) m.predecessors = key_list(st.text(3)), m.successors = key_list(st.text(4));
        out.push_back(std::move(m));
    }
    return out;
}

std::set<std::string> documents_naming_mission(Connection& db, const std::string& key) {
    Statement st = db.prepare("SELECT DISTINCT doc FROM entities WHERE type = 'mission' AND key = ? ORDER BY doc");
    st.bind(1, key);
    std::set<std::string> out;
    while (st.step()) out.insert(st.text(0));
    return out;
}

DatedDocument dated_document(Connection& db, const std::string& doc_id) {
    Statement meta = db.prepare("SELECT d.id, COALESCE(d.title, ''), COALESCE(d.kind, ''), COALESCE(d.year, 0), " +
                                date_expression(db) + " FROM documents d WHERE d.id = ?");
    meta.bind(1, doc_id);
    if (!meta.step()) throw NotFound("no document '" + doc_id + "'");
    return {meta.text(0), meta.text(1), meta.text(2), meta.text(4), static_cast<int>(meta.integer(3))};
}

std::vector<ParagraphRow> document_paragraphs(Connection& db, const std::string& doc_id) {
    Statement st = db.prepare(
        "SELECT p.id, p.text, p.section, COALESCE(s.heading, '') FROM passages p LEFT JOIN sections s ON s.doc = p.doc "
        "AND s.id = p.section WHERE p.doc = ? AND p.kind <> 'footnote' ORDER BY p.ordinal");
    st.bind(1, doc_id);
    std::vector<ParagraphRow> out;
    while (st.step()) out.push_back({st.text(0), st.text(1), st.integer(2), st.text(3)});
    return out;
}

std::vector<PassageTagRow> document_passage_tags(Connection& db, const std::string& doc_id) {
    // Through the document's passages: the tags table has no index on doc, and a scan of it per
    // document made a lineage of 100 documents read 100 times every tag of the catalog.
    Statement st = db.prepare("SELECT t.passage_id, t.category, t.score, COALESCE(t.evidence_json, '') FROM passages p "
                              "JOIN tags t ON t.passage_id = p.id WHERE p.doc = ? ORDER BY t.passage_id, t.score DESC");
    st.bind(1, doc_id);
    std::vector<PassageTagRow> out;
    while (st.step()) {
        PassageTagRow row{st.text(0), st.text(1), st.real(2), {}};
        try {
            row.evidence = key_list(st.text(3));
        } catch (const Poco::Exception&) {
            // evidence is only used to pick the sentence shown: without it, the first one
        }
        out.push_back(std::move(row));
    }
    return out;
}

std::map<std::string, std::string> all_document_dates(Connection& db) {
    std::map<std::string, std::string> out;
    for (Statement all = db.prepare("SELECT d.id, " + date_expression(db) + " FROM documents d"); all.step();)
        out[all.text(0)] = all.text(1);
    return out;
}

std::vector<MissionInDocument> missions_in_documents(Connection& db) {
    Statement counts = db.prepare(
        "SELECT e.doc, e.key, COUNT(DISTINCT e.passage_id), MIN(p.ordinal) FROM entities e JOIN passages p ON p.id = "
        "e.passage_id WHERE +e.type = 'mission' GROUP BY e.doc, e.key");
    std::vector<MissionInDocument> out;
    while (counts.step()) out.push_back({counts.text(0), counts.text(1), counts.integer(2), counts.integer(3)});
    return out;
}

// The unary plus in the main mission's query keeps SQLite from choosing the (type, key) index,
// which scans every mission mention of the catalog for each document (a trace over 1,900
// documents of the large benchmark took 90 s).
DocumentFactsReader::DocumentFactsReader(Connection& db)
    : date_(db.prepare("SELECT " + date_expression(db) + " FROM documents d WHERE d.id = ?")),
      main_mission_(db.prepare(
          "SELECT e.key FROM entities e JOIN passages p ON p.id = e.passage_id WHERE e.doc = ? AND +e.type = 'mission' "
          "GROUP BY e.key ORDER BY COUNT(DISTINCT e.passage_id) DESC, MIN(p.ordinal), e.key LIMIT 1")) {}

std::optional<std::pair<std::string, std::string>> DocumentFactsReader::read(const std::string& doc_id) {
    date_.reset();
    date_.bind(1, doc_id);
    if (!date_.step()) return std::nullopt;
    main_mission_.reset();
    main_mission_.bind(1, doc_id);
    std::string mission = main_mission_.step() ? main_mission_.text(0) : std::string();
    return std::make_pair(std::move(mission), date_.text(0));
}

}  // namespace mandala::catalog
