#include "search/facets.h"

#include <algorithm>
#include <numeric>

#include "catalog/xapian_schema.h"
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

// Sort key of a passage in a single database: the rank of its document id value, 4 bytes
// big-endian, so that byte order is rank order is the values' std::string order.
class DocumentOrder : public Xapian::KeyMaker {
public:
    explicit DocumentOrder(const std::vector<std::uint32_t>& rank) : rank_(rank) {}
    std::string operator()(const Xapian::Document& doc) const override {
        const Xapian::docid d = doc.get_docid();
        const std::uint32_t r = d < rank_.size() ? rank_[d] : 0;
        const char key[4] = {static_cast<char>(r >> 24), static_cast<char>(r >> 16), static_cast<char>(r >> 8), static_cast<char>(r)};
        return std::string(key, 4);
    }

private:
    const std::vector<std::uint32_t>& rank_;
};

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

std::string FacetTable::snapshot_of(const std::vector<Xapian::Database>& shards) {
    std::string key;
    for (const auto& db : shards) key += db.get_uuid() + "@" + std::to_string(db.get_revision()) + ";";
    return key;
}

// Keys of each facet as read (their ids in first-seen order), and (docid, facet | id) pairs; the
// keys are sorted and renumbered once all are known. Kept to 8 bytes an entry and reserved up
// front (pages are only touched as used): the build's transient memory is the serve process's
// peak otherwise.
struct FacetTable::Reading {
    static constexpr unsigned kIdBits = 28;
    struct Entry {
        Xapian::docid doc;
        std::uint32_t facet_id;  // facet << kIdBits | id
    };
    explicit Reading(const std::vector<Xapian::Database>& shards)
        : shards(static_cast<std::uint32_t>(shards.size())) {
        for (std::uint32_t s = 0; s < this->shards; ++s)
            if (const Xapian::docid l = shards[s].get_lastdocid()) last = std::max(last, combined(l, s));
        for (const auto& db : shards) total_docs += db.get_doccount();
        entries.reserve(static_cast<std::size_t>(total_docs) * 16);
    }

    Xapian::docid combined(Xapian::docid local, std::uint32_t shard) const {
        return (local - 1) * shards + shard + 1;
    }

    void add(std::uint32_t facet, Xapian::docid doc, std::string_view key) {
        auto& k = keys[facet];
        auto it = k.find(key);
        if (it == k.end()) {
            if (k.size() >= (1u << kIdBits)) throw Xapian::InvalidOperationError("too many facet values for the facet table");
            it = k.emplace(std::string(key), static_cast<std::uint32_t>(k.size())).first;
        }
        entries.push_back({doc, facet << kIdBits | it->second});
    }

    // As split_count(): '\n'-separated keys, empty ones skipped.
    void add_split(std::uint32_t facet, Xapian::docid doc, std::string_view value) {
        std::size_t i = 0;
        while (i < value.size()) {
            std::size_t j = value.find('\n', i);
            if (j == std::string::npos) j = value.size();
            if (j > i) add(facet, doc, value.substr(i, j - i));
            i = j + 1;
        }
    }

    const std::uint32_t shards;
    Xapian::docid last = 0;  // the highest combined docid
    Xapian::doccount total_docs = 0;
    std::vector<Entry> entries;
    std::vector<KeyIds> keys;  // per facet
    // One database: (docid, id of its whole kDocSlot value), the values' ids in whole_doc_values.
    std::vector<std::pair<Xapian::docid, std::uint32_t>> doc_values;
    KeyIds whole_doc_values;
    Xapian::doccount with_doc_id = 0;  // several shards: passages with a document id
};

FacetTable::FacetTable(const std::vector<Xapian::Database>& shards)
    : shards_(static_cast<std::uint32_t>(shards.size())), snapshot_(snapshot_of(shards)) {
    Reading read(shards);
    for (const auto& f : kFacets)
        if (!f.prefix.empty()) read_keyed_facet(shards, f.name, f.slot, read);
    read_years(shards, read);
    // Several shards: every passage needs a document id for its shard to be found.
    if (shards_ > 1 && (read.with_doc_id != read.total_docs || shard_of_doc_.count(""))) usable_ = false;
    const auto renumbered = number_values(read.keys);
    if (shards_ == 1) rank_documents(read);
    lay_out_rows(read, renumbered);
}

