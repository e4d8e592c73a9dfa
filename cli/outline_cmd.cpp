#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <iostream>

#include "cli/args.h"
#include "cli/commands.h"
#include "indexer/store.h"

namespace mandala::cli {
namespace {

Poco::JSON::Object::Ptr section_tree(const std::vector<indexer::Section>& sections, int id) {
    const auto& s = sections[static_cast<std::size_t>(id)];
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("id", s.id);
    o->set("number", s.number);
    o->set("title", s.title);
    o->set("heading", s.heading);
    o->set("kind", s.kind);
    o->set("level", s.level);
    Poco::JSON::Array::Ptr children = new Poco::JSON::Array;
    for (const auto& c : sections)
        if (c.parent == id && c.id != id) children->add(section_tree(sections, c.id));
    o->set("children", children);
    return o;
}

}  // namespace

int run_outline(const Arguments& argv, const Config& config) {
    Args args(argv, {"--db"}, {"--json"});
    if (args.positionals().size() != 1) throw UsageError("usage: mandala outline DOC [--db DIR] [--json]");
    const auto sections = indexer::load_sections(db_dir(args, config), args.positionals()[0]);
    if (args.has("--json")) {
        section_tree(sections, 0)->stringify(std::cout);
        std::cout << "\n";
        return 0;
    }
    for (const auto& s : sections) {
        if (s.id == 0) continue;
        std::cout << std::string(static_cast<std::size_t>(2 * std::max(0, static_cast<int>(s.path.size()) - 1)), ' ')
                  << s.heading << "  [" << s.kind << "]\n";
    }
    return 0;
}

}  // namespace mandala::cli
