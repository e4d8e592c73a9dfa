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

void split_count(const std::string& value, std::map<std::string, std::size_t>& counts) {
    std::size_t i = 0;
    while (i < value.size()) {
        std::size_t j = value.find('\n', i);
        if (j == std::string::npos) j = value.size();
        if (j > i) ++counts[value.substr(i, j - i)];
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

void MultiValueSpy::operator()(const Xapian::Document& doc, double) { split_count(doc.get_value(slot_), counts_); }

void YearSpy::operator()(const Xapian::Document& doc, double) {
    const std::string v = doc.get_value(slot_);
    if (v.empty()) return;
    const int year = static_cast<int>(Xapian::sortable_unserialise(v));
    ++years_[std::to_string(year)];
    ++decades_[std::to_string(year / 10 * 10) + "s"];
}

FacetTable::FacetTable(const Xapian::Database& db) {
    const std::size_t docs = static_cast<std::size_t>(db.get_lastdocid()) + 1;
    for (const auto& f : kFacets) {
        if (f.prefix.empty()) continue;
        Facet facet;
        facet.name = f.name;
        facet.begin.assign(docs + 1, 0);
        std::map<std::string, std::uint32_t> id_of;
        std::size_t next = 1;  // docids start at 1; begin[d] is set for every d up to the next document
        for (auto it = db.valuestream_begin(f.slot); it != db.valuestream_end(f.slot); ++it) {
            const std::size_t d = static_cast<std::size_t>(it.get_docid());
            for (; next <= d; ++next) facet.begin[next] = static_cast<std::uint32_t>(facet.ids.size());
            const std::string v = *it;
            std::size_t i = 0;
            while (i < v.size()) {  // as split_count(): '\n'-separated keys, empty ones skipped
                std::size_t j = v.find('\n', i);
                if (j == std::string::npos) j = v.size();
                if (j > i) {
                    auto [at, added] = id_of.emplace(v.substr(i, j - i), static_cast<std::uint32_t>(facet.values.size()));
                    if (added) facet.values.push_back(at->first);
                    facet.ids.push_back(at->second);
                }
                i = j + 1;
            }
        }
        for (; next <= docs; ++next) facet.begin[next] = static_cast<std::uint32_t>(facet.ids.size());
        multi_.push_back(std::move(facet));
    }
    years_.assign(docs, 0);
    for (auto it = db.valuestream_begin(schema::kYearSlot); it != db.valuestream_end(schema::kYearSlot); ++it) {
        const std::string v = *it;
        if (!v.empty()) years_[it.get_docid()] = static_cast<int>(Xapian::sortable_unserialise(v));
    }
}

FacetTableSpy::FacetTableSpy(const FacetTable& table) : table_(table) {
    for (const auto& f : table.multi()) counts_.emplace_back(f.values.size(), 0);
}

void FacetTableSpy::operator()(const Xapian::Document& doc, double) {
    const std::size_t d = doc.get_docid();
    const auto& multi = table_.multi();
    for (std::size_t f = 0; f < multi.size(); ++f) {
        if (d + 1 >= multi[f].begin.size()) continue;  // a document newer than the table
        for (std::uint32_t k = multi[f].begin[d]; k < multi[f].begin[d + 1]; ++k) ++counts_[f][multi[f].ids[k]];
    }
    if (d < table_.years().size() && table_.years()[d]) ++years_[table_.years()[d]];
}

FacetCounts FacetTableSpy::counts(std::size_t max_values) const {
    FacetCounts out;
    const auto& multi = table_.multi();
    for (std::size_t f = 0; f < multi.size(); ++f) {
        std::map<std::string, std::size_t> m;
        for (std::size_t id = 0; id < counts_[f].size(); ++id)
            if (counts_[f][id]) m[multi[f].values[id]] = counts_[f][id];
        out[multi[f].name] = sorted(m, max_values);
    }
    std::map<std::string, std::size_t> years, decades;  // as YearSpy keys them
    for (const auto& [year, n] : years_) {
        years[std::to_string(year)] += n;
        decades[std::to_string(year / 10 * 10) + "s"] += n;
    }
    out["year"] = sorted(years, max_values);
    out["decade"] = sorted(decades, max_values);
    return out;
}

FacetCollector::FacetCollector() : year_(std::make_unique<YearSpy>(schema::kYearSlot)) {
    for (const auto& f : kFacets)
        if (!f.prefix.empty()) multi_.emplace_back(f.name, std::make_unique<MultiValueSpy>(f.slot));
}

FacetCollector::FacetCollector(const FacetTable* table) {
    if (table)
        table_ = std::make_unique<FacetTableSpy>(*table);
    else
        *this = FacetCollector();
}

void FacetCollector::attach(Xapian::Enquire& enquire) {
    if (table_) {
        enquire.add_matchspy(table_.get());
        return;
    }
    for (auto& [name, spy] : multi_) enquire.add_matchspy(spy.get());
    enquire.add_matchspy(year_.get());
}

FacetCounts FacetCollector::counts(std::size_t max_values) const {
    if (table_) return table_->counts(max_values);
    FacetCounts out;
    for (const auto& [name, spy] : multi_) out[name] = sorted(spy->counts(), max_values);
    out["year"] = sorted(year_->years(), max_values);
    out["decade"] = sorted(year_->decades(), max_values);
    return out;
}

}  // namespace mandala::search
