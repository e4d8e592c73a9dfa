#include "catalog/registry.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "catalog/registry_json.h"
#include "text/errors.h"

namespace mandala::catalog {

namespace registry_json {

Poco::JSON::Object::Ptr read(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw InputError("cannot read gazetteer file " + file.string());
    std::stringstream buffer;
    buffer << in.rdbuf();
    try {
        return Poco::JSON::Parser().parse(buffer.str()).extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception& e) {
        throw InputError("malformed JSON in " + file.string() + ": " + e.displayText());
    }
}

std::string string_of(const Poco::JSON::Object::Ptr& o, const std::string& name) {
    return o->has(name) ? o->getValue<std::string>(name) : std::string();
}

std::vector<std::string> strings_of(const Poco::JSON::Object::Ptr& o, const std::string& name) {
    std::vector<std::string> out;
    auto array = o->getArray(name);
    if (!array) return out;
    for (std::size_t i = 0; i < array->size(); ++i) out.push_back(array->getElement<std::string>(i));
    return out;
}

}  // namespace registry_json

namespace {
using namespace registry_json;

// "host" is one place key or a list of them.
std::vector<std::string> one_or_many(const Poco::JSON::Object::Ptr& o, const std::string& name) {
    if (!o->has(name) || o->isNull(name)) return {};
    if (o->isArray(name)) return strings_of(o, name);
    return {o->getValue<std::string>(name)};
}

// A start or end year written as a number, "2013" or a date "2013-04-25"; 0 when absent or null.
int year_field(const Poco::JSON::Object::Ptr& o, const std::string& name, const std::filesystem::path& file) {
    if (!o->has(name) || o->isNull(name)) return 0;
    Poco::Dynamic::Var v = o->get(name);
    std::string s = v.isString() ? v.extract<std::string>() : v.toString();
    if (s.size() < 4 || !std::all_of(s.begin(), s.begin() + 4, [](char c) { return c >= '0' && c <= '9'; }))
        throw InputError("mission '" + string_of(o, "key") + "' in " + file.string() + ": " + name +
                         " is not a year: '" + s + "'");
    return std::stoi(s.substr(0, 4));
}

KnownMission known_mission(const Poco::JSON::Object::Ptr& o, const std::filesystem::path& file) {
    KnownMission m;
    m.key = string_of(o, "key");
    if (m.key.empty()) throw InputError("a mission without a key in " + file.string());
    m.acronyms = strings_of(o, "acronyms");
    m.names = strings_of(o, "names");
    m.aliases = strings_of(o, "aliases");
    m.organization = string_of(o, "organization");
    m.kind = string_of(o, "kind");
    m.hosts = one_or_many(o, "host");
    m.start = year_field(o, "start", file);
    m.end = year_field(o, "end", file);
    m.predecessors = one_or_many(o, "predecessors");
    m.successors = one_or_many(o, "successors");
    m.source = string_of(o, "source");
    return m;
}

}  // namespace

std::vector<KnownMission> load_known_missions(const std::filesystem::path& file) {
    std::vector<KnownMission> missions;
    for_each_object(read(file), "missions",
                    [&](const Poco::JSON::Object::Ptr& o) { missions.push_back(known_mission(o, file)); });
    return missions;
}

const Mission* EntityRegistry::mission(const std::string& key) const {
    auto it = std::find_if(missions.begin(), missions.end(), [&](const Mission& m) { return m.key == key; });
    return it == missions.end() ? nullptr : &*it;
}

const Organization* EntityRegistry::organization(const std::string& key) const {
    auto it = std::find_if(organizations.begin(), organizations.end(),
                           [&](const Organization& o) { return o.key == key; });
    return it == organizations.end() ? nullptr : &*it;
}

}  // namespace mandala::catalog
