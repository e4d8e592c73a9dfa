// `mandala tag "some text" [--section TITLE] [--taxonomy DIR] [--json]`: the categories of a
// passage with their scores and the evidence that fired, as the indexer would store them.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdio>
#include <iostream>

#include "cli/args.h"
#include "cli/commands.h"
#include "taxonomy/tagger.h"

namespace mandala::cli {
namespace {

std::string joined(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
    return out;
}

Poco::JSON::Object::Ptr to_json(const taxonomy::Tagging& t) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("primary", t.primary.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(t.primary));
    Poco::JSON::Array::Ptr tags = new Poco::JSON::Array;
    for (const auto& tag : t.tags) {
        Poco::JSON::Object::Ptr j = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        j->set("category", tag.category);
        j->set("score", tag.score);
        j->set("model_share", tag.model_share);
        Poco::JSON::Array::Ptr evidence = new Poco::JSON::Array;
        for (const auto& e : tag.evidence) evidence->add(e);
        j->set("evidence", evidence);
        tags->add(j);
    }
    o->set("tags", tags);
    return o;
}

void print_text(const taxonomy::Tagging& t, const taxonomy::Taxonomy& tax) {
    if (t.tags.empty()) {
        std::cout << "no category\n";
        return;
    }
    for (const auto& tag : t.tags) {
        const auto* c = tax.find(tag.category);
        std::printf("%-36s score %.2f  (model share %.2f)%s\n", tag.category.c_str(), tag.score, tag.model_share,
                    tag.category == t.primary ? "  primary" : "");
        if (c) std::printf("  %s\n", c->pref_label.c_str());
        std::string evidence;
        for (const auto& e : tag.evidence) evidence += (evidence.empty() ? "" : ", ") + e;
        std::printf("  evidence: %s\n", evidence.empty() ? "(statistical model only)" : evidence.c_str());
    }
}

}  // namespace

int run_tag(const Arguments& argv) {
    Args args(argv, {"--section", "--taxonomy"}, {"--json"});
    if (args.positionals().empty()) {
        std::cerr << "usage: mandala tag \"passage text\" [--section TITLE] [--taxonomy DIR] [--json]\n";
        return 2;
    }
    taxonomy::TaxonomyTagger tagger(args.value("--taxonomy", taxonomy::default_taxonomy_dir().string()));
    auto tagging = tagger.tag(joined(args.positionals()), args.value("--section"));
    if (args.has("--json")) {
        to_json(tagging)->stringify(std::cout);
        std::cout << "\n";
    } else {
        print_text(tagging, tagger.taxonomy());
    }
    return 0;
}

}  // namespace mandala::cli
