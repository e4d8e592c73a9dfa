#pragma once
// The display record the indexer stores as each passage's document data (a flat JSON object
// written by Poco, indexer/passage_document.cpp), read into a SearchHit.
#include <string>
#include <string_view>

#include "search/search.h"

namespace mandala::search {

// Fills id, doc, title, source, section_kind, kind, text, page, year and section of `hit`.
// Throws Poco::Exception when the record is unreadable.
void read_record(const std::string& json, SearchHit& hit);

// The same for a record in the shape the indexer writes (strings, integers, an array of strings,
// null), without building Poco's object tree: a tenth of the time. False, with `hit` unspecified,
// for anything else; read_record() then falls back to Poco's parser, so the result is always Poco's.
bool read_record_fast(std::string_view json, SearchHit& hit);

// read_record() through Poco's parser alone (the reference for tests).
void read_record_poco(const std::string& json, SearchHit& hit);

}  // namespace mandala::search
