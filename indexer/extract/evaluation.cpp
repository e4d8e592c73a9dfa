// Missions and dates of an index against gold sets: what the product claims to find, measured on
// documents with hand-made labels, misses listed so a developer sees them.
#include "indexer/extract/evaluation.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "indexer/extract/dates.h"
#include "indexer/extract/entities.h"
#include "indexer/store.h"
#include "text/errors.h"
#include "text/unicode.h"

namespace mandala::indexer {

namespace {

std::vector<Poco::JSON::Object::Ptr> read_jsonl(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw InputError("cannot read gold file " + file.string());
    std::vector<Poco::JSON::Object::Ptr> out;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        try {
            out.push_back(Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>());
        } catch (const Poco::Exception& e) {
            throw InputError(file.string() + ":" + std::to_string(number) + ": " + e.displayText());
        }
    }
    return out;
}

std::string collapsed(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else {
            out += c;
        }
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

// A surface as the gold writes it: whitespace folded, case folded, no possessive ending.
std::string surface_key(std::string_view s) {
    if (s.ends_with("'s")) s.remove_suffix(2);
    else if (s.ends_with("\xE2\x80\x99s")) s.remove_suffix(4);
    return text::fold(collapsed(s));
}

// The indexed documents by file name, with their passages and mentions.
struct IndexView {
    std::map<std::string, StoredDocument> documents;        // by source file name
    std::map<std::string, std::vector<StoredPassage>> passages;  // by document id
    std::map<std::string, std::vector<EntityMention>> entities;  // by passage id
};

IndexView load_view(const std::filesystem::path& db_dir) {
    IndexView v;
    for (auto& d : load_documents(db_dir)) v.documents[d.source] = std::move(d);
    for (auto& p : load_passages(db_dir)) v.passages[p.doc].push_back(std::move(p));
    v.entities = load_passage_entities(db_dir);
    return v;
}

// The title and Source lines at the top of the file (../shared/eval: not counted).
std::vector<std::string> header_lines(const std::string& path) {
    std::ifstream in(path);
    std::vector<std::string> out;
    std::string line;
    for (int i = 0; i < 2 && std::getline(in, line); ++i)
        if (i == 0 || line.starts_with("Source:")) out.push_back(line);
    return out;
}

// Byte ranges of a passage that hold header lines: the title where the first passage starts with
// it, and any "Source:" line.
std::vector<std::pair<std::size_t, std::size_t>> header_ranges(const StoredPassage& p, bool first,
                                                               const std::vector<std::string>& header) {
    std::vector<std::pair<std::size_t, std::size_t>> out;
    if (first && !header.empty() && !header[0].empty() && p.text.starts_with(header[0])) out.push_back({0, header[0].size()});
    for (std::size_t at = p.text.find("Source:"); at != std::string::npos; at = p.text.find("Source:", at + 1))
        if (at == 0 || p.text[at - 1] == '\n') out.push_back({at, std::min(p.text.find('\n', at), p.text.size())});
    return out;
}

struct Predicted {
    std::string surface, key, passage;
    bool used = false;
};

// "Name (ACRONYM)" is both a name and an acronym as the gold counts them.
void add_surfaces(const EntityMention& m, const std::string& passage, std::vector<Predicted>& out) {
    std::string_view s = m.surface;
    std::size_t open = s.rfind(" (");
    if (s.ends_with(")") && open != std::string_view::npos) {
        out.push_back({surface_key(s.substr(0, open)), m.key, passage});
        out.push_back({surface_key(s.substr(open + 2, s.size() - open - 3)), m.key, passage});
    } else {
        out.push_back({surface_key(s), m.key, passage});
    }
}

std::vector<Predicted> predicted_missions(const IndexView& v, const StoredDocument& d) {
    std::vector<Predicted> out;
    auto it = v.passages.find(d.id);
    if (it == v.passages.end()) return out;
    const auto header = header_lines(d.path);
    for (std::size_t i = 0; i < it->second.size(); ++i) {
        const StoredPassage& p = it->second[i];
        auto found = v.entities.find(p.id);
        if (found == v.entities.end()) continue;
        auto skip = header_ranges(p, i == 0, header);
        for (const auto& m : found->second) {
            // The rubric counts mentions below the header: not the title line's.
            if (m.type != "mission" || m.detail == "main-mission" || m.detail == "title") continue;
            // A heading's or furniture line's mention has offsets in that line, not in the passage.
            const bool in_line = named_outside_passage(m);
            const bool in_header = !in_line && std::any_of(skip.begin(), skip.end(), [&](auto& r) {
                return m.begin >= r.first && m.begin < r.second;
            });
            if (in_header) continue;
            add_surfaces(m, p.id, out);
        }
    }
    return out;
}

// Every folded name of each indexed mission, to tell whether a gold key and a found key agree.
class MissionNames {
public:
    explicit MissionNames(const std::vector<Mission>& missions) {
        for (const auto& m : missions) {
            auto& names = by_key_[m.key];
            names.insert(text::fold(m.key));
            if (!m.expansion.empty()) names.insert(text::fold(m.expansion));
            for (const auto& a : m.aliases) names.insert(text::fold(a));
            for (const auto& n : names) known_.insert(n);
        }
    }
    // The found mission is the gold's: it bears the gold key (or, for a key the registry does not
    // know, the gold name).
    bool agree(const std::string& gold_key, const std::string& gold_name, const std::string& found) const {
        auto it = by_key_.find(found);
        if (text::fold(gold_key) == text::fold(found)) return true;
        if (it == by_key_.end()) return false;
        if (it->second.count(text::fold(gold_key))) return true;
        return !known_.count(text::fold(gold_key)) && it->second.count(text::fold(gold_name));
    }

private:
    std::map<std::string, std::set<std::string>> by_key_;
    std::set<std::string> known_;
};

struct GoldMention {
    std::string name, key;
    std::size_t count = 0;
};

std::vector<GoldMention> gold_mentions(const Poco::JSON::Object::Ptr& line) {
    std::vector<GoldMention> out;
    auto missions = line->getArray("missions");
    for (std::size_t i = 0; missions && i < missions->size(); ++i) {
        auto m = missions->getObject(static_cast<unsigned>(i));
        out.push_back({m->getValue<std::string>("name"), m->getValue<std::string>("key"), m->getValue<std::size_t>("count")});
    }
    return out;
}

void score_mentions(const std::string& doc, const std::vector<GoldMention>& gold, std::vector<Predicted>& found,
                    const MissionNames& names, MissionEvalReport& r) {
    for (const auto& g : gold) {
        std::size_t matched = 0;
        const std::string want = surface_key(g.name);
        for (auto& f : found)
            if (matched < g.count && !f.used && f.surface == want && names.agree(g.key, g.name, f.key)) f.used = true, ++matched;
        r.mentions.gold += g.count;
        r.mentions.true_positives += matched;
        if (matched < g.count)
            r.misses.push_back(doc + ": missed '" + g.name + "' [" + g.key + "] " + std::to_string(g.count - matched) + " of " +
                               std::to_string(g.count));
    }
    r.mentions.predicted += found.size();
    for (const auto& f : found)
        if (!f.used) r.misses.push_back(doc + ": extra '" + f.surface + "' [" + f.key + "] in " + f.passage);
}

void score_documents(const std::string& doc, const std::vector<GoldMention>& gold, const std::vector<Predicted>& found,
                     const MissionNames& names, MissionEvalReport& r) {
    std::map<std::string, std::string> gold_keys;  // key -> a name
    for (const auto& g : gold) gold_keys.emplace(g.key, g.name);
    std::set<std::string> found_keys;
    for (const auto& f : found) found_keys.insert(f.key);
    for (const auto& [key, name] : gold_keys) {
        bool hit = std::any_of(found_keys.begin(), found_keys.end(), [&names, &key = key, &name = name](const std::string& k) { return names.agree(key, name, k); });
        r.documents.true_positives += hit;
        if (!hit) r.misses.push_back(doc + ": mission " + key + " not found in the document");
    }
    for (const auto& k : found_keys) {
        bool right = std::any_of(gold_keys.begin(), gold_keys.end(), [&](auto& g) { return names.agree(g.first, g.second, k); });
        if (!right) r.misses.push_back(doc + ": mission " + k + " found but not named there");
    }
    r.documents.gold += gold_keys.size();
    r.documents.predicted += found_keys.size();
}

std::string fixed(double x) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.3f", x);
    return buf;
}

std::string stringify(const Poco::JSON::Object& o) {
    std::ostringstream out;
    o.stringify(out);
    return out.str() + "\n";
}

Poco::JSON::Array::Ptr array_of(const std::vector<std::string>& items) {
    Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
    for (const auto& i : items) a->add(i);
    return a;
}

}  // namespace

