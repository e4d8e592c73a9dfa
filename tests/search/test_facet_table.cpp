// The facet table (search/facets.h): counts from the per-docid table of value ids must equal the
// counts of Xapian's ValueCountMatchSpy path, value for value and in the same order, on the shard
// fixtures indexed into one database and into two and three shards (where Xapian hands the spy
// shard-local docids); one table is shared per index snapshot and a new commit makes a new one.
// Also: display records read without Poco's object tree give what Poco's parser gives.
#include <catch2/catch.hpp>
#include <Poco/Exception.h>
#include <xapian.h>

#include <filesystem>

#include "../indexer/test_helpers.h"
#include "indexer/pipeline.h"
#include "catalog/xapian_schema.h"
#include "indexer/store.h"
#include "search/facets.h"
#include "search/query.h"
#include "catalog/passage_record.h"
#include "search/search.h"
#include "search/synonyms.h"

namespace fs = std::filesystem;
using namespace mandala;
using namespace mandala::search;

namespace {

void index_fixtures(const fs::path& db, std::size_t shards) {
    indexer::IndexOptions o;
    o.corpus_dirs = {test::fixtures() / "shards"};
    o.db_dir = db;
    o.shards = shards;
    const auto report = indexer::run_index(o);
    REQUIRE(report.failures.empty());
}

std::vector<Xapian::Database> open_shards(const fs::path& db) {
    std::vector<Xapian::Database> out;
    for (const auto& p : indexer::shard_paths(db)) out.emplace_back(p);
    return out;
}

FacetCounts count(const Xapian::Database& db, const Xapian::Query& q, const FacetTable* table, std::size_t max_values) {
    Xapian::Enquire enquire(db);
    enquire.set_query(q);
    FacetCollector facets(table);
    facets.attach(enquire);
    enquire.get_mset(0, 10, db.get_doccount());
    return facets.counts(max_values);
}

void check_equal(const FacetCounts& got, const FacetCounts& want) {
    REQUIRE(got.size() == want.size());
    for (const auto& [name, values] : want) {
        INFO("facet " << name);
        REQUIRE(got.count(name));
        const auto& g = got.at(name);
        REQUIRE(g.size() == values.size());
        for (std::size_t i = 0; i < values.size(); ++i) {
            CHECK(g[i].value == values[i].value);
            CHECK(g[i].count == values[i].count);
        }
    }
}

}  // namespace

TEST_CASE("facet table counts equal ValueCountMatchSpy counts, one database and several shards", "[integration]") {
    test::TempDir tmp;
    for (const std::size_t shards : {std::size_t{0}, std::size_t{2}, std::size_t{3}}) {
        const fs::path dir = tmp / ("db" + std::to_string(shards));
        index_fixtures(dir, shards);
        const auto local = open_shards(dir);
        REQUIRE(local.size() == std::max<std::size_t>(shards, 1));
        Xapian::Database db;
        for (const auto& s : local) db.add_database(s);
        const FacetTable table(local);
        REQUIRE(table.usable());
        CHECK(table.memory_bytes() > 0);
        // Ties by document id from memory with one database; shards sort by the value (finding a
        // passage's shard reads it anyway).
        CHECK((table.document_order() != nullptr) == (shards == 0));

        const Synonyms synonyms = Synonyms::load(dir);
        const QueryBuilder builder(db, synonyms);
        std::vector<Xapian::Query> queries{Xapian::Query::MatchAll, Xapian::Query(schema::term(schema::kSectionKindPrefix, "body"))};
        for (const char* text : {"ceasefire", "harbour OR village", "patrol training", "election"})
            queries.push_back(builder.parse(text).query);
        queries.push_back(Xapian::Query(Xapian::Query::OP_FILTER, builder.parse("report").query,
                                        filter_query({{"decade", {"2010s"}}})));
        for (const auto& q : queries) {
            INFO(shards << " shards, query " << q.get_description());
            const FacetCounts want = count(db, q, nullptr, 0);
            check_equal(count(db, q, &table, 0), want);
            check_equal(count(db, q, &table, 2), count(db, q, nullptr, 2));  // truncated: same order of ties
        }
        // A passage's categories and missions from the table, as splitting its values gives them.
        for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
            const Xapian::Document doc = db.get_document(*it);
            const SearchHit h = hit_from_document(doc), t = hit_from_document(doc, &table, *it);
            CHECK(t.categories == h.categories);
            CHECK(t.missions == h.missions);
            CHECK(t.id == h.id);
        }

        // The whole index: every passage and every facet seen (guards against a vacuous pass).
        const FacetCounts all = count(db, Xapian::Query::MatchAll, &table, 0);
        std::size_t docs = 0;
        for (const auto& v : all.at("document")) docs += v.count;
        CHECK(docs == db.get_doccount());
        CHECK(!all.at("year").empty());
        CHECK(!all.at("category").empty());
    }
}

TEST_CASE("facet tables are shared per snapshot and read again after a commit", "[integration]") {
    test::TempDir tmp;
    const fs::path dir = tmp / "db";
    index_fixtures(dir, 2);
    FacetTables tables;
    const auto a = tables.get(open_shards(dir));
    const auto b = tables.get(open_shards(dir));
    CHECK(a == b);  // same snapshot, other Database objects: one table

    // A commit to one shard (a new revision) is a new snapshot.
    {
        Xapian::WritableDatabase w(indexer::shard_paths(dir).front());
        Xapian::Document d;
        d.add_value(schema::kDocSlot, "added-doc");
        d.add_value(schema::kSectionKindSlot, "body");
        d.add_boolean_term(schema::term(schema::kDocPrefix, "added-doc"));
        w.add_document(d);
        w.commit();
    }
    const auto local = open_shards(dir);
    const auto c = tables.get(local);
    CHECK(c != a);
    Xapian::Database db;
    for (const auto& s : local) db.add_database(s);
    check_equal(count(db, Xapian::Query::MatchAll, c.get(), 0), count(db, Xapian::Query::MatchAll, nullptr, 0));

    // A document id found in two shards cannot tell the spy its shard: the table says so.
    {
        Xapian::WritableDatabase w(indexer::shard_paths(dir).back());
        Xapian::Document d;
        d.add_value(schema::kDocSlot, "added-doc");
        w.add_document(d);
        w.commit();
    }
    CHECK_FALSE(tables.get(open_shards(dir))->usable());
}

