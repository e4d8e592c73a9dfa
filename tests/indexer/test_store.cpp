#include <catch2/catch.hpp>
#include <xapian.h>

#include <fstream>
#include <set>

#include "indexer/pipeline.h"
#include "catalog/sqlite.h"
#include "indexer/store.h"
#include "test_helpers.h"
#include "text/errors.h"

using namespace mandala::indexer;
namespace fs = std::filesystem;

namespace {

IndexReport index_into(const fs::path& corpus, const fs::path& db) {
    IndexOptions o;
    o.corpus_dirs = {corpus};
    o.db_dir = db;
    return run_index(o);
}

Xapian::rev xapian_revision(const fs::path& db) { return Xapian::Database(xapian_path(db).string()).get_revision(); }

}  // namespace

TEST_CASE("re-indexing is incremental by content hash", "[integration]") {
    mandala::test::TempDir tmp;
    const fs::path corpus = tmp / "corpus", db = tmp / "db";
    fs::copy(mandala::test::fixtures() / "corpus-small", corpus, fs::copy_options::recursive);

    auto first = index_into(corpus, db);
    CHECK(first.indexed == 2);
    CHECK(first.failures.empty());
    const auto passages = load_passages(db).size();
    REQUIRE(passages > 5);

    SECTION("an unchanged corpus writes nothing") {
        const auto revision = xapian_revision(db);
        auto again = index_into(corpus, db);
        CHECK(again.indexed == 0);
        CHECK(again.unchanged == 2);
        CHECK(xapian_revision(db) == revision);
        CHECK(load_passages(db).size() == passages);
    }
    SECTION("a changed file is re-indexed alone, its old passages replaced") {
        std::ofstream(corpus / "notes.md", std::ios::app) << "\nA new closing paragraph about radio checks.\n";
        auto again = index_into(corpus, db);
        CHECK(again.indexed == 1);
        CHECK(again.unchanged == 1);
        CHECK(load_passages(db).size() == passages + 1);
        Xapian::Database x(xapian_path(db).string());
        CHECK(x.get_doccount() == passages + 1);
    }
    SECTION("a removed file is deleted from both stores") {
        fs::remove(corpus / "notes.md");
        auto again = index_into(corpus, db);
        CHECK(again.removed == 1);
        for (const auto& p : load_passages(db)) CHECK(p.doc != "notes");
        Xapian::Database x(xapian_path(db).string());
        CHECK(x.get_termfreq("XDnotes") == 0);
        CHECK(x.get_doccount() == load_passages(db).size());
    }
    SECTION("a mission that only a removed file defined leaves the registry") {
        // An invented mission: the project's registry knows the real ones (UNVMC is Colombia's).
        auto missions = [&] {
            std::set<std::string> keys;
            Connection c(catalog_path(db), Connection::Mode::read_only);
            auto st = c.prepare("SELECT key FROM missions");
            while (st.step()) keys.insert(st.text(0));
            return keys;
        };
        std::ofstream(corpus / "lakes.md") << "# Lakes\n\nThe United Nations Lake Verification Mission in Chad (UNLVMC) "
                                              "monitored the ceasefire along the shore.\n";
        CHECK(index_into(corpus, db).indexed == 1);
        CHECK(missions().count("UNLVMC") == 1);
        fs::remove(corpus / "lakes.md");
        auto again = index_into(corpus, db);
        CHECK(again.removed == 1);
        CHECK(again.indexed == 0);
        CHECK(missions().count("UNLVMC") == 0);
    }
}

TEST_CASE("a writer that dies before commit leaves the last committed index", "[integration]") {
    mandala::test::TempDir tmp;
    const fs::path db = tmp / "db";
    index_into(mandala::test::fixtures() / "corpus-small", db);
    const auto before = load_passages(db).size();
    {
        IndexWriter w(db);
        w.remove_document("field-guide");
        // no commit: the destructor abandons the transaction
    }
    CHECK(load_passages(db).size() == before);
    CHECK(Xapian::Database(xapian_path(db).string()).get_doccount() == before);
}

TEST_CASE("reading a missing index is a clear error", "[unit]") {
    mandala::test::TempDir tmp;
    CHECK_THROWS_AS(load_passages(tmp / "nothing-here"), mandala::NotFound);
}

TEST_CASE("parallel Xapian writes are for a first run only and leave nothing behind unless committed", "[unit]") {
    mandala::test::TempDir tmp;
    const fs::path db = tmp / "db";
    Xapian::Document passage;
    passage.add_term("Qdoc-a#1");
    passage.add_posting("convoy", 1);
    {
        fs::create_directories(db / "xapian-parts" / "stale");  // left by a run that was killed
        IndexWriter writer(db);
        writer.begin();
        REQUIRE(writer.begin_parallel_writes(2) == 2);
        CHECK_FALSE(fs::exists(db / "xapian-parts" / "stale"));
        writer.write_passages(1, "doc-a", {passage});
        CHECK_THROWS_AS(writer.write_passages(2, "doc-b", {passage}), std::out_of_range);
        // dropped without commit()
    }
    CHECK_FALSE(fs::exists(db / "xapian-parts"));
    CHECK(Xapian::Database(xapian_path(db).string()).get_doccount() == 0);
    {
        IndexWriter writer(db);
        writer.begin();
        REQUIRE(writer.begin_parallel_writes(3) == 3);
        writer.write_passages(2, "doc-a", {passage});
        writer.commit();
    }
    CHECK_FALSE(fs::exists(db / "xapian-parts"));
    const Xapian::Database merged(xapian_path(db).string());
    CHECK(merged.get_doccount() == 1);
    CHECK(merged.term_exists("convoy"));
    IndexWriter again(db);
    again.begin();
    CHECK(again.begin_parallel_writes(2) == 1);  // the index has a history: updated in place
    CHECK_THROWS_AS(again.write_passages(1, "doc-b", {passage}), std::logic_error);
}
