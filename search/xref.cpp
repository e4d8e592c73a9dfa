#include "search/xref.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "catalog/cross_references.h"
#include "catalog/reader.h"
#include "text/errors.h"
#include "text/unicode.h"

namespace mandala::search {

namespace fs = std::filesystem;
using catalog::Connection;
using catalog::open_catalog;

namespace {

constexpr std::size_t kExcerptBytes = 200;
constexpr std::size_t kTopPerDocument = 3;
constexpr int kListLimit = 20;

bool utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// About kExcerptBytes of `text` around byte offset `at` (a mention; 0: the start), cut between
// words where a space is near (else on a UTF-8 character boundary), with "…" where text is left out.
std::string excerpt(const std::string& text, std::size_t at = 0) {
    if (text.size() <= kExcerptBytes) return text;
    constexpr std::size_t kLead = kExcerptBytes / 3;  // context before the mention
    std::size_t begin = std::min(at > kLead ? at - kLead : 0, text.size() - kExcerptBytes);
    if (begin > 0) {
        const std::size_t space = text.find(' ', begin);
        begin = space != std::string::npos && space < at ? space + 1 : begin;
        while (begin < text.size() && utf8_continuation(text[begin])) ++begin;
    }
    std::size_t end = std::min(begin + kExcerptBytes, text.size());
    if (end < text.size()) {
        const std::size_t space = text.rfind(' ', end);
        if (space != std::string::npos && space > begin + kExcerptBytes / 2 && space > at) end = space;
        while (end > begin && utf8_continuation(text[end])) --end;
    }
    return (begin > 0 ? "…" : "") + text.substr(begin, end - begin) + (end < text.size() ? "…" : "");
}

// Passages with their section heading and an excerpt (around the mention when the row has one).
std::vector<PassageRef> passages_of(const std::vector<catalog::PassageRow>& rows) {
    std::vector<PassageRef> out;
    for (const auto& row : rows) {
        PassageRef p{row.id, row.doc, row.heading, excerpt(row.text, row.mention_at)};
        p.score = row.score;
        out.push_back(std::move(p));
    }
    return out;
}

std::vector<DocumentPassages> group_by_document(const std::vector<PassageRef>& passages, std::size_t per_document) {
    std::vector<DocumentPassages> out;
    for (const auto& p : passages) {
        if (out.empty() || out.back().doc != p.doc) out.push_back({p.doc, {}});
        if (out.back().passages.size() < per_document) out.back().passages.push_back(p);
    }
    return out;
}

std::vector<KeyCount> key_counts(const std::vector<catalog::KeyCountRow>& rows) {
    std::vector<KeyCount> out;
    for (const auto& row : rows) out.push_back({row.key, row.count});
    return out;
}

// ---- missions -------------------------------------------------------------------------------

// The registry row whose key or alias is `wanted`, compared case-insensitively.
bool find_mission(Connection& db, const std::string& wanted, MissionReport& r) {
    const std::string folded = text::fold(wanted);
    for (auto& m : catalog::registry_missions(db)) {
        const bool named = text::fold(m.key) == folded || std::any_of(m.aliases.begin(), m.aliases.end(), [&](const std::string& a) {
                               return text::fold(a) == folded;
                           });
        if (!named) continue;
        r.key = m.key;
        r.expansion = m.expansion;
        r.organization = m.organization;
        r.host = m.host;
        r.aliases = std::move(m.aliases);
        return true;
    }
    return false;
}

std::vector<KeyCount> counts_beside_mission(Connection& db, const std::string& key, const std::string& type) {
    return key_counts(catalog::entities_beside_mission(db, key, type, kListLimit));
}

}  // namespace

MissionReport xref_mission(const fs::path& db_dir, const std::string& key) {
    Connection db = open_catalog(db_dir);
    MissionReport r;
    if (!find_mission(db, key, r))
        throw NotFound("no mission '" + key + "' in the index (list them with: mandala entities --type mission)");
    // Each passage once, its excerpt around the first mention of the mission (from its start when
    // the mention is in its section heading or a furniture line before it).
    r.mentions = group_by_document(passages_of(catalog::passages_naming_mission(db, r.key)), SIZE_MAX);
    r.categories = key_counts(catalog::categories_of_mission(db, r.key));
    r.co_missions = counts_beside_mission(db, r.key, "mission");
    r.years = counts_beside_mission(db, r.key, "year");
    std::sort(r.years.begin(), r.years.end(), [](const KeyCount& a, const KeyCount& b) { return a.key < b.key; });
    return r;
}

// ---- categories -----------------------------------------------------------------------------

namespace {

struct TaxonomyEntry {
    bool found = false;
    std::string label, scope;
    std::vector<std::string> related;
};

TaxonomyEntry taxonomy_entry(const fs::path& file, const std::string& id) {
    TaxonomyEntry e;
    std::ifstream in(file);
    if (!in) return e;
    std::stringstream buffer;
    buffer << in.rdbuf();
    auto root = Poco::JSON::Parser().parse(buffer.str()).extract<Poco::JSON::Object::Ptr>();
    auto categories = root->getArray("categories");
    for (std::size_t i = 0; categories && i < categories->size(); ++i) {
        auto c = categories->getObject(i);
        if (c->optValue<std::string>("id", "") != id) continue;
        e.found = true;
        e.label = c->optValue<std::string>("prefLabel", "");
        e.scope = c->optValue<std::string>("scopeNote", "");
        if (auto related = c->getArray("related"))
            for (std::size_t k = 0; k < related->size(); ++k) e.related.push_back(related->getElement<std::string>(k));
    }
    return e;
}

RelatedCategory& related_entry(std::vector<RelatedCategory>& list, const std::string& id) {
    auto it = std::find_if(list.begin(), list.end(), [&](const RelatedCategory& r) { return r.id == id; });
    if (it != list.end()) return *it;
    list.push_back(RelatedCategory{id, {}, {}, 0, false});
    return list.back();
}

void add_arrows(Connection& db, const std::string& id, std::vector<RelatedCategory>& related) {
    for (const auto& [target, evidence] : catalog::arrows_from_category(db, id))
        related_entry(related, target).arrows_to.push_back(evidence);
    for (const auto& [from, evidence] : catalog::arrows_to_category(db, id))
        related_entry(related, from).arrows_from.push_back(evidence);
}

void add_co_occurrences(Connection& db, const std::string& id, std::vector<RelatedCategory>& related) {
    for (const auto& row : catalog::co_occurring_categories(db, id)) related_entry(related, row.key).co_occurrences = row.count;
}

}  // namespace

CategoryReport xref_category(const fs::path& db_dir, const std::string& id, const fs::path& taxonomy_json) {
    Connection db = open_catalog(db_dir);
    TaxonomyEntry entry = taxonomy_entry(taxonomy_json, id);
    if (!entry.found && !catalog::category_in_index(db, id))
        throw NotFound("no task category '" + id + "' (ids are those of taxonomy/task-categories.json, e.g. rule-of-law)");
    CategoryReport r{id, entry.label, entry.scope, {}, {}, {}};
    add_arrows(db, id, r.related);
    add_co_occurrences(db, id, r.related);
    for (const auto& rel : entry.related) related_entry(r.related, rel).in_taxonomy = true;
    std::stable_sort(r.related.begin(), r.related.end(), [](const RelatedCategory& a, const RelatedCategory& b) {
        auto arrows = [](const RelatedCategory& x) { return x.arrows_to.size() + x.arrows_from.size(); };
        return arrows(a) != arrows(b) ? arrows(a) > arrows(b) : a.co_occurrences > b.co_occurrences;
    });
    r.missions = key_counts(catalog::missions_of_category(db, id, kListLimit));
    r.top_passages = group_by_document(passages_of(catalog::passages_of_category(db, id)), kTopPerDocument);
    return r;
}

// ---- acronyms -------------------------------------------------------------------------------

AcronymReport xref_acronym(const fs::path& db_dir, const std::string& acronym) {
    Connection db = open_catalog(db_dir);
    AcronymReport r{acronym, {}};
    // Exact spelling first ("PoC"), any case when nothing matches exactly.
    for (const bool any_case : {false, true}) {
        for (const auto& row : catalog::acronym_definitions(db, acronym, any_case)) {
            r.acronym = row.acronym;
            std::string folded = text::fold(row.expansion);
            auto it = std::find_if(r.definitions.begin(), r.definitions.end(),
                                   [&](const AcronymDefinition& d) { return text::fold(d.expansion) == folded; });
            if (it == r.definitions.end()) it = r.definitions.insert(r.definitions.end(), {row.expansion, {}, {}});
            if (std::find(it->documents.begin(), it->documents.end(), row.doc) == it->documents.end()) {
                it->documents.push_back(row.doc);
                it->sources.push_back(row.source);
            }
        }
        if (!r.definitions.empty()) return r;
    }
    throw NotFound("no acronym '" + acronym + "' is defined in the indexed documents");
}

// ---- passages -------------------------------------------------------------------------------

PassageReport xref_passage(const fs::path& db_dir, const std::string& passage_id) {
    Connection db = open_catalog(db_dir);
    PassageReport r;
    const auto found = catalog::passage_with_footnote(db, passage_id);
    if (!found) throw NotFound("no passage '" + passage_id + "' (ids look like doc#12)");
    const catalog::PassageRow& one = found->first;
    r.passage = {one.id, one.doc, one.heading, one.text};
    r.footnote_number = found->second;
    r.cites = passages_of(catalog::footnotes_cited_by(db, passage_id));
    r.cited_by = passages_of(catalog::passages_citing(db, passage_id));
    for (const auto& x : catalog::internal_references(db, passage_id)) r.refers_to.push_back({x.target, x.section, x.heading});
    r.see_also = catalog::see_also_targets(db, passage_id);
    for (const auto& e : catalog::passage_entity_rows(db, passage_id)) r.entities.push_back({e.type, e.key, e.surface});
    return r;
}

// ---- registry -------------------------------------------------------------------------------

namespace {

struct Counts {
    std::size_t mentions = 0, passages = 0, documents = 0;
};

std::map<std::pair<std::string, std::string>, Counts> counts_by_type_and_key(Connection& db, const std::string& type) {
    std::map<std::pair<std::string, std::string>, Counts> out;
    for (const auto& row : catalog::mention_counts(db, type)) out[{row.type, row.key}] = {row.mentions, row.passages, row.documents};
    return out;
}

void take_counts(RegistryEntry& e, std::map<std::pair<std::string, std::string>, Counts>& counts) {
    auto it = counts.find({e.type, e.key});
    if (it == counts.end()) return;
    e.mentions = it->second.mentions;
    e.passages = it->second.passages;
    e.documents = it->second.documents;
    counts.erase(it);
}

}  // namespace

std::vector<RegistryEntry> list_entities(const fs::path& db_dir, const std::string& type) {
    static const std::vector<std::string> kTypes = {"mission", "organization", "place", "year",
                                                    "resolution", "document-symbol", "acronym"};
    if (!type.empty() && std::find(kTypes.begin(), kTypes.end(), type) == kTypes.end())
        throw InputError("unknown entity type '" + type + "' (mission, organization, place, year, resolution, "
                         "document-symbol, acronym)");
    Connection db = open_catalog(db_dir);
    auto counts = counts_by_type_and_key(db, type);
    std::vector<RegistryEntry> out;
    if (type.empty() || type == "mission") {
        for (const auto& m : catalog::registry_missions_by_key(db)) {
            RegistryEntry e{"mission", m.key, m.expansion, m.organization, m.host, ""};
            take_counts(e, counts);
            out.push_back(std::move(e));
        }
    }
    if (type.empty() || type == "organization") {
        for (const auto& o : catalog::registry_organizations(db)) {
            RegistryEntry e{"organization", o.key, o.name, "", "", o.parent};
            take_counts(e, counts);
            out.push_back(std::move(e));
        }
    }
    for (auto& [type_key, c] : counts)
        out.push_back({type_key.first, type_key.second, "", "", "", "", c.mentions, c.passages, c.documents});
    return out;
}

// ---- rendering ------------------------------------------------------------------------------

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Array::Ptr strings_json(const std::vector<std::string>& items) {
    Array::Ptr a = new Array;
    for (const auto& i : items) a->add(i);
    return a;
}

Array::Ptr counts_json(const std::vector<KeyCount>& counts) {
    Array::Ptr a = new Array;
    for (const auto& c : counts) {
        Object::Ptr o = new Object;
        o->set("key", c.key);
        o->set("count", c.count);
        a->add(o);
    }
    return a;
}

Object::Ptr passage_json(const PassageRef& p) {
    Object::Ptr o = new Object;
    o->set("id", p.id);
    o->set("doc", p.doc);
    o->set("section", p.section);
    o->set("text", p.text);
    if (p.score > 0) o->set("score", p.score);
    return o;
}

Array::Ptr passages_json(const std::vector<PassageRef>& passages) {
    Array::Ptr a = new Array;
    for (const auto& p : passages) a->add(passage_json(p));
    return a;
}

Array::Ptr by_document_json(const std::vector<DocumentPassages>& groups) {
    Array::Ptr a = new Array;
    for (const auto& g : groups) {
        Object::Ptr o = new Object;
        o->set("doc", g.doc);
        o->set("passages", passages_json(g.passages));
        a->add(o);
    }
    return a;
}

std::string counts_line(const std::vector<KeyCount>& counts) {
    std::string out;
    for (const auto& c : counts) out += (out.empty() ? "" : ", ") + c.key + " (" + std::to_string(c.count) + ")";
    return out.empty() ? "-" : out;
}

void passages_text(std::ostringstream& out, const std::vector<DocumentPassages>& groups) {
    for (const auto& g : groups) {
        out << "  " << g.doc << " (" << g.passages.size() << ")\n";
        for (const auto& p : g.passages) out << "    " << p.id << "  " << p.text << "\n";
    }
}

}  // namespace

