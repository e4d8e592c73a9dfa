// Loading of the project's gazetteer files (indexer/data/*.json) and of the category labels.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "catalog/registry_json.h"
#include "indexer/extract/entities.h"
#include "text/errors.h"

namespace mandala::indexer {

namespace {

using namespace catalog::registry_json;

std::vector<Place> load_places(const std::filesystem::path& file) {
    std::vector<Place> places;
    for_each_object(read(file), "places", [&](const Poco::JSON::Object::Ptr& o) {
        places.push_back({string_of(o, "key"), string_of(o, "name"), string_of(o, "iso"), string_of(o, "kind"),
                          strings_of(o, "variants")});
    });
    return places;
}

std::vector<Organization> load_organizations(const std::filesystem::path& file) {
    std::vector<Organization> orgs;
    for_each_object(read(file), "organizations", [&](const Poco::JSON::Object::Ptr& o) {
        Organization org{string_of(o, "key"), string_of(o, "name"), string_of(o, "parent"),
                         strings_of(o, "aliases")};
        org.deploys_missions = o->optValue("deploys_missions", false);
        org.ambiguous = o->optValue("ambiguous", false);
        orgs.push_back(std::move(org));
    });
    return orgs;
}

std::vector<CategoryLabel> load_category_labels(const std::filesystem::path& file) {
    std::vector<CategoryLabel> out;
    for_each_object(read(file), "categories", [&](const Poco::JSON::Object::Ptr& o) {
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
    g.missions = catalog::load_known_missions(data_dir / "missions.json");
    // The taxonomy beside the data folder (taxonomy/ next to indexer/) is the usual source.
    auto taxonomy = taxonomy_json.empty() ? data_dir / ".." / ".." / "taxonomy" / "task-categories.json"
                                          : taxonomy_json;
    std::error_code ec;
    g.categories = std::filesystem::exists(taxonomy, ec) ? load_category_labels(taxonomy)
                                                          : builtin_category_labels();
    return g;
}

}  // namespace mandala::indexer
