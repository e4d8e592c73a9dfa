#include "search/trace.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <map>
#include <set>
#include <cstdio>
#include <sstream>

#include "indexer/schema.h"
#include "search/analysis.h"
#include "search/lineage.h"
#include "text/errors.h"
#include "text/unicode.h"

namespace mandala::search {
namespace {

using Shingle = std::pair<std::string, std::string>;

// Word bigrams, or single words when `unigrams` (a one-word phrase).
std::vector<Shingle> shingles(const std::vector<std::string>& stems, bool unigrams) {
    std::vector<Shingle> out;
    if (unigrams) {
        for (const auto& s : stems) out.emplace_back(s, std::string());
        return out;
    }
    for (std::size_t i = 0; i + 1 < stems.size(); ++i) out.emplace_back(stems[i], stems[i + 1]);
    return out;
}

std::vector<std::string> stems_of(const std::vector<text::Token>& tokens) {
    std::vector<std::string> out;
    for (const auto& t : tokens) out.push_back(t.stem);
    return out;
}

std::vector<std::string> folded_of(const std::vector<text::Token>& tokens) {
    std::vector<std::string> out;
    for (const auto& t : tokens) out.push_back(t.folded);
    return out;
}

// First index where `needle` occurs in `hay` as a contiguous sequence, or npos.
std::size_t find_sequence(const std::vector<std::string>& hay, const std::vector<std::string>& needle) {
    if (needle.empty() || needle.size() > hay.size()) return std::string::npos;
    auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end());
    return it == hay.end() ? std::string::npos : static_cast<std::size_t>(it - hay.begin());
}

Poco::JSON::Array::Ptr array(const std::vector<std::string>& v) {
    Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
    for (const auto& s : v) a->add(s);
    return a;
}

Poco::JSON::Array::Ptr forms_json(const std::vector<VariantForm>& forms) {
    Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
    for (const auto& f : forms) {
        Poco::JSON::Object::Ptr j = new Poco::JSON::Object;
        j->set("form", f.form);
        j->set("exact", f.exact);
        j->set("count", f.count);
        j->set("first_year", f.first_year);
        j->set("last_year", f.last_year);
        j->set("missions", array(f.missions));
        j->set("missing", array(f.missing));
        j->set("extra", array(f.extra));
        a->add(j);
    }
    return a;
}

Poco::JSON::Array::Ptr missions_json(const std::vector<MissionTrace>& missions) {
    Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
    for (const auto& m : missions) {
        Poco::JSON::Object::Ptr j = new Poco::JSON::Object;
        j->set("mission", m.mission);
        j->set("first_year", m.first_year);
        j->set("last_year", m.last_year);
        j->set("first_doc", m.first_doc);
        j->set("last_doc", m.last_doc);
        Poco::JSON::Array::Ptr lines = new Poco::JSON::Array;
        for (std::size_t i : m.lines) lines->add(i);
        j->set("lines", lines);
        a->add(j);
    }
    return a;
}

// The matched window of a near-variant covers as many words as the phrase, so that a word
// substituted at either end ("all necessary measures" for "all necessary means") is part of the
// variant form: it starts where the phrase would start given its first matched word, and runs
// at least the phrase's length.
void widen_to_phrase(std::pair<std::size_t, std::size_t>& span, const std::vector<std::string>& stems,
                     const std::vector<std::string>& phrase) {
    const auto at = std::find(phrase.begin(), phrase.end(), stems[span.first]);
    const auto before = static_cast<std::size_t>(at == phrase.end() ? 0 : at - phrase.begin());
    span.first = span.first >= before ? span.first - before : 0;
    span.second = std::max(span.second, std::min(stems.size() - 1, span.first + phrase.size() - 1));
}

// The text of `text` before byte `at` back to the start of its sentence (or clause list item).
std::string_view sentence_lead(std::string_view text, std::size_t at) {
    const std::string_view before = text.substr(0, at);
    const auto end = before.find_last_of(".;!?\n");
    return end == std::string_view::npos ? before : before.substr(end + 1);
}

std::string joined(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
    return out;
}

void keep_forms(std::vector<TraceLine>& lines, const TraceOptions& options) {
    auto folded_form = [](const std::string& f) { return joined(folded_of(analyzer().tokens(f))); };
    std::set<std::string> only, except;
    for (const auto& f : options.forms) only.insert(folded_form(f));
    for (const auto& f : options.exclude_forms) except.insert(folded_form(f));
    std::erase_if(lines, [&](const TraceLine& l) { return (!only.empty() && !only.count(l.form)) || except.count(l.form); });
}

// A passage naming no mission is about its document's mission ("the Mission" of a mandate).
void resolve_missions(const std::filesystem::path& db_dir, std::vector<TraceLine>& lines) {
    std::set<std::string> docs;
    for (const auto& l : lines) docs.insert(l.hit.doc);
    const auto facts = document_facts(db_dir, docs);
    for (auto& l : lines) {
        l.missions = l.hit.missions;
        const auto it = facts.find(l.hit.doc);
        if (it == facts.end()) continue;
        l.date = it->second.date;
        if (l.missions.empty() && !it->second.mission.empty()) {
            l.missions = {it->second.mission};
            l.mission_from_document = true;
        }
    }
}

// Words that name the mission as the one acting, and words that name someone else (general
// mandate language: the Council asks a mission, or calls on governments, parties and States).
const std::set<std::string>& mission_words() {
    static const std::set<std::string> words = {"mission", "missions", "force", "operation", "operations",
                                                "peacekeepers", "peacekeeping", "contingents", "troops", "personnel"};
    return words;
}

const std::set<std::string>& other_words() {
    static const std::set<std::string> words = {"government", "governments", "authorities", "parties", "party",
                                                "states", "state", "countries", "groups", "community", "signatories"};
    return words;
}

}  // namespace

