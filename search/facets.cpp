#include "search/facets.h"

#include <algorithm>

#include "indexer/schema.h"
#include "text/errors.h"
#include "text/unicode.h"

namespace mandala::search {
namespace {

struct FacetDef {
    const char* name;
    std::string_view prefix;   // boolean term prefix used for filtering ("" for value ranges)
    Xapian::valueno slot;      // slot the spy reads
};

// Year and decade filter on the document year slot, so they agree with their counts.
const FacetDef kFacets[] = {
    {"category", schema::kCategoryPrefix, schema::kCategoriesSlot},
    {"organization", schema::kOrgPrefix, schema::kOrgsSlot},
    {"mission", schema::kMissionPrefix, schema::kMissionsSlot},
    {"place", schema::kPlacePrefix, schema::kPlacesSlot},
    {"document", schema::kDocPrefix, schema::kDocSlot},
    {"section_kind", schema::kSectionKindPrefix, schema::kSectionKindSlot},
    {"year", "", schema::kYearSlot},
    {"decade", "", schema::kYearSlot},
};

const std::map<std::string, std::string>& aliases() {
    static const std::map<std::string, std::string> a{
        {"org", "organization"}, {"doc", "document"}, {"kind", "section_kind"}, {"categories", "category"},
    };
    return a;
}

int parse_year(const std::string& s) {
    if (s.empty() || s.size() > 4 || s.find_first_not_of("0123456789") != std::string::npos)
        throw InputError("not a year: '" + s + "'");
    return std::stoi(s);
}

Xapian::Query year_range(int from, int to) {
    return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kYearSlot, Xapian::sortable_serialise(from),
                         Xapian::sortable_serialise(to));
}

Xapian::Query year_filter(const std::string& facet, const std::string& value) {
    if (facet == "decade") {
        std::string v = value;
        if (!v.empty() && v.back() == 's') v.pop_back();
        const int d = parse_year(v) / 10 * 10;
        return year_range(d, d + 9);
    }
    if (auto dots = value.find(".."); dots != std::string::npos)
        return year_range(parse_year(value.substr(0, dots)), parse_year(value.substr(dots + 2)));
    const int y = parse_year(value);
    return year_range(y, y);
}

// Adds `n` to the count of every key of a '\n'-separated value.
void split_count(const std::string& value, std::size_t n, std::map<std::string, std::size_t>& counts) {
    std::size_t i = 0;
    while (i < value.size()) {
        std::size_t j = value.find('\n', i);
        if (j == std::string::npos) j = value.size();
        if (j > i) counts[value.substr(i, j - i)] += n;
        i = j + 1;
    }
}

std::vector<FacetCount> sorted(const std::map<std::string, std::size_t>& m, std::size_t max_values) {
    std::vector<FacetCount> v;
    for (const auto& [k, c] : m) v.push_back({k, c});
    std::stable_sort(v.begin(), v.end(), [](const FacetCount& a, const FacetCount& b) { return a.count > b.count; });
    if (max_values && v.size() > max_values) v.resize(max_values);
    return v;
}

}  // namespace

const std::vector<std::string>& facet_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> n;
        for (const auto& f : kFacets) n.emplace_back(f.name);
        return n;
    }();
    return names;
}

std::string canonical_facet(const std::string& name) {
    const std::string n = text::fold(name);
    if (auto it = aliases().find(n); it != aliases().end()) return it->second;
    for (const auto& f : kFacets)
        if (n == f.name) return n;
    std::string known;
    for (const auto& f : kFacets) known += std::string(known.empty() ? "" : ", ") + f.name;
    throw InputError("unknown facet '" + name + "' (known: " + known + ")");
}

Xapian::Query filter_query(const FacetFilters& filters) {
    std::vector<Xapian::Query> across;
    for (const auto& [raw_name, values] : filters) {
        if (values.empty()) continue;
        const std::string name = canonical_facet(raw_name);
        const FacetDef* def = nullptr;
        for (const auto& f : kFacets)
            if (name == f.name) def = &f;
        std::vector<Xapian::Query> within;
        for (const auto& v : values) {
            if (def->prefix.empty())
                within.push_back(year_filter(name, text::fold(v)));
            else
                within.emplace_back(schema::term(def->prefix, text::fold(v)));
        }
        across.emplace_back(Xapian::Query::OP_OR, within.begin(), within.end());
    }
    if (across.empty()) return Xapian::Query();
    return Xapian::Query(Xapian::Query::OP_AND, across.begin(), across.end());
}

FacetCollector::FacetCollector() : year_(std::make_unique<Xapian::ValueCountMatchSpy>(schema::kYearSlot)) {
    for (const auto& f : kFacets)
        if (!f.prefix.empty()) multi_.emplace_back(f.name, std::make_unique<Xapian::ValueCountMatchSpy>(f.slot));
}

void FacetCollector::attach(Xapian::Enquire& enquire) {
    for (auto& [name, spy] : multi_) enquire.add_matchspy(spy.get());
    enquire.add_matchspy(year_.get());
}

FacetCounts FacetCollector::counts(std::size_t max_values) const {
    FacetCounts out;
    for (const auto& [name, spy] : multi_) {
        std::map<std::string, std::size_t> keys;
        for (auto it = spy->values_begin(); it != spy->values_end(); ++it) split_count(*it, it.get_termfreq(), keys);
        out[name] = sorted(keys, max_values);
    }
    std::map<std::string, std::size_t> years, decades;
    for (auto it = year_->values_begin(); it != year_->values_end(); ++it) {
        if ((*it).empty()) continue;
        const int year = static_cast<int>(Xapian::sortable_unserialise(*it));
        years[std::to_string(year)] += it.get_termfreq();
        decades[std::to_string(year / 10 * 10) + "s"] += it.get_termfreq();
    }
    out["year"] = sorted(years, max_values);
    out["decade"] = sorted(decades, max_values);
    return out;
}

}  // namespace mandala::search
