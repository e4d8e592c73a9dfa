#include "search/synonyms.h"

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "catalog/reader.h"
#include "search/analysis.h"
#include "taxonomy/taxonomy.h"
#include "text/errors.h"
#include "text/unicode.h"

namespace mandala::search {
namespace fs = std::filesystem;

namespace {

bool looks_like_acronym(std::string_view display) {
    int upper = 0;
    for (char c : display) {
        if (c == ' ') return false;
        if (c >= 'A' && c <= 'Z') ++upper;
    }
    return upper >= 2;
}

constexpr std::size_t kMaxWindow = 12;  // query words examined per span

}  // namespace

std::string Synonyms::key_of(const std::vector<std::string>& folded_words) {
    std::string key;
    for (const auto& w : folded_words) {
        if (text::is_stopword(w)) continue;
        if (!key.empty()) key += ' ';
        key += analyzer().stem(w);
    }
    return key;
}

void Synonyms::add_group(const std::vector<std::string>& members, const std::string& source) {
    Group g;
    g.source = source;
    std::set<std::string> seen;
    for (const auto& m : members) {
        Expression e;
        e.display = m;
        for (const auto& t : analyzer().tokens(m)) e.words.push_back(t.folded);
        // Longer than a query span: never matched, and as an alternative a costly phrase of prose
        // (what an index built before the abbreviation-table check may hold).
        if (e.words.size() > kMaxWindow) continue;
        const std::string key = key_of(e.words);
        if (key.empty() || !seen.insert(key).second) continue;
        g.members.push_back(std::move(e));
    }
    if (g.members.size() < 2) return;
    if (source != "taxonomy")
        for (const auto& m : g.members)
            if (m.words.size() == 1 && looks_like_acronym(m.display)) acronyms_.insert(m.words[0]);
    const std::size_t gi = groups_.size();
    for (std::size_t mi = 0; mi < g.members.size(); ++mi) {
        const std::string key = key_of(g.members[mi].words);
        index_.emplace(key, std::make_pair(gi, mi));
        longest_ = std::max(longest_, static_cast<std::size_t>(std::count(key.begin(), key.end(), ' ') + 1));
    }
    groups_.push_back(std::move(g));
}

namespace {

std::vector<std::string> group_terms(const Poco::JSON::Object::Ptr& group, const fs::path& file) {
    if (!group) throw InputError(file.string() + ": a group is not an object with \"terms\" and \"why\"");
    auto terms = group->getArray("terms");
    if (!terms || terms->size() < 2) throw InputError(file.string() + ": a group needs two or more \"terms\"");
    // A group without its reason cannot be reviewed (docs/search.md, "Thesaurus").
    if (!group->has("why") || group->getValue<std::string>("why").empty())
        throw InputError(file.string() + ": group '" + terms->getElement<std::string>(0) + "' gives no \"why\"");
    std::vector<std::string> members;
    for (std::size_t j = 0; j < terms->size(); ++j) members.push_back(terms->getElement<std::string>(static_cast<unsigned>(j)));
    return members;
}

// (host place, folded mission key) of each registry mission with a host; none without a registry.
std::vector<std::pair<std::string, std::string>> mission_hosts(const fs::path& db_dir) {
    auto hosts = catalog::mission_hosts(db_dir);
    for (auto& [host, key] : hosts) key = text::fold(key);
    return hosts;
}

}  // namespace

std::vector<std::string> Synonyms::missions_hosted_by(const std::string& place) const {
    std::vector<std::string> out;
    auto [lo, hi] = hosted_.equal_range(place);
    for (auto it = lo; it != hi; ++it) out.push_back(it->second);
    return out;
}

void Synonyms::add_file(const fs::path& file, const std::string& source) {
    std::ifstream in(file);
    if (!in) throw InputError("cannot read thesaurus file " + file.string());
    std::stringstream buf;
    buf << in.rdbuf();
    try {
        Poco::JSON::Parser parser;
        auto root = parser.parse(buf.str()).extract<Poco::JSON::Object::Ptr>();
        auto groups = root->getArray("groups");
        if (!groups) throw InputError(file.string() + ": no \"groups\" array");
        for (std::size_t i = 0; i < groups->size(); ++i)
            add_group(group_terms(groups->getObject(static_cast<unsigned>(i)), file), source);
    } catch (const Poco::Exception& e) {
        throw InputError(file.string() + ": " + e.displayText());
    }
}

Synonyms Synonyms::load(const fs::path& db_dir, SynonymSources sources) {
    Synonyms s;
    if (sources.corpus) {
        // Acronym <-> expansions, one group per acronym (all expansions seen in the corpus).
        std::map<std::string, std::vector<std::string>> by_acronym;
        for (const auto& a : catalog::load_acronyms(db_dir)) {
            auto& v = by_acronym[a.acronym];
            if (v.empty()) v.push_back(a.acronym);
            if (std::find(v.begin(), v.end(), a.expansion) == v.end()) v.push_back(a.expansion);
        }
        for (const auto& [acronym, members] : by_acronym) s.add_group(members, "acronym");
        for (const auto& names : catalog::registry_names(db_dir)) s.add_group(names, "registry");
        for (const auto& [place, mission] : mission_hosts(db_dir)) s.add_host(place, mission);
    }
    if (sources.taxonomy) {
        for (const auto& c : taxonomy::load_taxonomy(taxonomy::default_taxonomy_dir() / taxonomy::kTaxonomyFile).categories) {
            std::vector<std::string> members{c.pref_label};
            members.insert(members.end(), c.alt_labels.begin(), c.alt_labels.end());
            s.add_group(members, "taxonomy");
        }
    }
    if (sources.thesaurus) s.add_file(default_data_dir() / "thesaurus.json", "thesaurus");
    return s;
}

namespace {

void add_alternative(Expansion& e, const Expression& alt, const std::string& source) {
    const bool dup = std::any_of(e.alternatives.begin(), e.alternatives.end(),
                                 [&](const Expression& x) { return x.words == alt.words; });
    if (dup) return;
    e.alternatives.push_back(alt);
    e.alternatives.back().source = source;
}

}  // namespace

std::vector<Expansion> Synonyms::find_impl(const std::vector<std::string>& words, const std::vector<bool>& acronym_ok,
                                           std::size_t max_span) const {
    std::vector<Expansion> found;
    std::size_t i = 0;
    while (i < words.size()) {
        bool matched = false;
        // Longest span first; spans may not start on a stop word.
        const std::size_t max_len = std::min({words.size() - i, kMaxWindow, 2 * longest_ + 1, max_span});
        for (std::size_t len = text::is_stopword(words[i]) ? 0 : max_len; len >= 1; --len) {
            if (text::is_stopword(words[i + len - 1])) continue;
            const std::vector<std::string> span(words.begin() + static_cast<std::ptrdiff_t>(i),
                                                words.begin() + static_cast<std::ptrdiff_t>(i + len));
            const std::string key = key_of(span);
            auto [lo, hi] = index_.equal_range(key);
            Expansion e;
            for (auto it = lo; it != hi; ++it) {
                const Group& g = groups_[it->second.first];
                const Expression& self = g.members[it->second.second];
                if (len == 1 && looks_like_acronym(self.display) && !acronym_ok[i]) continue;
                for (std::size_t m = 0; m < g.members.size(); ++m)
                    if (m != it->second.second && key_of(g.members[m].words) != key) add_alternative(e, g.members[m], g.source);
                e.sources.push_back(g.source);
            }
            if (e.alternatives.empty()) continue;
            // The span's own words keep their groups ("ceasefire" of "ceasefire monitoring" is also
            // a cessation of hostilities): the longest span wins the position, not every meaning.
            if (len > 1) {
                const std::vector<bool> ok(acronym_ok.begin() + static_cast<std::ptrdiff_t>(i),
                                           acronym_ok.begin() + static_cast<std::ptrdiff_t>(i + len));
                for (const auto& inner : find_impl(span, ok, len - 1)) {
                    for (const auto& alt : inner.alternatives) add_alternative(e, alt, alt.source);
                    for (const auto& src : inner.sources)
                        if (std::find(e.sources.begin(), e.sources.end(), src) == e.sources.end()) e.sources.push_back(src);
                }
            }
            e.first = i;
            e.last = i + len;
            for (const auto& w : span) e.matched += (e.matched.empty() ? "" : " ") + w;
            found.push_back(std::move(e));
            i += len;
            matched = true;
            break;
        }
        if (!matched) ++i;
    }
    return found;
}

}  // namespace mandala::search