Poco::JSON::Object::Ptr to_json(const MissionReport& r) {
    Object::Ptr o = new Object;
    o->set("key", r.key);
    o->set("expansion", r.expansion);
    o->set("organization", r.organization);
    o->set("host", r.host);
    o->set("aliases", strings_json(r.aliases));
    o->set("mentions", by_document_json(r.mentions));
    o->set("categories", counts_json(r.categories));
    o->set("co_missions", counts_json(r.co_missions));
    o->set("years", counts_json(r.years));
    return o;
}

Poco::JSON::Object::Ptr to_json(const CategoryReport& r) {
    Object::Ptr o = new Object;
    o->set("id", r.id);
    o->set("label", r.label);
    o->set("scope", r.scope);
    Array::Ptr related = new Array;
    for (const auto& rel : r.related) {
        Object::Ptr x = new Object;
        x->set("id", rel.id);
        x->set("arrows_to", strings_json(rel.arrows_to));
        x->set("arrows_from", strings_json(rel.arrows_from));
        x->set("co_occurrences", rel.co_occurrences);
        x->set("in_taxonomy", rel.in_taxonomy);
        related->add(x);
    }
    o->set("related", related);
    o->set("missions", counts_json(r.missions));
    o->set("top_passages", by_document_json(r.top_passages));
    return o;
}

