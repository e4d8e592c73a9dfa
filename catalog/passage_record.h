#pragma once
// The passage record: what a result page shows of a passage (id, document, title, source file,
// section path and kind, passage kind, page, year, text). Its one writer (encode_passage_record)
// renders the JSON object the indexer stores as each passage's Xapian document data, so a result
// page needs no SQLite look-up; its one reader (decode_passage_record) reads it back. The answers
// that show a passage (the search API, the passage view, the export) write its fields through
// set_passage_fields or write_passage_object, so a field is named and formatted in one place.
#include <Poco/JSON/Object.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/json_writer.h"

namespace mandala::catalog {

struct PassageRecord {
    std::string id, doc, title, source, section_kind, kind, text;
    std::vector<std::string> section;  // heading path
    int page = 0, year = 0;
};

// The stored record: a flat JSON object with sorted keys (Poco's default), as Poco writes it.
std::string encode_passage_record(const PassageRecord& r);

// Fills every field of `r` from a stored record. Throws Poco::Exception when it is unreadable.
void decode_passage_record(const std::string& json, PassageRecord& r);
// The same for a record in the shape encode_passage_record writes (strings, integers, an array of
// strings, null), without building Poco's object tree: a tenth of the time. False, with `r`
// unspecified, for anything else; decode_passage_record() then falls back to Poco's parser, so
// the result is always Poco's.
bool decode_passage_record_fast(std::string_view json, PassageRecord& r);
// decode_passage_record() through Poco's parser alone (the reference for tests).
void decode_passage_record_poco(const std::string& json, PassageRecord& r);

// Sets id, doc, source (with `with_source`), title, section, section_kind, kind, text and page,
// in that order (an object that keeps insertion order shows them so); not year, which answers
// write each their own way.
void set_passage_fields(Poco::JSON::Object& o, const PassageRecord& r, bool with_source);

// One more member of an object written by write_passage_object.
struct JsonMember {
    std::string_view key;  // a plain ASCII name
    std::function<void(JsonWriter&)> write_value;
};

// An object of the record's fields but source (doc, id, kind, page, section, section_kind, text,
// title, year) and `extra` members, all in sorted key order, as Poco would write it.
void write_passage_object(JsonWriter& w, const PassageRecord& r, std::vector<JsonMember> extra);

}  // namespace mandala::catalog
