// The web server sees a new index commit without a restart: a real server on an ephemeral
// loopback port over an index of a small fixture corpus (tests/fixtures/reindex/), re-indexed
// while it serves, first with a document added, then with one removed. Searches keep answering
// 200 while the indexer commits.
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <sstream>
#include <thread>

#include "indexer/pipeline.h"
#include "tests/web/http_client.h"
#include "web/server.h"

namespace fs = std::filesystem;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

using mandala::test::Reply;

Reply get(std::uint16_t port, const std::string& target) { return mandala::test::http_call(port, "GET", target); }

// Result ids of a search (first page of 20).
std::vector<std::string> search_ids(std::uint16_t port, const std::string& q) {
    const Reply r = get(port, "/api/search?size=20&q=" + q);
    REQUIRE(r.status == 200);
    std::vector<std::string> ids;
    const auto results = r.json()->getArray("results");
    for (std::size_t i = 0; i < results->size(); ++i) ids.push_back(results->getObject(static_cast<unsigned>(i))->getValue<std::string>("id"));
    return ids;
}

// The "document" facet of a search over every passage: document id -> passages.
std::map<std::string, int> document_facet(std::uint16_t port) {
    const Reply r = get(port, "/api/search?q=&size=1");
    REQUIRE(r.status == 200);
    std::map<std::string, int> out;
    const auto values = r.json()->getObject("facets")->getArray("document");
    for (std::size_t i = 0; i < values->size(); ++i) {
        const auto v = values->getObject(static_cast<unsigned>(i));
        out[v->getValue<std::string>("value")] = v->getValue<int>("count");
    }
    return out;
}

std::vector<std::string> document_ids(std::uint16_t port) {
    const Reply r = get(port, "/api/documents");
    REQUIRE(r.status == 200);
    std::vector<std::string> ids;
    const auto docs = r.json()->getArray("documents");
    for (std::size_t i = 0; i < docs->size(); ++i) ids.push_back(docs->getObject(static_cast<unsigned>(i))->getValue<std::string>("id"));
    std::sort(ids.begin(), ids.end());
    return ids;
}

double reopens(std::uint16_t port) {
    const Reply r = get(port, "/metrics");
    REQUIRE(r.status == 200);
    std::istringstream in(r.body);
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("mandala_index_reopens_total ", 0) == 0) return std::stod(line.substr(line.find(' ') + 1));
    FAIL("no mandala_index_reopens_total in /metrics");
    return -1;
}

// Re-indexes while another thread keeps searching; every one of those searches must answer 200.
mandala::indexer::IndexReport reindex_under_load(std::uint16_t port, const mandala::indexer::IndexOptions& options) {
    std::atomic<bool> done{false};
    std::atomic<int> sent{0}, failed{0};
    std::string first_failure;
    std::thread searcher([&] {
        while (!done && sent < 2000) {
            ++sent;
            try {
                const Reply r = get(port, "/api/search?q=wells+OR+harbour&size=5");
                if (r.status != 200 && failed++ == 0) first_failure = std::to_string(r.status) + " " + r.body;
            } catch (const std::exception& e) {
                if (failed++ == 0) first_failure = e.what();
            }
        }
    });
    mandala::indexer::IndexReport report;
    try {
        report = mandala::indexer::run_index(options);
    } catch (...) {
        done = true;
        searcher.join();
        throw;
    }
    done = true;
    searcher.join();
    INFO("first failure: " << first_failure);
    CHECK(sent > 0);
    CHECK(failed == 0);
    return report;
}

}  // namespace

TEST_CASE("the web server picks up a new index commit without a restart", "[integration][web]") {
    const fs::path dir = fs::temp_directory_path() / ("mandala-web-reload-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    struct Cleanup {
        fs::path dir;
        ~Cleanup() {
            std::error_code ec;
            fs::remove_all(dir, ec);
        }
    } cleanup{dir};
    const fs::path corpus = dir / "corpus", fixtures = fs::path(MANDALA_FIXTURES_DIR) / "reindex";
    fs::create_directories(corpus);
    fs::copy(fixtures / "base", corpus, fs::copy_options::recursive);

    mandala::indexer::IndexOptions options;
    options.corpus_dirs = {corpus};
    options.db_dir = dir / "db";
    const auto first = mandala::indexer::run_index(options);
    REQUIRE(first.failures.empty());
    REQUIRE(first.indexed == 2);

    mandala::web::Config config;
    config.db_dir = dir / "db";
    config.port = 0;
    config.threads = 4;
    config.access_log = false;
    auto server = std::make_unique<mandala::web::Server>(config);
    server->start();
    const std::uint16_t port = server->port();

    CHECK(document_ids(port) == std::vector<std::string>{"harbour-watch", "radio-drill"});
    CHECK(search_ids(port, "Quillmoor").empty());
    const auto harbour = search_ids(port, "logbook");
    REQUIRE_FALSE(harbour.empty());
    const double reopened = reopens(port);
    // Facets count from a table shared per index snapshot: it must follow the commits below.
    const auto counts = document_facet(port);
    CHECK(counts.size() == 2);

    SECTION("an added document is searchable, listed and readable") {
        fs::copy_file(fixtures / "added" / "well-survey.md", corpus / "well-survey.md");
        const auto report = reindex_under_load(port, options);
        CHECK(report.indexed == 1);
        CHECK(report.unchanged == 2);

        const auto found = search_ids(port, "Quillmoor");
        REQUIRE_FALSE(found.empty());
        for (const auto& id : found) CHECK(id.rfind("well-survey#", 0) == 0);
        CHECK(document_ids(port) == std::vector<std::string>{"harbour-watch", "radio-drill", "well-survey"});
        const Reply passage = get(port, "/api/passages/" + found.front().substr(0, found.front().find('#')) + "%23" +
                                            found.front().substr(found.front().find('#') + 1));
        REQUIRE(passage.status == 200);
        CHECK(passage.json()->getValue<std::string>("text").find("Quillmoor") != std::string::npos);
        const Reply facets = get(port, "/api/search?q=pumps&document=well-survey");
        REQUIRE(facets.status == 200);
        CHECK(facets.json()->getValue<int>("total") > 0);
        // What was there before is still found, under the same ids.
        CHECK(search_ids(port, "logbook") == harbour);
        CHECK(reopens(port) > reopened);
        auto after = document_facet(port);
        CHECK(after.count("well-survey"));
        after.erase("well-survey");
        CHECK(after == counts);
    }

    SECTION("a removed document disappears") {
        fs::remove(corpus / "radio-drill.txt");
        REQUIRE_FALSE(search_ids(port, "roll+call").empty());
        const auto report = reindex_under_load(port, options);
        CHECK(report.removed == 1);
        CHECK(search_ids(port, "roll+call").empty());
        CHECK(document_ids(port) == std::vector<std::string>{"harbour-watch"});
        CHECK(get(port, "/api/documents/radio-drill").status == 404);
        CHECK(search_ids(port, "logbook") == harbour);
        auto before = counts;
        before.erase("radio-drill");
        CHECK(document_facet(port) == before);
    }

    server.reset();
}
