#pragma once
// Facets: counts of every value of category, organization, mission, place, document, section kind,
// year and decade over the whole match set, gathered by match spies in the same pass as the
// ranking; and the filters that select facet values (OR within a facet, AND across facets).
#include <xapian.h>

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

// All facet spies of one search, registered on an Enquire and read after get_mset. They are
// Xapian's own ValueCountMatchSpy (one per slot), because only spies Xapian knows can be sent to
// remote shards (xapian-tcpsrv) and merged back; a slot holding '\n'-separated keys is counted
// per whole value and split afterwards (each passage holds a value once, so the per-key counts
// are the same), and the year slot is unserialised into years and decades afterwards.
class FacetCollector {
public:
    FacetCollector();
    void attach(Xapian::Enquire& enquire);
    // `max_values` per facet (0 = all), most frequent first, ties by value.
    FacetCounts counts(std::size_t max_values = 0) const;

private:
    std::vector<std::pair<std::string, std::unique_ptr<Xapian::ValueCountMatchSpy>>> multi_;
    std::unique_ptr<Xapian::ValueCountMatchSpy> year_;
};

}  // namespace mandala::search
