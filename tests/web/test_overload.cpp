// A server that slow or many clients cannot stall, hostile bytes on the wire, and honest health:
// real servers on loopback ports, raw sockets for what a polite client would never send.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <thread>

#include "indexer/pipeline.h"
#include "indexer/store.h"
#include "tests/indexer/test_helpers.h"
#include "tests/web/http_client.h"
#include "web/http_parse.h"
#include "web/index_handle.h"
#include "web/server.h"

namespace fs = std::filesystem;
using namespace mandala::web;
using Clock = std::chrono::steady_clock;

namespace {

// An index of the shared seed corpus, made once per test process in a folder removed at its exit.
const fs::path& seed_index() {
    static const mandala::test::TempDir dir;
    static const fs::path db = [] {
        mandala::indexer::IndexOptions options;
        options.corpus_dirs = {fs::path(MANDALA_SHARED_DIR) / "corpus"};
        options.db_dir = dir / "db";
        mandala::indexer::run_index(options);
        return options.db_dir;
    }();
    return db;
}

Config test_config(const fs::path& db) {
    Config c;
    c.db_dir = db;
    c.port = 0;
    c.threads = 4;
    c.access_log = false;
    return c;
}

int connect_to(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    return fd;
}

void send_text(int fd, std::string_view bytes) {
    REQUIRE(::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size()));
}

// Everything the server sends until it closes (or `limit` passes); `closed` says whether it did.
std::string read_until_closed(int fd, std::chrono::milliseconds limit, bool& closed) {
    std::string out;
    const auto until = Clock::now() + limit;
    closed = false;
    while (Clock::now() < until) {
        pollfd p{fd, POLLIN, 0};
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
        if (::poll(&p, 1, static_cast<int>(std::max<long long>(left, 1))) <= 0) continue;
        char buf[4096];
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) {
            closed = true;
            break;
        }
        out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

std::string exchange(std::uint16_t port, std::string_view request) {
    const int fd = connect_to(port);
    send_text(fd, request);
    bool closed = false;
    std::string answer = read_until_closed(fd, std::chrono::seconds(5), closed);
    ::close(fd);
    return answer;
}

bool has_security_headers(const std::string& answer) {
    return answer.find("X-Content-Type-Options: nosniff") != std::string::npos &&
           answer.find("Content-Security-Policy: ") != std::string::npos;
}

}  // namespace