Poco::JSON::Object::Ptr to_json(const AcronymReport& r) {
    Object::Ptr o = new Object;
    o->set("acronym", r.acronym);
    Array::Ptr defs = new Array;
    for (const auto& d : r.definitions) {
        Object::Ptr x = new Object;
        x->set("expansion", d.expansion);
        x->set("documents", strings_json(d.documents));
        x->set("sources", strings_json(d.sources));
        defs->add(x);
    }
    o->set("definitions", defs);
    return o;
}

Poco::JSON::Object::Ptr to_json(const PassageReport& r) {
    Object::Ptr o = passage_json(r.passage);
    if (!r.footnote_number.empty()) o->set("footnote_number", r.footnote_number);
    o->set("cites", passages_json(r.cites));
    o->set("cited_by", passages_json(r.cited_by));
    Array::Ptr refs = new Array;
    for (const auto& s : r.refers_to) {
        Object::Ptr x = new Object;
        x->set("label", s.label);
        x->set("section", s.section);
        x->set("heading", s.heading);
        refs->add(x);
    }
    o->set("refers_to", refs);
    o->set("see_also", strings_json(r.see_also));
    Array::Ptr entities = new Array;
    for (const auto& e : r.entities) {
        Object::Ptr x = new Object;
        x->set("type", e.type);
        x->set("key", e.key);
        x->set("surface", e.surface);
        entities->add(x);
    }
    o->set("entities", entities);
    return o;
}

