// What the Xapian writer adds per passage: boolean filter terms and multi-valued facet slots.
#include <algorithm>
#include <map>
#include <set>

#include "catalog/xapian_schema.h"
#include "indexer/extract/entities.h"
#include "text/unicode.h"

namespace mandala::indexer {

namespace {

// Entity types that become filters, with their term prefix and facet slot.
struct Facet {
    std::string_view type;
    std::string_view prefix;
    unsigned slot;  // 0 when the type has no facet slot
};

constexpr Facet kFacets[] = {
    {"mission", schema::kMissionPrefix, schema::kMissionsSlot},
    {"organization", schema::kOrgPrefix, schema::kOrgsSlot},
    {"place", schema::kPlacePrefix, schema::kPlacesSlot},
    // A passage's own years are not its year facet (that is the document's year): see docs/schema.md.
    {"year", schema::kMentionedYearPrefix, schema::kYearsSlot},
    {"resolution", schema::kResolutionPrefix, 0},
};

const Facet* facet_of(const std::string& type) {
    for (const auto& f : kFacets)
        if (f.type == type) return &f;
    return nullptr;
}

template <typename Fn>
void for_each_mention(const SegmentedDocument& doc, int passage_index, Fn fn) {
    for (const auto& m : doc.entities)
        if (m.passage == passage_index)
            if (const Facet* f = facet_of(m.type)) fn(*f, m);
}

}  // namespace

std::vector<std::string> entity_terms(const SegmentedDocument& doc, int passage_index) {
    std::set<std::string> terms;
    for_each_mention(doc, passage_index, [&](const Facet& f, const EntityMention& m) {
        terms.insert(schema::term(f.prefix, text::fold(m.key)));
    });
    return {terms.begin(), terms.end()};
}

std::vector<std::pair<unsigned, std::string>> entity_values(const SegmentedDocument& doc, int passage_index) {
    std::map<unsigned, std::set<std::string>> keys;
    for_each_mention(doc, passage_index, [&](const Facet& f, const EntityMention& m) {
        if (f.slot) keys[f.slot].insert(m.key);
    });
    std::vector<std::pair<unsigned, std::string>> out;
    for (const auto& [slot, set] : keys) {
        std::string joined;
        for (const auto& k : set) joined += (joined.empty() ? "" : "\n") + k;
        out.emplace_back(slot, std::move(joined));
    }
    return out;
}

}  // namespace mandala::indexer
