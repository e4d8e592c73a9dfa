#include "web/xref_view.h"

#include <Poco/JSON/Parser.h>

#include "indexer/sqlite.h"
#include "indexer/store.h"
#include "text/errors.h"
#include "web/catalog.h"
#if MANDALA_HAVE_XREF
#include "search/xref.h"
#endif

namespace mandala::web {
namespace fs = std::filesystem;
using indexer::Connection;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

[[maybe_unused]] Connection open_catalog(const fs::path& db_dir) {
    indexer::check_index(db_dir);
    return Connection(indexer::catalog_path(db_dir), Connection::Mode::read_only);
}

[[maybe_unused]] bool has_table(Connection& db, const char* name) {
    auto st = db.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?");
    st.bind(1, std::string_view(name));
    return st.step();
}

[[maybe_unused]] Array::Ptr passages_of(Connection& db, const char* sql, const std::string& key, int limit) {
    Array::Ptr out = new Array;
    auto st = db.prepare(sql);
    st.bind(1, std::string_view(key)).bind(2, limit);
    while (st.step()) {
        Object::Ptr x = new Object;
        x->set("id", st.text(0));
        x->set("doc", st.text(1));
        x->set("text", st.text(2).substr(0, 300));
        out->add(x);
    }
    return out;
}

}  // namespace

#if MANDALA_HAVE_XREF

Object::Ptr mission_view(const fs::path& db_dir, const std::string& key) { return search::to_json(search::xref_mission(db_dir, key)); }

Object::Ptr missions_view(const fs::path& db_dir) {
    Object::Ptr o = new Object;
    o->set("missions", search::to_json(search::list_entities(db_dir, "mission"))->get("entities"));
    return o;
}

Object::Ptr category_view(const fs::path& db_dir, const taxonomy::Taxonomy&, const fs::path& taxonomy_file, const std::string& id) {
    return search::to_json(search::xref_category(db_dir, id, taxonomy_file));
}

Object::Ptr acronym_view(const fs::path& db_dir, const std::string& acronym) {
    return search::to_json(search::xref_acronym(db_dir, acronym));
}

Object::Ptr passage_xref_view(const fs::path& db_dir, const std::string& id) {
    try {
        return search::to_json(search::xref_passage(db_dir, id));
    } catch (const std::exception&) {
        return nullptr;
    }
}

#else

Object::Ptr mission_view(const fs::path& db_dir, const std::string& key) {
    Connection db = open_catalog(db_dir);
    Object::Ptr o = new Object;
    o->set("key", key);
    bool known = false;
    if (has_table(db, "missions")) {
        auto st = db.prepare("SELECT expansion, organization, host FROM missions WHERE key = ?");
        st.bind(1, std::string_view(key));
        if (st.step()) {
            known = true;
            o->set("expansion", st.text(0));
            o->set("organization", st.text(1));
            o->set("host", st.text(2));
        }
    }
    Array::Ptr mentions = new Array;
    if (has_table(db, "entities"))
        mentions = passages_of(db,
                               "SELECT DISTINCT p.id, p.doc, p.text FROM entities e JOIN passages p ON p.id = e.passage_id "
                               "WHERE e.type = 'mission' AND e.key = ? ORDER BY p.doc, p.ordinal LIMIT ?",
                               key, 200);
    if (!known && mentions->size() == 0) throw NotFound("no mission '" + key + "' in the index");
    o->set("mentions", mentions);
    return o;
}

Object::Ptr missions_view(const fs::path& db_dir) {
    Connection db = open_catalog(db_dir);
    Array::Ptr list = new Array;
    if (has_table(db, "missions")) {
        const bool counted = has_table(db, "entities");
        auto st = db.prepare(counted ? "SELECT m.key, m.expansion, (SELECT COUNT(*) FROM entities e WHERE e.type = 'mission' "
                                       "AND e.key = m.key) FROM missions m ORDER BY m.key"
                                     : "SELECT key, expansion, 0 FROM missions ORDER BY key");
        while (st.step()) {
            Object::Ptr x = new Object;
            x->set("type", "mission");
            x->set("key", st.text(0));
            x->set("name", st.text(1));
            x->set("mentions", st.integer(2));
            list->add(x);
        }
    }
    Object::Ptr o = new Object;
    o->set("missions", list);
    return o;
}

Object::Ptr category_view(const fs::path& db_dir, const taxonomy::Taxonomy& taxonomy, const fs::path&, const std::string& id) {
    const taxonomy::Category* c = taxonomy.find(id);
    if (!c) throw NotFound("no task category '" + id + "'");
    Connection db = open_catalog(db_dir);
    Object::Ptr o = new Object;
    o->set("id", c->id);
    o->set("label", c->pref_label);
    o->set("scope", c->scope_note);
    Array::Ptr related = new Array;
    for (const auto& r : c->related) {
        Object::Ptr x = new Object;
        x->set("id", r.category);
        x->set("in_taxonomy", true);
        related->add(x);
    }
    o->set("related", related);
    o->set("top_passages", passages_of(db,
                                       "SELECT p.id, p.doc, p.text FROM tags t JOIN passages p ON p.id = t.passage_id "
                                       "WHERE t.category = ? ORDER BY t.score DESC LIMIT ?",
                                       id, 20));
    return o;
}

Object::Ptr acronym_view(const fs::path& db_dir, const std::string& acronym) {
    Connection db = open_catalog(db_dir);
    auto st = db.prepare("SELECT expansion, group_concat(DISTINCT doc), group_concat(DISTINCT source) FROM acronyms "
                         "WHERE acronym = ? GROUP BY expansion ORDER BY COUNT(*) DESC");
    st.bind(1, std::string_view(acronym));
    Array::Ptr defs = new Array;
    while (st.step()) {
        Object::Ptr x = new Object;
        x->set("expansion", st.text(0));
        x->set("documents", st.text(1));
        x->set("sources", st.text(2));
        defs->add(x);
    }
    if (defs->size() == 0) throw NotFound("no acronym '" + acronym + "' is defined in the indexed documents");
    Object::Ptr o = new Object;
    o->set("acronym", acronym);
    o->set("definitions", defs);
    return o;
}

Object::Ptr passage_xref_view(const fs::path&, const std::string&) { return nullptr; }

#endif

}  // namespace mandala::web
