#pragma once
// Facets: counts of every value of category, organization, mission, place, document, section kind,
// year and decade over the whole match set, gathered by match spies in the same pass as the
// ranking; and the filters that select facet values (OR within a facet, AND across facets).
#include <xapian.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
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

// The facet values of every passage of one opened index snapshot, read once from the value slots
// (FacetCollector's keys, split the same way), as small integer ids: counting a match is then a
// few array increments instead of seven value reads and std::map look-ups per match. Immutable;
// one is shared by every Searcher over the same snapshot (FacetTables), never copied per searcher.
//
// Built when first needed from the value streams rather than written at index time: on the
// 2,000-document benchmark index (117k passages) it takes ~0.1 s and ~6 MB, paid once per
// snapshot (a re-index makes a new snapshot), and the index format stays as it is.
class FacetTable {
public:
    // `shards`: the local shards in the order they were added to the combined database.
    explicit FacetTable(const std::vector<Xapian::Database>& shards);
    ~FacetTable();
    FacetTable(const FacetTable&) = delete;
    FacetTable& operator=(const FacetTable&) = delete;

    // Identifies the snapshot of `shards`: every shard's uuid and revision.
    static std::string snapshot_of(const std::vector<Xapian::Database>& shards);
    const std::string& snapshot() const { return snapshot_; }
    // False when the spy could not tell a passage's shard (several shards hold one document id,
    // or a passage has no document id): the collector then counts with Xapian's spies.
    bool usable() const { return usable_; }
    std::size_t memory_bytes() const;

    struct Facet {
        std::string name;
        std::uint32_t first = 0, last = 0;  // its value ids, [first, last), in key order
    };
    const std::vector<Facet>& facets() const { return facets_; }
    const std::string& value(std::uint32_t id) const { return values_[id]; }
    std::size_t value_count() const { return values_.size(); }

    // Index into facets() of a facet name (facets().size() when unknown).
    std::size_t facet_index(std::string_view name) const;
    // The keys of facet `facet` (an index into facets()) of the passage with `combined` docid, in
    // the order its value slot lists them: what splitting the slot's value gives, without reading it.
    std::vector<std::string> keys(Xapian::docid combined, std::size_t facet) const;

    // The value ids of the passage with `docid` in the combined database (none beyond the table).
    std::pair<const std::uint32_t*, const std::uint32_t*> ids(Xapian::docid combined) const {
        if (combined + 1 >= begin_.size()) return {nullptr, nullptr};
        return {ids_.data() + begin_[combined], ids_.data() + begin_[combined + 1]};
    }
    // One local database: the key ordering passages by their document id value (kDocSlot), as
    // set_sort_by_relevance_then_value(kDocSlot) orders ties, but from memory: Xapian otherwise
    // reads the value stream for every candidate of the full match pass. Null with several shards
    // (finding a passage's shard already reads that value).
    Xapian::KeyMaker* document_order() const { return document_order_.get(); }

    // The combined docid of a document a match spy sees. Xapian hands spies the docid within the
    // document's own shard (Document::get_docid), so with several shards the shard is found from
    // the document id value (a document lives in one shard); the combined docid then follows
    // Xapian's interleaving: (local - 1) * shards + shard + 1.
    Xapian::docid combined_docid(const Xapian::Document& doc) const;

private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    using KeyIds = std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>>;  // key -> id
    // The constructor's steps: read every facet's keys from the value slots, number them, rank the
    // documents (one database) and lay out the rows.
    struct Reading;  // what is read before the keys are numbered (facets.cpp)
    void read_keyed_facet(const std::vector<Xapian::Database>& shards, const std::string& name,
                          Xapian::valueno slot, Reading& read);
    void read_years(const std::vector<Xapian::Database>& shards, Reading& read);
    std::vector<std::vector<std::uint32_t>> number_values(const std::vector<KeyIds>& keys);
    void rank_documents(const Reading& read);
    void lay_out_rows(const Reading& read, const std::vector<std::vector<std::uint32_t>>& renumbered);

    std::vector<Facet> facets_;
    std::vector<std::string> values_;      // value id -> key
    std::vector<std::uint32_t> begin_;     // combined docid -> first index into ids_ (lastdocid + 2 entries)
    std::vector<std::uint32_t> ids_;       // value ids of every passage, by combined docid
    std::vector<std::uint32_t> doc_rank_;  // combined docid -> rank of its kDocSlot value (0: none)
    std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>> shard_of_doc_;  // several shards only
    std::uint32_t shards_ = 1;
    bool usable_ = true;
    std::unique_ptr<Xapian::KeyMaker> document_order_;
    std::string snapshot_;
};

// The facet tables of one process, one per index snapshot in use: searchers over the same
// snapshot (the web service's pool) share one; a table is freed with the last searcher using it.
class FacetTables {
public:
    // The table of the snapshot of `shards`, read now if no searcher holds it.
    std::shared_ptr<const FacetTable> get(const std::vector<Xapian::Database>& shards);

private:
    std::mutex mutex_;  // held while a table is read: concurrent searches wait for that one read
    std::vector<std::pair<std::string, std::weak_ptr<const FacetTable>>> tables_;
};

// Counts the facet values of each match from a FacetTable: one counter per value id.
class FacetTableSpy : public Xapian::MatchSpy {
public:
    explicit FacetTableSpy(const FacetTable& table) : table_(table), counts_(table.value_count(), 0) {}
    void operator()(const Xapian::Document& doc, double weight) override;
    std::string name() const override { return "Mandala::FacetTableSpy"; }
    FacetCounts counts(std::size_t max_values) const;

private:
    const FacetTable& table_;
    std::vector<std::uint32_t> counts_;
};

// All facet spies of one search, registered on an Enquire and read after get_mset. Without a
// table they are Xapian's own ValueCountMatchSpy (one per slot), because only spies Xapian knows
// can be sent to remote shards (xapian-tcpsrv) and merged back; a slot holding '\n'-separated keys
// is counted per whole value and split afterwards (each passage holds a value once, so the
// per-key counts are the same), and the year slot is unserialised into years and decades
// afterwards. With a table (every shard local) one FacetTableSpy gives the same counts.
class FacetCollector {
public:
    explicit FacetCollector(const FacetTable* table = nullptr);
    void attach(Xapian::Enquire& enquire);
    // `max_values` per facet (0 = all), most frequent first, ties by value.
    FacetCounts counts(std::size_t max_values = 0) const;

private:
    std::vector<std::pair<std::string, std::unique_ptr<Xapian::ValueCountMatchSpy>>> multi_;
    std::unique_ptr<Xapian::ValueCountMatchSpy> year_;
    std::unique_ptr<FacetTableSpy> table_;
};

}  // namespace mandala::search
