// EntityExtractor: one pass over each passage's word tokens with the phrase matchers of the
// registry and gazetteer, then the hand-written scanners for numbers and cross-references.
#include <algorithm>
#include <ctime>
#include <map>
#include <set>
#include <stdexcept>

#include "indexer/extract/entities.h"
#include "indexer/extract/mission_mentions.h"
#include "indexer/extract/phrases.h"
#include "indexer/extract/scanners.h"
#include "indexer/extract/xrefs.h"
#include "text/unicode.h"

namespace mandala::indexer {

using extract::PhraseHit;
using extract::PhraseMatcher;

namespace {

int current_year() {
    std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    return utc.tm_year + 1900;
}

std::size_t word_count(const std::string& s) {
    return static_cast<std::size_t>(std::count(s.begin(), s.end(), ' ')) + 1;
}

// Short acronym-like names ("SMM", "EULEX Kosovo") must match as written; longer names folded.
bool match_as_written(const std::string& name) {
    return extract::looks_like_acronym(name.substr(0, name.find(' '))) && word_count(name) <= 2;
}

bool is_all_caps_word(std::string_view s) {
    bool letters = false;
    for (char c : s) {
        if (c >= 'a' && c <= 'z') return false;
        letters |= (c >= 'A' && c <= 'Z');
    }
    return letters && s.size() >= 2;
}

std::string in_capitals(std::string s) {
    for (char& c : s)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return s;
}

// At least four words, the first two capitalized ("Interim Force in Lebanon", not "Mission in Mali").
bool specific_name(const std::string& name) {
    std::vector<std::string_view> words;
    for (std::size_t i = 0; i < name.size();) {
        std::size_t j = std::min(name.find(' ', i), name.size());
        words.emplace_back(name.data() + i, j - i);
        i = j + 1;
    }
    auto capitalized = [](std::string_view w) { return !w.empty() && w[0] >= 'A' && w[0] <= 'Z'; };
    return words.size() >= 4 && capitalized(words[0]) && capitalized(words[1]);
}

EntityMention mention_of(const std::string& type, const std::string& key, const std::string& text,
                         std::size_t begin, std::size_t end) {
    return {0, type, key, text.substr(begin, end - begin), begin, end, {}};
}

}  // namespace

struct EntityExtractor::Impl {
    const EntityRegistry& registry;
    text::Analyzer analyzer;  // used only while building the matchers
    PhraseMatcher missions, organizations, places;
    std::vector<std::vector<std::size_t>> mission_groups;  // payload of `missions` -> mission indexes
    extract::CategoryMatcher categories;
    std::vector<std::string> place_keys;
    int last_year = current_year() + 1;  // a mandate running into next year names it

    Impl(const EntityRegistry& r, const Gazetteer& g) : registry(r) {
        add_missions();
        add_organizations();
        add_places(g);
        add_categories(g);
    }

    void add_missions() {
        std::map<std::pair<bool, std::string>, int> group_of;  // (as written?, phrase) -> group
        auto add = [&](const std::string& phrase, bool as_written, std::size_t mission) {
            auto [it, added] = group_of.emplace(std::make_pair(as_written, phrase), static_cast<int>(mission_groups.size()));
            if (added) {
                mission_groups.push_back({});
                missions.add(phrase, it->second, as_written, analyzer);
            }
            auto& group = mission_groups[static_cast<std::size_t>(it->second)];
            if (std::find(group.begin(), group.end(), mission) == group.end()) group.push_back(mission);
        };
        for (std::size_t i = 0; i < registry.missions.size(); ++i) {
            const Mission& m = registry.missions[i];
            add(m.key, true, i);
            if (auto caps = in_capitals(m.key); caps != m.key) add(caps, true, i);
            for (const auto& alias : m.aliases) {
                add(alias, match_as_written(alias), i);
                // "EUFOR ALTHEA": a short name written as written, or all in capitals.
                if (auto caps = in_capitals(alias); match_as_written(alias) && caps != alias) add(caps, true, i);
                if (auto bare = without_owner(alias); !bare.empty()) add(bare, true, i);
            }
        }
    }