TEST_CASE("ties follow document ids, not docids, with the table's key maker", "[integration]") {
    test::TempDir tmp;
    const fs::path dir = tmp / "db";
    index_fixtures(dir, 0);
    SearchRequest r;
    r.query = "";  // every passage, every score equal: the order is the tie order
    r.limit = 1000;
    r.snippets = false;
    const auto before = Searcher(dir).search(r);
    {
        Xapian::WritableDatabase w(indexer::shard_paths(dir).front());
        Xapian::Document d;
        d.add_value(schema::kDocSlot, "aaa-first");
        d.set_data(R"({"id":"aaa-first#1","doc":"aaa-first"})");
        w.add_document(d);
        w.commit();
    }
    const FacetTable table(open_shards(dir));
    CHECK(table.document_order() != nullptr);
    const auto after = Searcher(dir).search(r);
    REQUIRE(after.results.size() == before.results.size() + 1);
    CHECK(after.results.front().id == "aaa-first#1");  // by document id, although its docid is last
    for (std::size_t i = 0; i < before.results.size(); ++i) CHECK(after.results[i + 1].id == before.results[i].id);
}

TEST_CASE("searches with facets answer alike with a shared table and without one", "[integration]") {
    test::TempDir tmp;
    const fs::path dir = tmp / "db";
    index_fixtures(dir, 2);
    const Searcher own(dir);
    Searcher shared(dir);
    shared.share_facet_tables(std::make_shared<FacetTables>());
    SearchRequest r;
    r.query = "patrol";
    r.facet_values = 0;
    const auto x = own.search(r), y = shared.search(r);
    check_equal(y.facets, x.facets);
    CHECK(x.total == y.total);
}

TEST_CASE("display records read without Poco's tree equal Poco's reading", "[unit]") {
    auto same = [](const std::string& json) {
        SearchHit fast, poco, either;
        INFO(json);
        REQUIRE(catalog::decode_passage_record_fast(json, fast));
        catalog::decode_passage_record_poco(json, poco);
        catalog::decode_passage_record(json, either);
        for (const SearchHit* h : {&fast, &either}) {
            CHECK(h->id == poco.id);
            CHECK(h->doc == poco.doc);
            CHECK(h->title == poco.title);
            CHECK(h->source == poco.source);
            CHECK(h->section_kind == poco.section_kind);
            CHECK(h->kind == poco.kind);
            CHECK(h->text == poco.text);
            CHECK(h->page == poco.page);
            CHECK(h->year == poco.year);
            CHECK(h->section == poco.section);
        }
    };
    same(R"({"doc":"d","id":"d#1","kind":"paragraph","page":3,"section":["A","B \/ C"],"section_kind":"body","source":"x.md","text":"t","title":"T","year":2011})");
    same(R"({"id":"q \" b \\ s \/ \b\f\n\r\t \u0001 \u00e9 \u20ac é 日本","page":-4,"year":0,"section":[]})");
    same(R"( { "id" : "a" , "section" : null , "page" : null , "title" : null } )");
    same("{}");
    // Outside the plain shape: the fast reader declines and catalog::decode_passage_record() gives Poco's answer.
    for (const std::string other : {R"({"id":"a","extra":true})", R"({"page":1.5})", R"({"page":"12"})",
                                    R"({"id":"\ud83d\ude00"})", R"({"section":[1,2]})", R"({"id":"a"} x)"}) {
        SearchHit fast, poco, either;
        INFO(other);
        CHECK_FALSE(catalog::decode_passage_record_fast(other, fast));
        bool poco_ok = true;
        try {
            catalog::decode_passage_record_poco(other, poco);
        } catch (const Poco::Exception&) {
            poco_ok = false;
        }
        if (poco_ok) {
            catalog::decode_passage_record(other, either);
            CHECK(either.id == poco.id);
            CHECK(either.page == poco.page);
            CHECK(either.section == poco.section);
        } else {
            CHECK_THROWS_AS(catalog::decode_passage_record(other, either), Poco::Exception);
        }
    }
}

TEST_CASE("every indexed display record reads the same without Poco's tree", "[integration]") {
    test::TempDir tmp;
    index_fixtures(tmp / "db", 0);
    const auto local = open_shards(tmp / "db");
    std::size_t n = 0;
    for (auto it = local[0].postlist_begin(""); it != local[0].postlist_end(""); ++it, ++n) {
        const std::string data = local[0].get_document(*it).get_data();
        SearchHit fast, poco;
        INFO(data);
        REQUIRE(catalog::decode_passage_record_fast(data, fast));
        catalog::decode_passage_record_poco(data, poco);
        CHECK(fast.id == poco.id);
        CHECK(fast.text == poco.text);
        CHECK(fast.title == poco.title);
        CHECK(fast.section == poco.section);
        CHECK(fast.page == poco.page);
        CHECK(fast.year == poco.year);
        CHECK(fast.source == poco.source);
        CHECK(fast.kind == poco.kind);
        CHECK(fast.section_kind == poco.section_kind);
        CHECK(fast.doc == poco.doc);
    }
    CHECK(n > 0);
}
