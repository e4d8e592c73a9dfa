#include "web/app.h"

#include <Poco/JSON/Object.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "text/unicode.h"

namespace mandala::web {
namespace fs = std::filesystem;

namespace {

std::vector<std::string_view> split(std::string_view path) {
    std::vector<std::string_view> out;
    if (path.empty() || path[0] != '/') return out;
    path.remove_prefix(1);
    while (true) {
        const auto slash = path.find('/');
        out.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return out;
}

// Matches one pattern against the raw segments; fills decoded parameters.
bool matches(std::string_view pattern, const std::vector<std::string_view>& segments, std::map<std::string, std::string>& params) {
    const auto parts = split(pattern);
    params.clear();
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const std::string_view p = parts[i];
        const bool is_param = p.size() > 2 && p.front() == '{' && p.back() == '}';
        if (is_param && p[p.size() - 2] == '*') {  // the rest of the path
            std::string rest;
            for (std::size_t j = i; j < segments.size(); ++j) rest += (j > i ? "/" : "") + percent_decode(segments[j], false);
            params[std::string(p.substr(1, p.size() - 3))] = rest;
            return true;
        }
        if (i >= segments.size()) return false;
        if (is_param) {
            if (segments[i].empty()) return false;
            params[std::string(p.substr(1, p.size() - 2))] = percent_decode(segments[i], false);
        } else if (p != segments[i]) {
            return false;
        }
    }
    return parts.size() == segments.size();
}

std::string content_type_for(const fs::path& file) {
    static const std::map<std::string, std::string> types = {
        {".html", "text/html; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"}, {".json", "application/json"},
        {".svg", "image/svg+xml"}, {".png", "image/png"}, {".ico", "image/x-icon"},
        {".txt", "text/plain; charset=utf-8"}, {".webmanifest", "application/manifest+json"}};
    auto it = types.find(file.extension().string());
    return it == types.end() ? "application/octet-stream" : it->second;
}

void add_security_headers(Response& r) {
    r.headers.emplace_back("Content-Security-Policy",
                           "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                           "frame-ancestors 'none'; form-action 'self'");
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    r.headers.emplace_back("Referrer-Policy", "no-referrer");
    r.headers.emplace_back("X-Frame-Options", "DENY");
    r.headers.emplace_back("Cross-Origin-Opener-Policy", "same-origin");
}

std::string json_string(const std::string& s) {
    return stringify(Poco::Dynamic::Var(text::is_valid_utf8(s) ? s : text::repair_utf8(s)));
}

}  // namespace

RouteMatch match_route(const std::string& method, const std::string& raw_path) {
    RouteMatch m;
    const auto segments = split(raw_path);
    std::map<std::string, std::string> params;
    for (const auto& r : routes()) {
        if (!matches(r.pattern, segments, params)) continue;
        if (r.method == method || (method == "HEAD" && r.method == "GET")) {
            m.route = &r;
            m.params = params;
            m.allowed.clear();
            return m;
        }
        if (r.pattern.find("{path*}") == std::string_view::npos) m.allowed.emplace_back(r.method);
    }
    return m;
}

Response static_file(const fs::path& root, const std::string& decoded_path) {
    // Only plain names: no empty, dot or dot-dot segments, no backslashes; then a canonical check.
    std::string rel = decoded_path.empty() ? "index.html" : decoded_path;
    const std::string rooted = "/" + rel;  // split() returns views into it
    for (const auto seg : split(rooted))
        if (seg.empty() || seg == "." || seg == ".." || seg.find('\\') != std::string_view::npos || seg.front() == '.')
            throw NotFound("no such file");
    std::error_code ec;
    const fs::path base = fs::canonical(root, ec);
    if (ec) throw NotFound("no static files");
    fs::path file = fs::weakly_canonical(base / rel, ec);
    if (ec || file.string().rfind(base.string() + "/", 0) != 0) throw NotFound("no such file");
    if (fs::is_directory(file, ec)) file /= "index.html";
    if (!fs::is_regular_file(file, ec)) throw NotFound("no such file");
    std::ifstream in(file, std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    Response r;
    r.content_type = content_type_for(file);
    r.body = body.str();
    r.headers.emplace_back("Cache-Control", "no-cache");
    return r;
}

App::App(Config config)
    : config_((config.validate(), std::move(config))),
      index_(config_.db_dir, config_.shards),
      packs_((fs::create_directories(config_.packs_file.parent_path()), config_.packs_file)),
      search_cache_(config_.search_cache_bytes()),
      taxonomy_(taxonomy::load_taxonomy(taxonomy_file())),
      log_(config_.access_log ? &std::cerr : nullptr) {
    auto add = [&](const fs::path& path, const std::string& role) {
        if (path.empty()) return;
        std::error_code ec;
        for (fs::path spelling : {path, fs::absolute(path, ec), fs::weakly_canonical(path, ec)}) {
            std::string text = spelling.string();
            while (text.size() > 1 && text.back() == '/') text.pop_back();
            // A bare relative name ("data") could be any word of a message: only paths are replaced.
            if (text.find('/') != std::string::npos) private_paths_.emplace_back(text, role);
        }
    };
    add(config_.db_dir, "[index]");
    add(config_.packs_file, "[packs]");
    add(config_.static_dir, "[static]");
    for (const auto& dir : config_.corpus_dirs) add(dir, "[corpus]");
    for (const auto& shard : config_.shards)
        if (shard.rfind("tcp://", 0) != 0) add(shard, "[shard]");
    std::sort(private_paths_.begin(), private_paths_.end(),
              [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
}

std::string App::redact(const std::string& text) const {
    std::string out = text;
    for (const auto& [path, role] : private_paths_)
        for (auto at = out.find(path); at != std::string::npos; at = out.find(path, at + role.size()))
            out.replace(at, path.size(), role);
    return out;
}

fs::path App::taxonomy_file() const { return taxonomy::default_taxonomy_dir() / taxonomy::kTaxonomyFile; }

Response App::handle(Request& request) {
    const auto start = std::chrono::steady_clock::now();
    std::string route_name = "unmatched";
    Response response;
    try {
        RouteMatch m = match_route(request.method, request.path);
        if (!m.route) {
            if (!m.allowed.empty()) {
                std::string allow;
                for (const auto& a : m.allowed) allow += (allow.empty() ? "" : ", ") + a;
                throw HttpError(405, "method " + request.method + " is not allowed here", {{"Allow", allow}});
            }
            throw NotFound("no route for " + request.path);
        }
        route_name = std::string(m.route->name);
        request.params = std::move(m.params);
        response = m.route->handler(*this, request);
    } catch (...) {
        response = problem_response(std::current_exception(), request.path, [this](const std::string& m) { return redact(m); });
    }
    finish(request, route_name, response, start);
    return response;
}

void App::finish(const Request& request, const std::string& route, Response& response,
                 std::chrono::steady_clock::time_point start) {
    add_security_headers(response);
    if (request.path.rfind("/api/", 0) == 0) response.headers.emplace_back("Cache-Control", "no-store");
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    static const std::set<std::string> kMethods = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
    metrics_.observe(route, kMethods.count(request.method) ? request.method : "OTHER", response.status, seconds);
    if (log_) {
        std::ostringstream line;
        line << "{\"ts\":" << std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::system_clock::now().time_since_epoch()).count()
             << ",\"method\":" << json_string(request.method) << ",\"target\":" << json_string(request.target)
             << ",\"route\":" << json_string(route) << ",\"status\":" << response.status
             << ",\"bytes\":" << response.body.size() << ",\"ms\":" << seconds * 1000;
        if (!response.log_note.empty()) line << ",\"error\":" << json_string(response.log_note);
        line << "}\n";
        *log_ << line.str() << std::flush;
    }
}

Response App::reject(std::exception_ptr error, const std::string& method, const std::string& target,
                     const std::string& route) {
    const auto start = std::chrono::steady_clock::now();
    Request request;
    request.method = method;
    request.target = target.substr(0, 2000);
    Response response = problem_response(error, {}, [this](const std::string& m) { return redact(m); });
    finish(request, route, response, start);
    return response;
}

}  // namespace mandala::web
