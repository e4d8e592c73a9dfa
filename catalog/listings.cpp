#include "catalog/listings.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include "text/errors.h"

namespace mandala::catalog {
namespace {

// As much of a stored JSON list as can be read (see listings.h).
std::vector<std::string> lenient_strings(const std::string& json) {
    std::vector<std::string> out;
    if (json.empty()) return out;
    try {
        Poco::JSON::Parser parser;
        auto a = parser.parse(json).extract<Poco::JSON::Array::Ptr>();
        for (std::size_t i = 0; i < a->size(); ++i) out.push_back(a->getElement<std::string>(static_cast<unsigned>(i)));
    } catch (const Poco::Exception&) {
    }
    return out;
}

bool table_exists(Connection& db, const char* name) {
    auto st = db.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?");
    st.bind(1, std::string_view(name));
    return st.step();
}

std::string like_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '%' || c == '_' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> pairs(Statement& st) {
    std::vector<std::pair<std::string, std::string>> out;
    while (st.step()) out.emplace_back(st.text(0), st.text(1));
    return out;
}

// The columns list_documents and document_detail share, in the order document_listing reads.
constexpr const char* kListingColumns =
    "id, title, publisher, year, kind, language, format, source, passages, organizations_json";

DocumentListing document_listing(const Statement& st) {
    return {st.text(0), st.text(1), st.text(2), st.integer(3), st.text(4), st.text(5), st.text(6), st.text(7),
            st.integer(8), lenient_strings(st.text(9))};
}

}  // namespace

PassageInContext passage_in_context(Connection& db, const std::string& passage_id) {
    auto st = db.prepare(
        "SELECT p.id, p.doc, p.ordinal, p.section, p.kind, p.text, p.page, p.footnote_number, d.title, d.publisher, "
        "d.year, s.path_json, s.kind, d.kind FROM passages p JOIN documents d ON d.id = p.doc "
        "LEFT JOIN sections s ON s.doc = p.doc AND s.id = p.section WHERE p.id = ?");
    st.bind(1, std::string_view(passage_id));
    if (!st.step()) throw NotFound("no passage '" + passage_id + "'");
    PassageInContext p;
    p.record.id = st.text(0);
    p.record.doc = st.text(1);
    p.ordinal = static_cast<int>(st.integer(2));
    p.section_id = st.integer(3);
    p.record.kind = st.text(4);
    p.record.text = st.text(5);
    p.record.page = static_cast<int>(st.integer(6));
    if (!st.is_null(7)) p.footnote_number = st.integer(7);
    p.record.title = st.text(8);
    p.publisher = st.text(9);
    p.record.year = static_cast<int>(st.integer(10));
    p.record.section = lenient_strings(st.text(11));
    p.record.section_kind = st.text(12);
    p.document_kind = st.text(13);
    return p;
}

std::optional<PassageLink> neighbour(Connection& db, const std::string& doc, int ordinal, bool previous) {
    auto st = db.prepare(previous ? "SELECT id, text, kind FROM passages WHERE doc=? AND ordinal<? ORDER BY ordinal DESC LIMIT 1"
                                  : "SELECT id, text, kind FROM passages WHERE doc=? AND ordinal>? ORDER BY ordinal LIMIT 1");
    st.bind(1, std::string_view(doc)).bind(2, ordinal);
    if (!st.step()) return std::nullopt;
    return PassageLink{st.text(0), st.text(1), st.text(2)};
}

std::vector<PassageTag> passage_tags(Connection& db, const std::string& passage_id) {
    auto st = db.prepare("SELECT category, score, evidence_json, is_primary FROM tags WHERE passage_id = ? ORDER BY score DESC");
    st.bind(1, std::string_view(passage_id));
    std::vector<PassageTag> out;
    while (st.step()) out.push_back({st.text(0), st.real(1), lenient_strings(st.text(2)), st.integer(3) != 0});
    return out;
}

std::vector<DocumentListing> list_documents(Connection& db) {
    auto st = db.prepare(std::string("SELECT ") + kListingColumns + " FROM documents ORDER BY year DESC, title");
    std::vector<DocumentListing> out;
    while (st.step()) out.push_back(document_listing(st));
    return out;
}

DocumentDetail document_detail(Connection& db, const std::string& doc_id) {
    auto st = db.prepare(std::string("SELECT ") + kListingColumns +
                         ", licence, source_url, content_hash, bytes, indexed_at FROM documents WHERE id = ?");
    st.bind(1, std::string_view(doc_id));
    if (!st.step()) throw NotFound("no document '" + doc_id + "'");
    DocumentDetail d;
    static_cast<DocumentListing&>(d) = document_listing(st);
    d.licence = st.text(10);
    d.source_url = st.text(11);
    d.content_hash = st.text(12);
    d.bytes = st.integer(13);
    d.indexed_at = st.text(14);
    return d;
}

std::map<int, std::pair<std::int64_t, std::string>> section_passages(Connection& db, const std::string& doc_id) {
    std::map<int, std::pair<std::int64_t, std::string>> out;
    auto st = db.prepare("SELECT section, COUNT(*), MIN(ordinal), id FROM passages WHERE doc = ? GROUP BY section");
    st.bind(1, std::string_view(doc_id));
    while (st.step()) out[static_cast<int>(st.integer(0))] = {st.integer(1), st.text(3)};
    return out;
}

std::map<std::string, std::int64_t> category_passage_counts(Connection& db) {
    std::map<std::string, std::int64_t> counts;
    auto st = db.prepare("SELECT category, COUNT(DISTINCT passage_id) FROM tags GROUP BY category");
    while (st.step()) counts[st.text(0)] = st.integer(1);
    return counts;
}

std::vector<std::tuple<std::string, std::string, std::int64_t>> document_category_counts(Connection& db) {
    std::vector<std::tuple<std::string, std::string, std::int64_t>> out;
    auto st = db.prepare("SELECT doc, category, COUNT(DISTINCT passage_id) FROM tags GROUP BY doc, category");
    while (st.step()) out.emplace_back(st.text(0), st.text(1), st.integer(2));
    return out;
}

std::vector<CategoryInDocument> category_in_documents(Connection& db, const std::string& category) {
    auto st = db.prepare(
        "SELECT d.id, d.title, d.year, d.organizations_json, COUNT(DISTINCT t.passage_id), d.passages FROM documents d "
        "LEFT JOIN tags t ON t.doc = d.id AND t.category = ? GROUP BY d.id ORDER BY d.year, d.id");
    st.bind(1, std::string_view(category));
    std::vector<CategoryInDocument> out;
    while (st.step())
        out.push_back({st.text(0), st.text(1), st.integer(2), lenient_strings(st.text(3)), st.integer(4), st.integer(5)});
    return out;
}

std::vector<YearMentions> mission_timeline(Connection& db, const std::string& mission_key) {
    std::vector<YearMentions> out;
    if (!table_exists(db, "entities")) return out;
    auto st = db.prepare(
        "SELECT d.year, COUNT(*), COUNT(DISTINCT e.doc) FROM entities e JOIN documents d ON d.id = e.doc "
        "WHERE e.type = 'mission' AND e.key = ? GROUP BY d.year ORDER BY d.year");
    st.bind(1, std::string_view(mission_key));
    while (st.step()) out.push_back({st.integer(0), st.integer(1), st.integer(2)});
    return out;
}

std::vector<std::pair<std::string, std::string>> missions_matching(Connection& db, const std::string& prefix) {
    if (!table_exists(db, "missions")) return {};
    const std::string starts = like_escape(prefix) + "%", contains = "%" + like_escape(prefix) + "%";
    auto st = db.prepare("SELECT key, expansion FROM missions WHERE key LIKE ? ESCAPE '\\' OR expansion LIKE ? ESCAPE '\\' "
                         "ORDER BY key LIMIT 20");
    st.bind(1, std::string_view(starts)).bind(2, std::string_view(contains));
    return pairs(st);
}

std::vector<std::pair<std::string, std::string>> acronyms_starting(Connection& db, const std::string& prefix) {
    const std::string starts = like_escape(prefix) + "%";
    auto st = db.prepare("SELECT acronym, MIN(expansion) FROM acronyms WHERE acronym LIKE ? ESCAPE '\\' GROUP BY acronym "
                         "ORDER BY acronym LIMIT 20");
    st.bind(1, std::string_view(starts));
    return pairs(st);
}

std::vector<std::pair<std::string, std::string>> documents_titled(Connection& db, const std::string& part) {
    const std::string contains = "%" + like_escape(part) + "%";
    auto st = db.prepare("SELECT id, title FROM documents WHERE title LIKE ? ESCAPE '\\' ORDER BY title LIMIT 20");
    st.bind(1, std::string_view(contains));
    return pairs(st);
}

}  // namespace mandala::catalog
