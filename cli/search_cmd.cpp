// `mandala search QUERY [--db DIR] [--shard LOCATION ...] [--filter FACET=VALUE ...] [--limit N]
//  [--page N] [--sort relevance|year] [--collapse] [--no-collapse] [--json]`, or `--batch`: one query per stdin line,
//  one JSON line per answer, from one long-lived process.
#include <iostream>

#include "cli/args.h"
#include "cli/commands.h"
#include "search/search.h"
#include "text/errors.h"

namespace mandala::cli {
namespace {

search::SearchRequest request_from(const Args& args) {
    search::SearchRequest r;
    for (const auto& f : args.values("--filter")) {
        const auto eq = f.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == f.size()) throw UsageError("--filter wants FACET=VALUE, got '" + f + "'");
        r.filters[search::canonical_facet(f.substr(0, eq))].push_back(f.substr(eq + 1));
    }
    r.limit = static_cast<std::size_t>(args.integer("--limit", 10, 1, static_cast<int>(search::SearchRequest::kMaxLimit)));
    r.page = static_cast<std::size_t>(args.integer("--page", 1, 1, static_cast<int>(search::SearchRequest::kMaxPage)));
    const std::string sort = args.value("--sort", "relevance");
    if (sort == "year")
        r.sort = search::SortOrder::year;
    else if (sort != "relevance")
        throw UsageError("--sort must be relevance or year");
    r.collapse = args.has("--collapse");
    r.collapse_identical = !args.has("--no-collapse");
    r.facets = !args.has("--no-facets");
    r.validate();
    return r;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
    return out;
}

void print_text(const search::SearchResponse& r) {
    for (const auto& w : r.warnings) std::cout << "warning: " << w << "\n";
    if (!r.suggestion.empty()) std::cout << "did you mean: " << r.suggestion << "\n";
    std::cout << r.total << " passages match\n\n";
    for (const auto& h : r.results) {
        std::cout << h.rank << ". " << h.id << "  (" << h.score << ")";
        if (h.similar) std::cout << "  " << h.similar << " similar";
        std::cout << "\n   " << h.title;
        if (h.year) std::cout << " (" << h.year << ")";
        std::cout << "\n   " << join(h.section, " › ") << " [" << h.kind << (h.page ? ", p. " + std::to_string(h.page) : "") << "]\n";
        if (!h.categories.empty()) std::cout << "   categories: " << join(h.categories, ", ") << "\n";
        if (!h.missions.empty()) std::cout << "   missions: " << join(h.missions, ", ") << "\n";
        std::cout << "   " << (h.snippet.empty() ? h.text.substr(0, 240) : h.snippet) << "\n\n";
    }
    for (const auto& [name, values] : r.facets) {
        if (values.empty()) continue;
        std::cout << name << ":";
        for (std::size_t i = 0; i < values.size() && i < 8; ++i) std::cout << "  " << values[i].value << " (" << values[i].count << ")";
        std::cout << "\n";
    }
}

int run_batch(const search::Searcher& searcher, const search::SearchRequest& base) {
    std::string line;
    while (std::getline(std::cin, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        search::SearchRequest r = base;
        r.query = line;
        try {
            std::cout << search::to_json(searcher.search(r)) << "\n";
        } catch (const mandala::Error& e) {  // Unavailable included: the next line may find the shard back
            std::cout << search::error_to_json(line, e.what()) << "\n";
        } catch (const Xapian::Error& e) {
            std::cout << search::error_to_json(line, e.get_description()) << "\n";
        }
        std::cout.flush();
    }
    return 0;
}

}  // namespace

int run_search(const Arguments& argv, const Config& config) {
    Args args(argv, {"--db", "--shard", "--filter", "--limit", "--page", "--sort"}, {"--collapse", "--no-collapse", "--json", "--batch", "--no-facets"});
    search::SearchRequest request = request_from(args);
    // --shard LOCATION (repeatable, in shard order): a local path or tcp://HOST:PORT of xapian-tcpsrv;
    // none: the shards under --db. The catalog always comes from --db.
    const search::Searcher searcher(db_dir(args, config), args.values("--shard"));
    if (args.has("--batch")) {
        if (!args.positionals().empty()) throw UsageError("--batch reads queries from stdin; give no QUERY");
        return run_batch(searcher, request);
    }
    if (args.positionals().empty())
        throw UsageError("usage: mandala search QUERY [--db DIR] [--shard LOCATION ...] [--filter FACET=VALUE ...] [--limit N] [--collapse] [--no-collapse] [--json]");
    request.query = join(args.positionals(), " ");
    const auto response = searcher.search(request);
    if (args.has("--json"))
        std::cout << search::to_json(response) << "\n";
    else
        print_text(response);
    return 0;
}

}  // namespace mandala::cli
