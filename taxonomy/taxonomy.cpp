#include "taxonomy/taxonomy.h"

#include <cstdlib>

#include "taxonomy/json_util.h"
#include "text/data_files.h"
#include "text/errors.h"

namespace mandala::taxonomy {
namespace {

using Poco::JSON::Object;

std::vector<ExemplarSource> parse_exemplars(const Poco::JSON::Array::Ptr& array) {
    std::vector<ExemplarSource> out;
    if (!array) return out;
    for (std::size_t i = 0; i < array->size(); ++i) {
        auto o = array->getObject(static_cast<unsigned>(i));
        out.push_back({json::required_string(o, "doc"), json::required_string(o, "section")});
    }
    return out;
}

std::vector<Related> parse_related(const Poco::JSON::Array::Ptr& array) {
    std::vector<Related> out;
    if (!array) return out;
    for (std::size_t i = 0; i < array->size(); ++i) {
        auto o = array->getObject(static_cast<unsigned>(i));
        out.push_back({json::required_string(o, "id"), json::optional_string(o, "evidence")});
    }
    return out;
}

Category parse_category(const Object::Ptr& o) {
    Category c;
    c.id = json::required_string(o, "id");
    c.pref_label = json::required_string(o, "prefLabel");
    c.alt_labels = json::string_list(o, "altLabel");
    c.acronyms = json::string_list(o, "acronyms");
    c.scope_note = json::optional_string(o, "scopeNote");
    c.key_terms = json::string_list(o, "keyTerms");
    c.support_terms = json::string_list(o, "supportTerms");
    c.related = parse_related(o->getArray("related"));
    c.exemplars = parse_exemplars(o->getArray("exemplars"));
    return c;
}

// Related ids must name categories of the same scheme, or the SKOS export would dangle.
void check_references(const Taxonomy& t) {
    for (const auto& c : t.categories)
        for (const auto& r : c.related)
            if (!t.find(r.category))
                throw InputError("category " + c.id + " relates to unknown category " + r.category);
}

}  // namespace

const Category* Taxonomy::find(std::string_view id) const {
    for (const auto& c : categories)
        if (c.id == id) return &c;
    return nullptr;
}

std::vector<std::string> Taxonomy::ids() const {
    std::vector<std::string> out;
    for (const auto& c : categories) out.push_back(c.id);
    return out;
}

Taxonomy parse_taxonomy(std::string_view text) {
    auto root = json::parse_object(text, "taxonomy");
    Taxonomy t;
    try {
        auto scheme = root->getObject("scheme");
        if (!scheme) throw InputError("taxonomy: missing \"scheme\"");
        t.scheme_id = json::required_string(scheme, "id");
        t.scheme_label = json::required_string(scheme, "prefLabel");
        t.namespace_uri = json::required_string(scheme, "namespace");
        auto categories = root->getArray("categories");
        if (!categories) throw InputError("taxonomy: missing \"categories\"");
        for (std::size_t i = 0; i < categories->size(); ++i)
            t.categories.push_back(parse_category(categories->getObject(static_cast<unsigned>(i))));
        t.no_category_exemplars = parse_exemplars(root->getArray("noCategoryExemplars"));
        t.authored_no_category = json::string_list(root, "authoredNoCategoryExemplars");
    } catch (const Poco::Exception& e) {
        throw InputError("taxonomy: " + e.displayText());
    }
    check_references(t);
    return t;
}

Taxonomy load_taxonomy(const std::filesystem::path& file) { return parse_taxonomy(json::read_file(file)); }

std::filesystem::path default_taxonomy_dir() { return data::file(data::kTaxonomyDir); }

}  // namespace mandala::taxonomy
