#pragma once
// The Xapian schema (term prefixes, value slots) belongs to the catalog: catalog/xapian_schema.h.
// This name stays for the indexer's and search's tests.
#include "catalog/xapian_schema.h"
