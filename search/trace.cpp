#include "search/trace.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "indexer/schema.h"
#include "search/analysis.h"
#include "text/errors.h"

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

}  // namespace

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

TraceResponse trace_phrase(const Searcher& searcher, const std::string& phrase, const TraceOptions& options) {
    TraceResponse r;
    r.phrase = phrase;
    std::vector<std::string> warnings;
    const std::string clean = sanitize_query(phrase, warnings);
    const auto ptoks = analyzer().tokens(clean);
    if (ptoks.empty()) throw InputError("trace needs a phrase with at least one word");
    const auto pfolded = folded_of(ptoks);
    const auto pstems = stems_of(ptoks);

    // Candidates are docids of this opening of the database: a retry after a shard failure starts over.
    searcher.guarded([&] {
        r.lines.clear();
        const Xapian::Database& db = searcher.database();
        std::set<Xapian::docid> candidates;
        Xapian::Enquire enquire(db);
        enquire.set_time_limit(2.0);
        enquire.set_sort_by_relevance_then_value(schema::kDocSlot, false);  // ties as in search(), shard-independent
        // Every exact phrase match (positional), then the best word matches for near-variants.
        enquire.set_query(pfolded.size() == 1 ? Xapian::Query(pfolded[0])
                                              : Xapian::Query(Xapian::Query::OP_PHRASE, pfolded.begin(), pfolded.end()));
        for (auto it : enquire.get_mset(0, db.get_doccount())) candidates.insert(it);
        std::vector<Xapian::Query> words;
        for (const auto& s : pstems) words.emplace_back("Z" + s);
        enquire.set_query(Xapian::Query(Xapian::Query::OP_OR, words.begin(), words.end()));
        for (auto it : enquire.get_mset(0, static_cast<Xapian::doccount>(options.candidates))) candidates.insert(it);

        for (Xapian::docid id : candidates) {
            TraceLine line;
            line.hit = hit_from_document(db.get_document(id));
            const auto toks = analyzer().tokens(line.hit.text);
            std::pair<std::size_t, std::size_t> span;
            const std::size_t exact_at = find_sequence(folded_of(toks), pfolded);
            if (exact_at != std::string::npos) {
                line.exact = true;
                line.similarity = 1.0;
                span = {exact_at, exact_at + pfolded.size() - 1};
            } else {
                line.similarity = shingle_similarity(pstems, stems_of(toks), &span);
                if (line.similarity < options.min_similarity) continue;
            }
            const std::size_t b = toks[span.first].begin, e = toks[span.second].end;
            const std::size_t cb = toks[span.first >= options.context_words ? span.first - options.context_words : 0].begin;
            const std::size_t ce = toks[std::min(toks.size() - 1, span.second + options.context_words)].end;
            line.before = line.hit.text.substr(cb, b - cb);
            line.match = line.hit.text.substr(b, e - b);
            line.after = line.hit.text.substr(e, ce - e);
            for (std::string* part : {&line.before, &line.match, &line.after}) std::replace(part->begin(), part->end(), '\n', ' ');
            r.lines.push_back(std::move(line));
        }
    });
    std::sort(r.lines.begin(), r.lines.end(), [](const TraceLine& a, const TraceLine& b) {
        if (a.exact != b.exact) return a.exact;
        if (a.similarity != b.similarity) return a.similarity > b.similarity;
        if (a.hit.year != b.hit.year) return a.hit.year < b.hit.year;
        return a.hit.id < b.hit.id;
    });
    return r;
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
        j.set("missions", array(l.hit.missions));
        j.set("section", array(l.hit.section));
        j.set("exact", l.exact);
        j.set("similarity", l.similarity);
        j.set("before", l.before);
        j.set("match", l.match);
        j.set("after", l.after);
        lines.add(j);
    }
    o.set("lines", lines);
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

}  // namespace mandala::search