Poco::JSON::Object::Ptr to_json(const std::vector<RegistryEntry>& entries) {
    Array::Ptr a = new Array;
    for (const auto& e : entries) {
        Object::Ptr x = new Object;
        x->set("type", e.type);
        x->set("key", e.key);
        if (!e.name.empty()) x->set("name", e.name);
        if (!e.organization.empty()) x->set("organization", e.organization);
        if (!e.host.empty()) x->set("host", e.host);
        if (!e.parent.empty()) x->set("parent", e.parent);
        x->set("mentions", e.mentions);
        x->set("passages", e.passages);
        x->set("documents", e.documents);
        a->add(x);
    }
    Object::Ptr o = new Object;
    o->set("entities", a);
    return o;
}

std::string to_text(const MissionReport& r) {
    std::ostringstream out;
    out << r.key << ": " << r.expansion << "\n  organization: " << r.organization
        << "\n  host: " << (r.host.empty() ? "-" : r.host) << "\n";
    if (!r.aliases.empty()) {
        out << "  also called:";
        for (const auto& a : r.aliases) out << " \"" << a << "\"";
        out << "\n";
    }
    out << "categories: " << counts_line(r.categories) << "\nco-mentioned missions: " << counts_line(r.co_missions)
        << "\nyears: " << counts_line(r.years) << "\nmentions:\n";
    passages_text(out, r.mentions);
    return out.str();
}

