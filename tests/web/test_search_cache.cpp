// The result cache of GET /api/search: the LRU map on its own (eviction order, byte budget, index
// stamps, concurrent use), then through a real server on an ephemeral loopback port over an index
// of the small fixture corpus (tests/fixtures/reindex/) that the test re-indexes.
#include <Poco/JSON/Parser.h>

#include <array>
#include <atomic>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <thread>

#include "indexer/pipeline.h"
#include "tests/web/http_client.h"
#include "web/search_cache.h"
#include "web/server.h"

namespace fs = std::filesystem;
using mandala::web::SearchCache;

namespace {

// A body that makes an entry of exactly `bytes` bytes with key `key` under stamp "s"
// (the stored key is "1:s" + key).
std::string body_for(const std::string& key, std::size_t bytes) { return std::string(bytes - 3 - key.size(), 'x'); }

bool holds(SearchCache& cache, const std::string& key) { return cache.find("s", key).has_value(); }

// "k12" (built by appending: GCC 12 warns falsely (-Wrestrict) on "k" + std::to_string(12)).
std::string numbered(const char* prefix, int n) {
    std::string out = prefix;
    out += std::to_string(n);
    return out;
}

}  // namespace

TEST_CASE("the search cache evicts the least recently used entry first", "[unit][search_cache]") {
    SearchCache cache(300);  // three entries of 100 bytes
    for (const std::string key : {"a", "b", "c"}) cache.insert("s", key, body_for(key, 100));
    CHECK(cache.stats().entries == 3);
    CHECK(cache.stats().bytes == 300);
    REQUIRE(holds(cache, "a"));  // "a" is now the most recently used, "b" the least
    cache.insert("s", "d", body_for("d", 100));
    CHECK_FALSE(holds(cache, "b"));
    CHECK(holds(cache, "a"));
    CHECK(holds(cache, "c"));
    CHECK(holds(cache, "d"));
    CHECK(cache.find("s", "a") == body_for("a", 100));
}

TEST_CASE("the search cache never holds more bytes than its budget", "[unit][search_cache]") {
    SearchCache cache(1000);
    for (int i = 0; i < 200; ++i) {
        const std::string key = numbered("k", i);
        cache.insert("s", key, body_for(key, 50 + static_cast<std::size_t>(i % 7) * 40));
        REQUIRE(cache.stats().bytes <= 1000);
    }
    CHECK(cache.stats().entries > 1);
    // An entry larger than the whole budget is not kept and does not empty the cache.
    const auto before = cache.stats();
    cache.insert("s", "huge", std::string(2000, 'x'));
    CHECK_FALSE(holds(cache, "huge"));
    CHECK(cache.stats().entries == before.entries);
    // Storing a key again replaces it instead of counting it twice.
    SearchCache one(1000);
    one.insert("s", "k", "first");
    one.insert("s", "k", "second");
    CHECK(one.stats().entries == 1);
    CHECK(one.stats().bytes == std::string("1:sk").size() + std::string("second").size());
    CHECK(one.find("s", "k") == "second");
}

TEST_CASE("a new index stamp drops every entry of the old one", "[unit][search_cache]") {
    SearchCache cache(1 << 20);
    cache.insert("old", "q", "old answer");
    cache.insert("old", "r", "old answer 2");
    REQUIRE(cache.find("old", "q") == "old answer");
    CHECK_FALSE(cache.find("new", "q").has_value());
    CHECK(cache.stats().entries == 0);
    CHECK(cache.stats().bytes == 0);
    CHECK_FALSE(cache.find("old", "q").has_value());
    const auto s = cache.stats();
    CHECK(s.hits == 1);
    CHECK(s.misses == 2);
}

TEST_CASE("a disabled search cache keeps nothing", "[unit][search_cache]") {
    SearchCache cache(0);
    CHECK_FALSE(cache.enabled());
    cache.insert("s", "q", "answer");
    CHECK_FALSE(cache.find("s", "q").has_value());
    CHECK(cache.stats().entries == 0);
}

