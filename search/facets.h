#pragma once
// Facets: counts of every value of category, organization, mission, place, document, section kind,
// year and decade over the whole match set, gathered by match spies in the same pass as the
// ranking; and the filters that select facet values (OR within a facet, AND across facets).
#include <xapian.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace mandala::search {

struct FacetCount {
    std::string value;
    std::size_t count = 0;
};

// Facet name -> values with counts, most frequent first.
using FacetCounts = std::map<std::string, std::vector<FacetCount>>;

// Selected values per facet name ("category" -> {"ddr", "ssr"}).
using FacetFilters = std::map<std::string, std::vector<std::string>>;

// Names accepted by --filter and the HTTP API, each with its aliases resolved.
const std::vector<std::string>& facet_names();
// Canonical facet name for a name or alias ("org" -> "organization"); throws InputError if unknown.
std::string canonical_facet(const std::string& name);

// The boolean query selecting `filters`, or an empty query when there are none. Values are folded
// like indexed keys; year values accept "2010", "2005..2010"; decades "2010s".
Xapian::Query filter_query(const FacetFilters& filters);

// Counts values of a slot holding '\n'-separated keys (ValueCountMatchSpy counts whole values).
class MultiValueSpy : public Xapian::MatchSpy {
public:
    explicit MultiValueSpy(Xapian::valueno slot) : slot_(slot) {}
    void operator()(const Xapian::Document& doc, double weight) override;
    const std::map<std::string, std::size_t>& counts() const { return counts_; }
    std::string name() const override { return "Mandala::MultiValueSpy"; }

private:
    Xapian::valueno slot_;
    std::map<std::string, std::size_t> counts_;
};

// Counts the document year (sortable-serialised slot) by year and by decade.
class YearSpy : public Xapian::MatchSpy {
public:
    explicit YearSpy(Xapian::valueno slot) : slot_(slot) {}
    void operator()(const Xapian::Document& doc, double weight) override;
    const std::map<std::string, std::size_t>& years() const { return years_; }
    const std::map<std::string, std::size_t>& decades() const { return decades_; }
    std::string name() const override { return "Mandala::YearSpy"; }

private:
    Xapian::valueno slot_;
    std::map<std::string, std::size_t> years_, decades_;
};

// Every passage's facet values, read once from the value slots of a database and held by
// docid, so that counting a match is a few array increments instead of reading and splitting
// its values. Built from one Database snapshot; valid for that snapshot only.
class FacetTable {
public:
    explicit FacetTable(const Xapian::Database& db);

    struct Facet {
        std::string name;
        std::vector<std::string> values;    // value id -> key
        std::vector<std::uint32_t> begin;   // docid -> first index into ids (size lastdocid + 2)
        std::vector<std::uint32_t> ids;     // value ids of every document, in docid order
    };
    const std::vector<Facet>& multi() const { return multi_; }
    // Document year by docid (0: none).
    const std::vector<int>& years() const { return years_; }

private:
    std::vector<Facet> multi_;
    std::vector<int> years_;
};

// Counts the facets of each match from a FacetTable, by docid.
class FacetTableSpy : public Xapian::MatchSpy {
public:
    explicit FacetTableSpy(const FacetTable& table);
    void operator()(const Xapian::Document& doc, double weight) override;
    std::string name() const override { return "Mandala::FacetTableSpy"; }
    FacetCounts counts(std::size_t max_values) const;

private:
    const FacetTable& table_;
    std::vector<std::vector<std::size_t>> counts_;  // per multi facet, per value id
    std::map<int, std::size_t> years_;
};

// All facet spies of one search, registered on an Enquire and read after get_mset. With a
// FacetTable the counts come from it (the same counts, read faster).
class FacetCollector {
public:
    FacetCollector();
    explicit FacetCollector(const FacetTable* table);
    void attach(Xapian::Enquire& enquire);
    // `max_values` per facet (0 = all), most frequent first, ties by value.
    FacetCounts counts(std::size_t max_values = 0) const;

private:
    std::vector<std::pair<std::string, std::unique_ptr<MultiValueSpy>>> multi_;
    std::unique_ptr<YearSpy> year_;
    std::unique_ptr<FacetTableSpy> table_;
};

}  // namespace mandala::search