    // "Integrated Transition Assistance Mission in Sudan" without its "United Nations": only as
    // written, and only when what is left still names one operation (two capitalized words
    // before the head), so that "mission in Sudan" in a sentence stays a description.
    std::string without_owner(const std::string& name) const {
        for (const auto& o : registry.organizations) {
            if (!o.deploys_missions) continue;
            for (const std::string& owner : {o.name, o.key}) {
                if (owner.empty() || !name.starts_with(owner + " ")) continue;
                std::string rest = name.substr(owner.size() + 1);
                return specific_name(rest) ? rest : std::string();
            }
        }
        return {};
    }

    void add_organizations() {
        for (std::size_t i = 0; i < registry.organizations.size(); ++i) {
            const Organization& o = registry.organizations[i];
            int payload = static_cast<int>(i);
            organizations.add(o.key, payload, true, analyzer);
            organizations.add(o.name, payload, false, analyzer);
            for (const auto& a : o.aliases) organizations.add(a, payload, match_as_written(a), analyzer);
        }
    }

    void add_places(const Gazetteer& g) {
        for (std::size_t i = 0; i < g.places.size(); ++i) {
            const Place& p = g.places[i];
            int payload = static_cast<int>(i);
            place_keys.push_back(p.key);
            places.add(p.name, payload, false, analyzer);
            for (const auto& v : p.variants) places.add(v, payload, extract::looks_like_acronym(v), analyzer);
        }
    }

    void add_categories(const Gazetteer& g) {
        for (const auto& c : g.categories) {
            int payload = static_cast<int>(categories.ids.size());
            categories.ids.push_back(c.id);
            for (const auto& label : c.labels)
                if (!extract::looks_like_acronym(label)) categories.labels.add(label, payload, false, analyzer);
        }
    }

    void extract(SegmentedDocument& doc, const std::vector<std::vector<text::Token>>& tokens) const;