TEST_CASE("the request key names every field that changes the answer", "[unit][search_cache]") {
    using mandala::search::SearchRequest;
    SearchRequest base;
    base.query = "boats";
    base.filters["document"] = {"harbour-watch", "radio-drill"};
    const std::string key = SearchCache::request_key(base);

    SearchRequest reordered = base;
    reordered.filters["document"] = {"radio-drill", "harbour-watch"};  // OR within a facet: same answer
    CHECK(SearchCache::request_key(reordered) == key);

    std::vector<SearchRequest> others(9, base);
    others[0].query = "boat";
    others[1].filters["document"] = {"harbour-watch"};
    others[2].limit = 11;
    others[3].page = 2;
    others[4].sort = mandala::search::SortOrder::year;
    others[5].collapse = true;
    others[6].facets = false;
    others[7].snippets = false;
    others[8].filters["year"] = {"2001"};
    for (const auto& o : others) CHECK(SearchCache::request_key(o) != key);

    // A value holding what looks like a field boundary cannot imitate two values.
    SearchRequest one_value, two_values;
    one_value.filters["document"] = {"a1:b"};
    two_values.filters["document"] = {"a", "b"};
    CHECK(SearchCache::request_key(one_value) != SearchCache::request_key(two_values));
}

TEST_CASE("the search cache can be used from several threads at once", "[unit][search_cache]") {
    SearchCache cache(4000);
    std::atomic<int> wrong_bodies{0};  // Catch2 assertions are not thread-safe: count, check after
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&cache, &wrong_bodies, t] {
            for (int i = 0; i < 3000; ++i) {
                const std::string key = numbered("k", (i * 7 + t) % 64);
                // Now and then a new stamp, which empties the cache under the other threads.
                if (const auto body = cache.find(i % 500 == 0 ? numbered("s", i / 500) : "s", key)) {
                    if (*body != "answer " + key) ++wrong_bodies;
                } else {
                    cache.insert("s", key, "answer " + key);
                }
            }
        });
    for (auto& t : threads) t.join();
    CHECK(wrong_bodies == 0);
    const auto s = cache.stats();
    CHECK(s.hits + s.misses == 4 * 3000);
    CHECK(s.hits > 0);
    CHECK(s.bytes <= 4000);
}

TEST_CASE("the search cache size is validated", "[unit][search_cache]") {
    using mandala::web::Config;
    using mandala::web::parse_search_cache_mb;
    Config c;
    CHECK(c.search_cache_mb == 64);
    CHECK(c.search_cache_bytes() == std::size_t{64} << 20);
    for (const long long ok : {0LL, 1LL, 4096LL}) {
        c.search_cache_mb = ok;
        CHECK_NOTHROW(c.validate());
    }
    CHECK(c.search_cache_bytes() == std::size_t{4096} << 20);
    c.search_cache_mb = 0;
    CHECK(c.search_cache_bytes() == 0);
    for (const long long bad : {-1LL, 4097LL, 1LL << 40}) {
        c.search_cache_mb = bad;
        CHECK_THROWS_WITH(c.validate(), Catch::Contains("search cache size must be between 0 and 4096 MB"));
    }
    CHECK(parse_search_cache_mb("128", "--search-cache-mb") == 128);
    CHECK(parse_search_cache_mb("-5", "--search-cache-mb") == -5);  // a number: validate() says why not
    for (const std::string bad : {"", "lots", "64MB", " 64", "1.5", "99999999999999999999999"})
        CHECK_THROWS_WITH(parse_search_cache_mb(bad, "MANDALA_SEARCH_CACHE_MB"),
                          Catch::Contains("MANDALA_SEARCH_CACHE_MB must be a whole number of megabytes"));
    // With a remote shard the cache is off whatever its size (its content changes unseen).
    c.search_cache_mb = 64;
    c.shards = {"/srv/shard-0", "tcp://127.0.0.1:7300"};
    CHECK(c.has_remote_shard());
    CHECK(c.search_cache_bytes() == 0);
    c.shards = {"/srv/shard-0"};
    CHECK(c.search_cache_bytes() == std::size_t{64} << 20);
}

// ---- through the HTTP server ----