void FacetTable::read_keyed_facet(const std::vector<Xapian::Database>& shards, const std::string& name,
                                  Xapian::valueno slot, Reading& read) {
    const auto facet = static_cast<std::uint32_t>(facets_.size());
    facets_.push_back({name});
    read.keys.emplace_back();
    for (std::uint32_t s = 0; s < shards_; ++s) {
        for (auto it = shards[s].valuestream_begin(slot); it != shards[s].valuestream_end(slot); ++it) {
            const Xapian::docid doc = read.combined(it.get_docid(), s);
            const std::string v = *it;
            read.add_split(facet, doc, v);
            if (slot != schema::kDocSlot) continue;
            if (shards_ == 1) {
                auto at = read.whole_doc_values
                              .try_emplace(v, static_cast<std::uint32_t>(read.whole_doc_values.size()))
                              .first;
                read.doc_values.emplace_back(doc, at->second);
            } else {
                // Several shards: the spy finds a passage's shard from its document id.
                ++read.with_doc_id;
                auto [at, added] = shard_of_doc_.emplace(v, s);
                if (!added && at->second != s) usable_ = false;
            }
        }
    }
}

// Year and decade, keyed as FacetCollector keys them from the year slot.
void FacetTable::read_years(const std::vector<Xapian::Database>& shards, Reading& read) {
    const auto year = static_cast<std::uint32_t>(facets_.size());
    facets_.push_back({"year"});
    facets_.push_back({"decade"});
    read.keys.resize(facets_.size());
    for (std::uint32_t s = 0; s < shards_; ++s) {
        for (auto it = shards[s].valuestream_begin(schema::kYearSlot); it != shards[s].valuestream_end(schema::kYearSlot); ++it) {
            const std::string v = *it;
            if (v.empty()) continue;
            const int y = static_cast<int>(Xapian::sortable_unserialise(v));
            const Xapian::docid doc = read.combined(it.get_docid(), s);
            read.add(year, doc, std::to_string(y));
            read.add(year + 1, doc, std::to_string(y / 10 * 10) + "s");
        }
    }
}

// Value ids: every facet's keys in key order (std::string order, as FacetCollector's maps),
// facet after facet, so a facet's counts are one contiguous range ordered like its keys.
// Returns, per facet, the value id of each key id as read.
std::vector<std::vector<std::uint32_t>> FacetTable::number_values(const std::vector<KeyIds>& keys) {
    std::vector<std::vector<std::uint32_t>> renumber(facets_.size());
    for (std::size_t f = 0; f < facets_.size(); ++f) {
        std::vector<std::pair<std::string_view, std::uint32_t>> sorted_keys;
        for (const auto& [k, id] : keys[f]) sorted_keys.emplace_back(k, id);
        std::sort(sorted_keys.begin(), sorted_keys.end());
        facets_[f].first = static_cast<std::uint32_t>(values_.size());
        renumber[f].resize(sorted_keys.size());
        for (const auto& [k, id] : sorted_keys) {
            renumber[f][id] = static_cast<std::uint32_t>(values_.size());
            values_.emplace_back(k);
        }
        facets_[f].last = static_cast<std::uint32_t>(values_.size());
    }
    return renumber;
}

// Ranks of the whole kDocSlot values in std::string order, from 1 ("" and none: 0).
void FacetTable::rank_documents(const Reading& read) {
    std::vector<std::pair<std::string_view, std::uint32_t>> distinct;  // (value, id), sorted
    for (const auto& [v, id] : read.whole_doc_values) distinct.emplace_back(v, id);
    std::sort(distinct.begin(), distinct.end());
    std::vector<std::uint32_t> rank(distinct.size());
    std::uint32_t next = 1;
    for (const auto& [v, id] : distinct) rank[id] = v.empty() ? 0 : next++;
    doc_rank_.assign(static_cast<std::size_t>(read.last) + 1, 0);
    for (const auto& [d, id] : read.doc_values) doc_rank_[d] = rank[id];
    document_order_ = std::make_unique<DocumentOrder>(doc_rank_);
}