Addressee addressee_of(std::string_view lead, const std::vector<std::string>& mission_keys) {
    std::set<std::string> keys;
    for (const auto& k : mission_keys) keys.insert(text::fold(k));
    const auto toks = analyzer().tokens(lead);
    for (std::size_t i = toks.size(); i-- > 0;) {  // the nearest naming word before the match decides
        const std::string& w = toks[i].folded;
        if (mission_words().count(w) || keys.count(w)) return Addressee::mission;
        if (other_words().count(w)) return Addressee::other;
    }
    return Addressee::unknown;
}

std::string_view addressee_name(Addressee a) {
    switch (a) {
        case Addressee::mission: return "mission";
        case Addressee::other: return "other";
        case Addressee::unknown: break;
    }
    return "";
}

void explain_form(const std::vector<std::string>& phrase, const std::vector<std::string>& form, std::vector<std::string>& missing,
                  std::vector<std::string>& extra) {
    std::multiset<std::string> in_form(form.begin(), form.end()), in_phrase(phrase.begin(), phrase.end());
    for (const auto& w : phrase)
        if (auto it = in_form.find(w); it != in_form.end()) in_form.erase(it);
        else missing.push_back(w);
    for (const auto& w : form)
        if (auto it = in_phrase.find(w); it != in_phrase.end()) in_phrase.erase(it);
        else extra.push_back(w);
}

double shingle_similarity(const std::vector<std::string>& phrase, const std::vector<std::string>& passage,
                          std::pair<std::size_t, std::size_t>* where) {
    const bool unigrams = phrase.size() == 1;
    const auto ps = shingles(phrase, unigrams);
    if (ps.empty() || passage.empty()) return 0;
    const std::set<Shingle> wanted(ps.begin(), ps.end());
    const auto text = shingles(passage, unigrams);
    // Window of the passage's shingles as long as the phrase plus some slack for inserted words.
    const std::size_t window = ps.size() + 3;
    double best = 0;
    std::pair<std::size_t, std::size_t> best_at{0, 0};
    for (std::size_t start = 0; start < text.size(); ++start) {
        if (!wanted.count(text[start])) continue;  // the best window starts on a hit
        std::set<Shingle> hit;
        std::size_t last = start;
        for (std::size_t k = start; k < text.size() && k < start + window; ++k)
            if (wanted.count(text[k]) && hit.insert(text[k]).second) last = k;
        const double sim = static_cast<double>(hit.size()) / static_cast<double>(wanted.size());
        if (sim > best) {
            best = sim;
            best_at = {start, phrase.size() == 1 ? last : last + 1};
        }
    }
    if (where) *where = best_at;
    return best;
}