std::string to_text(const CategoryReport& r) {
    std::ostringstream out;
    out << r.id << (r.label.empty() ? "" : ": " + r.label) << "\n";
    if (!r.scope.empty()) out << "  " << r.scope << "\n";
    out << "related:\n";
    for (const auto& rel : r.related)
        out << "  " << rel.id << "  arrows to: " << rel.arrows_to.size() << ", arrows from: " << rel.arrows_from.size()
            << ", co-tagged passages: " << rel.co_occurrences << (rel.in_taxonomy ? ", in taxonomy" : "") << "\n";
    out << "missions: " << counts_line(r.missions) << "\ntop passages:\n";
    passages_text(out, r.top_passages);
    return out.str();
}

std::string to_text(const AcronymReport& r) {
    std::ostringstream out;
    out << r.acronym << "\n";
    for (const auto& d : r.definitions) {
        out << "  " << d.expansion << "\n";
        for (std::size_t i = 0; i < d.documents.size(); ++i)
            out << "    " << d.documents[i] << " (" << d.sources[i] << ")\n";
    }
    return out.str();
}

std::string to_text(const PassageReport& r) {
    std::ostringstream out;
    out << r.passage.id << "  [" << r.passage.section << "]\n  " << r.passage.text << "\n";
    if (!r.footnote_number.empty()) out << "footnote " << r.footnote_number << "\n";
    auto list = [&](const char* title, const std::vector<PassageRef>& ps) {
        if (ps.empty()) return;
        out << title << ":\n";
        for (const auto& p : ps) out << "  " << p.id << "  " << p.text << "\n";
    };
    list("cites", r.cites);
    list("cited by", r.cited_by);
    for (const auto& s : r.refers_to)
        out << "refers to: " << s.label << " -> " << (s.section >= 0 ? s.heading : "(unresolved)") << "\n";
    for (const auto& c : r.see_also) out << "see also: " << c << "\n";
    for (const auto& e : r.entities) out << e.type << ": " << e.key << " (\"" << e.surface << "\")\n";
    return out.str();
}

std::string to_text(const std::vector<RegistryEntry>& entries) {
    std::ostringstream out;
    for (const auto& e : entries) {
        out << e.type << "\t" << e.key << "\t" << e.mentions << " mentions, " << e.passages << " passages, "
            << e.documents << " documents";
        if (!e.organization.empty()) out << "\t" << e.organization;
        if (!e.host.empty()) out << "\t" << e.host;
        if (!e.parent.empty()) out << "\tpart of " << e.parent;
        if (!e.name.empty()) out << "\t" << e.name;
        out << "\n";
    }
    return out.str();
}

}  // namespace mandala::search
