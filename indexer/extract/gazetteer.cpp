// Loading of the project's gazetteer files (indexer/data/*.json) and of the category labels.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "indexer/extract/entities.h"
#include "text/errors.h"

namespace mandala::indexer {

namespace {

Poco::JSON::Object::Ptr read_json(const std::filesystem::path& file) {
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

template <typename Fn>
void for_each_object(const Poco::JSON::Object::Ptr& root, const std::string& name, Fn fn) {
    auto array = root->getArray(name);
    if (!array) return;
    for (std::size_t i = 0; i < array->size(); ++i) fn(array->getObject(i));
}

std::vector<Place> load_places(const std::filesystem::path& file) {
    std::vector<Place> places;
    for_each_object(read_json(file), "places", [&](const Poco::JSON::Object::Ptr& o) {
        places.push_back({string_of(o, "key"), string_of(o, "name"), string_of(o, "iso"), string_of(o, "kind"),
                          strings_of(o, "variants")});
    });
    return places;
}

std::vector<Organization> load_organizations(const std::filesystem::path& file) {
    std::vector<Organization> orgs;
    for_each_object(read_json(file), "organizations", [&](const Poco::JSON::Object::Ptr& o) {
        Organization org{string_of(o, "key"), string_of(o, "name"), string_of(o, "parent"),
                         strings_of(o, "aliases")};
        org.deploys_missions = o->optValue("deploys_missions", false);
        org.ambiguous = o->optValue("ambiguous", false);
        orgs.push_back(std::move(org));
    });
    return orgs;
}

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

std::vector<KnownMission> load_known_missions(const std::filesystem::path& file) {
    std::vector<KnownMission> missions;
    for_each_object(read_json(file), "missions",
                    [&](const Poco::JSON::Object::Ptr& o) { missions.push_back(known_mission(o, file)); });
    return missions;
}

std::vector<CategoryLabel> load_category_labels(const std::filesystem::path& file) {
    std::vector<CategoryLabel> out;
    for_each_object(read_json(file), "categories", [&](const Poco::JSON::Object::Ptr& o) {
        CategoryLabel c{string_of(o, "id"), {string_of(o, "prefLabel")}};
        for (auto& alt : strings_of(o, "altLabel")) c.labels.push_back(alt);
        out.push_back(std::move(c));
    });
    return out;
}

}  // namespace

std::vector<CategoryLabel> builtin_category_labels() {
    return {
        {"border-management", {"Border Management"}},
        {"children-armed-conflict", {"Children and Armed Conflict", "Child Protection"}},
        {"countering-organized-crime", {"Countering Organized Crime", "Organized Crime"}},
        {"countering-terrorism-violent-extremism", {"Countering Terrorism and Violent Extremism"}},
        {"ddr", {"Disarmament, Demobilization and Reintegration"}},
        {"economic-reconstruction", {"Economic Reconstruction"}},
        {"elections", {"Elections"}},
        {"environment-natural-resources", {"Environment and Natural Resources"}},
        {"human-rights", {"Human Rights"}},
        {"governance", {"Institutional Capacity Building and Governance"}},
        {"maritime-security", {"Maritime Security"}},
        {"mine-action-arms-control", {"Mine Action and Arms Control"}},
        {"monitoring-verification", {"Monitoring and Verification", "Observation and Verification"}},
        {"policing", {"Policing", "Police"}},
        {"protection-of-civilians", {"Protection of Civilians"}},
        {"reconciliation-transitional-justice", {"Reconciliation and Transitional Justice"}},
        {"refugees-idps", {"Refugees and Internally Displaced Persons"}},
        {"robust-interventions", {"Robust Interventions"}},
        {"rule-of-law", {"Rule of Law"}},
        {"safe-secure-environment", {"Safe and Secure Environment"}},
        {"ssr", {"Security Sector Reform"}},
        {"political-processes", {"Support to Political Processes", "Political Processes"}},
        {"wps", {"Women, Peace and Security"}},
    };
}

Gazetteer load_gazetteer(const std::filesystem::path& data_dir, const std::filesystem::path& taxonomy_json) {
    Gazetteer g;
    g.places = load_places(data_dir / "places.json");
    g.organizations = load_organizations(data_dir / "organizations.json");
    g.missions = load_known_missions(data_dir / "missions.json");
    // The taxonomy beside the data folder (taxonomy/ next to indexer/) is the usual source.
    auto taxonomy = taxonomy_json.empty() ? data_dir / ".." / ".." / "taxonomy" / "task-categories.json"
                                          : taxonomy_json;
    std::error_code ec;
    g.categories = std::filesystem::exists(taxonomy, ec) ? load_category_labels(taxonomy)
                                                          : builtin_category_labels();
    return g;
}

}  // namespace mandala::indexer
