#include "taxonomy/skos.h"

#include <sstream>

#include "taxonomy/json_util.h"
#include "text/errors.h"

namespace mandala::taxonomy {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr auto kOrdered = Poco::JSON_PRESERVE_KEY_ORDER;

Object::Ptr term(const std::string& id, bool is_reference, bool is_set) {
    Object::Ptr o = new Object(kOrdered);
    o->set("@id", id);
    if (is_reference) o->set("@type", "@id");
    if (!is_reference && id.starts_with("skos:") && id != "skos:notation") o->set("@language", "en");
    if (is_set) o->set("@container", "@set");
    return o;
}

Object::Ptr context() {
    Object::Ptr c = new Object(kOrdered);
    c->set("skos", "http://www.w3.org/2004/02/skos/core#");
    c->set("prefLabel", term("skos:prefLabel", false, false));
    c->set("altLabel", term("skos:altLabel", false, true));
    c->set("hiddenLabel", term("skos:hiddenLabel", false, true));
    c->set("scopeNote", term("skos:scopeNote", false, false));
    c->set("notation", term("skos:notation", false, false));
    c->set("related", term("skos:related", true, true));
    c->set("inScheme", term("skos:inScheme", true, false));
    c->set("topConceptOf", term("skos:topConceptOf", true, false));
    c->set("hasTopConcept", term("skos:hasTopConcept", true, true));
    return c;
}

std::string concept_uri(const Taxonomy& t, const std::string& id) { return t.namespace_uri + id; }

Object::Ptr concept_node(const Taxonomy& t, const Category& c) {
    Object::Ptr o = new Object(kOrdered);
    o->set("@id", concept_uri(t, c.id));
    o->set("@type", "skos:Concept");
    o->set("notation", c.id);
    o->set("prefLabel", c.pref_label);
    o->set("altLabel", json::to_array(c.alt_labels));
    o->set("hiddenLabel", json::to_array(c.key_terms));
    o->set("scopeNote", c.scope_note);
    Array::Ptr related = new Array;
    for (const auto& r : c.related) related->add(concept_uri(t, r.category));
    o->set("related", related);
    o->set("inScheme", t.namespace_uri);
    o->set("topConceptOf", t.namespace_uri);
    return o;
}

Object::Ptr scheme(const Taxonomy& t) {
    Object::Ptr o = new Object(kOrdered);
    o->set("@id", t.namespace_uri);
    o->set("@type", "skos:ConceptScheme");
    o->set("notation", t.scheme_id);
    o->set("prefLabel", t.scheme_label);
    Array::Ptr top = new Array;
    for (const auto& c : t.categories) top->add(concept_uri(t, c.id));
    o->set("hasTopConcept", top);
    return o;
}

std::string turtle_string(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') { out += "\\n"; continue; }
        out += c;
    }
    return out + "\"@en";
}

void turtle_list(std::ostringstream& out, std::string_view predicate, const std::vector<std::string>& values) {
    for (const auto& v : values) out << " ;\n    " << predicate << " " << turtle_string(v);
}

std::string id_from_uri(const Taxonomy& t, const std::string& uri) {
    if (!uri.starts_with(t.namespace_uri)) throw InputError("SKOS: concept outside the scheme: " + uri);
    return uri.substr(t.namespace_uri.size());
}

Category category_from(const Taxonomy& t, const Object::Ptr& o) {
    Category c;
    c.id = json::required_string(o, "notation");
    if (json::required_string(o, "@id") != concept_uri(t, c.id)) throw InputError("SKOS: @id does not match notation " + c.id);
    c.pref_label = json::required_string(o, "prefLabel");
    c.alt_labels = json::string_list(o, "altLabel");
    c.key_terms = json::string_list(o, "hiddenLabel");
    c.scope_note = json::optional_string(o, "scopeNote");
    for (const auto& uri : json::string_list(o, "related")) c.related.push_back({id_from_uri(t, uri), {}});
    return c;
}

}  // namespace

std::string to_skos_jsonld(const Taxonomy& t) {
    Object::Ptr root = new Object(kOrdered);
    root->set("@context", context());
    Array::Ptr graph = new Array;
    graph->add(scheme(t));
    for (const auto& c : t.categories) graph->add(concept_node(t, c));
    root->set("@graph", graph);
    return json::stringify(root, 2) + "\n";
}

std::string to_skos_turtle(const Taxonomy& t) {
    std::ostringstream out;
    out << "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n\n";
    out << "<" << t.namespace_uri << "> a skos:ConceptScheme ;\n    skos:prefLabel " << turtle_string(t.scheme_label)
        << " .\n";
    for (const auto& c : t.categories) {
        out << "\n<" << concept_uri(t, c.id) << "> a skos:Concept ;\n    skos:notation \"" << c.id << "\" ;\n"
            << "    skos:inScheme <" << t.namespace_uri << "> ;\n    skos:topConceptOf <" << t.namespace_uri << "> ;\n"
            << "    skos:prefLabel " << turtle_string(c.pref_label) << " ;\n    skos:scopeNote " << turtle_string(c.scope_note);
        turtle_list(out, "skos:altLabel", c.alt_labels);
        turtle_list(out, "skos:hiddenLabel", c.key_terms);
        for (const auto& r : c.related) out << " ;\n    skos:related <" << concept_uri(t, r.category) << ">";
        out << " .\n";
    }
    return out.str();
}

Taxonomy from_skos_jsonld(std::string_view jsonld) {
    auto root = json::parse_object(jsonld, "SKOS JSON-LD");
    Taxonomy t;
    try {
        auto graph = root->getArray("@graph");
        if (!graph || graph->size() == 0) throw InputError("SKOS: empty @graph");
        auto head = graph->getObject(0);
        if (json::required_string(head, "@type") != "skos:ConceptScheme") throw InputError("SKOS: no concept scheme first");
        t.namespace_uri = json::required_string(head, "@id");
        t.scheme_id = json::required_string(head, "notation");
        t.scheme_label = json::required_string(head, "prefLabel");
        for (std::size_t i = 1; i < graph->size(); ++i) t.categories.push_back(category_from(t, graph->getObject(static_cast<unsigned>(i))));
    } catch (const Poco::Exception& e) {
        throw InputError("SKOS: " + e.displayText());
    }
    return t;
}

}  // namespace mandala::taxonomy