namespace {

using mandala::test::Reply;

struct CacheFixture {
    fs::path dir, corpus;
    mandala::indexer::IndexOptions options;

    CacheFixture() {
        dir = fs::temp_directory_path() / ("mandala-web-cache-" + std::to_string(::getpid()));
        fs::remove_all(dir);
        corpus = dir / "corpus";
        fs::create_directories(corpus);
        fs::copy(fs::path(MANDALA_FIXTURES_DIR) / "reindex" / "base", corpus, fs::copy_options::recursive);
        options.corpus_dirs = {corpus};
        options.db_dir = dir / "db";
        REQUIRE(mandala::indexer::run_index(options).indexed == 2);
    }
    ~CacheFixture() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    std::unique_ptr<mandala::web::Server> serve(long long cache_mb) const {
        mandala::web::Config config;
        config.db_dir = options.db_dir;
        config.port = 0;
        config.threads = 4;
        config.access_log = false;
        config.search_cache_mb = cache_mb;
        auto server = std::make_unique<mandala::web::Server>(config);
        server->start();
        return server;
    }
};

struct Search {
    Reply reply;
    Poco::JSON::Object::Ptr json;
    bool cached() const { return json->getObject("timing")->getValue<bool>("cached"); }
    std::string x_cache() const { return reply.headers.get("X-Cache", ""); }
    // The answer without its timing, which is the one member allowed to differ on a hit.
    std::string without_timing() const {
        Poco::JSON::Object copy(*json);
        copy.remove("timing");
        std::ostringstream out;
        copy.stringify(out);
        return out.str();
    }
    std::size_t total() const { return json->getValue<std::size_t>("total"); }
};

Search search(std::uint16_t port, const std::string& query_string) {
    Search s;
    s.reply = mandala::test::http_call(port, "GET", "/api/search?" + query_string);
    INFO(query_string << " -> " << s.reply.status << " " << s.reply.body.substr(0, 300));
    REQUIRE(s.reply.status == 200);
    s.json = s.reply.json();
    return s;
}

double metric(std::uint16_t port, const std::string& name) {
    const Reply r = mandala::test::http_call(port, "GET", "/metrics");
    REQUIRE(r.status == 200);
    std::istringstream in(r.body);
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(name + " ", 0) == 0) return std::stod(line.substr(name.size() + 1));
    FAIL("no " << name << " in /metrics");
    return -1;
}

// Runs the mandala binary (bounded by `timeout`, in case it starts serving); output and exit status.
std::pair<std::string, int> run_cli(const std::string& env, const std::string& args) {
    const std::string cmd = env + " timeout 20 " + std::string(MANDALA_BINARY) + " " + args + " 2>&1";
    std::FILE* p = popen(cmd.c_str(), "r");
    REQUIRE(p);
    std::string out;
    std::array<char, 4096> buf{};
    while (std::fgets(buf.data(), static_cast<int>(buf.size()), p)) out += buf.data();
    return {out, pclose(p)};
}

}  // namespace

TEST_CASE("a repeated search is answered from the cache with the same body", "[integration][web][search_cache]") {
    const CacheFixture f;
    const auto server = f.serve(64);
    const std::uint16_t port = server->port();

    const Search first = search(port, "q=boats&size=5");
    CHECK_FALSE(first.cached());
    CHECK(first.x_cache() == "miss");
    REQUIRE(first.total() > 0);
    const Search again = search(port, "q=boats&size=5");
    CHECK(again.cached());
    CHECK(again.x_cache() == "hit");
    CHECK(again.without_timing() == first.without_timing());
    CHECK(again.json->getObject("timing")->getValue<double>("elapsed_ms") >= 0);

    // Anything else that changes the answer is a miss the first time.
    for (const std::string other : {"q=boats&size=5&page=2", "q=boats&size=4", "q=boats&size=5&document=radio-drill",
                                    "q=boats&size=5&sort=year", "q=boats&size=5&facets=false", "q=boat&size=5"}) {
        INFO(other);
        CHECK_FALSE(search(port, other).cached());
        CHECK(search(port, other).cached());
    }
    // Values of one facet in another order are the same request.
    CHECK_FALSE(search(port, "q=the&document=harbour-watch&document=radio-drill").cached());
    const Search swapped = search(port, "q=the&document=radio-drill&document=harbour-watch");
    CHECK(swapped.cached());

    CHECK(metric(port, "mandala_search_cache_hits_total") == 8);
    CHECK(metric(port, "mandala_search_cache_misses_total") == 8);
    CHECK(metric(port, "mandala_search_cache_entries") == 8);
    CHECK(metric(port, "mandala_search_cache_bytes") > 0);
    // Errors are answered as before and never stored.
    CHECK(mandala::test::http_call(port, "GET", "/api/search?q=boats&sort=sideways").status == 400);
    CHECK(mandala::test::http_call(port, "GET", "/api/search?q=boats&sort=sideways").status == 400);
    CHECK(metric(port, "mandala_search_cache_entries") == 8);
}

