#include "catalog/writer.h"

#include "catalog/json_columns.h"
#include "catalog/paths.h"
#include "catalog/reader.h"
#include "catalog/schema.h"

namespace mandala::catalog {
namespace fs = std::filesystem;

namespace {

const std::string& passage_id(const SegmentedDocument& doc, int index) {
    return doc.passages.at(static_cast<std::size_t>(index)).id;
}

}  // namespace

CatalogWriter::CatalogWriter(const fs::path& db_dir) : dir_(db_dir), db_(catalog_path(db_dir), Connection::Mode::read_write) {
    prepare_schema_for_writing(db_, catalog_path(db_dir));
}

std::map<std::string, std::string> CatalogWriter::committed_hashes() {
    std::map<std::string, std::string> out;
    auto st = db_.prepare("SELECT path, content_hash FROM documents");
    while (st.step()) out[st.text(0)] = st.text(1);
    return out;
}

std::map<std::string, std::string> CatalogWriter::committed_ids() {
    std::map<std::string, std::string> out;
    auto st = db_.prepare("SELECT path, id FROM documents");
    while (st.step()) out[st.text(0)] = st.text(1);
    return out;
}

std::vector<std::pair<std::string, AcronymPair>> CatalogWriter::committed_acronyms() {
    std::vector<std::pair<std::string, AcronymPair>> out;
    auto st = db_.prepare("SELECT doc, acronym, expansion, source FROM acronyms");
    while (st.step()) out.push_back({st.text(0), {st.text(1), st.text(2), st.text(3)}});
    return out;
}

std::size_t CatalogWriter::recorded_shards() { return catalog::recorded_shards(db_, dir_); }

void CatalogWriter::record_shards(std::size_t shards) {
    db_.prepare("INSERT OR IGNORE INTO meta(key, value) VALUES('xapian_shards', ?)").bind(1, std::to_string(shards)).run();
}

void CatalogWriter::begin() { db_.exec("BEGIN IMMEDIATE"); }

void CatalogWriter::commit() {
    db_.exec(
        "INSERT INTO meta(key, value) VALUES('generation', '1')"
        " ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1");
    db_.exec("COMMIT");
}

void CatalogWriter::rollback() { db_.exec("ROLLBACK"); }

void CatalogWriter::delete_document(const std::string& doc_id) {
    // Every row of a document is written with its `documents` row, in one transaction, and
    // deleted with it: without that row there is nothing to delete. Checking first spares a
    // new document the DELETEs on tables without an index on `doc` (tags, acronyms), each a
    // scan of the whole table, which made a first run quadratic in the number of documents.
    if (!db_.prepare("SELECT 1 FROM documents WHERE id = ?").bind(1, doc_id).step()) return;
    delete_entity_rows(doc_id);
    for (std::string_view table : {"documents WHERE id", "sections WHERE doc", "passages WHERE doc",
                                   "acronyms WHERE doc", "tags WHERE doc"}) {
        db_.prepare("DELETE FROM " + std::string(table) + " = ?").bind(1, doc_id).run();
    }
}

void CatalogWriter::delete_entity_rows(const std::string& doc_id) {
    for (std::string_view table : {"entities", "xrefs", "document_dates"})
        db_.prepare("DELETE FROM " + std::string(table) + " WHERE doc = ?").bind(1, doc_id).run();
}

void CatalogWriter::write_document(const SegmentedDocument& d) {
    delete_document(d.meta.id);
    write_document_row(d);
    write_sections(d);
    write_passages(d);
    write_acronyms(d);
    write_tags(d);
    delete_entity_rows(d.meta.id);  // indexed by doc: cheap, and clears rows a document row no longer vouches for
    write_entities(d);
    write_xrefs(d);
}

void CatalogWriter::rekey_document(const std::string& old_path, const std::string& new_path) {
    db_.prepare("UPDATE documents SET path = ? WHERE path = ?").bind(1, new_path).bind(2, old_path).run();
}

void CatalogWriter::write_document_row(const SegmentedDocument& d) {
    db_.prepare(
           "INSERT INTO documents(id, source, path, format, title, publisher, year, kind, language, licence,"
           " source_url, organizations_json, content_hash, bytes, passages, indexed_at)"
           " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,datetime('now'))")
        .bind(1, d.meta.id).bind(2, d.source).bind(3, d.path).bind(4, d.format).bind(5, d.meta.title)
        .bind(6, d.meta.publisher).bind(7, d.meta.year).bind(8, d.meta.kind).bind(9, d.meta.language)
        .bind(10, d.meta.licence).bind(11, d.meta.source_url).bind(12, json_column(d.meta.organizations))
        .bind(13, d.content_hash).bind(14, static_cast<std::int64_t>(d.bytes))
        .bind(15, static_cast<std::int64_t>(d.passages.size()))
        .run();
}

void CatalogWriter::write_sections(const SegmentedDocument& d) {
    auto st = db_.prepare(
        "INSERT INTO sections(doc, id, parent, level, number, title, heading, kind, path_json)"
        " VALUES(?,?,?,?,?,?,?,?,?)");
    for (const auto& s : d.sections) {
        st.bind(1, d.meta.id).bind(2, s.id).bind(3, s.parent).bind(4, s.level).bind(5, s.number)
            .bind(6, s.title).bind(7, s.heading).bind(8, s.kind).bind(9, json_column(s.path));
        st.run();
    }
}

void CatalogWriter::write_passages(const SegmentedDocument& d) {
    auto st = db_.prepare(
        "INSERT INTO passages(id, doc, ordinal, section, kind, text, begin, \"end\", page, footnote_number,"
        " cited_by, cites_json) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)");
    for (const auto& p : d.passages) {
        st.bind(1, p.id).bind(2, d.meta.id).bind(3, p.ordinal).bind(4, p.section).bind(5, to_string(p.kind))
            .bind(6, p.text).bind(7, static_cast<std::int64_t>(p.begin)).bind(8, static_cast<std::int64_t>(p.end))
            .bind(9, p.page).bind(11, p.cited_by).bind(12, json_column(p.cited_footnotes));
        if (p.footnote_number)
            st.bind(10, *p.footnote_number);
        else
            st.bind_null(10);
        st.run();
    }
}

void CatalogWriter::write_acronyms(const SegmentedDocument& d) {
    auto st = db_.prepare("INSERT INTO acronyms(doc, acronym, expansion, source) VALUES(?,?,?,?)");
    for (const auto& a : d.acronyms) {
        st.bind(1, d.meta.id).bind(2, a.acronym).bind(3, a.expansion).bind(4, a.source);
        st.run();
    }
}

void CatalogWriter::write_tags(const SegmentedDocument& d) {
    auto st = db_.prepare(
        "INSERT INTO tags(passage_id, doc, category, score, evidence_json, model_share, is_primary)"
        " VALUES(?,?,?,?,?,?,?)");
    for (std::size_t i = 0; i < d.tags.size() && i < d.passages.size(); ++i) {
        for (const auto& t : d.tags[i].tags) {
            st.bind(1, d.passages[i].id).bind(2, d.meta.id).bind(3, t.category).bind(4, t.score)
                .bind(5, json_column(t.evidence)).bind(6, t.model_share).bind(7, t.category == d.tags[i].primary ? 1 : 0);
            st.run();
        }
    }
}

void CatalogWriter::write_entities(const SegmentedDocument& doc) {
    auto insert = db_.prepare(
        "INSERT INTO entities(passage_id, doc, type, key, surface, begin, end, detail) VALUES(?,?,?,?,?,?,?,?)");
    for (const auto& m : doc.entities) {
        insert.bind(1, passage_id(doc, m.passage)).bind(2, doc.meta.id).bind(3, m.type).bind(4, m.key)
            .bind(5, m.surface).bind(6, static_cast<std::int64_t>(m.begin)).bind(7, static_cast<std::int64_t>(m.end))
            .bind(8, m.detail);
        insert.run();
    }
    if (!doc.meta.date.empty())
        db_.prepare("INSERT INTO document_dates(doc, date) VALUES(?,?)").bind(1, doc.meta.id).bind(2, doc.meta.date).run();
}

void CatalogWriter::write_xrefs(const SegmentedDocument& doc) {
    auto insert = db_.prepare(
        "INSERT INTO xrefs(passage_id, doc, kind, from_category, target, target_section, target_passage, evidence)"
        " VALUES(?,?,?,?,?,?,?,?)");
    for (const auto& x : doc.xrefs) {
        insert.bind(1, passage_id(doc, x.passage)).bind(2, doc.meta.id).bind(3, x.kind).bind(4, x.from_category)
            .bind(5, x.target).bind(6, x.target_section).bind(7, x.target_passage).bind(8, x.evidence);
        insert.run();
    }
}

void CatalogWriter::write_registry(const EntityRegistry& registry) {
    db_.exec("DELETE FROM missions; DELETE FROM organizations;");
    auto mission = db_.prepare("INSERT INTO missions(key, expansion, organization, host, aliases_json) VALUES(?,?,?,?,?)");
    for (const auto& m : registry.missions) {
        mission.bind(1, m.key).bind(2, m.expansion).bind(3, m.organization).bind(4, m.host).bind(5, json_column(m.aliases));
        mission.run();
    }
    auto org = db_.prepare("INSERT INTO organizations(key, name, parent, aliases_json) VALUES(?,?,?,?)");
    for (const auto& o : registry.organizations) {
        org.bind(1, o.key).bind(2, o.name).bind(3, o.parent).bind(4, json_column(o.aliases));
        org.run();
    }
}

}  // namespace mandala::catalog