TEST_CASE("40 slow clients neither stall a search nor outlive the request deadline", "[integration][overload]") {
    Config config = test_config(seed_index());
    config.request_timeout = 2;
    Server server(config);
    server.start();
    std::vector<int> slow;
    for (int i = 0; i < 40; ++i) {
        slow.push_back(connect_to(server.port()));
        // Half drip a head that never ends, half a body that never comes.
        send_text(slow.back(), i % 2 ? "GET /api/search?q=mandate HTTP/1.1\r\nHost: x\r\n"
                                     : "POST /api/packs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                       "Content-Length: 5000\r\n\r\n{\"ti");
    }
    const auto opened = Clock::now();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const auto asked = Clock::now();
    const auto search = mandala::test::http_call(server.port(), "GET", "/api/search?q=disarmament");
    CHECK(search.status == 200);
    CHECK(Clock::now() - asked < std::chrono::seconds(2));

    for (std::size_t i = 0; i < slow.size(); ++i) {
        bool closed = false;
        const std::string answer = read_until_closed(slow[i], std::chrono::milliseconds(3500), closed);
        INFO("slow connection " << i);
        CHECK(closed);
        CHECK(answer.starts_with("HTTP/1.1 408"));
        CHECK(has_security_headers(answer));
        ::close(slow[i]);
    }
    // Closed by the deadline (2 s) and the sweep that notices it, not by the keep-alive timeout.
    CHECK(Clock::now() - opened < std::chrono::milliseconds(3700));
}

TEST_CASE("connections beyond the limit get 503 with Retry-After, not a reset", "[integration][overload]") {
    Config config = test_config(seed_index());
    config.max_connections = 8;
    config.retry_after = 3;
    Server server(config);
    server.start();
    std::vector<int> idle;
    for (int i = 0; i < 8; ++i) idle.push_back(connect_to(server.port()));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // accepted, all idle
    const std::string answer = exchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(answer.starts_with("HTTP/1.1 503"));
    CHECK(answer.find("Retry-After: 3\r\n") != std::string::npos);
    CHECK(has_security_headers(answer));
    for (int fd : idle) ::close(fd);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(mandala::test::http_call(server.port(), "GET", "/healthz").status == 200);
}

TEST_CASE("bytes a proxy could read differently are refused with 400", "[integration][overload]") {
    Server server(test_config(seed_index()));
    server.start();
    SECTION("a raw 0xff byte in the request line") {
        const std::string answer = exchange(server.port(), "GET /api/search?q=a\xff" "b HTTP/1.1\r\nHost: x\r\n\r\n");
        CHECK(answer.starts_with("HTTP/1.1 400"));
        CHECK(has_security_headers(answer));
    }
    SECTION("Content-Length and Transfer-Encoding together") {
        const std::string answer = exchange(server.port(),
                                            "POST /api/packs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                            "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        CHECK(answer.starts_with("HTTP/1.1 400"));
        CHECK(answer.find("Transfer-Encoding") != std::string::npos);
        CHECK(has_security_headers(answer));
    }
    SECTION("a chunk size of 0x7fffffff is refused at once") {
        const auto start = Clock::now();
        const std::string answer = exchange(server.port(),
                                            "POST /api/packs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                            "Transfer-Encoding: chunked\r\n\r\n7fffffff\r\n{");
        CHECK(answer.starts_with("HTTP/1.1 413"));
        CHECK(Clock::now() - start < std::chrono::seconds(3));
    }
    SECTION("a chunked body and pipelined requests are served") {
        const std::string answer = exchange(server.port(),
                                            "POST /api/packs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                            "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"tit\r\nb\r\nle\":\"Pack\"}\r\n0\r\n\r\n"
                                            "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        CHECK(answer.starts_with("HTTP/1.1 201"));
        CHECK(answer.find("HTTP/1.1 200") != std::string::npos);
    }
    CHECK(mandala::test::http_call(server.port(), "GET", "/healthz").status == 200);
}

TEST_CASE("the request parser frames bodies and refuses ambiguity", "[overload]") {
    HttpLimits limits;
    limits.max_body = 100;
    RequestHead head;
    CHECK_FALSE(parse_head("GET / HTTP/1.1\r\nHost: x\r\n", limits, head));
    REQUIRE(parse_head("\r\nGET /a?q=x%20y HTTP/1.0\r\nHost:  x \r\nConnection: keep-alive\r\n\r\nrest", limits, head));
    CHECK(head.request.path == "/a");
    CHECK(head.request.arg("q") == "x y");
    CHECK(head.request.header("host") == "x");
    CHECK(head.keep_alive);
    CHECK(head.head_bytes == std::string_view("\r\nGET /a?q=x%20y HTTP/1.0\r\nHost:  x \r\nConnection: keep-alive\r\n\r\n").size());
    CHECK_THROWS_AS(parse_head("GET / HTTP/1.1\r\n folded: x\r\n\r\n", limits, head), HttpError);
    CHECK_THROWS_AS(parse_head("GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", limits, head), HttpError);
    CHECK_THROWS_AS(parse_head("GET / HTTP/1.1\r\nContent-Length: 101\r\n\r\n", limits, head), mandala::LimitExceeded);
    CHECK_THROWS_AS(parse_head("GET / HTTP/2.0\r\n\r\n", limits, head), HttpError);
    CHECK_THROWS_AS(parse_head("GET /\x01 HTTP/1.1\r\n\r\n", limits, head), HttpError);

    REQUIRE(parse_head("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", limits, head));
    std::string body;
    std::size_t consumed = 0;
    CHECK_FALSE(parse_body("3\r\nabc\r\n", head, limits, body, consumed));
    REQUIRE(parse_body("3;ext=1\r\nabc\r\n1\r\nd\r\n0\r\nTrailer: x\r\n\r\nNEXT", head, limits, body, consumed));
    CHECK(body == "abcd");
    CHECK(consumed == std::string_view("3;ext=1\r\nabc\r\n1\r\nd\r\n0\r\nTrailer: x\r\n\r\n").size());
    CHECK_THROWS_AS(parse_body("3\r\nabcd\r\n", head, limits, body, consumed), HttpError);
    CHECK_THROWS_AS(parse_body("65\r\n", head, limits, body, consumed), mandala::LimitExceeded);
}

TEST_CASE("errors name no server path and a damaged index is unhealthy", "[integration][health]") {
    mandala::test::TempDir tmp;
    fs::copy(seed_index(), tmp / "db", fs::copy_options::recursive);
    Server server(test_config(tmp / "db"));
    server.start();
    const auto healthy = mandala::test::http_call(server.port(), "GET", "/healthz");
    CHECK(healthy.status == 200);
    CHECK(healthy.json()->getValue<bool>("index"));

    SECTION("an item position of -1 is a 400") {
        const auto search = mandala::test::http_call(server.port(), "GET", "/api/search?q=mandate&size=1").json();
        const std::string passage = search->getArray("results")->getObject(0)->getValue<std::string>("id");
        const auto pack = mandala::test::http_call(server.port(), "POST", "/api/packs", "{\"title\":\"Course\"}").json();
        const auto added = mandala::test::http_call(
            server.port(), "POST", "/api/packs/" + pack->getValue<std::string>("id") + "/items",
            "{\"passage\":\"" + passage + "\",\"position\":-1}", "application/json",
            {{"Authorization", "Bearer " + pack->getValue<std::string>("edit_token")}});
        CHECK(added.status == 400);
    }
    SECTION("a Xapian table removed: 503 from /healthz, saying what failed, naming no path") {
        std::size_t removed = 0;
        for (const auto& entry : fs::recursive_directory_iterator(tmp / "db" / "xapian"))
            if (entry.path().filename() == "postlist.glass") removed += fs::remove(entry.path()) ? 1 : 0;
        REQUIRE(removed > 0);
        const auto health = mandala::test::http_call(server.port(), "GET", "/healthz");
        CHECK(health.status == 503);
        CHECK(health.json()->getValue<std::string>("failed") == "xapian");
        CHECK(health.body.find(tmp.path().string()) == std::string::npos);
    }
    SECTION("no index at all: 503 naming no path") {
        fs::remove_all(tmp / "db");
        const auto health = mandala::test::http_call(server.port(), "GET", "/healthz");
        CHECK(health.status == 503);
        CHECK(health.json()->getValue<std::string>("failed") == "catalog");
        const auto missing = mandala::test::http_call(server.port(), "GET", "/api/documents");
        CHECK(missing.status >= 400);
        CHECK(missing.body.find(tmp.path().string()) == std::string::npos);
        CHECK(missing.body.find("/db") == std::string::npos);
    }
}

TEST_CASE("the index stamp changes at a commit only, not while a run writes", "[integration][stamp]") {
    mandala::test::TempDir tmp;
    fs::copy(seed_index(), tmp / "db", fs::copy_options::recursive);
    IndexHandle handle(tmp / "db");
    const std::string before = handle.stamp();
    REQUIRE_FALSE(before.empty());
    const auto documents = mandala::indexer::load_documents(tmp / "db");
    REQUIRE(documents.size() >= 2);
    {
        mandala::indexer::IndexWriter writer(tmp / "db");
        writer.remove_document(documents[0].id);  // written into both stores' open transactions
        writer.remove_document(documents[1].id);
        CHECK(handle.stamp() == before);
        writer.commit();
    }
    const std::string after = handle.stamp();
    CHECK(after != before);
    CHECK(handle.stamp() == after);
}
