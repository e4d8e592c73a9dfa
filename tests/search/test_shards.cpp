// Shards: the same documents indexed into one Xapian database and into two shards must search
// alike (ids, order, scores, totals, facet counts, snippets, suggestions, related, trace), whether
// the shards are opened from their local paths or through Xapian's remote backend (two
// `xapian-tcpsrv` processes on loopback); a shard server that goes away gives a typed error naming
// it, and the searcher recovers once the server is back.
#include <catch2/catch.hpp>
#include <xapian.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "../indexer/test_helpers.h"
#include "indexer/pipeline.h"
#include "catalog/xapian_schema.h"
#include "indexer/store.h"
#include "search/related.h"
#include "search/search.h"
#include "search/trace.h"
#include "tests/web/http_client.h"
#include "text/errors.h"
#include "web/http.h"
#include "web/index_handle.h"
#include "web/server.h"

extern char** environ;

namespace fs = std::filesystem;
using namespace mandala;
using namespace mandala::search;

namespace {

fs::path shard_fixtures() { return test::fixtures() / "shards"; }

// `writers`: Xapian writer threads of the first run (0: the default, several).
indexer::IndexReport index_fixtures(const fs::path& db, std::size_t shards, std::size_t writers = 0) {
    indexer::IndexOptions o;
    o.corpus_dirs = {shard_fixtures()};
    o.db_dir = db;
    o.shards = shards;
    o.xapian_writers = writers;
    auto report = indexer::run_index(o);
    REQUIRE(report.failures.empty());
    REQUIRE(report.indexed == 8);
    return report;
}

// The fixture documents indexed twice: into one database and into two shards.
struct SingleAndSharded {
    test::TempDir tmp;
    fs::path single = tmp / "single", sharded = tmp / "sharded";
    SingleAndSharded() {
        index_fixtures(single, 0);
        index_fixtures(sharded, 2);
    }
};

// A free TCP port on loopback (bound and released; the server binds it right after).
int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t len = sizeof a;
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0);
    ::close(fd);
    return ntohs(a.sin_port);
}

bool accepts(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return false;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
}

// One `xapian-tcpsrv` serving one shard, in a process group of its own (it forks a child per
// connection): stop() kills the whole group and reaps the server, also when a test fails.
class ShardServer {
public:
    ShardServer(fs::path db, int port, std::vector<std::string> options = {})
        : db_(std::move(db)), port_(port), options_(std::move(options)) {
        start();
    }
    ~ShardServer() { stop(); }
    ShardServer(const ShardServer&) = delete;
    ShardServer& operator=(const ShardServer&) = delete;