MissionEvalReport evaluate_missions(const std::filesystem::path& gold, const std::filesystem::path& db_dir) {
    const auto lines = read_jsonl(gold);
    const IndexView view = load_view(db_dir);
    const MissionNames names(load_missions(db_dir));
    MissionEvalReport r;
    for (const auto& line : lines) {
        const std::string doc = line->getValue<std::string>("doc");
        auto it = view.documents.find(doc);
        if (it == view.documents.end()) {
            ++r.documents_missing;
            r.misses.push_back(doc + ": not in the index");
            continue;
        }
        ++r.documents_scored;
        auto gold_list = gold_mentions(line);
        auto found = predicted_missions(view, it->second);
        score_mentions(doc, gold_list, found, names, r);
        score_documents(doc, gold_list, found, names, r);
    }
    return r;
}

std::string MissionEvalReport::to_text() const {
    std::ostringstream o;
    o << "missions: " << documents_scored << " documents scored";
    if (documents_missing) o << ", " << documents_missing << " not in the index";
    o << "\nmention level:  precision " << fixed(mentions.precision()) << "  recall " << fixed(mentions.recall()) << "  ("
      << mentions.true_positives << " right of " << mentions.predicted << " found, " << mentions.gold << " in the gold)\n";
    o << "document level: precision " << fixed(documents.precision()) << "  recall " << fixed(documents.recall()) << "  ("
      << documents.true_positives << " right of " << documents.predicted << " found, " << documents.gold << " in the gold)\n";
    o << "misses (" << misses.size() << "):\n";
    for (const auto& m : misses) o << "  " << m << "\n";
    return o.str();
}

