// The route table and its handlers. Every handler has the same signature; parameters are
// validated here and handed to search/ and the catalog as plain values.
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <chrono>
#include <mutex>

#include "search/index_reader.h"
#include "search/lineage.h"
#include "search/related.h"
#include "search/trace.h"
#include "text/unicode.h"
#include "web/app.h"
#include "web/catalog.h"
#include "web/export.h"
#include "web/lineage_pack.h"
#include "web/xref_view.h"

namespace mandala::web {
namespace {
using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr std::size_t kMaxQueryBytes = 1000;

std::string bounded_arg(const Request& r, std::string_view name, std::size_t max, bool required) {
    if (required && !r.has_arg(name)) throw InputError("parameter '" + std::string(name) + "' is required");
    std::string v = r.arg(name);
    if (required && v.empty()) throw InputError("parameter '" + std::string(name) + "' must not be empty");
    if (v.size() > max) throw LimitExceeded("parameter '" + std::string(name) + "' is longer than " + std::to_string(max) + " bytes");
    return v;
}

// Adds members to a JSON object rendered by search/ (a string starting with '{').
std::string splice(const std::string& json, const std::string& members) {
    if (json.size() < 2 || json.front() != '{') return json;
    return "{" + members + (json.size() > 2 ? "," : "") + json.substr(1);
}

// Opens what a search needs, so a damaged index answers 503 here rather than on the first search.
Response healthz(App& app, const Request&) {
    const IndexHealth health = app.index().check();
    Object::Ptr o = new Object;
    o->set("status", health.ok() ? "ok" : "unavailable");
    o->set("index", health.ok());
    if (!health.ok()) {
        o->set("failed", health.failed);
        o->set("detail", app.redact(health.detail));
    }
    Response r = Response::json(o, health.ok() ? 200 : 503);
    if (!health.ok()) r.log_note = health.detail;
    return r;
}

Response metrics(App& app, const Request&) {
    std::map<std::string, double> gauges;
    try {
        auto lease = app.index().acquire();
        gauges["mandala_index_passages"] = static_cast<double>(lease->database().get_doccount());
    } catch (const Error&) {
        gauges["mandala_index_passages"] = 0;
    }
    gauges["mandala_index_bytes"] = static_cast<double>(search::disk_usage(app.config().db_dir));
    gauges["mandala_index_reopens_total"] = static_cast<double>(app.index().reopens());
    Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = app.metrics().render(gauges) + render_search_cache_metrics(app.search_cache().stats());
    return r;
}

Response openapi(App&, const Request&) { return Response::json_text(std::string(openapi_document())); }

search::SearchRequest search_request(const App& app, const Request& r) {
    static const std::set<std::string, std::less<>> kOwn = {"q", "sort", "page", "size", "collapse", "identical", "facets", "snippets"};
    search::SearchRequest s;
    s.query = bounded_arg(r, "q", kMaxQueryBytes, false);
    for (const auto& [name, value] : r.query)
        if (!kOwn.count(name)) s.filters[search::canonical_facet(name)].push_back(value);
    s.limit = static_cast<std::size_t>(r.integer("size", 10, 1, 100));
    s.page = static_cast<std::size_t>(r.integer("page", 1, 1, 1000));
    const std::string sort = r.arg("sort", "relevance");
    if (sort == "year")
        s.sort = search::SortOrder::year;
    else if (sort != "relevance")
        throw InputError("sort must be relevance or year");
    s.collapse = r.arg("collapse") == "true" || r.arg("collapse") == "1";
    s.collapse_identical = r.arg("identical") != "all";  // identical passages once, unless asked for all
    s.facets = r.arg("facets", "true") != "false";
    s.snippets = r.arg("snippets", "true") != "false";
    s.time_limit = app.config().time_limit;
    s.validate();
    return s;
}

enum class CacheOutcome { off, hit, miss };

// The rendered answer with what belongs to this request spliced in: page, size and timing.
Response search_response(const std::string& rendered, const search::SearchRequest& s, double elapsed_ms, CacheOutcome cache) {
    const std::string timing = "\"timing\":{\"elapsed_ms\":" + std::to_string(elapsed_ms) +
                               ",\"cached\":" + (cache == CacheOutcome::hit ? "true" : "false") + "}";
    Response res = Response::json_text(
        splice(rendered, "\"page\":" + std::to_string(s.page) + ",\"size\":" + std::to_string(s.limit) + "," + timing));
    if (cache != CacheOutcome::off) res.headers.emplace_back("X-Cache", cache == CacheOutcome::hit ? "hit" : "miss");
    return res;
}

// SearchResponse does not say whether Xapian's time limit cut the matching; an answer that took
// at least that long may have been cut, and a partial answer must not be served again.
bool may_be_cut_by_time_limit(const search::SearchResponse& res, const search::SearchRequest& s) {
    return res.elapsed_ms >= s.time_limit * 1000.0;
}

double milliseconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

Response search_route(App& app, const Request& r) {
    const auto start = std::chrono::steady_clock::now();
    const search::SearchRequest s = search_request(app, r);
    SearchCache& cache = app.search_cache();
    const std::string key = cache.enabled() ? SearchCache::request_key(s) : std::string();
    const std::string stamp = app.index().stamp();  // read once: the cache and the pool both compare it
    if (cache.enabled())
        if (const auto body = cache.find(stamp, key))
            return search_response(*body, s, milliseconds_since(start), CacheOutcome::hit);
    auto lease = app.index().acquire(stamp);
    const search::SearchResponse res = lease->search(s);
    std::string rendered = search::to_json(res);
    // Stored under the stamp the searcher was opened at (the one looked up).
    if (cache.enabled() && !may_be_cut_by_time_limit(res, s)) cache.insert(lease.stamp(), key, rendered);
    return search_response(rendered, s, res.elapsed_ms, cache.enabled() ? CacheOutcome::miss : CacheOutcome::off);
}

Response passage(App& app, const Request& r) { return Response::json(passage_json(app.config().db_dir, r.param("id"))); }

Response related(App& app, const Request& r) {
    const auto limit = static_cast<std::size_t>(r.integer("size", 10, 1, 50));
    auto lease = app.index().acquire();
    return Response::json_text(search::to_json(search::related_passages(*lease, r.param("id"), limit)));
}

double fraction_arg(const Request& r, std::string_view name) {
    const std::string v = r.arg(name);
    std::size_t used = 0;
    double x = -1;
    try {
        x = std::stod(v, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != v.size() || v.empty() || !(x >= 0 && x <= 1)) throw InputError("parameter '" + std::string(name) + "' must be a number from 0 to 1");
    return x;
}

// ?phrase=&form=F (repeatable: only these variant forms)&exclude=F (repeatable)&min_similarity=0.5
// &mission=M&year=Y&limit=50&offset=0&format=json|csv. JSON pages the lines (the summaries count
// them all; a grid cell is mission+year); CSV is the whole trace, a researcher's export.
constexpr long kTraceLines = 50;
constexpr long kMaxTraceLines = 1000;

search::TraceOptions trace_options(const Request& r, bool paged) {
    search::TraceOptions options;
    for (const auto& f : r.args("form")) options.forms.insert(f.substr(0, kMaxQueryBytes));
    for (const auto& f : r.args("exclude")) options.exclude_forms.insert(f.substr(0, kMaxQueryBytes));
    if (r.has_arg("min_similarity")) options.min_similarity = fraction_arg(r, "min_similarity");
    const auto limit = static_cast<std::size_t>(r.integer("limit", kTraceLines, 0, kMaxTraceLines));  // 0: summaries only
    const auto offset = static_cast<std::size_t>(r.integer("offset", 0, 0, 10'000'000));
    if (r.has_arg("mission")) options.mission = bounded_arg(r, "mission", 200, false);  // empty: lines of no mission
    if (r.has_arg("year")) options.year = static_cast<int>(r.integer("year", 0, 0, 9999));  // 0: of unknown year
    if (paged) options.limit = limit, options.offset = offset;
    return options;
}

Response trace(App& app, const Request& r) {
    const std::string phrase = bounded_arg(r, "phrase", kMaxQueryBytes, true);
    const std::string format = r.arg("format", "json");
    if (format != "json" && format != "csv") throw InputError("format must be json or csv");
    search::TraceOptions options = trace_options(r, format == "json");
    if (format == "csv") options.mission.reset(), options.year.reset();  // the export holds every line
    auto lease = app.index().acquire();
    const auto answer = search::trace_phrase(*lease, phrase, options);
    if (format == "json") return Response::json_text(search::to_json(answer));
    Response res;
    res.content_type = "text/csv; charset=utf-8";
    res.body = search::to_csv(answer);
    res.headers.emplace_back("Content-Disposition", "attachment; filename=\"trace.csv\"");
    return res;
}

// Lineage overviews by index stamp and mission. An overview aligns every consecutive pair of the
// mission's documents (0.6 s of CPU for the 100 documents of a mission of the large benchmark
// corpus); it changes only when the index does, and readers come back to it from its steps.
class LineageOverviews {
public:
    template <class Make>
    std::string get(const std::string& stamp, const std::string& mission, Make&& make) {
        const std::string key = stamp + '\n' + text::fold(mission);
        {
            std::lock_guard lock(mutex_);
            for (const auto& [k, body] : entries_)
                if (k == key) return body;
        }
        std::string body = make();
        std::lock_guard lock(mutex_);
        if (entries_.size() >= kEntries) entries_.erase(entries_.begin());
        entries_.emplace_back(key, body);
        return body;
    }

private:
    static constexpr std::size_t kEntries = 32;
    std::mutex mutex_;
    std::vector<std::pair<std::string, std::string>> entries_;  // oldest first
};

LineageOverviews& lineage_overviews() {
    static LineageOverviews cache;
    return cache;
}

// /api/lineage/{mission}?format=json|html|docx&step=N. JSON is the overview (documents, per step
// the link counts and tasks) or, with step, that step's paragraphs, alignment, diffs and sentences;
// html and docx are the whole lineage through the pack exporter.
Response lineage(App& app, const Request& r) {
    const std::string format = r.arg("format", "json");
    if (format != "json" && format != "html" && format != "docx") throw InputError("format must be json, html or docx");
    if (r.has_arg("step") && format != "json") throw InputError("step is for format=json (the exports hold every step)");
    if (r.has_arg("step")) {
        const auto n = static_cast<std::size_t>(r.integer("step", 0, 0, 100'000));
        return Response::json_text(search::step_to_json(search::mission_lineage_step(app.config().db_dir, r.param("mission"), n)));
    }
    if (format == "json") {
        const std::string stamp = app.index().stamp();
        return Response::json_text(lineage_overviews().get(stamp, r.param("mission"), [&] {
            return search::summary_to_json(search::mission_lineage(app.config().db_dir, r.param("mission"), search::LineageDetail::summary));
        }));
    }
    const auto l = search::mission_lineage(app.config().db_dir, r.param("mission"));
    const ResolvedPack pack = lineage_pack(l, app.config().db_dir);
    Response res;
    if (format == "html") {
        res.content_type = "text/html; charset=utf-8";
        res.body = export_html(pack);
    } else {
        res.content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
        res.body = export_docx(pack);
    }
    std::string name = l.mission;
    for (char& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '-';
    res.headers.emplace_back("Content-Disposition", "attachment; filename=\"lineage-" + name + "." + format + "\"");
    return res;
}

Response documents(App& app, const Request&) { return Response::json(documents_json(app.config().db_dir)); }
Response document(App& app, const Request& r) { return Response::json(document_json(app.config().db_dir, r.param("id"))); }
Response categories(App& app, const Request&) { return Response::json(categories_json(app.config().db_dir, app.taxonomy())); }

Response category(App& app, const Request& r) {
    const std::string& id = r.param("id");
    if (!app.taxonomy().find(id)) throw NotFound("no task category '" + id + "'");
    Object::Ptr o = category_view(app.config().db_dir, app.taxonomy_file(), id);
    o->set("heatmap", category_heatmap_json(app.config().db_dir, id));
    return Response::json(o);
}

Response missions(App& app, const Request&) {
    return Response::json(missions_view(app.config().db_dir));
}

Response mission(App& app, const Request& r) {
    Object::Ptr o = mission_view(app.config().db_dir, r.param("id"));
    o->set("timeline", mission_timeline_json(app.config().db_dir, r.param("id")));
    return Response::json(o);
}

Response acronym(App& app, const Request& r) {
    return Response::json(acronym_view(app.config().db_dir, r.param("acronym")));
}

Response suggest(App& app, const Request& r) {
    const std::string q = bounded_arg(r, "q", 100, true);
    const auto limit = static_cast<std::size_t>(r.integer("size", 10, 1, 30));
    return Response::json(suggest_json(app.config().db_dir, app.taxonomy(), q, limit));
}

// ---- reading packs ----

std::string edit_token(const Request& r) {
    const std::string auth = r.header("authorization");
    if (auth.size() > 7 && (auth.rfind("Bearer ", 0) == 0 || auth.rfind("bearer ", 0) == 0)) return auth.substr(7);
    return r.header("x-edit-token");
}

std::string member_string(const Object::Ptr& o, const std::string& key, const std::string& fallback) {
    if (!o->has(key) || o->isNull(key)) return fallback;
    const Poco::Dynamic::Var v = o->get(key);
    if (!v.isString()) throw InputError("'" + key + "' must be a string");
    return v.extract<std::string>();
}

void check_passage(App& app, const std::string& id) {
    try {
        cite(app.config().db_dir, id);
    } catch (const NotFound&) {
        throw InputError("no passage '" + id + "' in the index");
    }
}

PackItem parse_item(App& app, const Poco::Dynamic::Var& v) {
    if (v.type() != typeid(Object::Ptr)) throw InputError("each item must be an object with a 'passage'");
    const auto o = v.extract<Object::Ptr>();
    PackItem item{member_string(o, "passage", ""), member_string(o, "note", "")};
    if (item.passage.empty()) throw InputError("each item needs a 'passage' id");
    check_passage(app, item.passage);
    return item;
}

std::vector<PackItem> parse_items(App& app, const Object::Ptr& body) {
    const Poco::Dynamic::Var v = body->get("items");
    if (v.type() != typeid(Array::Ptr)) throw InputError("'items' must be an array");
    const auto a = v.extract<Array::Ptr>();
    if (a->size() > Pack::kMaxItems) throw LimitExceeded("a pack holds at most " + std::to_string(Pack::kMaxItems) + " items");
    std::vector<std::pair<double, PackItem>> ordered;
    for (std::size_t i = 0; i < a->size(); ++i) {
        const auto element = a->get(static_cast<unsigned>(i));
        double order = static_cast<double>(i + 1);
        if (element.type() == typeid(Object::Ptr)) {
            const auto o = element.extract<Object::Ptr>();
            if (o->has("order") && !o->isNull("order")) {
                if (!o->get("order").isNumeric()) throw InputError("'order' must be a number");
                order = o->get("order").convert<double>();
            }
        }
        ordered.emplace_back(order, parse_item(app, element));
    }
    std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<PackItem> items;
    for (auto& [order, item] : ordered) items.push_back(std::move(item));
    return items;
}

// Applies the members present in `body`; `replace` (PUT) resets those absent.
void apply(App& app, Pack& pack, const Object::Ptr& body, bool replace) {
    static const std::set<std::string> kKnown = {"title", "description", "items"};
    for (const auto& [key, value] : *body)
        if (!kKnown.count(key)) throw InputError("unknown member '" + key + "' (expected title, description, items)");
    if (replace || body->has("title")) pack.title = member_string(body, "title", "");
    if (replace || body->has("description")) pack.description = member_string(body, "description", "");
    if (body->has("items"))
        pack.items = parse_items(app, body);
    else if (replace)
        pack.items.clear();
}

Response pack_response(App& app, const Pack& pack, int status = 200) {
    return Response::json(pack_json(resolve(app.config().db_dir, pack)), status);
}

Response create_pack(App& app, const Request& r) {
    const auto body = r.json_body();
    Pack draft;
    apply(app, draft, body, true);
    auto [pack, token] = app.packs().create(draft);
    Object::Ptr o = pack_json(resolve(app.config().db_dir, pack));
    o->set("edit_token", token);
    o->set("url", "/?view=pack&id=" + pack.id);
    Response res = Response::json(o, 201);
    res.headers.emplace_back("Location", "/api/packs/" + pack.id);
    return res;
}

Response get_pack(App& app, const Request& r) { return pack_response(app, app.packs().get(r.param("id"))); }

Response update_pack(App& app, const Request& r, bool replace) {
    app.packs().authorize(r.param("id"), edit_token(r));
    const auto body = r.json_body();
    Pack pack = app.packs().get(r.param("id"));
    apply(app, pack, body, replace);
    return pack_response(app, app.packs().save(pack));
}

Response put_pack(App& app, const Request& r) { return update_pack(app, r, true); }
Response patch_pack(App& app, const Request& r) { return update_pack(app, r, false); }

Response add_item(App& app, const Request& r) {
    app.packs().authorize(r.param("id"), edit_token(r));
    const auto body = r.json_body();
    Pack pack = app.packs().get(r.param("id"));
    PackItem item = parse_item(app, Poco::Dynamic::Var(body));
    std::size_t position = pack.items.size() + 1;
    if (body->has("position")) {
        if (!body->get("position").isInteger()) throw InputError("'position' must be an integer");
        const auto wanted = body->get("position").convert<Poco::Int64>();
        if (wanted < 1) throw InputError("'position' must be 1 or more (1 is the first item)");
        position = static_cast<std::size_t>(std::min<Poco::Int64>(wanted, static_cast<Poco::Int64>(pack.items.size() + 1)));
    }
    pack.items.insert(pack.items.begin() + static_cast<long>(position - 1), item);
    return pack_response(app, app.packs().save(pack), 201);
}

Response delete_item(App& app, const Request& r) {
    app.packs().authorize(r.param("id"), edit_token(r));
    Pack pack = app.packs().get(r.param("id"));
    Request n;
    n.query = {{"n", r.param("n")}};
    const long position = n.integer("n", 0, 1, static_cast<long>(Pack::kMaxItems));
    if (static_cast<std::size_t>(position) > pack.items.size()) throw NotFound("the pack has no item " + r.param("n"));
    pack.items.erase(pack.items.begin() + (position - 1));
    return pack_response(app, app.packs().save(pack));
}

Response export_pack(App& app, const Request& r) {
    const ResolvedPack pack = resolve(app.config().db_dir, app.packs().get(r.param("id")));
    const std::string format = r.arg("format", "json");
    const std::string name = "pack-" + pack.pack.id.substr(0, 8);
    Response res;
    if (format == "json") {
        res = Response::json(pack_json(pack));
    } else if (format == "md") {
        res.content_type = "text/markdown; charset=utf-8";
        res.body = export_markdown(pack);
    } else if (format == "html") {
        res.content_type = "text/html; charset=utf-8";
        res.body = export_html(pack);
    } else if (format == "docx") {
        res.content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
        res.body = export_docx(pack);
    } else {
        throw InputError("format must be docx, html, md or json");
    }
    if (format != "json")
        res.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + "." + format + "\"");
    return res;
}

Response reindex(App& app, const Request& r) {
    const std::string& admin = app.config().admin_token;
    std::string token = r.header("authorization");
    token = token.rfind("Bearer ", 0) == 0 ? token.substr(7) : r.header("x-admin-token");
    if (admin.empty()) throw HttpError(403, "admin endpoints are disabled (set MANDALA_ADMIN_TOKEN)");
    if (!constant_time_equal(sha256_hex(token), sha256_hex(admin))) throw HttpError(403, "wrong or missing admin token");
    if (app.config().corpus_dirs.empty()) throw Conflict("no corpus folder is configured (--corpus or MANDALA_CORPUS)");
    if (!app.config().reindex) throw Conflict("this server cannot index (it was started without an indexer)");
    const ReindexReport report = app.config().reindex(app.config().corpus_dirs, app.config().db_dir);
    Object::Ptr o = new Object;
    o->set("files", report.files);
    o->set("indexed", report.indexed);
    o->set("unchanged", report.unchanged);
    o->set("removed", report.removed);
    o->set("passages", report.passages);
    o->set("seconds", report.seconds);
    o->set("failures", report.failures);
    return Response::json(o);
}

Response static_route(App& app, const Request& r) {
    if (r.param("path").rfind("api/", 0) == 0 || r.param("path") == "api") throw NotFound("no API route " + r.path);
    return static_file(app.config().static_dir, r.param("path"));
}

}  // namespace

const std::vector<Route>& routes() {
    static const std::vector<Route> table = {
        {"GET", "/healthz", "healthz", healthz},
        {"GET", "/metrics", "metrics", metrics},
        {"GET", "/api/openapi.json", "openapi", openapi},
        {"GET", "/api/search", "search", search_route},
        {"GET", "/api/passages/{id}", "passage", passage},
        {"GET", "/api/passages/{id}/related", "related", related},
        {"GET", "/api/trace", "trace", trace},
        {"GET", "/api/lineage/{mission}", "lineage", lineage},
        {"GET", "/api/documents", "documents", documents},
        {"GET", "/api/documents/{id}", "document", document},
        {"GET", "/api/categories", "categories", categories},
        {"GET", "/api/categories/{id}", "category", category},
        {"GET", "/api/missions", "missions", missions},
        {"GET", "/api/missions/{id}", "mission", mission},
        {"GET", "/api/acronyms/{acronym}", "acronym", acronym},
        {"GET", "/api/suggest", "suggest", suggest},
        {"POST", "/api/packs", "pack_create", create_pack},
        {"GET", "/api/packs/{id}", "pack", get_pack},
        {"PUT", "/api/packs/{id}", "pack_put", put_pack},
        {"PATCH", "/api/packs/{id}", "pack_patch", patch_pack},
        {"POST", "/api/packs/{id}/items", "pack_item_add", add_item},
        {"DELETE", "/api/packs/{id}/items/{n}", "pack_item_delete", delete_item},
        {"GET", "/api/packs/{id}/export", "pack_export", export_pack},
        {"POST", "/api/admin/reindex", "reindex", reindex},
        {"GET", "/{path*}", "static", static_route},
    };
    return table;
}

}  // namespace mandala::web
