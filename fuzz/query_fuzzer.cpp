// libFuzzer harness for the query language (search/query.h): any text parses (degrading to plain
// words) or throws LimitExceeded, and the query it builds can be run against a database.
#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "search/query.h"
#include "text/errors.h"

namespace {

// A tiny in-memory database, so wildcards have something to expand against (the in-memory
// backend keeps no spelling or synonym data: those paths see an empty table).
Xapian::WritableDatabase& database() {
    static Xapian::WritableDatabase db = [] {
        Xapian::WritableDatabase d(std::string(), Xapian::DB_BACKEND_INMEMORY);
        Xapian::TermGenerator terms;
        for (const char* text : {"ceasefire monitoring along the river", "mandate renewal of the mission",
                                 "disarmament and demobilization of former fighters"}) {
            Xapian::Document doc;
            terms.set_document(doc);
            terms.index_text(text);
            d.add_document(doc);
        }
        return d;
    }();
    return db;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const mandala::search::Synonyms synonyms;
    static const mandala::search::QueryBuilder builder(database(), synonyms);
    try {
        const auto parsed = builder.parse(std::string_view(reinterpret_cast<const char*>(data), size));
        Xapian::Enquire enquire(database());
        enquire.set_query(parsed.query);
        (void)enquire.get_mset(0, 10);
    } catch (const mandala::LimitExceeded&) {
    } catch (const Xapian::QueryParserError&) {
        // A known broken promise (docs/reliability.md, "Findings"): the plain-words fallback of
        // QueryBuilder::parse still runs the range processors, so "year:2018\x15..2020" throws.
        // The service answers it with 400; tolerated here so the fuzzer looks further.
    }
    return 0;
}