namespace {

struct PhraseWords {
    std::vector<std::string> folded, stems;
};

// The line of a passage that holds the phrase, or a near-variant of it from the minimum
// similarity; false for one below it.
bool trace_line(Xapian::Document doc, const PhraseWords& phrase, const TraceOptions& options, TraceLine& line) {
    line.hit = hit_from_document(doc);
    const auto toks = analyzer().tokens(line.hit.text);
    std::pair<std::size_t, std::size_t> span;
    const std::size_t exact_at = find_sequence(folded_of(toks), phrase.folded);
    if (exact_at != std::string::npos) {
        line.exact = true;
        line.similarity = 1.0;
        span = {exact_at, exact_at + phrase.folded.size() - 1};
    } else {
        const auto stems = stems_of(toks);
        line.similarity = shingle_similarity(phrase.stems, stems, &span);
        if (line.similarity < options.min_similarity) return false;
        widen_to_phrase(span, stems, phrase.stems);
    }
    const std::size_t b = toks[span.first].begin, e = toks[span.second].end;
    const std::size_t cb = toks[span.first >= options.context_words ? span.first - options.context_words : 0].begin;
    const std::size_t ce = toks[std::min(toks.size() - 1, span.second + options.context_words)].end;
    for (std::size_t k = span.first; k <= span.second; ++k) line.form += (k == span.first ? "" : " ") + toks[k].folded;
    line.addressee = addressee_of(sentence_lead(line.hit.text, b), line.hit.missions);
    line.before = line.hit.text.substr(cb, b - cb);
    line.match = line.hit.text.substr(b, e - b);
    line.after = line.hit.text.substr(e, ce - e);
    for (std::string* part : {&line.before, &line.match, &line.after}) std::replace(part->begin(), part->end(), '\n', ' ');
    return true;
}

// Every exact phrase match (positional), then the best word matches for near-variants.
std::set<Xapian::docid> candidates(const Xapian::Database& db, const PhraseWords& phrase, const TraceOptions& options) {
    std::set<Xapian::docid> out;
    Xapian::Enquire enquire(db);
    enquire.set_time_limit(2.0);
    enquire.set_sort_by_relevance_then_value(schema::kDocSlot, false);  // ties as in search(), shard-independent
    const auto& f = phrase.folded;
    enquire.set_query(f.size() == 1 ? Xapian::Query(f[0]) : Xapian::Query(Xapian::Query::OP_PHRASE, f.begin(), f.end()));
    for (auto it : enquire.get_mset(0, db.get_doccount())) out.insert(it);
    std::vector<Xapian::Query> words;
    for (const auto& s : phrase.stems) words.emplace_back("Z" + s);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_OR, words.begin(), words.end()));
    for (auto it : enquire.get_mset(0, static_cast<Xapian::doccount>(options.candidates))) out.insert(it);
    return out;
}

// Exact first; then lines not addressed to others; then by similarity, year and id.
bool ranks_before(const TraceLine& a, const TraceLine& b) {
    if (a.exact != b.exact) return a.exact;
    if ((a.addressee == Addressee::other) != (b.addressee == Addressee::other)) return b.addressee == Addressee::other;
    if (a.similarity != b.similarity) return a.similarity > b.similarity;
    if (a.hit.year != b.hit.year) return a.hit.year < b.hit.year;
    return a.hit.id < b.hit.id;
}

}  // namespace

TraceResponse trace_phrase(const Searcher& searcher, const std::string& phrase, const TraceOptions& options) {
    TraceResponse r;
    r.phrase = phrase;
    std::vector<std::string> warnings;
    const auto ptoks = analyzer().tokens(sanitize_query(phrase, warnings));
    if (ptoks.empty()) throw InputError("trace needs a phrase with at least one word");
    const PhraseWords words{folded_of(ptoks), stems_of(ptoks)};
    // Candidates are docids of this opening of the database: a retry after a shard failure starts over.
    searcher.guarded([&] {
        r.lines.clear();
        const Xapian::Database& db = searcher.database();
        for (Xapian::docid id : candidates(db, words, options))
            if (TraceLine line; trace_line(db.get_document(id), words, options, line)) r.lines.push_back(std::move(line));
    });
    keep_forms(r.lines, options);
    resolve_missions(searcher.db_dir(), r.lines);
    std::sort(r.lines.begin(), r.lines.end(), ranks_before);
    summarize(r, words.folded);
    return r;
}

namespace {

// Lines in date order: the document's year, then its date, then the passage id; lines of
// unknown year (0) last.
bool earlier(const TraceLine& a, const TraceLine& b) {
    if ((a.hit.year == 0) != (b.hit.year == 0)) return b.hit.year == 0;
    if (a.hit.year != b.hit.year) return a.hit.year < b.hit.year;
    if (a.date != b.date) return a.date < b.date;
    return a.hit.id < b.hit.id;
}

void add_form(std::vector<VariantForm>& forms, const TraceLine& l, const std::vector<std::string>& phrase_words) {
    auto it = std::find_if(forms.begin(), forms.end(), [&](const VariantForm& f) { return f.form == l.form; });
    if (it == forms.end()) {
        VariantForm f;
        f.form = l.form;
        f.exact = l.exact;
        std::vector<std::string> words;
        for (const auto& t : analyzer().tokens(l.form)) words.push_back(t.folded);
        explain_form(phrase_words, words, f.missing, f.extra);
        forms.push_back(std::move(f));
        it = forms.end() - 1;
    }
    ++it->count;
    if (l.hit.year && (!it->first_year || l.hit.year < it->first_year)) it->first_year = l.hit.year;
    it->last_year = std::max(it->last_year, l.hit.year);
    for (const auto& m : l.missions)
        if (std::find(it->missions.begin(), it->missions.end(), m) == it->missions.end()) it->missions.push_back(m);
}

std::vector<MissionTrace> group_by_mission(const std::vector<TraceLine>& lines) {
    std::map<std::string, MissionTrace> groups;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].missions.empty()) groups[""].lines.push_back(i);
        for (const auto& m : lines[i].missions) groups[m].lines.push_back(i);
    }
    std::vector<MissionTrace> out;
    for (auto& [key, g] : groups) {
        g.mission = key;
        std::sort(g.lines.begin(), g.lines.end(), [&](std::size_t a, std::size_t b) { return earlier(lines[a], lines[b]); });
        const TraceLine& first = lines[g.lines.front()];
        const TraceLine& last = lines[g.lines.back()];
        g.first_year = first.hit.year, g.last_year = last.hit.year;
        g.first_doc = first.hit.doc, g.last_doc = last.hit.doc;
        out.push_back(std::move(g));
    }
    std::sort(out.begin(), out.end(), [&](const MissionTrace& a, const MissionTrace& b) {
        if (a.mission.empty() != b.mission.empty()) return b.mission.empty();
        const TraceLine& x = lines[a.lines.front()];
        const TraceLine& y = lines[b.lines.front()];
        if (earlier(x, y) != earlier(y, x)) return earlier(x, y);
        return a.mission < b.mission;
    });
    return out;
}

