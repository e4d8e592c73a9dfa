#include "web/catalog.h"

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <map>
#include <set>

#include "catalog/passage_record.h"
#include "catalog/reader.h"
#include "catalog/sqlite.h"
#include "text/errors.h"
#include "text/unicode.h"
#include "web/xref_view.h"

namespace mandala::web {
namespace fs = std::filesystem;
using catalog::Connection;
using catalog::open_catalog;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

std::vector<std::string> string_array(const std::string& json) {
    std::vector<std::string> out;
    if (json.empty()) return out;
    try {
        Poco::JSON::Parser parser;
        auto a = parser.parse(json).extract<Array::Ptr>();
        for (std::size_t i = 0; i < a->size(); ++i) out.push_back(a->getElement<std::string>(static_cast<unsigned>(i)));
    } catch (const Poco::Exception&) {
    }
    return out;
}

Array::Ptr to_array(const std::vector<std::string>& v) {
    Array::Ptr a = new Array;
    for (const auto& s : v) a->add(s);
    return a;
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

Object::Ptr neighbour(Connection& db, const std::string& doc, int ordinal, bool previous) {
    auto st = db.prepare(previous ? "SELECT id, text, kind FROM passages WHERE doc=? AND ordinal<? ORDER BY ordinal DESC LIMIT 1"
                                  : "SELECT id, text, kind FROM passages WHERE doc=? AND ordinal>? ORDER BY ordinal LIMIT 1");
    st.bind(1, std::string_view(doc)).bind(2, ordinal);
    if (!st.step()) return nullptr;
    Object::Ptr o = new Object;
    o->set("id", st.text(0));
    o->set("text", st.text(1));
    o->set("kind", st.text(2));
    return o;
}

// The passage record of a passage_json() row (which has no source file).
catalog::PassageRecord passage_record(const catalog::Statement& st) {
    catalog::PassageRecord r;
    r.id = st.text(0);
    r.doc = st.text(1);
    r.kind = st.text(4);
    r.text = st.text(5);
    r.page = static_cast<int>(st.integer(6));
    r.title = st.text(8);
    r.section = string_array(st.text(11));
    r.section_kind = st.text(12);
    return r;
}

// The fields a document shows in the list and in its own view, from a row whose first columns are
// id, title, publisher, year, kind, language, format, source, passages, organizations_json.
Object::Ptr document_object(const catalog::Statement& st) {
    Object::Ptr d = new Object;
    d->set("id", st.text(0));
    d->set("title", st.text(1));
    d->set("publisher", st.text(2));
    d->set("year", st.integer(3));
    d->set("kind", st.text(4));
    d->set("language", st.text(5));
    d->set("format", st.text(6));
    d->set("source", st.text(7));
    d->set("passages", st.integer(8));
    d->set("organizations", to_array(string_array(st.text(9))));
    return d;
}

}  // namespace

Citation cite(const fs::path& db_dir, const std::string& passage_id) {
    Connection db = open_catalog(db_dir);
    auto st = db.prepare(
        "SELECT p.id, p.doc, p.text, p.page, d.title, d.publisher, d.year, d.kind, s.path_json FROM passages p "
        "JOIN documents d ON d.id = p.doc LEFT JOIN sections s ON s.doc = p.doc AND s.id = p.section WHERE p.id = ?");
    st.bind(1, std::string_view(passage_id));
    if (!st.step()) throw NotFound("no passage '" + passage_id + "'");
    Citation c;
    c.passage = st.text(0);
    c.doc = st.text(1);
    c.text = st.text(2);
    c.page = static_cast<int>(st.integer(3));
    c.title = st.text(4);
    c.publisher = st.text(5);
    c.year = static_cast<int>(st.integer(6));
    c.kind = st.text(7);
    c.section = string_array(st.text(8));
    return c;
}

std::string citation_text(const Citation& c) {
    std::string out = c.title.empty() ? c.doc : c.title;
    std::string imprint = c.publisher;
    if (c.year) imprint += (imprint.empty() ? "" : ", ") + std::to_string(c.year);
    if (!imprint.empty()) out += " (" + imprint + ")";
    std::string path;
    for (const auto& s : c.section) path += (path.empty() ? "" : " › ") + s;
    if (!path.empty()) out += ", " + path;
    if (c.page) out += ", p. " + std::to_string(c.page);
    return out;
}

Object::Ptr passage_json(const fs::path& db_dir, const std::string& id) {
    Connection db = open_catalog(db_dir);
    auto st = db.prepare(
        "SELECT p.id, p.doc, p.ordinal, p.section, p.kind, p.text, p.page, p.footnote_number, d.title, d.publisher, "
        "d.year, s.path_json, s.kind FROM passages p JOIN documents d ON d.id = p.doc "
        "LEFT JOIN sections s ON s.doc = p.doc AND s.id = p.section WHERE p.id = ?");
    st.bind(1, std::string_view(id));
    if (!st.step()) throw NotFound("no passage '" + id + "'");
    Object::Ptr o = new Object;
    const catalog::PassageRecord record = passage_record(st);
    const std::string& doc = record.doc;
    const int ordinal = static_cast<int>(st.integer(2));
    catalog::set_passage_fields(*o, record, false);
    o->set("ordinal", ordinal);
    o->set("section_id", st.integer(3));
    if (!st.is_null(7)) o->set("footnote_number", st.integer(7));
    o->set("publisher", st.text(9));
    o->set("year", st.integer(10));
    Citation c;
    c.title = st.text(8);
    c.publisher = st.text(9);
    c.year = static_cast<int>(st.integer(10));
    c.section = string_array(st.text(11));
    c.page = static_cast<int>(st.integer(6));
    o->set("citation", citation_text(c));
    Object::Ptr prev = neighbour(db, doc, ordinal, true), next = neighbour(db, doc, ordinal, false);
    o->set("previous", prev ? Poco::Dynamic::Var(prev) : Poco::Dynamic::Var());
    o->set("next", next ? Poco::Dynamic::Var(next) : Poco::Dynamic::Var());

    Array::Ptr tags = new Array;
    auto t = db.prepare("SELECT category, score, evidence_json, is_primary FROM tags WHERE passage_id = ? ORDER BY score DESC");
    t.bind(1, std::string_view(id));
    while (t.step()) {
        Object::Ptr tag = new Object;
        tag->set("category", t.text(0));
        tag->set("score", t.real(1));
        tag->set("evidence", to_array(string_array(t.text(2))));
        tag->set("primary", t.integer(3) != 0);
        tags->add(tag);
    }
    o->set("tags", tags);
    Object::Ptr xref = passage_xref_view(db_dir, id);
    o->set("xref", xref ? Poco::Dynamic::Var(xref) : Poco::Dynamic::Var());
    return o;
}

Object::Ptr documents_json(const fs::path& db_dir) {
    Connection db = open_catalog(db_dir);
    Array::Ptr docs = new Array;
    auto st = db.prepare(
        "SELECT id, title, publisher, year, kind, language, format, source, passages, organizations_json FROM documents "
        "ORDER BY year DESC, title");
    while (st.step()) docs->add(document_object(st));
    Object::Ptr o = new Object;
    o->set("documents", docs);
    o->set("total", docs->size());
    return o;
}

Object::Ptr document_json(const fs::path& db_dir, const std::string& id) {
    Connection db = open_catalog(db_dir);
    auto st = db.prepare(
        "SELECT id, title, publisher, year, kind, language, format, source, passages, organizations_json, licence, "
        "source_url, content_hash, bytes, indexed_at FROM documents WHERE id = ?");
    st.bind(1, std::string_view(id));
    if (!st.step()) throw NotFound("no document '" + id + "'");
    Object::Ptr d = document_object(st);
    d->set("licence", st.text(10));
    d->set("source_url", st.text(11));
    d->set("content_hash", st.text(12));
    d->set("bytes", st.integer(13));
    d->set("indexed_at", st.text(14));

    std::map<int, std::pair<std::int64_t, std::string>> per_section;  // section -> (passages, first passage)
    auto ps = db.prepare("SELECT section, COUNT(*), MIN(ordinal), id FROM passages WHERE doc = ? GROUP BY section");
    ps.bind(1, std::string_view(id));
    while (ps.step()) per_section[static_cast<int>(ps.integer(0))] = {ps.integer(1), ps.text(3)};
    Array::Ptr outline = new Array;
    for (const auto& s : catalog::load_sections(db_dir, id)) {
        Object::Ptr x = new Object;
        x->set("id", s.id);
        x->set("parent", s.parent);
        x->set("level", s.level);
        x->set("number", s.number);
        x->set("title", s.title);
        x->set("heading", s.heading);
        x->set("kind", s.kind);
        auto it = per_section.find(s.id);
        x->set("passages", it == per_section.end() ? 0 : it->second.first);
        x->set("first_passage", it == per_section.end() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(it->second.second));
        outline->add(x);
    }
    d->set("outline", outline);
    return d;
}

Object::Ptr categories_json(const fs::path& db_dir, const taxonomy::Taxonomy& taxonomy) {
    Connection db = open_catalog(db_dir);
    std::map<std::string, std::int64_t> counts;
    auto st = db.prepare("SELECT category, COUNT(DISTINCT passage_id) FROM tags GROUP BY category");
    while (st.step()) counts[st.text(0)] = st.integer(1);
    Array::Ptr list = new Array;
    for (const auto& c : taxonomy.categories) {
        Object::Ptr x = new Object;
        x->set("id", c.id);
        x->set("label", c.pref_label);
        x->set("acronyms", to_array(c.acronyms));
        x->set("scope", c.scope_note);
        x->set("passages", counts.count(c.id) ? counts[c.id] : 0);
        Array::Ptr related = new Array;
        for (const auto& r : c.related) related->add(r.category);
        x->set("related", related);
        list->add(x);
    }
    // The heatmap: passages tagged with each category in each document.
    Object::Ptr by_doc = new Object;
    auto h = db.prepare("SELECT doc, category, COUNT(DISTINCT passage_id) FROM tags GROUP BY doc, category");
    while (h.step()) {
        const std::string doc = h.text(0);
        if (!by_doc->has(doc)) by_doc->set(doc, Object::Ptr(new Object));
        by_doc->getObject(doc)->set(h.text(1), h.integer(2));
    }
    Object::Ptr o = new Object;
    o->set("categories", list);
    o->set("by_document", by_doc);
    return o;
}

Object::Ptr category_heatmap_json(const fs::path& db_dir, const std::string& category) {
    Connection db = open_catalog(db_dir);
    Array::Ptr by_doc = new Array;
    std::map<std::string, std::int64_t> by_org;
    auto st = db.prepare(
        "SELECT d.id, d.title, d.year, d.organizations_json, COUNT(DISTINCT t.passage_id), d.passages FROM documents d "
        "LEFT JOIN tags t ON t.doc = d.id AND t.category = ? GROUP BY d.id ORDER BY d.year, d.id");
    st.bind(1, std::string_view(category));
    while (st.step()) {
        Object::Ptr x = new Object;
        x->set("doc", st.text(0));
        x->set("title", st.text(1));
        x->set("year", st.integer(2));
        x->set("passages", st.integer(4));
        x->set("of", st.integer(5));
        by_doc->add(x);
        for (const auto& org : string_array(st.text(3))) by_org[org] += st.integer(4);
    }
    Array::Ptr orgs = new Array;
    for (const auto& [org, n] : by_org) {
        Object::Ptr x = new Object;
        x->set("organization", org);
        x->set("passages", n);
        orgs->add(x);
    }
    Object::Ptr o = new Object;
    o->set("by_document", by_doc);
    o->set("by_organization", orgs);
    return o;
}

Array::Ptr mission_timeline_json(const fs::path& db_dir, const std::string& key) {
    Connection db = open_catalog(db_dir);
    Array::Ptr out = new Array;
    if (!table_exists(db, "entities")) return out;
    auto st = db.prepare(
        "SELECT d.year, COUNT(*), COUNT(DISTINCT e.doc) FROM entities e JOIN documents d ON d.id = e.doc "
        "WHERE e.type = 'mission' AND e.key = ? GROUP BY d.year ORDER BY d.year");
    st.bind(1, std::string_view(key));
    while (st.step()) {
        Object::Ptr x = new Object;
        x->set("year", st.integer(0));
        x->set("mentions", st.integer(1));
        x->set("documents", st.integer(2));
        out->add(x);
    }
    return out;
}

Object::Ptr suggest_json(const fs::path& db_dir, const taxonomy::Taxonomy& taxonomy, const std::string& prefix,
                         std::size_t limit) {
    Connection db = open_catalog(db_dir);
    const std::string folded = text::fold(prefix);
    Array::Ptr out = new Array;
    std::set<std::string> seen;
    auto add = [&](const std::string& type, const std::string& value, const std::string& label) {
        if (out->size() >= limit || !seen.insert(type + "\n" + value).second) return;
        Object::Ptr x = new Object;
        x->set("type", type);
        x->set("value", value);
        x->set("label", label);
        out->add(x);
    };
    for (const auto& c : taxonomy.categories) {
        std::vector<std::string> names = c.alt_labels;
        names.insert(names.begin(), c.pref_label);
        for (const auto& n : names)
            if (text::fold(n).rfind(folded, 0) == 0) add("category", c.id, c.pref_label);
    }
    const std::string like = like_escape(prefix) + "%";
    const std::string contains = "%" + like_escape(prefix) + "%";
    if (table_exists(db, "missions")) {
        auto m = db.prepare("SELECT key, expansion FROM missions WHERE key LIKE ? ESCAPE '\\' OR expansion LIKE ? ESCAPE '\\' "
                            "ORDER BY key LIMIT 20");
        m.bind(1, std::string_view(like)).bind(2, std::string_view(contains));
        while (m.step()) add("mission", m.text(0), m.text(0) + " — " + m.text(1));
    }
    auto a = db.prepare("SELECT acronym, MIN(expansion) FROM acronyms WHERE acronym LIKE ? ESCAPE '\\' GROUP BY acronym "
                        "ORDER BY acronym LIMIT 20");
    a.bind(1, std::string_view(like));
    while (a.step()) add("acronym", a.text(0), a.text(0) + " — " + a.text(1));
    auto d = db.prepare("SELECT id, title FROM documents WHERE title LIKE ? ESCAPE '\\' ORDER BY title LIMIT 20");
    d.bind(1, std::string_view(contains));
    while (d.step()) add("document", d.text(0), d.text(1));
    Object::Ptr o = new Object;
    o->set("q", prefix);
    o->set("suggestions", out);
    return o;
}

}  // namespace mandala::web
