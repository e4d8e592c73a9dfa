#pragma once
// Writing the catalog: one document's rows (documents, sections, passages, acronyms, tags,
// entities, cross-references, its date) replaced at once, the registry, and the run's
// transaction. The indexer's IndexWriter drives it beside the Xapian writers; none of these
// begins or commits a transaction except begin(), commit() and rollback().
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "catalog/model.h"
#include "catalog/registry.h"
#include "catalog/sqlite.h"

namespace mandala::catalog {

class CatalogWriter {
public:
    // Opens (creating it when needed) the catalog of the index at `db_dir`: creates the tables of
    // a new one, upgrades an older one, refuses one it cannot (schema.h).
    explicit CatalogWriter(const std::filesystem::path& db_dir);

    // Content hash and document id per source path, as last committed.
    std::map<std::string, std::string> committed_hashes();
    std::map<std::string, std::string> committed_ids();
    // Acronym pairs per document id, as last committed.
    std::vector<std::pair<std::string, AcronymPair>> committed_acronyms();

    // The recorded shard count (0 for a new index); record_shards() sets it unless one is recorded.
    std::size_t recorded_shards();
    void record_shards(std::size_t shards);

    void begin();
    // Replaces every row of `doc.meta.id` by those of `doc`.
    void write_document(const SegmentedDocument& doc);
    void delete_document(const std::string& doc_id);
    // Records that the document found at `old_path` is now known by `new_path`.
    void rekey_document(const std::string& old_path, const std::string& new_path);
    void write_registry(const EntityRegistry& registry);
    // Increments the generation (what readers compare to notice a commit) and commits.
    void commit();
    void rollback();

private:
    void delete_entity_rows(const std::string& doc_id);
    void write_document_row(const SegmentedDocument& d);
    void write_sections(const SegmentedDocument& d);
    void write_passages(const SegmentedDocument& d);
    void write_acronyms(const SegmentedDocument& d);
    void write_tags(const SegmentedDocument& d);
    void write_entities(const SegmentedDocument& d);
    void write_xrefs(const SegmentedDocument& d);

    std::filesystem::path dir_;
    Connection db_;
};

}  // namespace mandala::catalog