std::vector<YearCount> count_years(const std::vector<TraceLine>& lines) {
    std::map<int, std::pair<std::set<std::string>, std::size_t>> years;
    for (const auto& l : lines) {
        if (!l.hit.year) continue;
        auto& [missions, count] = years[l.hit.year];
        missions.insert(l.missions.begin(), l.missions.end());
        ++count;
    }
    std::vector<YearCount> out;
    for (const auto& [year, v] : years) out.push_back({year, v.first.size(), v.second});
    return out;
}

}  // namespace

void summarize(TraceResponse& r, const std::vector<std::string>& phrase_words) {
    r.forms.clear();
    for (const auto& l : r.lines) add_form(r.forms, l, phrase_words);
    std::stable_sort(r.forms.begin(), r.forms.end(), [](const VariantForm& a, const VariantForm& b) {
        if (a.exact != b.exact) return a.exact;
        return a.count > b.count;
    });
    r.missions = group_by_mission(r.lines);
    r.years = count_years(r.lines);
}

std::string to_json(const TraceResponse& r) {
    Poco::JSON::Object o;
    o.set("phrase", r.phrase);
    Poco::JSON::Array lines;
    for (const auto& l : r.lines) {
        Poco::JSON::Object j;
        j.set("id", l.hit.id);
        j.set("doc", l.hit.doc);
        j.set("title", l.hit.title);
        j.set("year", l.hit.year);
        j.set("missions", array(l.missions));
        j.set("mission_from_document", l.mission_from_document);
        j.set("date", l.date);
        j.set("form", l.form);
        j.set("addressee", std::string(addressee_name(l.addressee)));
        j.set("section", array(l.hit.section));
        j.set("exact", l.exact);
        j.set("similarity", l.similarity);
        j.set("before", l.before);
        j.set("match", l.match);
        j.set("after", l.after);
        lines.add(j);
    }
    o.set("lines", lines);
    o.set("forms", forms_json(r.forms));
    o.set("missions", missions_json(r.missions));
    Poco::JSON::Array years;
    for (const auto& y : r.years) {
        Poco::JSON::Object j;
        j.set("year", y.year);
        j.set("missions", y.missions);
        j.set("lines", y.lines);
        years.add(j);
    }
    o.set("years", years);
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

namespace {

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string section_path(const std::vector<std::string>& section) {
    std::string out;
    for (const auto& s : section) out += (out.empty() ? "" : " › ") + s;
    return out;
}

}  // namespace

std::string to_csv(const TraceResponse& r) {
    std::ostringstream out;
    out << "mission,date,year,doc,title,passage,section,exact,similarity,form,addressee,before,match,after\r\n";
    for (const auto& g : r.missions)
        for (std::size_t i : g.lines) {
            const TraceLine& l = r.lines[i];
            char similarity[16];
            std::snprintf(similarity, sizeof similarity, "%.3f", l.similarity);
            const std::vector<std::string> fields = {g.mission, l.date, l.hit.year ? std::to_string(l.hit.year) : "", l.hit.doc,
                                                     l.hit.title, l.hit.id, section_path(l.hit.section), l.exact ? "true" : "false",
                                                     similarity, l.form, std::string(addressee_name(l.addressee)),
                                                     l.before, l.match, l.after};
            for (std::size_t k = 0; k < fields.size(); ++k) out << (k ? "," : "") << csv_field(fields[k]);
            out << "\r\n";
        }
    return out.str();
}

}  // namespace mandala::search