// Compressed rows by docid (a counting sort of the entries).
void FacetTable::lay_out_rows(const Reading& read,
                              const std::vector<std::vector<std::uint32_t>>& renumbered) {
    begin_.assign(static_cast<std::size_t>(read.last) + 2, 0);
    for (const auto& e : read.entries) ++begin_[e.doc + 1];
    std::partial_sum(begin_.begin(), begin_.end(), begin_.begin());
    ids_.resize(read.entries.size());
    std::vector<std::uint32_t> at(begin_.begin(), begin_.end() - 1);
    const std::uint32_t id_mask = (1u << Reading::kIdBits) - 1;
    for (const auto& e : read.entries)
        ids_[at[e.doc]++] = renumbered[e.facet_id >> Reading::kIdBits][e.facet_id & id_mask];
}

FacetTable::~FacetTable() = default;

std::size_t FacetTable::facet_index(std::string_view name) const {
    std::size_t i = 0;
    while (i < facets_.size() && facets_[i].name != name) ++i;
    return i;
}

std::vector<std::string> FacetTable::keys(Xapian::docid combined, std::size_t facet) const {
    // A passage's ids are in the order they were read (facet by facet, each value's keys in
    // order) since the counting sort that laid them out is stable.
    std::vector<std::string> out;
    const auto [from, to] = ids(combined);
    for (const std::uint32_t* id = from; id != to; ++id)
        if (*id >= facets_[facet].first && *id < facets_[facet].last) out.push_back(values_[*id]);
    return out;
}

std::size_t FacetTable::memory_bytes() const {
    std::size_t bytes = (begin_.capacity() + ids_.capacity() + doc_rank_.capacity()) * sizeof(std::uint32_t);
    for (const auto& v : values_) bytes += sizeof v + (v.size() > 15 ? v.capacity() : 0);
    for (const auto& [k, s] : shard_of_doc_) bytes += k.capacity() + 48;
    return bytes;
}

Xapian::docid FacetTable::combined_docid(const Xapian::Document& doc) const {
    const Xapian::docid local = doc.get_docid();
    if (shards_ == 1) return local;
    const auto it = shard_of_doc_.find(doc.get_value(schema::kDocSlot));
    if (it == shard_of_doc_.end()) return 0;  // not in this snapshot: counted nowhere (usable() ruled it out)
    return (local - 1) * shards_ + it->second + 1;
}

std::shared_ptr<const FacetTable> FacetTables::get(const std::vector<Xapian::Database>& shards) {
    const std::string key = FacetTable::snapshot_of(shards);
    std::lock_guard lock(mutex_);
    std::erase_if(tables_, [](const auto& t) { return t.second.expired(); });
    for (const auto& [k, table] : tables_)
        if (k == key)
            if (auto t = table.lock()) return t;
    // Not make_shared: the weak pointer kept here must not keep the table's memory alive.
    std::shared_ptr<const FacetTable> t(new FacetTable(shards));
    tables_.emplace_back(key, t);
    return t;
}

void FacetTableSpy::operator()(const Xapian::Document& doc, double) {
    const auto [from, to] = table_.ids(table_.combined_docid(doc));
    for (const std::uint32_t* id = from; id != to; ++id) ++counts_[*id];
}

FacetCounts FacetTableSpy::counts(std::size_t max_values) const {
    FacetCounts out;
    for (const auto& f : table_.facets()) {
        // Value ids are in key order, so (count desc, id asc) is FacetCollector's order: most
        // frequent first, ties by value. Only the values kept are turned into strings.
        std::vector<std::pair<std::uint32_t, std::uint32_t>> nonzero;  // (count, id)
        for (std::uint32_t id = f.first; id < f.last; ++id)
            if (counts_[id]) nonzero.emplace_back(counts_[id], id);
        auto order = [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; };
        const std::size_t keep = max_values ? std::min(max_values, nonzero.size()) : nonzero.size();
        std::partial_sort(nonzero.begin(), nonzero.begin() + static_cast<std::ptrdiff_t>(keep), nonzero.end(), order);
        auto& values = out[f.name];
        values.reserve(keep);
        for (std::size_t i = 0; i < keep; ++i) values.push_back({table_.value(nonzero[i].second), nonzero[i].first});
    }
    return out;
}

FacetCollector::FacetCollector(const FacetTable* table) {
    if (table) {
        table_ = std::make_unique<FacetTableSpy>(*table);
        return;
    }
    year_ = std::make_unique<Xapian::ValueCountMatchSpy>(schema::kYearSlot);
    for (const auto& f : kFacets)
        if (!f.prefix.empty()) multi_.emplace_back(f.name, std::make_unique<Xapian::ValueCountMatchSpy>(f.slot));
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
