#include <Poco/JSON/Object.h>

#include <iostream>

#include "cli/args.h"
#include "cli/commands.h"
#include "search/index_reader.h"

namespace mandala::cli {
namespace {

Poco::JSON::Object::Ptr to_json(const std::map<std::string, std::size_t>& m) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    for (const auto& [k, v] : m) o->set(k, v);
    return o;
}

void print_counts(const char* title, const std::map<std::string, std::size_t>& m) {
    if (m.empty()) return;
    std::cout << title << ":\n";
    for (const auto& [k, v] : m) std::cout << "  " << k << ": " << v << "\n";
}

}  // namespace

int run_stats(const Arguments& argv, const Config& config) {
    Args args(argv, {"--db"}, {"--json"});
    const auto s = search::collect_stats(db_dir(args, config));
    if (args.has("--json")) {
        Poco::JSON::Object o;
        o.set("documents", s.documents);
        o.set("passages", s.passages);
        o.set("sections", s.sections);
        o.set("acronyms", s.acronyms);
        o.set("tagged_passages", s.tagged_passages);
        o.set("source_bytes", s.source_bytes);
        o.set("index_bytes", s.index_bytes);
        o.set("passages_by_kind", to_json(s.passages_by_kind));
        o.set("passages_by_document", to_json(s.passages_by_document));
        o.set("passages_by_category", to_json(s.passages_by_category));
        o.stringify(std::cout);
        std::cout << "\n";
        return 0;
    }
    std::cout << "documents: " << s.documents << "\npassages: " << s.passages << "\nsections: " << s.sections
              << "\nacronym pairs: " << s.acronyms << "\ntagged passages: " << s.tagged_passages
              << "\nsource bytes: " << s.source_bytes << "\nindex bytes: " << s.index_bytes << "\n";
    print_counts("passages by document", s.passages_by_document);
    print_counts("passages by kind", s.passages_by_kind);
    print_counts("passages by category", s.passages_by_category);
    return 0;
}

}  // namespace mandala::cli