    std::vector<std::vector<EntityMention>> find_places(const SegmentedDocument& doc,
                                                        const std::vector<std::vector<text::Token>>& tokens) const;
    std::vector<std::vector<EntityMention>> find_missions(SegmentedDocument& doc,
                                                          const std::vector<std::vector<text::Token>>& tokens) const;
};

namespace {

struct PassageContext {
    const std::string& text;
    const std::vector<text::Token>& tokens;
    const std::vector<std::string>& keys;  // token keys, computed once for every matcher
    std::vector<EntityMention>& out;
};

std::size_t begin_of(const PassageContext& c, const PhraseHit& h) { return c.tokens[h.first].begin; }
std::size_t end_of(const PassageContext& c, const PhraseHit& h) { return c.tokens[h.last - 1].end; }

// "WHO" the organization, not the word in an all-caps heading ("WHO WE ARE").
bool in_all_caps_run(const PassageContext& c, const PhraseHit& h) {
    auto caps = [&](std::size_t i) { return is_all_caps_word(extract::bare_surface(c.text, c.tokens[i])); };
    return (h.first > 0 && caps(h.first - 1)) || (h.last < c.tokens.size() && caps(h.last));
}

void add_organization_mentions(const PassageContext& c, const PhraseMatcher& matcher, const EntityRegistry& registry) {
    for (const auto& h : matcher.match(c.tokens, c.keys, c.text)) {
        const Organization& o = registry.organizations[static_cast<std::size_t>(h.payload)];
        if (o.ambiguous && in_all_caps_run(c, h)) continue;
        c.out.push_back(mention_of("organization", o.key, c.text, begin_of(c, h), end_of(c, h)));
    }
}

void add_keyed_mentions(const PassageContext& c, const PhraseMatcher& matcher, const std::vector<std::string>& keys,
                        const std::string& type) {
    for (const auto& h : matcher.match(c.tokens, c.keys, c.text))
        c.out.push_back(mention_of(type, keys[static_cast<std::size_t>(h.payload)], c.text, begin_of(c, h), end_of(c, h)));
}

void add_number_mentions(const PassageContext& c, int last_year) {
    std::vector<extract::ByteRange> excluded;
    auto resolutions = extract::find_resolutions(c.text, c.tokens, excluded);
    auto symbols = extract::find_document_symbols(c.text);
    for (const auto& s : symbols) excluded.push_back({s.begin, s.end});
    auto years = extract::find_years(c.text, c.tokens, excluded, last_year);
    for (auto* found : {&resolutions, &symbols, &years}) c.out.insert(c.out.end(), found->begin(), found->end());
}

void append_inline_acronyms(SegmentedDocument& doc) { doc.acronyms = document_acronyms(doc); }

// Acronyms the document defines that are not already missions or organizations.
std::vector<std::string> plain_acronyms(const SegmentedDocument& doc, const EntityRegistry& registry) {
    std::vector<std::string> keys;
    for (const auto& a : doc.acronyms) {
        if (registry.mission(a.acronym) || registry.organization(a.acronym)) continue;
        if (std::find(keys.begin(), keys.end(), a.acronym) == keys.end()) keys.push_back(a.acronym);
    }
    return keys;
}

// The category of each section: its own title for a glossary entry, else its nearest ancestor's.
std::vector<std::string> section_categories(const SegmentedDocument& doc, const extract::CategoryMatcher& categories,
                                            const text::Analyzer& analyzer) {
    std::vector<std::string> by_id;
    for (const auto& s : doc.sections) {
        if (s.id < 0) continue;
        if (static_cast<std::size_t>(s.id) >= by_id.size()) by_id.resize(static_cast<std::size_t>(s.id) + 1);
        std::string category = s.kind == "glossary-entry" ? categories.category_of_title(s.title, analyzer) : "";
        if (category.empty() && s.parent >= 0 && static_cast<std::size_t>(s.parent) < by_id.size())
            category = by_id[static_cast<std::size_t>(s.parent)];
        by_id[static_cast<std::size_t>(s.id)] = category;
    }
    return by_id;
}

// Section headings and lines kept out of passages as furniture name missions too ("COUNCIL
// EXTENDS MINUSMA MANDATE" as a heading, or repeated as a headline): each such line is scanned like
// a passage, and what it names is filed under the passage that follows it, marked "heading" or
// "furniture", with offsets in the line as written. The title line names the document's missions
// too ("Council Decision ... on the EU Border Assistance Mission in Libya"), filed under the first
// passage and marked "title".
struct LinePassages {
    std::vector<Passage> passages;     // one pseudo-passage per line, its text as written
    std::vector<std::size_t> owners;   // the real passage each line's mentions go to
    std::vector<const char*> details;  // "title", "heading" or "furniture"
};

std::string written_heading(const SegmentedDocument& doc, const Section& s) {
    if (s.end > s.begin && s.end <= doc.text.size()) return doc.text.substr(s.begin, s.end - s.begin);
    return s.heading;  // a document read back from an index has no ranges
}

// The first line of a titled document is its title (a text file's title line, a Markdown "# ").
bool is_title_line(const SegmentedDocument& doc, std::size_t begin) { return begin == 0 && !doc.meta.title.empty(); }

void add_line(LinePassages& out, std::string text, int section, std::size_t owner, const char* detail) {
    Passage p;
    p.section = section;
    p.text = std::move(text);
    out.passages.push_back(std::move(p));
    out.owners.push_back(owner);
    out.details.push_back(detail);
}

LinePassages line_passages(const SegmentedDocument& doc) {
    LinePassages out;
    if (!doc.meta.title.empty() && !doc.passages.empty()) add_line(out, doc.meta.title, doc.passages[0].section, 0, "title");
    std::size_t next = 0;  // passages and sections are both in document order
    for (const auto& s : doc.sections) {
        if (s.id <= 0 || s.heading.empty()) continue;
        while (next < doc.passages.size() && doc.passages[next].section < s.id) ++next;
        if (next == doc.passages.size()) break;
        std::string line = written_heading(doc, s);
        if (!is_title_line(doc, s.begin)) add_line(out, std::move(line), s.id, next, "heading");
    }
    for (const auto& u : doc.unkept) {
        if (u.next_passage < 0 || u.end <= u.begin || u.end > doc.text.size()) continue;
        const auto owner = static_cast<std::size_t>(u.next_passage);
        std::string line = doc.text.substr(u.begin, u.end - u.begin);
        if (owner < doc.passages.size() && !is_title_line(doc, u.begin))
            add_line(out, std::move(line), doc.passages[owner].section, owner, "furniture");
    }
    return out;
}

// Files the mission mentions of the lines (indexes from `first` on) under their owners' passages.
// "The Mission" in a heading stays unresolved (a heading has no sentence to refer back from), and
// so does a word one letter off an acronym: in a headline in capitals that is too often a word.
void file_line_missions(std::vector<std::vector<EntityMention>>& missions_of, std::size_t first,
                        const LinePassages& lines) {
    for (std::size_t h = 0; h < lines.owners.size(); ++h) {
        auto& owner = missions_of[lines.owners[h]];
        for (auto& m : missions_of[first + h]) {
            if (m.detail == "main-mission" || m.detail == "variant") continue;
            m.detail = lines.details[h];
            owner.insert(owner.begin(), std::move(m));
        }
    }
    missions_of.resize(first);
}

}  // namespace

namespace {

// ICU break iterators are not shared between threads; one per thread also keeps its stem cache
// warm from one document to the next.
const text::Analyzer& thread_words() {
    thread_local text::Analyzer words;
    return words;
}

}  // namespace

void EntityExtractor::Impl::extract(SegmentedDocument& doc, const std::vector<std::vector<text::Token>>& all_tokens) const {
    const text::Analyzer& words = thread_words();
    doc.entities.clear();
    doc.xrefs.clear();
    append_inline_acronyms(doc);
    auto acronym_keys = plain_acronyms(doc, registry);
    PhraseMatcher acronyms;
    for (std::size_t i = 0; i < acronym_keys.size(); ++i) acronyms.add(acronym_keys[i], static_cast<int>(i), true, words);
    auto sections = extract::index_sections(doc.sections, words);
    auto categories_of = section_categories(doc, categories, words);

    auto missions_of = find_missions(doc, all_tokens);
    auto places_of = find_places(doc, all_tokens);

    for (std::size_t p = 0; p < doc.passages.size(); ++p) {
        const Passage& passage = doc.passages[p];
        const auto& tokens = all_tokens[p];
        const auto keys = extract::token_keys(tokens);
        std::vector<EntityMention> found = std::move(missions_of[p]);
        PassageContext c{passage.text, tokens, keys, found};
        add_organization_mentions(c, organizations, registry);
        found.insert(found.end(), places_of[p].begin(), places_of[p].end());
        add_keyed_mentions(c, acronyms, acronym_keys, "acronym");
        add_number_mentions(c, last_year);
        // Mentions in lines before the passage first (their offsets are in those lines), then the text's.
        std::stable_sort(found.begin(), found.end(), [](const EntityMention& a, const EntityMention& b) {
            return std::make_pair(!named_outside_passage(a), a.begin) < std::make_pair(!named_outside_passage(b), b.begin);
        });
        for (auto& m : found) {
            m.passage = static_cast<int>(p);
            doc.entities.push_back(std::move(m));
        }

        std::string from = static_cast<std::size_t>(passage.section) < categories_of.size() && passage.section >= 0
                               ? categories_of[static_cast<std::size_t>(passage.section)] : "";
        for (auto& x : extract::find_see_also(passage.text, tokens, categories)) {
            if (x.target == from) continue;
            x.passage = static_cast<int>(p);
            x.from_category = from;
            doc.xrefs.push_back(std::move(x));
        }
        for (auto& x : extract::find_internal_references(passage.text, tokens, sections)) {
            if (x.target_section == passage.section) continue;
            x.passage = static_cast<int>(p);
            doc.xrefs.push_back(std::move(x));
        }
    }
    for (auto& x : extract::find_footnote_citations(doc)) doc.xrefs.push_back(std::move(x));
}

std::vector<std::vector<EntityMention>> EntityExtractor::Impl::find_places(
    const SegmentedDocument& doc, const std::vector<std::vector<text::Token>>& all_tokens) const {
    std::vector<std::vector<EntityMention>> out(doc.passages.size());
    for (std::size_t p = 0; p < doc.passages.size(); ++p) {
        const auto keys = extract::token_keys(all_tokens[p]);
        PassageContext c{doc.passages[p].text, all_tokens[p], keys, out[p]};
        add_keyed_mentions(c, places, place_keys, "place");
    }
    return out;
}

// Mission mentions of the passages, section headings and furniture lines, scanned together so
// that a name in a heading is resolved from the whole document and the body's from the headings'.
std::vector<std::vector<EntityMention>> EntityExtractor::Impl::find_missions(
    SegmentedDocument& doc, const std::vector<std::vector<text::Token>>& all_tokens) const {
    const std::size_t passages = doc.passages.size();
    LinePassages lines = line_passages(doc);
    std::vector<std::vector<text::Token>> tokens = all_tokens;
    for (const auto& h : lines.passages) tokens.push_back(thread_words().tokens(h.text));
    doc.passages.insert(doc.passages.end(), lines.passages.begin(), lines.passages.end());
    auto places_of = find_places(doc, tokens);
    std::vector<std::set<std::string>> place_keys_named(places_of.size());
    for (std::size_t p = 0; p < places_of.size(); ++p)
        for (const auto& m : places_of[p]) place_keys_named[p].insert(m.key);
    auto missions_of = extract::find_mission_mentions(doc, tokens, {registry, missions, mission_groups},
                                                      place_keys_named, doc.meta.year);
    doc.passages.resize(passages);
    file_line_missions(missions_of, passages, lines);
    return missions_of;
}

std::vector<AcronymPair> document_acronyms(const SegmentedDocument& doc) {
    std::vector<AcronymPair> out = doc.acronyms;
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& a : out) seen.emplace(a.acronym, text::fold(a.expansion));
    for (const auto& passage : doc.passages)
        for (auto& pair : find_inline_acronyms(passage.text))
            if (seen.emplace(pair.acronym, text::fold(pair.expansion)).second) out.push_back(std::move(pair));
    return out;
}

EntityExtractor::EntityExtractor(const EntityRegistry& registry, const Gazetteer& gazetteer)
    : impl_(std::make_unique<Impl>(registry, gazetteer)) {}

EntityExtractor::~EntityExtractor() = default;

void EntityExtractor::extract(SegmentedDocument& doc) const {
    std::vector<std::vector<text::Token>> tokens;
    tokens.reserve(doc.passages.size());
    for (const auto& p : doc.passages) tokens.push_back(thread_words().tokens(p.text));
    impl_->extract(doc, tokens);
}

void EntityExtractor::extract(SegmentedDocument& doc, const std::vector<std::vector<text::Token>>& tokens) const {
    if (tokens.size() != doc.passages.size())
        throw std::logic_error("extract: tokens of " + std::to_string(tokens.size()) + " passages for " +
                               std::to_string(doc.passages.size()));
    impl_->extract(doc, tokens);
}

}  // namespace mandala::indexer
