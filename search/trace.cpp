#include "search/trace.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <tuple>

#include "catalog/xapian_schema.h"
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
        j->set("count", m.count);
        Poco::JSON::Array::Ptr years = new Poco::JSON::Array;
        for (const auto& y : m.years) {
            Poco::JSON::Object::Ptr x = new Poco::JSON::Object;
            x->set("year", y.year);
            x->set("lines", y.lines);
            years->add(x);
        }
        j->set("years", years);
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

int ordinal_of(const Xapian::Document& doc) {
    const std::string v = doc.get_value(schema::kOrdinalSlot);
    return v.empty() ? 0 : static_cast<int>(Xapian::sortable_unserialise(v));
}

// The keyword-in-context line of a passage: the exact phrase when its folded words occur, else
// the window of the best shingle similarity (which the caller compares with the minimum).
TraceLine analyse(const Xapian::Document& doc, const PhraseWords& phrase, const TraceOptions& options) {
    TraceLine line;
    line.hit = hit_from_document(doc);
    line.ordinal = ordinal_of(doc);
    const auto toks = analyzer().tokens(line.hit.text);
    if (toks.empty()) return line;
    std::pair<std::size_t, std::size_t> span;
    const std::size_t exact_at = find_sequence(folded_of(toks), phrase.folded);
    if (exact_at != std::string::npos) {
        line.exact = true;
        line.similarity = 1.0;
        span = {exact_at, exact_at + phrase.folded.size() - 1};
    } else {
        const auto stems = stems_of(toks);
        line.similarity = shingle_similarity(phrase.stems, stems, &span);
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
    return line;
}

// A line as ordering, filters and summaries see it; `line` holds its text analysis once done
// (near-variants at once, exact matches when they are returned).
struct Candidate {
    Xapian::docid docid = 0;
    std::string doc, date, form;
    int year = 0, ordinal = 0;
    bool exact = true;
    double similarity = 1;
    Addressee addressee = Addressee::unknown;
    std::vector<std::string> missions;  // the passage's own, then its document's when it names none
    bool mission_from_document = false;
    std::unique_ptr<TraceLine> line;  // a pointer: candidates are sorted, and a line is large
};

Candidate analysed(TraceLine line) {
    Candidate c;
    c.docid = line.hit.docid;
    c.doc = line.hit.doc;
    c.year = line.hit.year;
    c.ordinal = line.ordinal;
    c.exact = line.exact;
    c.similarity = line.similarity;
    c.addressee = line.addressee;
    c.form = line.form;
    c.missions = line.hit.missions;
    c.line = std::make_unique<TraceLine>(std::move(line));
    return c;
}

std::vector<std::string> split_lines(const std::string& v) {
    std::vector<std::string> out;
    for (std::size_t at = 0; at < v.size();) {
        const auto end = std::min(v.find('\n', at), v.size());
        if (end > at) out.push_back(v.substr(at, end - at));
        at = end + 1;
    }
    return out;
}

// Year, document and ordinal from the passage's year-order key (schema::year_order_key); false
// when it has none (an index written before the key).
bool read_order_key(const std::string& key, int& year, std::string& doc, int& ordinal) {
    const auto nul = key.find('\0', 4);
    if (key.size() < 5 || nul == std::string::npos) return false;
    int reversed = 0;
    if (std::from_chars(key.data(), key.data() + 4, reversed).ec != std::errc()) return false;
    if (std::from_chars(key.data() + nul + 1, key.data() + key.size(), ordinal).ec != std::errc()) return false;
    year = reversed == 9999 ? 0 : 9999 - reversed;
    doc = key.substr(4, nul - 4);
    return true;
}

// The values of `slot` of ascending `ids` (empty where a passage has none), read along the slot's
// value stream: one pass over its chunks, where a look-up per passage would read a block each
// (20,000 exact matches of "rule of law" spent most of their time in the kernel copying blocks).
std::vector<std::string> values_of(const Xapian::Database& db, Xapian::valueno slot, const std::vector<Xapian::docid>& ids) {
    std::vector<std::string> out(ids.size());
    auto it = db.valuestream_begin(slot);
    const auto end = db.valuestream_end(slot);
    for (std::size_t i = 0; i < ids.size() && it != end; ++i) {
        it.skip_to(ids[i]);
        if (it == end) break;
        if (it.get_docid() == ids[i]) out[i] = *it;
    }
    return out;
}

// Every passage holding the phrase's folded words in sequence (positional), in docid order.
std::vector<Xapian::docid> exact_matches(const Xapian::Database& db, const PhraseWords& phrase) {
    Xapian::Enquire enquire(db);
    enquire.set_time_limit(2.0);
    enquire.set_weighting_scheme(Xapian::BoolWeight());  // a set, not a ranking
    enquire.set_docid_order(Xapian::Enquire::ASCENDING);
    const auto& f = phrase.folded;
    enquire.set_query(f.size() == 1 ? Xapian::Query(f[0]) : Xapian::Query(Xapian::Query::OP_PHRASE, f.begin(), f.end()));
    std::vector<Xapian::docid> out;
    for (auto it : enquire.get_mset(0, db.get_doccount())) out.push_back(it);
    return out;
}

// The best matches of the phrase's stems: the near-variants are among them.
std::vector<Xapian::docid> word_matches(const Xapian::Database& db, const PhraseWords& phrase, std::size_t count) {
    Xapian::Enquire enquire(db);
    enquire.set_time_limit(2.0);
    enquire.set_sort_by_relevance_then_value(schema::kDocSlot, false);  // ties as in search(), shard-independent
    std::vector<Xapian::Query> words;
    for (const auto& s : phrase.stems) words.emplace_back(schema::stem_term("", s));
    enquire.set_query(Xapian::Query(Xapian::Query::OP_OR, words.begin(), words.end()));
    std::vector<Xapian::docid> out;
    for (auto it : enquire.get_mset(0, static_cast<Xapian::doccount>(count))) out.push_back(it);
    return out;
}

// Exact matches from their values; the other word matches analysed and kept from the minimum
// similarity.
std::vector<Candidate> gather(const Xapian::Database& db, const PhraseWords& phrase, const TraceOptions& options) {
    const std::string exact_form = joined(phrase.folded);
    std::vector<Candidate> out;
    const std::vector<Xapian::docid> exact = exact_matches(db, phrase);
    const auto keys = values_of(db, schema::kYearOrderSlot, exact);
    const auto missions = values_of(db, schema::kMissionsSlot, exact);
    out.reserve(exact.size());
    for (std::size_t i = 0; i < exact.size(); ++i) {
        Candidate c;
        c.docid = exact[i];
        c.form = exact_form;
        c.missions = split_lines(missions[i]);
        if (read_order_key(keys[i], c.year, c.doc, c.ordinal)) out.push_back(std::move(c));
        else out.push_back(analysed(analyse(db.get_document(exact[i], Xapian::DOC_ASSUME_VALID), phrase, options)));  // an index from before the key
    }
    for (Xapian::docid id : word_matches(db, phrase, options.candidates)) {
        if (std::binary_search(exact.begin(), exact.end(), id)) continue;
        TraceLine line = analyse(db.get_document(id, Xapian::DOC_ASSUME_VALID), phrase, options);
        if (line.exact || line.similarity >= options.min_similarity) out.push_back(analysed(std::move(line)));
    }
    return out;
}

void keep_forms(std::vector<Candidate>& lines, const TraceOptions& options) {
    auto folded_form = [](const std::string& f) { return joined(folded_of(analyzer().tokens(f))); };
    std::set<std::string> only, except;
    for (const auto& f : options.forms) only.insert(folded_form(f));
    for (const auto& f : options.exclude_forms) except.insert(folded_form(f));
    std::erase_if(lines, [&](const Candidate& l) { return (!only.empty() && !only.count(l.form)) || except.count(l.form); });
}

// A passage naming no mission is about its document's mission ("the Mission" of a mandate).
void resolve_missions(const std::filesystem::path& db_dir, std::vector<Candidate>& lines) {
    std::set<std::string> docs;
    for (const auto& l : lines) docs.insert(l.doc);
    const auto facts = document_facts(db_dir, docs);
    for (auto& l : lines) {
        const auto it = facts.find(l.doc);
        if (it == facts.end()) continue;
        l.date = it->second.date;
        if (l.missions.empty() && !it->second.mission.empty()) {
            l.missions = {it->second.mission};
            l.mission_from_document = true;
        }
    }
}

// Date order: the document's year, then its date, then the document and the passage's place in
// it; lines of unknown year (0) last.
bool earlier(const Candidate& a, const Candidate& b) {
    if ((a.year == 0) != (b.year == 0)) return b.year == 0;
    return std::tie(a.year, a.date, a.doc, a.ordinal) < std::tie(b.year, b.date, b.doc, b.ordinal);
}

// Exact matches first, in date order; then near-variants not addressed to others before those
// that are, each by similarity, then date. (Exact matches are not ordered by addressee: that
// would need the analysis of every one of them, and all of them carry the phrase.)
bool ranks_before(const Candidate& a, const Candidate& b) {
    if (a.exact != b.exact) return a.exact;
    if (!a.exact) {
        if ((a.addressee == Addressee::other) != (b.addressee == Addressee::other)) return b.addressee == Addressee::other;
        if (a.similarity != b.similarity) return a.similarity > b.similarity;
    }
    return earlier(a, b);
}

bool has_mission(const Candidate& c, const std::string& mission) {
    if (mission.empty()) return c.missions.empty();
    const std::string folded = text::fold(mission);
    return std::any_of(c.missions.begin(), c.missions.end(), [&](const std::string& m) { return text::fold(m) == folded; });
}

void add_form(std::vector<VariantForm>& forms, const Candidate& l, const std::vector<std::string>& phrase_words) {
    auto it = std::find_if(forms.begin(), forms.end(), [&](const VariantForm& f) { return f.form == l.form; });
    if (it == forms.end()) {
        VariantForm f;
        f.form = l.form;
        f.exact = l.exact;
        explain_form(phrase_words, folded_of(analyzer().tokens(l.form)), f.missing, f.extra);
        forms.push_back(std::move(f));
        it = forms.end() - 1;
    }
    ++it->count;
    if (l.year && (!it->first_year || l.year < it->first_year)) it->first_year = l.year;
    it->last_year = std::max(it->last_year, l.year);
    for (const auto& m : l.missions)
        if (std::find(it->missions.begin(), it->missions.end(), m) == it->missions.end()) it->missions.push_back(m);
}

std::vector<VariantForm> gather_forms(const std::vector<Candidate>& lines, const std::vector<std::string>& phrase_words) {
    std::vector<VariantForm> forms;
    for (const auto& l : lines) add_form(forms, l, phrase_words);
    std::stable_sort(forms.begin(), forms.end(), [](const VariantForm& a, const VariantForm& b) {
        if (a.exact != b.exact) return a.exact;
        return a.count > b.count;
    });
    return forms;
}

// Lines per year of one mission's lines (in date order, so years come ascending, unknown last).
std::vector<YearCount> years_of(const std::vector<Candidate>& lines, const std::vector<std::size_t>& group) {
    std::vector<YearCount> out;
    for (std::size_t i : group) {
        if (out.empty() || out.back().year != lines[i].year) out.push_back({lines[i].year, 1, 0});
        ++out.back().lines;
    }
    return out;
}

// Missions by first appearance (the group of lines naming none last), each with all its lines in
// date order (`members`, indexes into `lines`) and their years.
std::vector<MissionTrace> group_by_mission(const std::vector<Candidate>& lines, std::vector<std::vector<std::size_t>>& members) {
    std::map<std::string, std::vector<std::size_t>> groups;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].missions.empty()) groups[""].push_back(i);
        for (const auto& m : lines[i].missions) groups[m].push_back(i);
    }
    std::vector<std::pair<MissionTrace, std::vector<std::size_t>>> out;
    for (auto& [key, group] : groups) {
        std::sort(group.begin(), group.end(), [&](std::size_t a, std::size_t b) { return earlier(lines[a], lines[b]); });
        MissionTrace g;
        g.mission = key;
        const Candidate& first = lines[group.front()];
        const Candidate& last = lines[group.back()];
        g.first_year = first.year, g.last_year = last.year;
        g.first_doc = first.doc, g.last_doc = last.doc;
        g.count = group.size();
        g.years = years_of(lines, group);
        out.emplace_back(std::move(g), std::move(group));
    }
    std::sort(out.begin(), out.end(), [&](const auto& a, const auto& b) {
        if (a.first.mission.empty() != b.first.mission.empty()) return b.first.mission.empty();
        const Candidate& x = lines[a.second.front()];
        const Candidate& y = lines[b.second.front()];
        if (earlier(x, y) != earlier(y, x)) return earlier(x, y);
        return a.first.mission < b.first.mission;
    });
    std::vector<MissionTrace> missions;
    members.clear();
    for (auto& [g, group] : out) missions.push_back(std::move(g)), members.push_back(std::move(group));
    return missions;
}

