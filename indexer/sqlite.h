#pragma once
// The SQLite wrapper belongs to the catalog (catalog/sqlite.h); the indexer's tests know it by
// this name too.
#include "catalog/sqlite.h"

namespace mandala::indexer {
using catalog::Connection;
using catalog::SqliteError;
using catalog::Statement;
}  // namespace mandala::indexer
