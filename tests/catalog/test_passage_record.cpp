// The passage record codec: what encode_passage_record writes, decode_passage_record reads back
// (fast path and Poco's parser alike), and the bytes are Poco's own rendering of the same object.
#include <catch2/catch.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

#include "catalog/passage_record.h"

using mandala::catalog::PassageRecord;

namespace {

PassageRecord sample() {
    PassageRecord r;
    r.id = "mandate#3";
    r.doc = "mandate";
    r.title = "Résolution \"2100\" (2013)";
    r.source = "mandate.txt";
    r.section = {"Chapter 4", "4.3 Output: Civilians \u2192 Protected"};
    r.section_kind = "benchmarks";
    r.kind = "list";
    r.text = "Its tasks:\n\u2022 protect civilians\n- support\tdialogue \\ mediation";
    r.page = 12;
    r.year = 2013;
    return r;
}

bool same(const PassageRecord& a, const PassageRecord& b) {
    return a.id == b.id && a.doc == b.doc && a.title == b.title && a.source == b.source && a.section == b.section &&
           a.section_kind == b.section_kind && a.kind == b.kind && a.text == b.text && a.page == b.page && a.year == b.year;
}

}  // namespace

TEST_CASE("the passage record reads back as written, by both readers", "[unit][catalog]") {
    const PassageRecord written = sample();
    const std::string json = mandala::catalog::encode_passage_record(written);
    PassageRecord fast, poco, either;
    REQUIRE(mandala::catalog::decode_passage_record_fast(json, fast));
    mandala::catalog::decode_passage_record_poco(json, poco);
    mandala::catalog::decode_passage_record(json, either);
    CHECK(same(fast, written));
    CHECK(same(poco, written));
    CHECK(same(either, written));
}

TEST_CASE("the passage record is Poco's rendering of its fields, keys sorted", "[unit][catalog]") {
    const PassageRecord r = sample();
    Poco::JSON::Object o;  // sorted keys, as the indexer wrote records before the codec
    o.set("id", r.id);
    o.set("doc", r.doc);
    o.set("title", r.title);
    o.set("source", r.source);
    Poco::JSON::Array::Ptr path = new Poco::JSON::Array;
    for (const auto& h : r.section) path->add(h);
    o.set("section", path);
    o.set("section_kind", r.section_kind);
    o.set("kind", r.kind);
    o.set("page", r.page);
    o.set("year", r.year);
    o.set("text", r.text);
    std::ostringstream poco;
    o.stringify(poco);
    CHECK(mandala::catalog::encode_passage_record(r) == poco.str());
}

TEST_CASE("write_passage_object merges the record's fields with the caller's, keys sorted", "[unit][catalog]") {
    PassageRecord r = sample();
    r.text = "t";
    r.section = {};
    std::string out;
    mandala::catalog::JsonWriter w(out);
    mandala::catalog::write_passage_object(w, r, {{"score", [](mandala::catalog::JsonWriter& v) { v.number(1.5); }},
                                                  {"categories", [](mandala::catalog::JsonWriter& v) { v.strings({"ddr"}); }}});
    CHECK(out ==
          "{\"categories\":[\"ddr\"],\"doc\":\"mandate\",\"id\":\"mandate#3\",\"kind\":\"list\",\"page\":12,\"score\":1.5,"
          "\"section\":[],\"section_kind\":\"benchmarks\",\"text\":\"t\",\"title\":\"R\u00e9solution \\\"2100\\\" (2013)\","
          "\"year\":2013}");
}
