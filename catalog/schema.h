#pragma once
// The catalog's tables (docs/schema.md lists each with its columns) and their version.
//
// The version is recorded in the catalog (meta key 'schema_version'). A program opens a catalog of
// its own version as it is; one of an older version it can upgrade (kOldestUpgradableVersion or
// later) is upgraded in place when it is opened for writing and read as it is until then; any
// other version is refused with SchemaTooOld or SchemaTooNew, whose message names both versions
// and what to do.
#include <filesystem>
#include <string>

#include "text/errors.h"

namespace mandala::catalog {

class Connection;

// 1: the tables of docs/schema.md, with entities.detail added by later programs when missing.
// 2: entities.detail always present (upgrade from 1: the column is added, empty for old rows).
inline constexpr int kSchemaVersion = 2;
inline constexpr int kOldestUpgradableVersion = 1;

// A catalog written before anything it holds can be upgraded: the index must be built again.
class SchemaTooOld : public Conflict {
public:
    using Conflict::Conflict;
};

// A catalog written by a newer program: this one does not know its tables.
class SchemaTooNew : public Conflict {
public:
    using Conflict::Conflict;
};

// The version recorded in the catalog: 0 when none is (a catalog from before versions, or
// something else), -1 when the file holds no table at all (a new catalog).
int recorded_schema_version(Connection& db);

// Throws SchemaTooOld or SchemaTooNew unless the catalog at `file` can be read by this program.
void check_schema_readable(Connection& db, const std::filesystem::path& file);

// Creates the tables of a new catalog, or upgrades an older one to kSchemaVersion (in one
// transaction), or throws like check_schema_readable. Also switches the catalog to WAL.
void prepare_schema_for_writing(Connection& db, const std::filesystem::path& file);

}  // namespace mandala::catalog