TEST_CASE("after a new index commit the next search is a miss with the new content", "[integration][web][search_cache]") {
    const CacheFixture f;
    const auto server = f.serve(64);
    const std::uint16_t port = server->port();

    CHECK(search(port, "q=Quillmoor").total() == 0);
    const Search before = search(port, "q=Quillmoor");
    REQUIRE(before.cached());
    CHECK(before.total() == 0);
    search(port, "q=boats");
    REQUIRE(metric(port, "mandala_search_cache_entries") == 2);

    fs::copy_file(fs::path(MANDALA_FIXTURES_DIR) / "reindex" / "added" / "well-survey.md", f.corpus / "well-survey.md");
    REQUIRE(mandala::indexer::run_index(f.options).indexed == 1);

    const Search after = search(port, "q=Quillmoor");
    CHECK_FALSE(after.cached());
    CHECK(after.x_cache() == "miss");
    CHECK(after.total() > 0);
    // The old commit's entries were dropped when the new stamp was first seen.
    CHECK(metric(port, "mandala_search_cache_entries") == 1);
    CHECK(search(port, "q=Quillmoor").cached());
}

TEST_CASE("with --search-cache-mb 0 nothing is cached", "[integration][web][search_cache]") {
    const CacheFixture f;
    const auto server = f.serve(0);
    const std::uint16_t port = server->port();
    for (int i = 0; i < 3; ++i) {
        const Search s = search(port, "q=boats");
        CHECK_FALSE(s.cached());
        CHECK(s.x_cache().empty());
    }
    CHECK(metric(port, "mandala_search_cache_hits_total") == 0);
    CHECK(metric(port, "mandala_search_cache_max_bytes") == 0);
}

TEST_CASE("mandala serve refuses a bad search cache size with a clear message", "[integration][web][search_cache]") {
    const std::string db = " --db " + (fs::temp_directory_path() / "mandala-no-index-here").string() + " --port 0";
    {
        const auto [out, status] = run_cli("MANDALA_SEARCH_CACHE_MB=lots", "serve" + db);
        CHECK(status != 0);
        CHECK_THAT(out, Catch::Contains("MANDALA_SEARCH_CACHE_MB must be a whole number of megabytes"));
    }
    {
        const auto [out, status] = run_cli("", "serve" + db + " --search-cache-mb 64k");
        CHECK(status != 0);
        CHECK_THAT(out, Catch::Contains("--search-cache-mb must be a whole number of megabytes"));
    }
    for (const std::string bad : {"-1", "5000"}) {
        const auto [out, status] = run_cli("", "serve" + db + " --search-cache-mb " + bad);
        CHECK(status != 0);
        CHECK_THAT(out, Catch::Contains("search cache size must be between 0 and 4096 MB"));
    }
    {  // --help shows the whole usage, the cache flag included.
        const auto [out, status] = run_cli("", "serve --help");
        CHECK(status == 0);
        CHECK_THAT(out, Catch::Contains("--search-cache-mb") && Catch::Contains("--threads"));
    }
    // The flag wins over the variable.
    const auto [out, status] = run_cli("MANDALA_SEARCH_CACHE_MB=64", "serve" + db + " --search-cache-mb 9999");
    CHECK(status != 0);
    CHECK_THAT(out, Catch::Contains("got 9999"));
}
