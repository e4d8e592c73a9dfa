#include "search/xref.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "catalog/paths.h"
#include "catalog/reader.h"
#include "catalog/sqlite.h"
#include "text/errors.h"
#include "text/unicode.h"

namespace mandala::search {

namespace fs = std::filesystem;
using catalog::Connection;
using catalog::Statement;

namespace {

constexpr std::size_t kExcerptBytes = 200;
constexpr std::size_t kTopPerDocument = 3;
constexpr int kListLimit = 20;

Connection open_catalog(const fs::path& db_dir) {
    catalog::check_index(db_dir);
    return Connection(catalog::catalog_path(db_dir), Connection::Mode::read_only);
}

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

// What a statement's fifth column holds, after (id, doc, section heading, text).
enum class Extra { none, score, mention_at };

// Passages with their section heading, from a statement whose columns are
// (id, doc, section heading, text[, score | byte offset of a mention in the text]).
std::vector<PassageRef> passages_of(Statement& st, Extra extra = Extra::none) {
    std::vector<PassageRef> out;
    while (st.step()) {
        const auto at = extra == Extra::mention_at ? static_cast<std::size_t>(st.integer(4)) : 0;
        PassageRef p{st.text(0), st.text(1), st.text(2), excerpt(st.text(3), at)};
        if (extra == Extra::score) p.score = st.real(4);
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

std::vector<KeyCount> key_counts(Statement& st) {
    std::vector<KeyCount> out;
    while (st.step()) out.push_back({st.text(0), static_cast<std::size_t>(st.integer(1))});
    return out;
}

std::vector<std::string> json_strings(const std::string& json) {
    std::vector<std::string> out;
    if (json.empty()) return out;
    auto array = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < array->size(); ++i) out.push_back(array->getElement<std::string>(i));
    return out;
}

constexpr const char* kPassageColumns =
    "p.id, p.doc, COALESCE(s.heading, ''), p.text FROM passages p "
    "LEFT JOIN sections s ON s.doc = p.doc AND s.id = p.section ";

// ---- missions -------------------------------------------------------------------------------

// The registry row whose key or alias is `wanted`, compared case-insensitively.
bool find_mission(Connection& db, const std::string& wanted, MissionReport& r) {
    Statement st = db.prepare("SELECT key, expansion, organization, host, aliases_json FROM missions");
    std::string folded = text::fold(wanted);
    while (st.step()) {
        auto aliases = json_strings(st.text(4));
        bool named = text::fold(st.text(0)) == folded ||
                     std::any_of(aliases.begin(), aliases.end(), [&](const std::string& a) { return text::fold(a) == folded; });
        if (!named) continue;
        r.key = st.text(0);
        r.expansion = st.text(1);
        r.organization = st.text(2);
        r.host = st.text(3);
        r.aliases = std::move(aliases);
        return true;
    }
    return false;
}

constexpr const char* kMissionPassages =
    "(SELECT DISTINCT passage_id FROM entities WHERE type = 'mission' AND key = ?1)";

std::vector<KeyCount> counts_beside_mission(Connection& db, const std::string& key, const std::string& type) {
    Statement st = db.prepare(std::string("SELECT key, COUNT(DISTINCT passage_id) FROM entities WHERE type = ?2 "
                                          "AND key != ?1 AND passage_id IN ") + kMissionPassages +
                              " GROUP BY key ORDER BY 2 DESC, key LIMIT " + std::to_string(kListLimit));
    st.bind(1, key).bind(2, type);
    return key_counts(st);
}

}  // namespace

MissionReport xref_mission(const fs::path& db_dir, const std::string& key) {
    Connection db = open_catalog(db_dir);
    MissionReport r;
    if (!find_mission(db, key, r))
        throw NotFound("no mission '" + key + "' in the index (list them with: mandala entities --type mission)");
    // Each passage once, its excerpt around the first mention of the mission (from its start when
    // the mention is in its section heading or a furniture line before it).
    Statement mentions = db.prepare(std::string("SELECT p.id, p.doc, COALESCE(s.heading, ''), p.text, m.at FROM ") +
                                    "(SELECT passage_id, MIN(CASE WHEN detail IN ('title', 'heading', 'furniture') THEN 0 ELSE begin END) AS at FROM entities "
                                    "WHERE type = 'mission' AND "
                                    "key = ?1 GROUP BY passage_id) m JOIN passages p ON p.id = m.passage_id "
                                    "LEFT JOIN sections s ON s.doc = p.doc AND s.id = p.section ORDER BY p.doc, p.ordinal");
    mentions.bind(1, r.key);
    r.mentions = group_by_document(passages_of(mentions, Extra::mention_at), SIZE_MAX);
    Statement categories = db.prepare(std::string("SELECT category, COUNT(DISTINCT passage_id) FROM tags WHERE "
                                                  "passage_id IN ") + kMissionPassages +
                                      " GROUP BY category ORDER BY 2 DESC, category");
    categories.bind(1, r.key);
    r.categories = key_counts(categories);
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
    Statement out = db.prepare("SELECT target, evidence FROM xrefs WHERE kind = 'see-also' AND from_category = ?");
    out.bind(1, id);
    while (out.step()) related_entry(related, out.text(0)).arrows_to.push_back(out.text(1));
    Statement in = db.prepare("SELECT from_category, evidence FROM xrefs WHERE kind = 'see-also' AND target = ? "
                              "AND from_category != ''");
    in.bind(1, id);
    while (in.step()) related_entry(related, in.text(0)).arrows_from.push_back(in.text(1));
}

void add_co_occurrences(Connection& db, const std::string& id, std::vector<RelatedCategory>& related) {
    Statement st = db.prepare("SELECT b.category, COUNT(DISTINCT a.passage_id) FROM tags a JOIN tags b "
                              "ON b.passage_id = a.passage_id AND b.category != a.category WHERE a.category = ? "
                              "GROUP BY b.category");
    st.bind(1, id);
    while (st.step()) related_entry(related, st.text(0)).co_occurrences = static_cast<std::size_t>(st.integer(1));
}

bool category_in_index(Connection& db, const std::string& id) {
    Statement st = db.prepare("SELECT 1 FROM tags WHERE category = ?1 UNION SELECT 1 FROM xrefs WHERE kind = "
                              "'see-also' AND (target = ?1 OR from_category = ?1) LIMIT 1");
    st.bind(1, id);
    return st.step();
}

}  // namespace

CategoryReport xref_category(const fs::path& db_dir, const std::string& id, const fs::path& taxonomy_json) {
    Connection db = open_catalog(db_dir);
    TaxonomyEntry entry = taxonomy_entry(taxonomy_json, id);
    if (!entry.found && !category_in_index(db, id))
        throw NotFound("no task category '" + id + "' (ids are those of taxonomy/task-categories.json, e.g. rule-of-law)");
    CategoryReport r{id, entry.label, entry.scope, {}, {}, {}};
    add_arrows(db, id, r.related);
    add_co_occurrences(db, id, r.related);
    for (const auto& rel : entry.related) related_entry(r.related, rel).in_taxonomy = true;
    std::stable_sort(r.related.begin(), r.related.end(), [](const RelatedCategory& a, const RelatedCategory& b) {
        auto arrows = [](const RelatedCategory& x) { return x.arrows_to.size() + x.arrows_from.size(); };
        return arrows(a) != arrows(b) ? arrows(a) > arrows(b) : a.co_occurrences > b.co_occurrences;
    });
    Statement missions = db.prepare("SELECT e.key, COUNT(DISTINCT e.passage_id) FROM entities e JOIN tags t ON "
                                    "t.passage_id = e.passage_id WHERE t.category = ? AND e.type = 'mission' "
                                    "GROUP BY e.key ORDER BY 2 DESC, e.key LIMIT " + std::to_string(kListLimit));
    missions.bind(1, id);
    r.missions = key_counts(missions);
    Statement ranked = db.prepare("SELECT p.id, p.doc, COALESCE(s.heading, ''), p.text, t.score FROM passages p "
                                  "JOIN tags t ON t.passage_id = p.id LEFT JOIN sections s ON s.doc = p.doc AND "
                                  "s.id = p.section WHERE t.category = ? ORDER BY p.doc, t.score DESC, p.ordinal");
    ranked.bind(1, id);
    r.top_passages = group_by_document(passages_of(ranked, Extra::score), kTopPerDocument);
    return r;
}

// ---- acronyms -------------------------------------------------------------------------------

AcronymReport xref_acronym(const fs::path& db_dir, const std::string& acronym) {
    Connection db = open_catalog(db_dir);
    AcronymReport r{acronym, {}};
    // Exact spelling first ("PoC"), any case when nothing matches exactly.
    for (const char* sql : {"SELECT acronym, expansion, doc, source FROM acronyms WHERE acronym = ? ORDER BY doc",
                            "SELECT acronym, expansion, doc, source FROM acronyms WHERE acronym = ? COLLATE NOCASE "
                            "ORDER BY doc"}) {
        Statement st = db.prepare(sql);
        st.bind(1, acronym);
        while (st.step()) {
            r.acronym = st.text(0);
            std::string folded = text::fold(st.text(1));
            auto it = std::find_if(r.definitions.begin(), r.definitions.end(),
                                   [&](const AcronymDefinition& d) { return text::fold(d.expansion) == folded; });
            if (it == r.definitions.end()) it = r.definitions.insert(r.definitions.end(), {st.text(1), {}, {}});
            if (std::find(it->documents.begin(), it->documents.end(), st.text(2)) == it->documents.end()) {
                it->documents.push_back(st.text(2));
                it->sources.push_back(st.text(3));
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
    Statement one = db.prepare("SELECT p.id, p.doc, COALESCE(s.heading, ''), p.text, COALESCE(p.footnote_number, '') "
                               "FROM passages p LEFT JOIN sections s ON s.doc = p.doc AND s.id = p.section "
                               "WHERE p.id = ?");
    one.bind(1, passage_id);
    if (!one.step()) throw NotFound("no passage '" + passage_id + "' (ids look like doc#12)");
    r.passage = {one.text(0), one.text(1), one.text(2), one.text(3)};
    r.footnote_number = one.text(4);

    Statement cited = db.prepare("SELECT p.id, p.doc, COALESCE(s.heading, ''), p.text FROM xrefs x JOIN passages p "
                                 "ON p.id = x.target_passage LEFT JOIN sections s ON s.doc = p.doc AND s.id = p.section "
                                 "WHERE x.passage_id = ? AND x.kind = 'footnote' ORDER BY p.ordinal");
    cited.bind(1, passage_id);
    r.cites = passages_of(cited);
    Statement citing = db.prepare("SELECT p.id, p.doc, COALESCE(s.heading, ''), p.text FROM xrefs x JOIN passages p "
                                  "ON p.id = x.passage_id LEFT JOIN sections s ON s.doc = p.doc AND s.id = p.section "
                                  "WHERE x.target_passage = ? AND x.kind = 'footnote' ORDER BY p.ordinal");
    citing.bind(1, passage_id);
    r.cited_by = passages_of(citing);

    Statement internal = db.prepare("SELECT x.target, x.target_section, COALESCE(s.heading, '') FROM xrefs x "
                                    "LEFT JOIN sections s ON s.doc = x.doc AND s.id = x.target_section "
                                    "WHERE x.passage_id = ? AND x.kind = 'internal'");
    internal.bind(1, passage_id);
    while (internal.step())
        r.refers_to.push_back({internal.text(0), static_cast<int>(internal.integer(1)), internal.text(2)});
    Statement arrows = db.prepare("SELECT target FROM xrefs WHERE passage_id = ? AND kind = 'see-also'");
    arrows.bind(1, passage_id);
    while (arrows.step()) r.see_also.push_back(arrows.text(0));
    Statement entities = db.prepare("SELECT type, key, surface FROM entities WHERE passage_id = ? ORDER BY begin");
    entities.bind(1, passage_id);
    while (entities.step()) r.entities.push_back({entities.text(0), entities.text(1), entities.text(2)});
    return r;
}

// ---- registry -------------------------------------------------------------------------------

namespace {

struct Counts {
    std::size_t mentions = 0, passages = 0, documents = 0;
};

std::map<std::pair<std::string, std::string>, Counts> mention_counts(Connection& db, const std::string& type) {
    std::map<std::pair<std::string, std::string>, Counts> out;
    Statement st = db.prepare("SELECT type, key, COUNT(*), COUNT(DISTINCT passage_id), COUNT(DISTINCT doc) "
                              "FROM entities WHERE ?1 = '' OR type = ?1 GROUP BY type, key");
    st.bind(1, type);
    while (st.step())
        out[{st.text(0), st.text(1)}] = {static_cast<std::size_t>(st.integer(2)),
                                         static_cast<std::size_t>(st.integer(3)),
                                         static_cast<std::size_t>(st.integer(4))};
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
    auto counts = mention_counts(db, type);
    std::vector<RegistryEntry> out;
    if (type.empty() || type == "mission") {
        Statement st = db.prepare("SELECT key, expansion, organization, host FROM missions ORDER BY key");
        while (st.step()) {
            RegistryEntry e{"mission", st.text(0), st.text(1), st.text(2), st.text(3), ""};
            take_counts(e, counts);
            out.push_back(std::move(e));
        }
    }
    if (type.empty() || type == "organization") {
        Statement st = db.prepare("SELECT key, name, parent FROM organizations ORDER BY key");
        while (st.step()) {
            RegistryEntry e{"organization", st.text(0), st.text(1), "", "", st.text(2)};
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
