// Reliability of incremental indexing: a document keeps its id however the corpus folder is
// spelled or moved, nothing is removed silently, and bad directory entries fail one at a time.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <map>

#include "indexer/pipeline.h"
#include "catalog/sqlite.h"
#include "indexer/store.h"
#include "test_helpers.h"
#include "text/errors.h"

using namespace mandala::indexer;
namespace fs = std::filesystem;

namespace {

void write_file(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

IndexReport index_into(const fs::path& corpus, const fs::path& db, bool allow_mass_removal = false) {
    IndexOptions o;
    o.corpus_dirs = {corpus};
    o.db_dir = db;
    o.tag = false;
    o.extract = false;
    o.allow_mass_removal = allow_mass_removal;
    return run_index(o);
}

std::map<std::string, std::string> ids_by_source(const fs::path& db) {
    std::map<std::string, std::string> out;
    for (const auto& d : load_documents(db)) out[d.source] = d.id;
    return out;
}

// A corpus of three small documents of our own, one in a subfolder.
fs::path make_corpus(const fs::path& dir) {
    fs::create_directories(dir / "briefings");
    write_file(dir / "harbour-report.txt", "Harbour report\n\nThe patrol counted four boats at the northern pier.\n");
    write_file(dir / "harbour-report.md", "# Harbour report\n\nThe same report, kept as Markdown by the clerk.\n");
    write_file(dir / "briefings" / "weekly.txt", "Weekly briefing\n\nThe water point at the camp reopened on Monday.\n");
    return dir;
}

// Sets the working folder for the life of the object.
class WorkingFolder {
public:
    explicit WorkingFolder(const fs::path& dir) : previous_(fs::current_path()) { fs::current_path(dir); }
    ~WorkingFolder() { fs::current_path(previous_); }
    WorkingFolder(const WorkingFolder&) = delete;
    WorkingFolder& operator=(const WorkingFolder&) = delete;

private:
    fs::path previous_;
};

void exec_sql(const fs::path& db, const std::string& sql) {
    Connection catalog(catalog_path(db), Connection::Mode::read_write);
    catalog.exec(sql);
}

}  // namespace

TEST_CASE("the same corpus spelled three ways changes nothing", "[reliability]") {
    mandala::test::TempDir tmp;
    const fs::path corpus = make_corpus(tmp / "corpus"), db = tmp / "db";
    const auto first = index_into(fs::absolute(corpus), db);
    REQUIRE(first.indexed == 3);
    const auto ids = ids_by_source(db);
    CHECK(ids.at("harbour-report.txt") != ids.at("harbour-report.md"));

    WorkingFolder here(tmp.path());
    for (const fs::path& spelling : {fs::path("corpus"), fs::path("corpus/"), fs::path("./corpus/../corpus")}) {
        INFO("--corpus " << spelling);
        const auto again = index_into(spelling, db);
        CHECK(again.removed == 0);
        CHECK(again.indexed == 0);
        CHECK(again.unchanged == 3);
        CHECK(ids_by_source(db) == ids);
    }
}

TEST_CASE("a moved folder and a renamed file keep their ids", "[reliability]") {
    mandala::test::TempDir tmp;
    const fs::path db = tmp / "db";
    make_corpus(tmp / "corpus");
    index_into(tmp / "corpus", db);
    const auto ids = ids_by_source(db);

    fs::rename(tmp / "corpus", tmp / "mounted-elsewhere");
    const auto moved = index_into(tmp / "mounted-elsewhere", db);
    CHECK(moved.removed == 0);
    CHECK(moved.indexed == 0);

    // A file moved into a subfolder is removed and added in one run: its id is free again first.
    fs::rename(tmp / "mounted-elsewhere" / "harbour-report.txt", tmp / "mounted-elsewhere" / "briefings" / "harbour-report.txt");
    const auto renamed = index_into(tmp / "mounted-elsewhere", db);
    CHECK(renamed.removed == 1);
    CHECK(renamed.indexed == 1);
    CHECK(ids_by_source(db) == ids);
}

TEST_CASE("an index keyed by spelled paths keeps its ids", "[reliability]") {
    mandala::test::TempDir tmp;
    const fs::path corpus = make_corpus(tmp / "corpus"), db = tmp / "db";
    index_into(corpus, db);
    const auto ids = ids_by_source(db);
    // What an older version stored: the path as spelled on the command line.
    exec_sql(db, "UPDATE documents SET path = '" + (tmp.path() / "corpus").string() + "/' || path");
    WorkingFolder here(tmp.path());
    const auto again = index_into("corpus", db);
    CHECK(again.removed == 0);
    CHECK(again.indexed == 0);
    CHECK(ids_by_source(db) == ids);
    for (const auto& d : load_documents(db)) CHECK(fs::path(d.path).is_relative());
}

TEST_CASE("an empty corpus folder removes nothing unless allowed", "[reliability]") {
    mandala::test::TempDir tmp;
    const fs::path corpus = make_corpus(tmp / "corpus"), db = tmp / "db";
    index_into(corpus, db);
    fs::remove_all(corpus);
    fs::create_directories(corpus);  // an unmounted disk looks like this
    CHECK_THROWS_AS(index_into(corpus, db), mandala::Conflict);
    CHECK(load_documents(db).size() == 3);
    const auto allowed = index_into(corpus, db, true);
    CHECK(allowed.removed == 3);
    CHECK(load_documents(db).empty());
}

TEST_CASE("symlink loops are failures of their own and the rest is indexed", "[reliability]") {
    mandala::test::TempDir tmp;
    const fs::path corpus = make_corpus(tmp / "corpus"), db = tmp / "db";
    fs::create_symlink("loop.txt", corpus / "loop.txt");                  // a link to itself
    fs::create_directory_symlink("..", corpus / "briefings" / "parent");  // a folder link back up
    const auto report = index_into(corpus, db);
    CHECK(report.indexed == 3);
    REQUIRE(report.failures.size() == 1);
    CHECK(fs::path(report.failures[0].path).filename() == "loop.txt");
    CHECK(report.failures[0].reason.find("symbolic links") != std::string::npos);
}

namespace {

// Runs `check` in a child process without root's power to read every folder (as the user
// nobody when this test runs as root); returns the child's exit status.
int run_unprivileged(const std::function<int()>& check) {
    const pid_t child = fork();
    if (child == 0) {
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) _exit(90);
        int status = 91;
        try {
            status = check();
        } catch (...) {
        }
        _exit(status);
    }
    int status = 0;
    waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 92;
}

}  // namespace

