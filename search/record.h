#pragma once
// The display record the indexer stores as each passage's document data is the catalog's passage
// record (catalog/passage_record.h: its one writer and one reader). A SearchHit is a
// PassageRecord with what search adds, so these read the record straight into a hit.
#include <string>
#include <string_view>

#include "catalog/passage_record.h"
#include "search/search.h"

namespace mandala::search {

// Fills id, doc, title, source, section_kind, kind, text, page, year and section of `hit`.
// Throws Poco::Exception when the record is unreadable.
inline void read_record(const std::string& json, SearchHit& hit) { catalog::decode_passage_record(json, hit); }

// The fast reader alone: false, with `hit` unspecified, for a record outside the plain shape.
inline bool read_record_fast(std::string_view json, SearchHit& hit) { return catalog::decode_passage_record_fast(json, hit); }

// Poco's parser alone (the reference for tests).
inline void read_record_poco(const std::string& json, SearchHit& hit) { catalog::decode_passage_record_poco(json, hit); }

}  // namespace mandala::search