std::vector<YearCount> count_years(const std::vector<Candidate>& lines) {
    std::map<int, std::pair<std::set<std::string>, std::size_t>> years;
    for (const auto& l : lines) {
        if (!l.year) continue;
        auto& [missions, count] = years[l.year];
        missions.insert(l.missions.begin(), l.missions.end());
        ++count;
    }
    std::vector<YearCount> out;
    for (const auto& [year, v] : years) out.push_back({year, v.first.size(), v.second});
    return out;
}

// Indexes of the lines asked for: all (in rank order), or those of a mission and/or year (in date
// order, as a cell of the mission x year grid lists them); then the page of them.
std::vector<std::size_t> page_of(const std::vector<Candidate>& lines, const TraceOptions& options, std::size_t& selected) {
    std::vector<std::size_t> chosen;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (options.mission && !has_mission(lines[i], *options.mission)) continue;
        if (options.year && lines[i].year != *options.year) continue;
        chosen.push_back(i);
    }
    if (options.mission || options.year)
        std::stable_sort(chosen.begin(), chosen.end(), [&](std::size_t a, std::size_t b) { return earlier(lines[a], lines[b]); });
    selected = chosen.size();
    const std::size_t from = std::min(options.offset, chosen.size());
    const std::size_t to = options.limit ? std::min(chosen.size(), from + *options.limit) : chosen.size();
    return std::vector<std::size_t>(chosen.begin() + static_cast<std::ptrdiff_t>(from), chosen.begin() + static_cast<std::ptrdiff_t>(to));
}

