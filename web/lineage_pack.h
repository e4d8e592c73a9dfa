#pragma once
// A mandate lineage as a reading pack, so the pack exporter writes it as HTML or DOCX: one item per
// paragraph that changed between consecutive documents (added, removed, edited, moved), its note
// saying what changed, and the tasks gained and lost in the description.
#include <filesystem>

#include "search/lineage.h"
#include "web/export.h"

namespace mandala::web {

// Resolves each item's passage against the catalog of `db_dir` (for its citation).
ResolvedPack lineage_pack(const search::Lineage& lineage, const std::filesystem::path& db_dir);

}  // namespace mandala::web