    void start() {
        const std::string port = std::to_string(port_), dbs = db_.string();
        std::vector<std::string> args{"xapian-tcpsrv", "--port", port, "--interface", "127.0.0.1"};
        args.insert(args.end(), options_.begin(), options_.end());
        args.push_back(dbs);
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t files;  // the server talks about every connection: keep it quiet
        posix_spawn_file_actions_init(&files);
        posix_spawn_file_actions_addopen(&files, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&files, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
        posix_spawnattr_t attr;
        posix_spawnattr_init(&attr);
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
        posix_spawnattr_setpgroup(&attr, 0);
        const int rc = posix_spawnp(&pid_, "xapian-tcpsrv", &files, &attr, argv.data(), environ);
        posix_spawnattr_destroy(&attr);
        posix_spawn_file_actions_destroy(&files);
        REQUIRE(rc == 0);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (!accepts(port_)) {
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                FAIL("xapian-tcpsrv exited before accepting on port " << port_);
            }
            if (std::chrono::steady_clock::now() > deadline) {
                stop();
                FAIL("xapian-tcpsrv did not accept on port " << port_ << " within 20 s");
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }

    void stop() {
        if (pid_ <= 0) return;
        ::kill(-pid_, SIGKILL);  // the server and the children serving open connections
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }

    std::string location() const { return "tcp://127.0.0.1:" + std::to_string(port_); }

private:
    fs::path db_;
    int port_;
    std::vector<std::string> options_;
    pid_t pid_ = -1;
};

SearchRequest request(const std::string& query, FacetFilters filters = {}, SortOrder sort = SortOrder::relevance) {
    SearchRequest r;
    r.query = query;
    r.filters = std::move(filters);
    r.limit = 50;
    r.facet_values = 0;  // every facet value, not only the top ones
    r.sort = sort;
    return r;
}

// Queries with and without filters; a pure filter (every score 0), a phrase, a misspelling.
std::vector<SearchRequest> requests() {
    return {
        request("patrol radio"),
        request("civilians"),
        request("\"ballot boxes\""),
        request("fuel convoy supply"),
        request("patrols", {{"document", {"village-protection", "harbour-patrols"}}}),
        request("", {{"section_kind", {"challenges-and-risks"}}}),
        request("", {{"year", {"2012..2016"}}}),
        request("mission", {{"decade", {"2010s"}}}),
        request("radoi batteries"),
        request("rations camps", {}, SortOrder::year),
        request("", {{"decade", {"2010s"}}}, SortOrder::year),  // every score 0: the year order key
    };
}

void check_same(const SearchResponse& got, const SearchResponse& want) {
    INFO("query: " << want.query);
    CHECK(got.total == want.total);
    CHECK(got.suggestion == want.suggestion);
    REQUIRE(got.results.size() == want.results.size());
    for (std::size_t i = 0; i < want.results.size(); ++i) {
        INFO("rank " << i + 1);
        CHECK(got.results[i].id == want.results[i].id);
        CHECK(got.results[i].score == Approx(want.results[i].score).epsilon(1e-9));
        CHECK(got.results[i].snippet == want.results[i].snippet);
    }
    REQUIRE(got.facets.size() == want.facets.size());
    for (const auto& [name, values] : want.facets) {
        INFO("facet " << name);
        const auto& g = got.facets.at(name);
        REQUIRE(g.size() == values.size());
        for (std::size_t i = 0; i < values.size(); ++i) {
            CHECK(g[i].value == values[i].value);
            CHECK(g[i].count == values[i].count);
        }
    }
}

void check_same_as(const Searcher& sharded, const Searcher& single) {
    for (const auto& r : requests()) check_same(sharded.search(r), single.search(r));

    const auto want_related = related_passages(single, "village-protection#3", 10);
    const auto got_related = related_passages(sharded, "village-protection#3", 10);
    CHECK(got_related.terms == want_related.terms);
    REQUIRE(got_related.results.size() == want_related.results.size());
    for (std::size_t i = 0; i < want_related.results.size(); ++i) CHECK(got_related.results[i].hit.id == want_related.results[i].hit.id);

    const auto want_trace = trace_phrase(single, "patrols stayed overnight");
    const auto got_trace = trace_phrase(sharded, "patrols stayed overnight");
    REQUIRE(got_trace.lines.size() == want_trace.lines.size());
    for (std::size_t i = 0; i < want_trace.lines.size(); ++i) {
        CHECK(got_trace.lines[i].hit.id == want_trace.lines[i].hit.id);
        CHECK(got_trace.lines[i].similarity == want_trace.lines[i].similarity);
    }
    // A page, and the lines of one mission: the same lines and summaries from either index.
    TraceOptions paged;
    paged.limit = 2;
    paged.offset = 1;
    for (const auto& m : want_trace.missions) {
        paged.mission = m.mission;
        const auto want = trace_phrase(single, "patrols stayed overnight", paged);
        const auto got = trace_phrase(sharded, "patrols stayed overnight", paged);
        CHECK(got.selected == want.selected);
        REQUIRE(got.lines.size() == want.lines.size());
        for (std::size_t i = 0; i < want.lines.size(); ++i) CHECK(got.lines[i].hit.id == want.lines[i].hit.id);
        REQUIRE(got.missions.size() == want.missions.size());
        for (std::size_t g = 0; g < want.missions.size(); ++g) CHECK(got.missions[g].count == want.missions[g].count);
    }
}

// The fixtures' queries are worth comparing only if they find something in both shards.
void check_queries_reach_both_shards(const fs::path& sharded_db) {
    std::size_t hits[2] = {0, 0};
    for (std::size_t s = 0; s < 2; ++s) {
        const Searcher one(sharded_db, {indexer::shard_path(sharded_db, s, 2).string()});
        for (const auto& r : requests()) hits[s] += one.search(r).results.size();
    }
    CHECK(hits[0] > 0);
    CHECK(hits[1] > 0);
}

}  // namespace

TEST_CASE("documents are assigned to shards by a stable hash of their id", "[unit]") {
    CHECK(indexer::shard_of("anything", 1) == 0);
    CHECK(indexer::shard_of("village-protection", 2) == indexer::shard_of("village-protection", 2));
    // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c: the assignment must not change between versions.
    CHECK(indexer::shard_of("a", 1000) == 0xaf63dc4c8601ec8cull % 1000);
    CHECK(indexer::shard_path("db", 3, 12) == fs::path("db") / "xapian" / "shard-03");
    CHECK(indexer::shard_path("db", 0, 1) == fs::path("db") / "xapian");
}

TEST_CASE("the year order key sorts newest year first, then document, then passage", "[unit]") {
    using schema::year_order_key;
    CHECK(year_order_key(2016, "b", 1) < year_order_key(2012, "a", 1));
    CHECK(year_order_key(2016, "a", 9) < year_order_key(2016, "b", 1));
    CHECK(year_order_key(2016, "a", 2) < year_order_key(2016, "a", 10));
    CHECK(year_order_key(2016, "a", 10) < year_order_key(2016, "ab", 1));
    CHECK(year_order_key(1990, "z", 1) < year_order_key(0, "a", 1));  // no year: last
}

TEST_CASE("an index split into shards records the count and keeps it", "[integration][shards]") {
    const SingleAndSharded dbs;
    const fs::path &single = dbs.single, &sharded = dbs.sharded;
    CHECK(indexer::shard_count(single) == 1);
    CHECK(indexer::shard_count(sharded) == 2);
    CHECK(fs::exists(indexer::spelling_path(sharded)));
    CHECK_FALSE(fs::exists(indexer::spelling_path(single)));

    // Every passage is in exactly one shard, and each shard got some documents.
    const Xapian::Database one(indexer::xapian_path(single).string());
    const Xapian::Database s0(indexer::shard_path(sharded, 0, 2).string()), s1(indexer::shard_path(sharded, 1, 2).string());
    CHECK(s0.get_doccount() > 0);
    CHECK(s1.get_doccount() > 0);
    CHECK(s0.get_doccount() + s1.get_doccount() == one.get_doccount());
    for (const auto& p : indexer::load_passages(sharded)) {
        const std::string term = "Q" + p.id;
        const std::size_t shard = indexer::shard_of(p.doc, 2);
        CHECK((shard == 0 ? s0 : s1).term_exists(term));
        CHECK_FALSE((shard == 0 ? s1 : s0).term_exists(term));
    }

    // An unchanged re-run keeps the layout; another count is refused with a clear message.
    indexer::IndexOptions o;
    o.corpus_dirs = {shard_fixtures()};
    o.db_dir = sharded;
    CHECK(indexer::run_index(o).unchanged == 8);
    o.shards = 3;
    CHECK_THROWS_AS(indexer::run_index(o), Conflict);
    CHECK_THROWS_WITH(indexer::run_index(o), Catch::Contains("has 2 shards, not 3"));
    o.db_dir = single;
    o.shards = 2;
    CHECK_THROWS_WITH(indexer::run_index(o), Catch::Contains("has 1 shard, not 2"));
}

TEST_CASE("local and remote shards search exactly like one database", "[integration][shards]") {
    const SingleAndSharded dbs;
    const fs::path &single = dbs.single, &sharded = dbs.sharded;
    const Searcher one(single);
    check_queries_reach_both_shards(sharded);

    SECTION("the shards under --db") {
        const Searcher local(sharded);
        CHECK(local.shards().size() == 2);
        check_same_as(local, one);
    }
    SECTION("local paths given one by one") {
        const Searcher local(sharded, {indexer::shard_path(sharded, 0, 2).string(), indexer::shard_path(sharded, 1, 2).string()});
        check_same_as(local, one);
    }
    SECTION("xapian-tcpsrv per shard, on loopback") {
        ShardServer a(indexer::shard_path(sharded, 0, 2), free_port());
        ShardServer b(indexer::shard_path(sharded, 1, 2), free_port());
        const Searcher remote(sharded, {a.location(), b.location()});
        check_same_as(remote, one);
        // The suggestion comes from the spelling data beside the catalog: remote shards serve none.
        CHECK(remote.search(request("radoi batteries")).suggestion == "radio batteries");
    }
}

TEST_CASE("a first run written by several threads searches exactly like one written by one", "[integration][shards]") {
    test::TempDir tmp;
    const fs::path one_writer = tmp / "one-writer", three_writers = tmp / "three-writers", sharded = tmp / "sharded";
    CHECK(index_fixtures(one_writer, 0, 1).writers == 1);
    CHECK(index_fixtures(three_writers, 0, 3).writers == 3);
    CHECK(index_fixtures(sharded, 2, 2).writers == 2);
    // The partial databases are merged away, and each shard holds what one writer would have written.
    CHECK_FALSE(fs::exists(tmp / "three-writers" / "xapian-parts"));
    const Xapian::Database single(indexer::xapian_path(one_writer).string()), merged(indexer::xapian_path(three_writers).string());
    CHECK(merged.get_doccount() == single.get_doccount());
    CHECK(merged.get_lastdocid() == single.get_doccount());
    CHECK(merged.get_spelling_suggestion("radoi") == single.get_spelling_suggestion("radoi"));
    CHECK_FALSE(merged.get_spelling_suggestion("radoi").empty());
    // A document's passages keep consecutive docids in passage order (ties rely on it).
    std::map<std::string, std::vector<std::pair<int, Xapian::docid>>> docids;  // per document: (ordinal, docid)
    for (const auto& p : indexer::load_passages(three_writers)) {
        auto it = merged.postlist_begin("Q" + p.id);
        REQUIRE(it != merged.postlist_end("Q" + p.id));
        docids[p.doc].push_back({p.ordinal, *it});
    }
    CHECK(docids.size() == 8);
    for (auto& [doc, passages] : docids) {
        INFO("document " << doc);
        std::sort(passages.begin(), passages.end());
        for (std::size_t i = 1; i < passages.size(); ++i) CHECK(passages[i].second == passages[i - 1].second + 1);
    }

    check_same_as(Searcher(three_writers), Searcher(one_writer));
    check_same_as(Searcher(sharded), Searcher(one_writer));

    // The next run updates the index in place, on one thread.
    const fs::path corpus = tmp / "corpus";
    fs::copy(shard_fixtures(), corpus, fs::copy_options::recursive);
    std::ofstream(corpus / "extra.md") << "# Extra\n\nFuel convoys waited for a quartermaster at the harbour gate.\n";
    indexer::IndexOptions o;
    o.corpus_dirs = {corpus};
    o.db_dir = tmp / "updated";
    o.xapian_writers = 3;
    REQUIRE(indexer::run_index(o).writers == 3);
    fs::remove(corpus / "extra.md");
    std::ofstream(corpus / "later.md") << "# Later\n\nThe quartermaster counted jerrycans twice.\n";
    const auto update = indexer::run_index(o);
    CHECK(update.writers == 1);
    CHECK(update.indexed == 1);
    CHECK(update.removed == 1);
    const Searcher updated(o.db_dir);
    const auto found = updated.search(request("quartermaster"));
    REQUIRE(found.results.size() == 1);
    CHECK(found.results[0].id.rfind("later#", 0) == 0);
}

TEST_CASE("a shard server that goes away gives a typed error and is reopened when back", "[integration][shards]") {
    const SingleAndSharded dbs;
    const fs::path &single = dbs.single, &sharded = dbs.sharded;
    const Searcher one(single);
    ShardServer a(indexer::shard_path(sharded, 0, 2), free_port());
    const int port_b = free_port();
    ShardServer b(indexer::shard_path(sharded, 1, 2), port_b);
    const Searcher remote(sharded, {a.location(), b.location()});
    const SearchRequest r = request("patrol radio");
    check_same(remote.search(r), one.search(r));

    b.stop();
    try {
        (void)remote.search(r);
        FAIL("a search with a shard down must not answer");
    } catch (const Unavailable& e) {
        CHECK_THAT(e.what(), Catch::Contains(b.location()));
    }
    CHECK_THROWS_AS(related_passages(remote, "village-protection#3"), Unavailable);
    // A new searcher cannot open the missing shard either, and says which.
    CHECK_THROWS_WITH(Searcher(sharded, {a.location(), b.location()}), Catch::Contains(b.location()));
    // The web service answers 503 with that message (and a problem+json body naming the shard).
    web::IndexHandle handle(sharded, {a.location(), b.location()});
    try {
        (void)handle.acquire();
        FAIL("the web service must not open an index with a shard down");
    } catch (const web::HttpError& e) {
        CHECK(e.status() == 503);
        CHECK_THAT(e.what(), Catch::Contains(b.location()));
    }
    const auto problem = web::problem_response(std::make_exception_ptr(Unavailable("shard " + b.location() + " is unavailable")), "/api/search");
    CHECK(problem.status == 503);
    CHECK_THAT(problem.body, Catch::Contains(b.location()));

    b.start();  // same port, same shard
    const std::size_t before = remote.reopens();
    check_same(remote.search(r), one.search(r));
    CHECK(remote.reopens() == before + 1);
    check_same_as(remote, one);
    check_same(handle.acquire()->search(r), one.search(r));
}

TEST_CASE("a connection the shard server closed as idle is reopened transparently", "[integration][shards]") {
    const SingleAndSharded dbs;
    const fs::path &single = dbs.single, &sharded = dbs.sharded;
    const Searcher one(single);
    ShardServer a(indexer::shard_path(sharded, 0, 2), free_port(), {"--idle-timeout", "300"});
    ShardServer b(indexer::shard_path(sharded, 1, 2), free_port(), {"--idle-timeout", "300"});
    const Searcher remote(sharded, {a.location(), b.location()});
    const SearchRequest r = request("civilians");
    check_same(remote.search(r), one.search(r));
    CHECK(remote.reopens() == 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));  // both servers drop the idle connections
    check_same(remote.search(r), one.search(r));
    CHECK(remote.reopens() == 1);
}

TEST_CASE("over remote shards the web service searches every time, so a shard down answers 503", "[integration][shards]") {
    const SingleAndSharded dbs;
    ShardServer a(indexer::shard_path(dbs.sharded, 0, 2), free_port());
    ShardServer b(indexer::shard_path(dbs.sharded, 1, 2), free_port());
    web::Config config;
    config.db_dir = dbs.sharded;
    config.shards = {a.location(), b.location()};
    config.port = 0;
    config.threads = 2;
    config.access_log = false;
    config.search_cache_mb = 64;  // asked for, but a remote shard's content changes unseen: off
    web::Server server(config);
    server.start();
    const std::string target = "/api/search?q=patrol+radio";
    for (int i = 0; i < 2; ++i) {
        const auto r = test::http_call(server.port(), "GET", target);
        REQUIRE(r.status == 200);
        CHECK_FALSE(r.json()->getObject("timing")->getValue<bool>("cached"));
        CHECK_FALSE(r.headers.has("X-Cache"));
    }
    b.stop();
    const auto down = test::http_call(server.port(), "GET", target);
    CHECK(down.status == 503);
    CHECK_THAT(down.body, Catch::Contains(b.location()));
}