// The returned line of a candidate, analysed now if it was not yet; missions and date as resolved.
TraceLine line_of(const Xapian::Database& db, Candidate& c, const PhraseWords& phrase, const TraceOptions& options) {
    TraceLine line = c.line ? std::move(*c.line) : analyse(db.get_document(c.docid, Xapian::DOC_ASSUME_VALID), phrase, options);
    line.ordinal = c.ordinal;
    line.missions = c.missions;
    line.mission_from_document = c.mission_from_document;
    line.date = c.date;
    return line;
}

}  // namespace

TraceResponse trace_phrase(const Searcher& searcher, const std::string& phrase, const TraceOptions& options) {
    std::vector<std::string> warnings;
    const auto ptoks = analyzer().tokens(sanitize_query(phrase, warnings));
    if (ptoks.empty()) throw InputError("trace needs a phrase with at least one word");
    const PhraseWords words{folded_of(ptoks), stems_of(ptoks)};
    // Docids belong to this opening of the database: a retry after a shard failure starts over.
    return searcher.guarded([&] {
        TraceResponse r;
        r.phrase = phrase;
        r.offset = options.offset;
        r.limit = options.limit;
        const Xapian::Database& db = searcher.database();
        std::vector<Candidate> lines = gather(db, words, options);
        keep_forms(lines, options);
        resolve_missions(searcher.db_dir(), lines);
        std::sort(lines.begin(), lines.end(), ranks_before);
        r.total = lines.size();
        r.forms = gather_forms(lines, words.folded);
        std::vector<std::vector<std::size_t>> members;
        r.missions = group_by_mission(lines, members);
        r.years = count_years(lines);
        const auto page = page_of(lines, options, r.selected);
        std::vector<std::size_t> returned_as(lines.size(), kNone);
        for (std::size_t i : page) {
            returned_as[i] = r.lines.size();
            r.lines.push_back(line_of(db, lines[i], words, options));
        }
        for (std::size_t g = 0; g < r.missions.size(); ++g)
            for (std::size_t i : members[g])
                if (returned_as[i] != kNone) r.missions[g].lines.push_back(returned_as[i]);
        return r;
    });
}

std::string to_json(const TraceResponse& r) {
    Poco::JSON::Object o;
    o.set("phrase", r.phrase);
    o.set("total", r.total);
    o.set("selected", r.selected);
    o.set("offset", r.offset);
    o.set("limit", r.limit ? Poco::Dynamic::Var(*r.limit) : Poco::Dynamic::Var());
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