TEST_CASE("a folder that cannot be listed is a named failure and its documents stay", "[reliability]") {
    mandala::test::TempDir tmp;
    const fs::path corpus = make_corpus(tmp / "corpus"), db = tmp / "db";
    write_file(corpus / "briefings" / "monthly.txt", "Monthly briefing\n\nThe bridge on the river road was repaired.\n");
    index_into(corpus, db);
    REQUIRE(load_documents(db).size() == 4);
    // The child may write the index and read everything but the locked folder.
    for (const auto& entry : fs::recursive_directory_iterator(tmp.path()))
        fs::permissions(entry.path(), fs::perms::all, fs::perm_options::add);
    fs::permissions(tmp.path(), fs::perms::all, fs::perm_options::add);
    fs::permissions(corpus / "briefings", fs::perms::none, fs::perm_options::replace);
    const int status = run_unprivileged([&] {
        std::error_code denied;
        fs::directory_iterator probe(corpus / "briefings", denied);
        if (!denied) return 80;  // this user reads every folder anyway
        const auto report = index_into(corpus, db);
        if (report.removed != 0) return 81;
        if (report.failures.size() != 1 || report.failures[0].path != (corpus / "briefings").string()) return 82;
        return load_documents(db).size() == 4 ? 0 : 83;
    });
    fs::permissions(corpus / "briefings", fs::perms::all, fs::perm_options::replace);
    if (status == 90 || status == 80) {
        WARN("skipped: this process cannot lock a folder from itself (not root, and reads every folder)");
        return;
    }
    CHECK(status == 0);
}
