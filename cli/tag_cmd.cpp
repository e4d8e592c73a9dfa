// `mandala tag "some text" [--section TITLE] [--taxonomy DIR] [--json]`: the categories of a
// passage with their scores and the evidence that fired (terms, and per sentence its offsets,
// score and terms), plus the near misses: categories that fell just below the threshold.
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

Poco::JSON::Array::Ptr strings(const std::vector<std::string>& items) {
    Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
    for (const auto& item : items) out->add(item);
    return out;
}

// The sentences that spoke for a tag, with their offsets, text, score and the terms that fired.
Poco::JSON::Array::Ptr sentences_json(const std::vector<taxonomy::SentenceEvidence>& sentences, std::string_view text) {
    Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
    for (const auto& s : sentences) {
        Poco::JSON::Object::Ptr j = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        j->set("begin", s.begin);
        j->set("end", s.end);
        j->set("text", std::string(text.substr(s.begin, s.end - s.begin)));
        j->set("score", s.score);
        j->set("model_share", s.model_share);
        j->set("terms", strings(s.terms));
        out->add(j);
    }
    return out;
}

Poco::JSON::Array::Ptr tags_json(const std::vector<taxonomy::Tag>& tags, std::string_view text) {
    Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
    for (const auto& tag : tags) {
        Poco::JSON::Object::Ptr j = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        j->set("category", tag.category);
        j->set("score", tag.score);
        j->set("model_share", tag.model_share);
        j->set("evidence", strings(tag.evidence));
        j->set("sentences", sentences_json(tag.sentences, text));
        out->add(j);
    }
    return out;
}

Poco::JSON::Object::Ptr to_json(const taxonomy::Tagging& t, std::string_view text, double threshold) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("primary", t.primary.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(t.primary));
    o->set("threshold", threshold);
    o->set("tags", tags_json(t.tags, text));
    o->set("near_misses", tags_json(t.near_misses, text));
    return o;
}

void print_near_misses(const taxonomy::Tagging& t) {
    for (const auto& tag : t.near_misses) {
        std::string evidence;
        for (const auto& e : tag.evidence) evidence += (evidence.empty() ? "" : ", ") + e;
        std::printf("near miss: %-36s score %.2f  evidence: %s\n", tag.category.c_str(), tag.score,
                    evidence.empty() ? "(statistical model only)" : evidence.c_str());
    }
}

void print_text(const taxonomy::Tagging& t, const taxonomy::Taxonomy& tax) {
    if (t.tags.empty()) std::cout << "no category\n";
    for (const auto& tag : t.tags) {
        const auto* c = tax.find(tag.category);
        std::printf("%-36s score %.2f  (model share %.2f)%s\n", tag.category.c_str(), tag.score, tag.model_share,
                    tag.category == t.primary ? "  primary" : "");
        if (c) std::printf("  %s\n", c->pref_label.c_str());
        std::string evidence;
        for (const auto& e : tag.evidence) evidence += (evidence.empty() ? "" : ", ") + e;
        std::printf("  evidence: %s\n", evidence.empty() ? "(statistical model only)" : evidence.c_str());
    }
    print_near_misses(t);
}

}  // namespace

int run_tag(const Arguments& argv, const Config&) {
    Args args(argv, {"--section", "--taxonomy"}, {"--json"});
    if (args.positionals().empty()) {
        std::cerr << "usage: mandala tag \"passage text\" [--section TITLE] [--taxonomy DIR] [--json]\n";
        return 2;
    }
    taxonomy::TaxonomyTagger tagger(args.value("--taxonomy", taxonomy::default_taxonomy_dir().string()));
    const std::string text = joined(args.positionals());
    auto tagging = tagger.tag(text, args.value("--section"));
    if (args.has("--json")) {
        to_json(tagging, text, tagger.model().calibration.threshold)->stringify(std::cout);
        std::cout << "\n";
    } else {
        print_text(tagging, tagger.taxonomy());
    }
    return 0;
}

}  // namespace mandala::cli
