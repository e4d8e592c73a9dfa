#include "web/catalog.h"

#include <set>

#include "catalog/listings.h"
#include "catalog/passage_record.h"
#include "catalog/reader.h"
#include "text/unicode.h"
#include "web/xref_view.h"

namespace mandala::web {
namespace fs = std::filesystem;
using catalog::Connection;
using catalog::open_catalog;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

Array::Ptr to_array(const std::vector<std::string>& v) {
    Array::Ptr a = new Array;
    for (const auto& s : v) a->add(s);
    return a;
}

Poco::Dynamic::Var link_json(const std::optional<catalog::PassageLink>& link) {
    if (!link) return Poco::Dynamic::Var();
    Object::Ptr o = new Object;
    o->set("id", link->id);
    o->set("text", link->text);
    o->set("kind", link->kind);
    return o;
}

Array::Ptr tags_json(const std::vector<catalog::PassageTag>& tags) {
    Array::Ptr out = new Array;
    for (const auto& t : tags) {
        Object::Ptr tag = new Object;
        tag->set("category", t.category);
        tag->set("score", t.score);
        tag->set("evidence", to_array(t.evidence));
        tag->set("primary", t.primary);
        out->add(tag);
    }
    return out;
}

// The fields a document shows in the list and in its own view.
Object::Ptr document_object(const catalog::DocumentListing& l) {
    Object::Ptr d = new Object;
    d->set("id", l.id);
    d->set("title", l.title);
    d->set("publisher", l.publisher);
    d->set("year", l.year);
    d->set("kind", l.kind);
    d->set("language", l.language);
    d->set("format", l.format);
    d->set("source", l.source);
    d->set("passages", l.passages);
    d->set("organizations", to_array(l.organizations));
    return d;
}

Array::Ptr outline_json(Connection& db, const fs::path& db_dir, const std::string& id) {
    const auto per_section = catalog::section_passages(db, id);  // section -> (passages, first passage)
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
    return outline;
}

Array::Ptr category_list_json(Connection& db, const taxonomy::Taxonomy& taxonomy) {
    std::map<std::string, std::int64_t> counts = catalog::category_passage_counts(db);
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
    return list;
}

}  // namespace

Citation cite(const fs::path& db_dir, const std::string& passage_id) {
    Connection db = open_catalog(db_dir);
    const catalog::PassageInContext p = catalog::passage_in_context(db, passage_id);
    Citation c;
    c.passage = p.record.id;
    c.doc = p.record.doc;
    c.text = p.record.text;
    c.page = p.record.page;
    c.title = p.record.title;
    c.publisher = p.publisher;
    c.year = p.record.year;
    c.kind = p.document_kind;
    c.section = p.record.section;
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
    const catalog::PassageInContext p = catalog::passage_in_context(db, id);
    Object::Ptr o = new Object;
    catalog::set_passage_fields(*o, p.record, false);
    o->set("year", p.record.year);
    o->set("ordinal", p.ordinal);
    o->set("section_id", p.section_id);
    if (p.footnote_number) o->set("footnote_number", *p.footnote_number);
    o->set("publisher", p.publisher);
    Citation c;
    c.title = p.record.title;
    c.publisher = p.publisher;
    c.year = p.record.year;
    c.section = p.record.section;
    c.page = p.record.page;
    o->set("citation", citation_text(c));
    o->set("previous", link_json(catalog::neighbour(db, p.record.doc, p.ordinal, true)));
    o->set("next", link_json(catalog::neighbour(db, p.record.doc, p.ordinal, false)));
    o->set("tags", tags_json(catalog::passage_tags(db, id)));
    Object::Ptr xref = passage_xref_view(db_dir, id);
    o->set("xref", xref ? Poco::Dynamic::Var(xref) : Poco::Dynamic::Var());
    return o;
}

Object::Ptr documents_json(const fs::path& db_dir) {
    Connection db = open_catalog(db_dir);
    Array::Ptr docs = new Array;
    for (const auto& d : catalog::list_documents(db)) docs->add(document_object(d));
    Object::Ptr o = new Object;
    o->set("documents", docs);
    o->set("total", docs->size());
    return o;
}

Object::Ptr document_json(const fs::path& db_dir, const std::string& id) {
    Connection db = open_catalog(db_dir);
    const catalog::DocumentDetail detail = catalog::document_detail(db, id);
    Object::Ptr d = document_object(detail);
    d->set("licence", detail.licence);
    d->set("source_url", detail.source_url);
    d->set("content_hash", detail.content_hash);
    d->set("bytes", detail.bytes);
    d->set("indexed_at", detail.indexed_at);
    d->set("outline", outline_json(db, db_dir, id));
    return d;
}

Object::Ptr categories_json(const fs::path& db_dir, const taxonomy::Taxonomy& taxonomy) {
    Connection db = open_catalog(db_dir);
    Array::Ptr list = category_list_json(db, taxonomy);
    // The heatmap: passages tagged with each category in each document.
    Object::Ptr by_doc = new Object;
    for (const auto& [doc, category, passages] : catalog::document_category_counts(db)) {
        if (!by_doc->has(doc)) by_doc->set(doc, Object::Ptr(new Object));
        by_doc->getObject(doc)->set(category, passages);
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
    for (const auto& row : catalog::category_in_documents(db, category)) {
        Object::Ptr x = new Object;
        x->set("doc", row.doc);
        x->set("title", row.title);
        x->set("year", row.year);
        x->set("passages", row.passages);
        x->set("of", row.of);
        by_doc->add(x);
        for (const auto& org : row.organizations) by_org[org] += row.passages;
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
    for (const auto& y : catalog::mission_timeline(db, key)) {
        Object::Ptr x = new Object;
        x->set("year", y.year);
        x->set("mentions", y.mentions);
        x->set("documents", y.documents);
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
    for (const auto& [key, name] : catalog::missions_matching(db, prefix)) add("mission", key, key + " — " + name);
    for (const auto& [acronym, name] : catalog::acronyms_starting(db, prefix)) add("acronym", acronym, acronym + " — " + name);
    for (const auto& [id, title] : catalog::documents_titled(db, prefix)) add("document", id, title);
    Object::Ptr o = new Object;
    o->set("q", prefix);
    o->set("suggestions", out);
    return o;
}

}  // namespace mandala::web
