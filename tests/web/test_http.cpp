// HTTP integration tests: a real server on an ephemeral loopback port over an index of the shared
// corpus, every route and its errors, each response checked against the OpenAPI document.
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/NodeList.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <sstream>

#include "indexer/pipeline.h"
#include "tests/indexer/test_helpers.h"
#include "tests/web/http_client.h"
#include "web/server.h"

namespace fs = std::filesystem;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

using mandala::test::Reply;

// One index and one server per test process.
struct Fixture {
    fs::path dir;
    std::unique_ptr<mandala::web::Server> server;
    Object::Ptr openapi;

    Fixture() {
        dir = fs::temp_directory_path() / ("mandala-web-test-" + std::to_string(::getpid()));
        fs::remove_all(dir);
        mandala::indexer::IndexOptions options;
        options.corpus_dirs = {fs::path(MANDALA_SHARED_DIR) / "corpus"};
        options.db_dir = dir / "db";
        mandala::indexer::run_index(options);
        mandala::web::Config config;
        config.db_dir = dir / "db";
        config.port = 0;
        config.threads = 4;
        config.max_body = 64 * 1024;
        config.access_log = false;
        config.admin_token = "admin-secret";
        config.corpus_dirs = options.corpus_dirs;
        // The service does not link the indexer: `mandala serve` hands it one, and so does this test.
        config.reindex = [](const std::vector<fs::path>& corpus_dirs, const fs::path& db) {
            mandala::indexer::IndexOptions reindex;
            reindex.corpus_dirs = corpus_dirs;
            reindex.db_dir = db;
            const auto report = mandala::indexer::run_index(reindex);
            return mandala::web::ReindexReport{report.files, report.indexed, report.unchanged, report.removed,
                                               report.passages, report.failures.size(), report.seconds};
        };
        server = std::make_unique<mandala::web::Server>(config);
        server->start();
    }
    ~Fixture() {
        server.reset();
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
};

Fixture& fixture() {
    static Fixture f;
    return f;
}

Reply call(const std::string& method, const std::string& target, const std::string& body = {},
           const std::string& content_type = "application/json", const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    return mandala::test::http_call(fixture().server->port(), method, target, body, content_type, headers);
}

// ---- the OpenAPI document as a checker ----

Object::Ptr openapi() {
    if (!fixture().openapi) fixture().openapi = call("GET", "/api/openapi.json").json();
    return fixture().openapi;
}

Object::Ptr resolve(Object::Ptr o) {
    while (o && o->has("$ref")) {
        std::string ref = o->getValue<std::string>("$ref").substr(2);  // "#/..."
        Object::Ptr at = openapi();
        std::istringstream parts(ref);
        std::string part;
        while (std::getline(parts, part, '/')) at = at->getObject(part);
        o = at;
    }
    return o;
}

std::vector<std::string> segments(const std::string& path) {
    std::vector<std::string> out;
    std::istringstream in(path.substr(1));
    std::string s;
    while (std::getline(in, s, '/')) out.push_back(s);
    if (!path.empty() && path.back() == '/') out.push_back("");
    return out;
}

// The path template of the document that `raw_path` falls under, or "".
std::string path_template(const std::string& raw_path) {
    const auto have = segments(raw_path);
    const auto paths = openapi()->getObject("paths");
    for (const auto& [tmpl, _] : *paths) {
        const auto want = segments(tmpl);
        if (want.size() != have.size()) continue;
        bool ok = true;
        for (std::size_t i = 0; i < want.size() && ok; ++i)
            ok = want[i].front() == '{' ? !have[i].empty() : want[i] == have[i];
        if (ok) return tmpl;
    }
    return {};
}

// The response matches the document: status declared for the operation (404/405 for paths or
// methods it does not declare), and required members of the JSON schema present.
void check_openapi(const std::string& method, const std::string& target, const Reply& r) {
    INFO(method << " " << target << " -> " << r.status << " " << r.body.substr(0, 300));
    const std::string path = target.substr(0, target.find('?'));
    const std::string tmpl = path_template(path);
    Object::Ptr schema;
    if (tmpl.empty() || !openapi()->getObject("paths")->getObject(tmpl)->has(Poco::toLower(method))) {
        CHECK((r.status == 404 || r.status == 405 || (r.status == 200 && path.rfind("/api/", 0) != 0)));
        if (r.status >= 400) schema = resolve(openapi()->getObject("components")->getObject("schemas")->getObject("Problem"));
    } else {
        const auto responses = openapi()->getObject("paths")->getObject(tmpl)->getObject(Poco::toLower(method))->getObject("responses");
        const std::string status = std::to_string(r.status);
        REQUIRE(responses->has(status));
        const auto response = resolve(responses->getObject(status));
        if (response->has("content")) {
            const auto content = response->getObject("content");
            const std::string type = r.content_type.substr(0, r.content_type.find(';'));
            REQUIRE(content->has(type));
            schema = resolve(content->getObject(type)->getObject("schema"));
        }
    }
    if (!schema || !(schema->has("required") || schema->has("oneOf"))) return;
    Poco::JSON::Parser parser;
    const auto body = parser.parse(r.body).extract<Object::Ptr>();
    // oneOf: the members required by at least one alternative are all present.
    std::vector<Object::Ptr> alternatives;
    if (schema->has("oneOf"))
        for (const auto& a : *schema->getArray("oneOf")) alternatives.push_back(resolve(a.extract<Object::Ptr>()));
    else
        alternatives.push_back(schema);
    std::vector<std::string> missing_in_best;
    for (const auto& alternative : alternatives) {
        if (!alternative->has("required")) return;
        std::vector<std::string> missing;
        const auto required = alternative->getArray("required");
        for (std::size_t i = 0; i < required->size(); ++i) {
            const std::string member = required->getElement<std::string>(static_cast<unsigned>(i));
            if (!body->has(member)) missing.push_back(member);
        }
        if (missing.empty()) return;
        if (missing_in_best.empty() || missing.size() < missing_in_best.size()) missing_in_best = missing;
    }
    for (const auto& member : missing_in_best) {
        INFO("required member " << member);
        CHECK(body->has(member));
    }
}

Reply checked(const std::string& method, const std::string& target, const std::string& body = {},
              const std::string& content_type = "application/json",
              const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    Reply r = call(method, target, body, content_type, headers);
    check_openapi(method, target, r);
    return r;
}

std::string encode(const std::string& s) {
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

void still_serving() {
    const Reply r = call("GET", "/healthz");
    REQUIRE(r.status == 200);
}

struct Paragraph {
    std::string style, text;
};

std::vector<Paragraph> docx_paragraphs(const std::string& docx) {
    std::istringstream zip(docx);
    Poco::Zip::ZipArchive archive(zip);
    auto it = archive.findHeader("word/document.xml");
    REQUIRE(it != archive.headerEnd());
    REQUIRE(archive.findHeader("[Content_Types].xml") != archive.headerEnd());
    REQUIRE(archive.findHeader("_rels/.rels") != archive.headerEnd());
    zip.clear();
    zip.seekg(0);
    Poco::Zip::ZipInputStream in(zip, it->second);
    std::string xml;
    Poco::StreamCopier::copyToString(in, xml);
    Poco::XML::DOMParser parser;
    Poco::AutoPtr<Poco::XML::Document> doc = parser.parseString(xml);
    const std::string w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    Poco::AutoPtr<Poco::XML::NodeList> ps = doc->getElementsByTagNameNS(w, "p");
    std::vector<Paragraph> out;
    for (unsigned long i = 0; i < ps->length(); ++i) {
        auto* p = static_cast<Poco::XML::Element*>(ps->item(i));
        Paragraph para;
        Poco::AutoPtr<Poco::XML::NodeList> styles = p->getElementsByTagNameNS(w, "pStyle");
        if (styles->length()) para.style = static_cast<Poco::XML::Element*>(styles->item(0))->getAttributeNS(w, "val");
        Poco::AutoPtr<Poco::XML::NodeList> texts = p->getElementsByTagNameNS(w, "t");
        for (unsigned long j = 0; j < texts->length(); ++j) para.text += texts->item(j)->innerText();
        out.push_back(para);
    }
    return out;
}

// Two passages for packs: the first two results of a search.
std::pair<std::string, std::string> two_passages() {
    const auto r = call("GET", "/api/search?q=DDR&size=2").json();
    const auto results = r->getArray("results");
    REQUIRE(results->size() == 2);
    return {results->getObject(0)->getValue<std::string>("id"), results->getObject(1)->getValue<std::string>("id")};
}

}  // namespace

TEST_CASE("search, passages and look-ups answer as the OpenAPI document says", "[integration]") {
    CHECK(checked("GET", "/healthz").json()->getValue<bool>("index"));
    const Reply metrics = checked("GET", "/metrics");
    CHECK(metrics.body.find("mandala_index_passages") != std::string::npos);
    CHECK(metrics.body.find("mandala_http_request_duration_seconds_bucket{route=\"healthz\"") != std::string::npos);

    const Reply all = checked("GET", "/api/search?q=DDR+benchmarks");
    REQUIRE(all.status == 200);
    const auto body = all.json();
    const auto total = body->getValue<std::size_t>("total");
    REQUIRE(total > 0);
    const auto facets = body->getObject("facets");
    REQUIRE(facets->has("category"));
    const auto category = facets->getArray("category")->getObject(0);
    const std::string cat = category->getValue<std::string>("value");
    const Reply narrowed = checked("GET", "/api/search?q=DDR+benchmarks&category=" + encode(cat));
    CHECK(narrowed.json()->getValue<std::size_t>("total") == category->getValue<std::size_t>("count"));
    CHECK(checked("GET", "/api/search?q=DDR&sort=year&page=2&size=3").status == 200);

    const std::string id = body->getArray("results")->getObject(0)->getValue<std::string>("id");
    REQUIRE(id.find('#') != std::string::npos);
    const Reply passage = checked("GET", "/api/passages/" + encode(id));
    REQUIRE(passage.status == 200);
    const auto p = passage.json();
    CHECK(p->getValue<std::string>("id") == id);
    CHECK(p->getArray("section")->size() > 0);
    if (!p->isNull("next")) {
        const std::string next = p->getObject("next")->getValue<std::string>("id");
        CHECK(call("GET", "/api/passages/" + encode(next)).json()->getObject("previous")->getValue<std::string>("id") == id);
    }
    CHECK(checked("GET", "/api/passages/" + encode(id) + "/related?size=5").status == 200);
    CHECK(checked("GET", "/api/trace?phrase=" + encode("protection of civilians")).status == 200);

    const auto docs = checked("GET", "/api/documents").json()->getArray("documents");
    REQUIRE(docs->size() > 0);
    const std::string doc = docs->getObject(0)->getValue<std::string>("id");
    CHECK(checked("GET", "/api/documents/" + encode(doc)).json()->getArray("outline")->size() > 0);

    const auto cats = checked("GET", "/api/categories").json()->getArray("categories");
    REQUIRE(cats->size() > 0);
    CHECK(checked("GET", "/api/categories/" + encode(cat)).status == 200);
    const auto missions = checked("GET", "/api/missions").json()->getArray("missions");
    if (missions->size() > 0) {
        const std::string key = missions->getObject(0)->getValue<std::string>("key");
        const Reply m = checked("GET", "/api/missions/" + encode(key));
        CHECK((m.status == 200 || m.status == 404));
    }
    const auto suggestions = checked("GET", "/api/suggest?q=DD").json()->getArray("suggestions");
    CHECK(suggestions->size() > 0);
    CHECK(checked("GET", "/api/acronyms/DDR").status == 200);

    SECTION("errors are problem documents with the right status") {
        CHECK(checked("GET", "/api/passages/" + encode("no-such-doc#1")).status == 404);
        CHECK(checked("GET", "/api/documents/no-such-doc").status == 404);
        CHECK(checked("GET", "/api/categories/no-such-category").status == 404);
        CHECK(checked("GET", "/api/acronyms/QQQQQ").status == 404);
        CHECK(checked("GET", "/api/search?q=x&size=0").status == 400);
        CHECK(checked("GET", "/api/search?q=x&page=abc").status == 400);
        CHECK(checked("GET", "/api/search?q=x&sort=sideways").status == 400);
        CHECK(checked("GET", "/api/search?q=x&colour=red").status == 400);
        CHECK(checked("GET", "/api/trace").status == 400);
        CHECK(checked("GET", "/api/suggest").status == 400);
        CHECK(checked("GET", "/api/search?q=" + std::string(2000, 'a')).status == 413);
        const Reply wrong_method = checked("DELETE", "/api/search");
        CHECK(wrong_method.status == 405);
        CHECK(wrong_method.headers.get("Allow") == "GET");
        CHECK(checked("POST", "/api/documents", "{}").status == 405);
        const Reply missing = checked("GET", "/api/nothing-here");
        CHECK(missing.status == 404);
        CHECK(missing.content_type == "application/problem+json");
        CHECK(missing.json()->getValue<int>("status") == 404);
    }
}

TEST_CASE("trace and lineage answer as the OpenAPI document says", "[integration][lineage]") {
    const std::string phrase = encode("protection of civilians");
    const auto trace = checked("GET", "/api/trace?phrase=" + phrase).json();
    const auto forms = trace->getArray("forms");
    REQUIRE(forms->size() > 0);
    const std::string form = forms->getObject(0)->getValue<std::string>("form");
    const auto only = checked("GET", "/api/trace?phrase=" + phrase + "&form=" + encode(form)).json()->getArray("lines");
    CHECK(only->size() > 0);
    for (const auto& line : *only) CHECK(line.extract<Object::Ptr>()->getValue<std::string>("form") == form);
    const auto others = checked("GET", "/api/trace?phrase=" + phrase + "&exclude=" + encode(form)).json()->getArray("lines");
    for (const auto& line : *others) CHECK(line.extract<Object::Ptr>()->getValue<std::string>("form") != form);
    const Reply csv = checked("GET", "/api/trace?phrase=" + phrase + "&format=csv&min_similarity=0.8");
    REQUIRE(csv.status == 200);
    CHECK(csv.content_type.rfind("text/csv", 0) == 0);
    CHECK(csv.body.rfind("mission,date,year,doc,", 0) == 0);
    CHECK(checked("GET", "/api/trace?phrase=" + phrase + "&format=xml").status == 400);
    CHECK(checked("GET", "/api/trace?phrase=" + phrase + "&min_similarity=2").status == 400);

    std::string key;
    const auto missions = checked("GET", "/api/missions").json()->getArray("missions");
    for (const auto& m : *missions) {
        const auto o = m.extract<Object::Ptr>();
        if (o->getValue<int>("mentions") > 0) key = o->getValue<std::string>("key");
    }
    REQUIRE_FALSE(key.empty());
    const auto lineage = checked("GET", "/api/lineage/" + encode(key)).json();
    CHECK(lineage->getValue<std::string>("mission") == key);
    CHECK(lineage->getArray("steps")->size() + 1 == std::max<std::size_t>(1, lineage->getArray("documents")->size()));
    const Reply html = checked("GET", "/api/lineage/" + encode(key) + "?format=html");
    REQUIRE(html.status == 200);
    CHECK(html.body.find("Mandate lineage: " + key) != std::string::npos);
    const Reply docx = checked("GET", "/api/lineage/" + encode(key) + "?format=docx");
    REQUIRE(docx.status == 200);
    CHECK(docx_paragraphs(docx.body).front().text.rfind("Mandate lineage: " + key, 0) == 0);
    CHECK(checked("GET", "/api/lineage/NOSUCHMISSION").status == 404);
    CHECK(checked("GET", "/api/lineage/" + encode(key) + "?format=pdf").status == 400);
}

TEST_CASE("the trace API pages its lines and keeps the summaries whole", "[integration][trace]") {
    const std::string base = "/api/trace?phrase=" + encode("protection of civilians");
    const auto all = checked("GET", base + "&limit=1000").json();
    const auto total = all->getValue<std::size_t>("total");
    REQUIRE(total >= 4);
    CHECK(all->getValue<std::size_t>("selected") == total);
    CHECK(all->getArray("lines")->size() == total);
    std::size_t grouped = 0, cells = 0;
    for (const auto& m : *all->getArray("missions")) {
        const auto o = m.extract<Object::Ptr>();
        CHECK(o->getArray("lines")->size() == o->getValue<std::size_t>("count"));
        grouped += o->getValue<std::size_t>("count");
        for (const auto& y : *o->getArray("years")) cells += y.extract<Object::Ptr>()->getValue<std::size_t>("lines");
    }
    CHECK(cells == grouped);  // every line of a mission is in one of its years

    // Two pages are the first lines of the whole list, in its order; the summaries stay whole.
    const auto first = checked("GET", base + "&limit=2").json();
    const auto second = checked("GET", base + "&limit=2&offset=2").json();
    CHECK(first->getValue<std::size_t>("total") == total);
    CHECK(first->getArray("forms")->size() == all->getArray("forms")->size());
    CHECK(first->getArray("missions")->size() == all->getArray("missions")->size());
    REQUIRE(first->getArray("lines")->size() == 2);
    REQUIRE(second->getArray("lines")->size() == 2);
    auto id = [](const Object::Ptr& r, unsigned i) { return r->getArray("lines")->getObject(i)->getValue<std::string>("id"); };
    CHECK(id(first, 0) == id(all, 0));
    CHECK(id(first, 1) == id(all, 1));
    CHECK(id(second, 0) == id(all, 2));
    CHECK(id(second, 1) == id(all, 3));
    CHECK(checked("GET", base + "&limit=0").json()->getArray("lines")->size() == 0);

    // A grid cell: the lines of one mission and year, as many as its count says.
    Object::Ptr mission;
    for (const auto& m : *all->getArray("missions"))
        if (!m.extract<Object::Ptr>()->getValue<std::string>("mission").empty()) mission = m.extract<Object::Ptr>();
    REQUIRE(mission);
    const std::string key = mission->getValue<std::string>("mission");
    const auto year = mission->getArray("years")->getObject(0);
    const auto cell = checked("GET", base + "&mission=" + encode(key) + "&year=" + std::to_string(year->getValue<int>("year"))).json();
    CHECK(cell->getValue<std::size_t>("selected") == year->getValue<std::size_t>("lines"));
    REQUIRE(cell->getArray("lines")->size() == std::min<std::size_t>(50, year->getValue<std::size_t>("lines")));
    for (const auto& line : *cell->getArray("lines")) {
        const auto l = line.extract<Object::Ptr>();
        CHECK(l->getValue<int>("year") == year->getValue<int>("year"));
        bool named = false;
        for (const auto& m : *l->getArray("missions")) named = named || m.toString() == key;
        CHECK(named);
    }
    const auto of_mission = checked("GET", base + "&mission=" + encode(key)).json();
    CHECK(of_mission->getValue<std::size_t>("selected") == mission->getValue<std::size_t>("count"));

    // The CSV export is whole: one row per line per mission group, whatever the page asked.
    const Reply csv = checked("GET", base + "&format=csv&limit=1&mission=" + encode(key));
    REQUIRE(csv.status == 200);
    std::size_t rows = 0;
    for (std::size_t at = 0; (at = csv.body.find("\r\n", at)) != std::string::npos; at += 2) ++rows;
    CHECK(rows >= grouped + 1);  // the header; a quoted field may hold a line break too

    for (const std::string bad : {"limit=-1", "limit=abc", "limit=1001", "offset=x", "year=abc", "year=10000", "year=-3"}) {
        INFO(bad);
        const Reply r = checked("GET", base + "&" + bad);
        CHECK(r.status == 400);
        CHECK(r.json()->getValue<std::string>("detail").find(bad.substr(0, bad.find('='))) != std::string::npos);
    }
}

TEST_CASE("the lineage API gives an overview and each step on demand", "[integration][lineage]") {
    // The shared corpus has no mission with two documents of its own: a server over the invented
    // renewals of tests/fixtures/lineage (three documents of UNSMCA).
    mandala::test::TempDir dir;
    mandala::indexer::IndexOptions options;
    options.corpus_dirs = {mandala::test::fixtures() / "lineage"};
    options.db_dir = dir / "db";
    mandala::indexer::run_index(options);
    mandala::web::Config config;
    config.db_dir = dir / "db";
    config.port = 0;
    config.threads = 2;
    config.access_log = false;
    mandala::web::Server server(config);
    server.start();
    auto checked = [&](const std::string& method, const std::string& target) {
        Reply r = mandala::test::http_call(server.port(), method, target, {}, "application/json", {});
        check_openapi(method, target, r);
        return r;
    };
    const std::string key = "UNSMCA";
    const std::size_t most = checked("GET", "/api/lineage/" + key).json()->getArray("documents")->size();
    REQUIRE(most == 3);
    const auto overview = checked("GET", "/api/lineage/" + encode(key)).json();
    const auto steps = overview->getArray("steps");
    REQUIRE(steps->size() == most - 1);
    CHECK_FALSE(overview->getArray("documents")->getObject(0)->has("paragraphs"));
    const auto s0 = steps->getObject(0);
    const auto counts = s0->getObject("counts");
    const auto step = checked("GET", "/api/lineage/" + encode(key) + "?step=0").json();
    CHECK(step->getValue<std::size_t>("step") == 0);
    CHECK(step->getObject("before")->getValue<std::string>("doc") ==
          overview->getArray("documents")->getObject(0)->getValue<std::string>("doc"));
    CHECK(step->getObject("after")->getArray("paragraphs")->size() ==
          overview->getArray("documents")->getObject(1)->getValue<std::size_t>("paragraph_count"));
    std::map<std::string, std::size_t> kinds;
    for (const auto& l : *step->getArray("links")) ++kinds[l.extract<Object::Ptr>()->getValue<std::string>("kind")];
    for (const std::string kind : {"same", "changed", "moved", "added", "removed"}) {
        INFO(kind);
        CHECK(kinds[kind] == counts->getValue<std::size_t>(kind));
    }
    CHECK(step->getObject("tasks")->getArray("gained")->size() == s0->getObject("tasks")->getArray("gained")->size());

    const std::string beyond = std::to_string(most - 1);
    CHECK(checked("GET", "/api/lineage/" + encode(key) + "?step=" + beyond).status == 404);
    CHECK(checked("GET", "/api/lineage/" + encode(key) + "?step=abc").status == 400);
    CHECK(checked("GET", "/api/lineage/" + encode(key) + "?step=0&format=html").status == 400);
}

TEST_CASE("the web page is served with security headers and keep-alive", "[integration]") {
    const Reply page = call("GET", "/");
    REQUIRE(page.status == 200);
    CHECK(page.content_type.rfind("text/html", 0) == 0);
    CHECK(page.headers.get("Content-Security-Policy").find("default-src 'self'") != std::string::npos);
    CHECK(page.headers.get("X-Content-Type-Options") == "nosniff");
    CHECK(page.headers.get("X-Frame-Options") == "DENY");
    CHECK(page.headers.get("Referrer-Policy") == "no-referrer");
    CHECK(call("GET", "/app.js").content_type.rfind("text/javascript", 0) == 0);
    CHECK(call("GET", "/style.css").content_type.rfind("text/css", 0) == 0);
    CHECK(call("GET", "/no-such-file.js").status == 404);

    Poco::Net::HTTPClientSession session("127.0.0.1", fixture().server->port());
    session.setKeepAlive(true);
    for (int i = 0; i < 3; ++i) {
        Poco::Net::HTTPRequest req("GET", "/healthz", Poco::Net::HTTPMessage::HTTP_1_1);
        req.setKeepAlive(true);
        session.sendRequest(req);
        Poco::Net::HTTPResponse res;
        std::string body;
        Poco::StreamCopier::copyToString(session.receiveResponse(res), body);
        CHECK(res.getStatus() == 200);
        CHECK(res.getKeepAlive());
    }
}

TEST_CASE("reading packs: create, edit with the token, export", "[integration]") {
    const auto [first, second] = two_passages();
    const Reply created = checked("POST", "/api/packs",
                                  "{\"title\":\"DDR basics\",\"description\":\"For the course\",\"items\":[{\"passage\":\"" +
                                      first + "\",\"note\":\"Read first\"}]}");
    REQUIRE(created.status == 201);
    const auto c = created.json();
    const std::string id = c->getValue<std::string>("id");
    const std::string token = c->getValue<std::string>("edit_token");
    CHECK(id.size() == 32);
    CHECK(token.size() == 64);
    const std::vector<std::pair<std::string, std::string>> auth = {{"Authorization", "Bearer " + token}};

    const Reply added = checked("POST", "/api/packs/" + id + "/items", "{\"passage\":\"" + second + "\",\"note\":\"Then this\"}",
                                "application/json", {{"X-Edit-Token", token}});
    REQUIRE(added.status == 201);
    CHECK(added.json()->getArray("items")->size() == 2);

    // Reorder: the second passage first.
    const Reply reordered = checked("PATCH", "/api/packs/" + id,
                                    "{\"items\":[{\"passage\":\"" + first + "\",\"note\":\"Read first\",\"order\":2},{\"passage\":\"" +
                                        second + "\",\"note\":\"Then this\",\"order\":1}]}",
                                    "application/json", auth);
    REQUIRE(reordered.status == 200);
    const auto items = reordered.json()->getArray("items");
    CHECK(items->getObject(0)->getValue<std::string>("passage") == second);
    CHECK(items->getObject(1)->getValue<std::string>("passage") == first);
    CHECK(reordered.json()->getValue<std::string>("title") == "DDR basics");

    const Reply got = checked("GET", "/api/packs/" + id);
    REQUIRE(got.status == 200);
    CHECK(got.json()->getArray("items")->getObject(0)->getValue<std::string>("citation").size() > 0);

    SECTION("DOCX export reads back with passages, notes and citations in order") {
        const Reply docx = checked("GET", "/api/packs/" + id + "/export?format=docx");
        REQUIRE(docx.status == 200);
        const auto paragraphs = docx_paragraphs(docx.body);
        std::vector<std::string> styles;
        for (const auto& p : paragraphs) styles.push_back(p.style);
        CHECK(styles == std::vector<std::string>{"Title", "", "Heading1", "Note", "Quote", "Citation", "Heading1", "Note", "Quote", "Citation"});
        CHECK(paragraphs[0].text == "DDR basics");
        CHECK(paragraphs[3].text == "Note: Then this");
        CHECK(paragraphs[4].text == items->getObject(0)->getValue<std::string>("text"));
        CHECK(paragraphs[5].text.find(second) != std::string::npos);
        CHECK(paragraphs[7].text == "Note: Read first");
        CHECK(paragraphs[9].text.find(first) != std::string::npos);
    }
    SECTION("HTML, Markdown and JSON exports") {
        const Reply html = checked("GET", "/api/packs/" + id + "/export?format=html");
        CHECK(html.content_type.rfind("text/html", 0) == 0);
        CHECK(html.body.find("Then this") < html.body.find("Read first"));
        const Reply md = checked("GET", "/api/packs/" + id + "/export?format=md");
        CHECK(md.body.rfind("# DDR basics", 0) == 0);
        CHECK(checked("GET", "/api/packs/" + id + "/export?format=json").json()->getArray("items")->size() == 2);
        CHECK(checked("GET", "/api/packs/" + id + "/export?format=pdf").status == 400);
    }
    SECTION("delete an item, replace the pack") {
        const Reply deleted = checked("DELETE", "/api/packs/" + id + "/items/1", {}, {}, auth);
        REQUIRE(deleted.status == 200);
        CHECK(deleted.json()->getArray("items")->size() == 1);
        CHECK(checked("DELETE", "/api/packs/" + id + "/items/9", {}, {}, auth).status == 404);
        const Reply put = checked("PUT", "/api/packs/" + id, "{\"title\":\"Renamed\"}", "application/json", auth);
        REQUIRE(put.status == 200);
        CHECK(put.json()->getValue<std::string>("title") == "Renamed");
        CHECK(put.json()->getArray("items")->size() == 0);
    }
    SECTION("changes without the right token are refused") {
        CHECK(checked("PATCH", "/api/packs/" + id, "{\"title\":\"x\"}").status == 403);
        CHECK(checked("PATCH", "/api/packs/" + id, "{\"title\":\"x\"}", "application/json", {{"Authorization", "Bearer wrong"}}).status == 403);
        CHECK(checked("DELETE", "/api/packs/" + id + "/items/1", {}, {}, {{"X-Edit-Token", token + "0"}}).status == 403);
        CHECK(checked("GET", "/api/packs/" + id).json()->getValue<std::string>("title") == "DDR basics");
        CHECK(checked("GET", "/api/packs/0123456789abcdef0123456789abcdef").status == 404);
        CHECK(checked("POST", "/api/packs", "{\"items\":[{\"passage\":\"nope#1\"}]}").status == 400);
        CHECK(checked("POST", "/api/packs", "{\"items\":\"x\"}").status == 400);
        CHECK(checked("POST", "/api/packs", "{\"owner\":\"x\"}").status == 400);
    }
    SECTION("admin reindex needs the admin token") {
        CHECK(checked("POST", "/api/admin/reindex", "{}").status == 403);
        CHECK(checked("POST", "/api/admin/reindex", "{}", "application/json", {{"Authorization", "Bearer nope"}}).status == 403);
        const Reply ok = checked("POST", "/api/admin/reindex", "{}", "application/json", {{"Authorization", "Bearer admin-secret"}});
        CHECK(ok.status == 200);
        CHECK(call("GET", "/api/search?q=DDR").status == 200);
    }
}

TEST_CASE("hostile requests get 4xx or escaped output and the server keeps serving", "[integration]") {
    for (const std::string target : {"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
                                     "/..%2f..%2f..%2fetc%2fpasswd", "/static/../../etc/passwd", "/.%2e/.%2e/etc/passwd",
                                     "/..%5c..%5cetc%5cpasswd", "/%252e%252e/etc/passwd", "/.git/config", "/%00",
                                     "//etc/passwd", "/index.html/../../../etc/passwd"}) {
        INFO(target);
        const Reply r = call("GET", target);
        CHECK(r.status >= 400);
        CHECK(r.status < 500);
        CHECK(r.body.find("root:") == std::string::npos);
        still_serving();
    }
    SECTION("invalid UTF-8 and malformed escapes in query strings") {
        for (const std::string target : {"/api/search?q=%ff%fe", "/api/search?q=%C0%AF", "/api/suggest?q=%zz",
                                         "/api/search?q=abc%", "/api/trace?phrase=%ed%a0%80", "/api/passages/%ff",
                                         "/api/search?category=%ff"}) {
            INFO(target);
            const Reply r = call("GET", target);
            CHECK(r.status == 400);
            CHECK(r.content_type == "application/problem+json");
            still_serving();
        }
    }
    SECTION("oversized, malformed and mistyped bodies") {
        CHECK(call("POST", "/api/packs", std::string(200 * 1024, 'x')).status == 413);
        still_serving();
        CHECK(call("POST", "/api/packs", "{\"title\": ").status == 400);
        CHECK(call("POST", "/api/packs", "[1,2,3]").status == 400);
        CHECK(call("POST", "/api/packs", "{\"title\":\"\xff\"}").status == 400);
        CHECK(call("POST", "/api/packs", "{\"title\":\"x\"}", "text/plain").status == 415);
        CHECK(call("POST", "/api/packs", "title=x", "application/x-www-form-urlencoded").status == 415);
        CHECK(call("POST", "/api/packs", "{\"title\":\"" + std::string(400, 'x') + "\"}").status == 413);
        still_serving();
    }
    SECTION("a script tag in a pack note comes back escaped") {
        const auto [first, second] = two_passages();
        const auto c = call("POST", "/api/packs",
                            "{\"title\":\"<script>alert(1)</script>\",\"items\":[{\"passage\":\"" + first +
                                "\",\"note\":\"<script>alert('x')</script><img src=x onerror=alert(2)>\"}]}")
                           .json();
        const std::string id = c->getValue<std::string>("id");
        const Reply html = call("GET", "/api/packs/" + id + "/export?format=html");
        REQUIRE(html.status == 200);
        CHECK(html.body.find("<script") == std::string::npos);
        CHECK(html.body.find("<img") == std::string::npos);
        CHECK(html.body.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") != std::string::npos);
        const Reply md = call("GET", "/api/packs/" + id + "/export?format=md");
        CHECK(md.body.find("<script>") == std::string::npos);
        still_serving();
    }
}
