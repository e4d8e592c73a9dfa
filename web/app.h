#pragma once
// The application behind the HTTP server: one route table, one handler signature, one error
// mapping. `handle` turns any Request into a Response (never throws), adds the security headers,
// counts the request in the metrics and writes the access-log line.
#include <chrono>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "taxonomy/taxonomy.h"
#include "web/config.h"
#include "web/http.h"
#include "web/index_handle.h"
#include "web/metrics.h"
#include "web/packs.h"
#include "web/search_cache.h"

namespace mandala::web {

class App;
using Handler = Response (*)(App& app, const Request& request);

struct Route {
    std::string_view method;
    std::string_view pattern;  // "/api/passages/{id}/related"; "{path*}" as the last segment takes the rest
    std::string_view name;     // label in metrics and logs
    Handler handler;
};

// The route table (web/api.cpp).
const std::vector<Route>& routes();

struct RouteMatch {
    const Route* route = nullptr;
    std::map<std::string, std::string> params;
    std::vector<std::string> allowed;  // methods of routes whose pattern matched, when none had this method
};
// Throws InputError for a path whose segments do not decode to valid UTF-8.
RouteMatch match_route(const std::string& method, const std::string& raw_path);

// The OpenAPI document served at /api/openapi.json (web/openapi.json, compiled in).
std::string_view openapi_document();

class App {
public:
    explicit App(Config config);

    Response handle(Request& request);
    // The answer to a request that could not even be read (malformed target, body over the limit,
    // too slow), or that the server has no room for; `route` labels it in metrics and the log.
    Response reject(std::exception_ptr error, const std::string& method, const std::string& target,
                    const std::string& route = "unreadable");

    const Config& config() const { return config_; }
    IndexHandle& index() { return index_; }
    PackStore& packs() { return packs_; }
    Metrics& metrics() { return metrics_; }
    SearchCache& search_cache() { return search_cache_; }
    const taxonomy::Taxonomy& taxonomy() const { return taxonomy_; }
    std::filesystem::path taxonomy_file() const;
    void set_log(std::ostream* log) { log_ = log; }
    // `text` with the server's folders (index, packs, static files, corpus, shards) replaced by
    // their role, "[index]/xapian": what an anonymous client may read of an error.
    std::string redact(const std::string& text) const;

private:
    void finish(const Request& request, const std::string& route, Response& response,
                std::chrono::steady_clock::time_point start);

    Config config_;
    IndexHandle index_;
    PackStore packs_;
    Metrics metrics_;
    SearchCache search_cache_;
    taxonomy::Taxonomy taxonomy_;
    std::ostream* log_;
    std::vector<std::pair<std::string, std::string>> private_paths_;  // (path, role), longest first
};

// A static file under `root` for the decoded path; NotFound for anything outside it or missing.
Response static_file(const std::filesystem::path& root, const std::string& decoded_path);

}  // namespace mandala::web