std::string MissionEvalReport::to_json() const {
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("documents", documents_scored);
    o.set("mention_precision", mentions.precision());
    o.set("mention_recall", mentions.recall());
    o.set("document_precision", documents.precision());
    o.set("document_recall", documents.recall());
    o.set("misses", array_of(misses));
    return stringify(o);
}

namespace {

// Resolutions found per document, as "2100" and, with a year, "2100 (2013)".
std::set<std::string> found_resolutions(const IndexView& v, const std::string& doc_id, std::size_t& implausible) {
    std::set<std::string> out;
    auto it = v.passages.find(doc_id);
    if (it == v.passages.end()) return out;
    const int last = last_plausible_year();
    for (const auto& p : it->second) {
        auto found = v.entities.find(p.id);
        if (found == v.entities.end()) continue;
        for (const auto& m : found->second) {
            if (m.type == "year" && (std::stoi(m.key) < 1945 || std::stoi(m.key) > last)) ++implausible;
            if (m.type != "resolution") continue;
            out.insert(m.key);
            if (!m.detail.empty()) out.insert(m.key + " (" + m.detail + ")");
        }
    }
    return out;
}

std::string gold_string(const Poco::JSON::Object::Ptr& line, const std::string& name) {
    if (!line->has(name) || line->isNull(name)) return {};
    return line->get(name).toString();
}

}  // namespace

DateEvalReport evaluate_dates(const std::filesystem::path& gold, const std::filesystem::path& db_dir) {
    const auto lines = read_jsonl(gold);
    const IndexView view = load_view(db_dir);
    const auto dates = load_document_dates(db_dir);
    DateEvalReport r;
    for (const auto& line : lines) {
        const std::string doc = line->getValue<std::string>("doc");
        auto it = view.documents.find(doc);
        if (it == view.documents.end()) {
            r.misses.push_back(doc + ": not in the index");
            continue;
        }
        const StoredDocument& d = it->second;
        ++r.documents;
        const std::string want_year = gold_string(line, "year"), want_date = gold_string(line, "date");
        const std::string got_year = d.year ? std::to_string(d.year) : "";
        auto date = dates.find(d.id);
        const std::string got_date = date == dates.end() ? "" : date->second;
        r.dated_gold += !want_date.empty();
        if (want_year == got_year) ++r.year_right;
        else r.misses.push_back(doc + ": year " + (got_year.empty() ? "none" : got_year) + ", gold " + (want_year.empty() ? "none" : want_year));
        r.date_right += want_date == got_date;
        if (d.year && (d.year < 1945 || d.year > last_plausible_year())) ++r.implausible_years;
        auto found = found_resolutions(view, d.id, r.implausible_years);
        auto resolutions = line->getArray("resolutions");
        for (std::size_t i = 0; resolutions && i < resolutions->size(); ++i) {
            const std::string want = resolutions->getElement<std::string>(static_cast<unsigned>(i));
            ++r.resolutions;
            if (found.count(want)) ++r.resolutions_found;
            else r.misses.push_back(doc + ": resolution " + want + " not found with that year");
        }
    }
    return r;
}

std::string DateEvalReport::to_text() const {
    std::ostringstream o;
    o << "dates: " << documents << " documents (" << dated_gold << " dated in the gold)\n"
      << "document year accuracy: " << fixed(year_accuracy()) << "  (" << year_right << " of " << documents << ")\n"
      << "exact date: " << date_right << " of " << documents << "\n"
      << "resolution recall with the right year: " << fixed(resolution_recall()) << "  (" << resolutions_found << " of "
      << resolutions << ")\n"
      << "years outside 1945.." << last_plausible_year() << ": " << implausible_years << "\n"
      << "misses (" << misses.size() << "):\n";
    for (const auto& m : misses) o << "  " << m << "\n";
    return o.str();
}

std::string DateEvalReport::to_json() const {
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("documents", documents);
    o.set("year_accuracy", year_accuracy());
    o.set("dates_exact", date_right);
    o.set("resolution_recall", resolution_recall());
    o.set("implausible_years", implausible_years);
    o.set("misses", array_of(misses));
    return stringify(o);
}

}  // namespace mandala::indexer
