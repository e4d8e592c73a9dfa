// `mandala export --format jsonl`: one passage per line, schema documented in docs/export.md.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <iostream>

#include "cli/args.h"
#include "cli/commands.h"
#include "indexer/store.h"

namespace mandala::cli {
namespace {

Poco::JSON::Array::Ptr strings(const std::vector<std::string>& v) {
    Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
    for (const auto& s : v) a->add(s);
    return a;
}

Poco::JSON::Object passage_json(const indexer::StoredPassage& p) {
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("id", p.id);
    o.set("doc", p.doc);
    o.set("source", p.source);
    o.set("title", p.title);
    o.set("section", strings(p.section));
    o.set("section_kind", p.section_kind);
    o.set("kind", p.kind);
    o.set("text", p.text);
    o.set("page", p.page);
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

int run_export(const Arguments& argv) {
    Args args(argv, {"--db", "--format"}, {});
    const std::string format = args.value("--format", "jsonl");
    if (format != "jsonl") throw UsageError("unknown export format '" + format + "' (supported: jsonl)");
    for (const auto& p : indexer::load_passages(db_dir(args))) {
        passage_json(p).stringify(std::cout);
        std::cout << '\n';
    }
    return 0;
}

}  // namespace mandala::cli
