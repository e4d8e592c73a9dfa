// `mandala export --format jsonl`: one passage per line, schema documented in docs/export.md.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <iostream>
#include <map>
#include <set>

#include "catalog/passage_record.h"
#include "catalog/reader.h"
#include "cli/args.h"
#include "cli/commands.h"

namespace mandala::cli {
namespace {

Poco::JSON::Array::Ptr strings(const std::vector<std::string>& v) {
    Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
    for (const auto& s : v) a->add(s);
    return a;
}

// The entities of a passage by kind, each with its offsets in the passage's text.
Poco::JSON::Object::Ptr entities_json(const std::vector<catalog::EntityMention>& mentions) {
    static const std::pair<const char*, const char*> kKinds[] = {
        {"mission", "missions"}, {"organization", "organizations"}, {"place", "places"},
        {"year", "years"}, {"resolution", "resolutions"}};
    Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& [type, name] : kKinds) {
        Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
        for (const auto& m : mentions) {
            if (m.type != type) continue;
            Poco::JSON::Object::Ptr e = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
            e->set("key", m.key);
            e->set("text", m.surface);
            e->set("begin", m.begin);
            e->set("end", m.end);
            if (m.type == "resolution" && !m.detail.empty()) e->set("year", std::stoi(m.detail));
            const bool in_line = catalog::named_outside_passage(m);
            if (m.type == "mission" && in_line) e->set("in", m.detail);  // offsets in that line
            else if (m.type == "mission" && !m.detail.empty()) e->set("resolved", m.detail);
            list->add(e);
        }
        out->set(name, list);
    }
    return out;
}

Poco::JSON::Array::Ptr mentioned_years(const std::vector<catalog::EntityMention>& mentions) {
    std::set<int> years;
    for (const auto& m : mentions)
        if (m.type == "year") years.insert(std::stoi(m.key));
    Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
    for (int y : years) a->add(y);
    return a;
}

// What a passage shares with its document: the document's date and year (null when unknown).
struct DocumentDates {
    std::map<std::string, std::string> dates;
    std::map<std::string, int> years;
};

Poco::JSON::Object passage_json(const catalog::StoredPassage& p, const DocumentDates& documents,
                                const std::vector<catalog::EntityMention>& mentions) {
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    catalog::set_passage_fields(o, p, true);
    auto date = documents.dates.find(p.doc);
    auto year = documents.years.find(p.doc);
    o.set("date", date == documents.dates.end() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(date->second));
    o.set("year", year == documents.years.end() || year->second == 0 ? Poco::Dynamic::Var() : Poco::Dynamic::Var(year->second));
    o.set("mentioned_years", mentioned_years(mentions));
    o.set("entities", entities_json(mentions));
    Poco::JSON::Array::Ptr tags = new Poco::JSON::Array;
    for (const auto& t : p.tags) {
        Poco::JSON::Object::Ptr tag = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        tag->set("category", t.category);
        tag->set("score", t.score);
        tag->set("evidence", strings(t.evidence));
        tags->add(tag);
    }
    o.set("tags", tags);
    o.set("primary", p.primary.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(p.primary));
    return o;
}

}  // namespace

int run_export(const Arguments& argv, const Config& config) {
    Args args(argv, {"--db", "--format"}, {});
    const std::string format = args.value("--format", "jsonl");
    if (format != "jsonl") throw UsageError("unknown export format '" + format + "' (supported: jsonl)");
    const std::string db = db_dir(args, config);
    DocumentDates documents{catalog::load_document_dates(db), {}};
    for (const auto& d : catalog::load_documents(db)) documents.years[d.id] = d.year;
    const auto entities = catalog::load_passage_entities(db);
    const std::vector<catalog::EntityMention> none;
    for (const auto& p : catalog::load_passages(db)) {
        auto found = entities.find(p.id);
        passage_json(p, documents, found == entities.end() ? none : found->second).stringify(std::cout);
        std::cout << '\n';
    }
    return 0;
}

}  // namespace mandala::cli
