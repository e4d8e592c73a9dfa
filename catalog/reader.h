#pragma once
// Reading the catalog back: documents, passages with their tags, sections, acronyms, entities,
// dates, the mission registry, and the index's own facts (shard count, generation). Used by
// stats, export, outline, evaluation, search and the web service.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "catalog/model.h"
#include "catalog/passage_record.h"
#include "catalog/registry.h"
#include "catalog/sqlite.h"

namespace mandala::catalog {

struct StoredDocument {
    std::string id, source, path, format, title, publisher, kind, language, content_hash;
    int year = 0;
    std::uint64_t bytes = 0;
    std::size_t passages = 0;
};

// A passage as the catalog lists it: its record (year left 0: the catalog keeps that with the
// document) and where it sits, with its tags.
struct StoredPassage : PassageRecord {
    int ordinal = 0, section_id = 0;
    std::vector<taxonomy::Tag> tags;
    std::string primary;
};

// Throws NotFound when no index exists at `db_dir`, SchemaTooOld or SchemaTooNew (schema.h) when
// its catalog is of a version this program cannot read.
void check_index(const std::filesystem::path& db_dir);
// check_index, then the catalog opened read-only.
Connection open_catalog(const std::filesystem::path& db_dir);

// The shard count recorded in the catalog at `db_dir` (1 for an index from before shards).
std::size_t shard_count(const std::filesystem::path& db_dir);
// The local paths of every shard of the index at `db_dir`, in shard order.
std::vector<std::string> shard_paths(const std::filesystem::path& db_dir);
// The recorded shard count; 0 when none is recorded and the index holds nothing yet. Throws
// Conflict when the recorded count is not one this program writes.
std::size_t recorded_shards(Connection& catalog, const std::filesystem::path& db_dir);

// The number of index runs committed into the catalog open at `catalog` (meta key 'generation',
// incremented in each run's last transaction; "0" for a catalog that never recorded one).
std::string committed_generation(Connection& catalog);

std::vector<StoredDocument> load_documents(const std::filesystem::path& db_dir);
std::vector<StoredPassage> load_passages(const std::filesystem::path& db_dir);
// Throws NotFound when the document has no section (is not in the index).
std::vector<Section> load_sections(const std::filesystem::path& db_dir, const std::string& doc_id);
std::vector<AcronymPair> load_acronyms(const std::filesystem::path& db_dir, const std::string& doc_id = {});

// Every passage's mentions by passage id, in text order (`passage` is 0 in each); every dated
// document's date by document id; the mission registry as indexed (the registry's and the
// documents' missions, all names in `aliases`).
std::map<std::string, std::vector<EntityMention>> load_passage_entities(const std::filesystem::path& db_dir);
std::map<std::string, std::string> load_document_dates(const std::filesystem::path& db_dir);
std::vector<Mission> load_missions(const std::filesystem::path& db_dir);

// What `mandala stats` counts in the catalog.
struct CatalogCounts {
    std::size_t documents = 0, passages = 0, sections = 0, acronyms = 0, tagged_passages = 0;
    std::uint64_t source_bytes = 0;
    std::map<std::string, std::size_t> passages_by_kind, passages_by_document, passages_by_category;
};
CatalogCounts count_contents(const std::filesystem::path& db_dir);

// Reads a row of the documents table, the one every listing joins on: throws SqliteError when the
// catalog cannot be read (the web service's health check).
void probe_catalog(const std::filesystem::path& db_dir);

// The names of each mission (key, full name, aliases) and organization (key, name, aliases) of
// the registry as indexed; none when there is no catalog or no registry in it (an older index).
std::vector<std::vector<std::string>> registry_names(const std::filesystem::path& db_dir);
// (host place, mission key) of each registry mission with a host; none without a registry.
std::vector<std::pair<std::string, std::string>> mission_hosts(const std::filesystem::path& db_dir);

}  // namespace mandala::catalog
