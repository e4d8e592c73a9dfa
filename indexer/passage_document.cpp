#include "indexer/passage_document.h"

#include <set>

#include "catalog/passage_record.h"
#include "catalog/xapian_schema.h"
#include "indexer/extract/dates.h"
#include "indexer/extract/entities.h"
#include "text/analyzer.h"
#include "text/unicode.h"

namespace mandala::indexer {
namespace {

constexpr int kFirstYear = 1945;  // no peace-operations document is older than the UN Charter

const text::Analyzer& analyzer() {
    thread_local text::Analyzer a;  // ICU iterators are per-thread; building one costs more than a passage
    return a;
}

std::string join_lines(const std::set<std::string>& keys) {
    std::string out;
    for (const auto& k : keys) {
        if (!out.empty()) out += '\n';
        out += k;
    }
    return out;
}

// The record search shows for a hit, so a result page needs no SQLite look-up.
std::string display_record(const SegmentedDocument& d, const Passage& p, const Section& s) {
    catalog::PassageRecord r;
    r.id = p.id;
    r.doc = d.meta.id;
    r.title = d.meta.title;
    r.source = d.source;
    r.section = s.path;
    r.section_kind = s.kind;
    r.kind = to_string(p.kind);
    r.page = p.page;
    r.year = d.meta.year;
    r.text = p.text;
    return catalog::encode_passage_record(r);
}

void add_facets(Xapian::Document& xd, const SegmentedDocument& d, std::size_t i, const Section& s) {
    const Passage& p = d.passages[i];
    xd.add_boolean_term(schema::term(schema::kIdPrefix, p.id));
    xd.add_boolean_term(schema::term(schema::kDocPrefix, d.meta.id));
    xd.add_boolean_term(schema::term(schema::kSectionKindPrefix, s.kind));
    xd.add_boolean_term(schema::term(schema::kPassageKindPrefix, to_string(p.kind)));
    xd.add_value(schema::kDocSlot, d.meta.id);
    xd.add_value(schema::kSectionKindSlot, s.kind);
    xd.add_value(schema::kPassageKindSlot, to_string(p.kind));
    xd.add_value(schema::kYearOrderSlot, schema::year_order_key(d.meta.year, d.meta.id, p.ordinal));
    xd.add_value(schema::kOrdinalSlot, Xapian::sortable_serialise(p.ordinal));
    if (d.meta.year >= kFirstYear && d.meta.year <= last_plausible_year()) {
        xd.add_boolean_term(schema::term(schema::kYearPrefix, std::to_string(d.meta.year)));
        xd.add_value(schema::kYearSlot, Xapian::sortable_serialise(d.meta.year));
    }
    if (i < d.tags.size()) {
        std::set<std::string> categories;
        for (const auto& t : d.tags[i].tags) {
            xd.add_boolean_term(schema::term(schema::kCategoryPrefix, t.category));
            categories.insert(t.category);
        }
        if (!d.tags[i].primary.empty()) {
            xd.add_boolean_term(schema::term(schema::kPrimaryPrefix, d.tags[i].primary));
            xd.add_value(schema::kPrimarySlot, d.tags[i].primary);
        }
        if (!categories.empty()) xd.add_value(schema::kCategoriesSlot, join_lines(categories));
    }
}

void add_entities(Xapian::Document& xd, const SegmentedDocument& d, std::size_t i) {
    const int passage = static_cast<int>(i);
    for (const auto& term : entity_terms(d, passage)) xd.add_boolean_term(term);
    for (const auto& [slot, keys] : entity_values(d, passage)) xd.add_value(slot, keys);
}

void index_tokens(Xapian::Document& xd, const std::vector<text::Token>& tokens, std::string_view prefix,
                  Xapian::termpos& pos) {
    for (const auto& t : tokens) {
        if (t.folded.size() > 64) continue;  // Xapian terms are limited in length; such "words" are noise
        ++pos;
        xd.add_posting(std::string(prefix) + t.folded, pos);
        if (!t.is_number) xd.add_term(schema::stem_term(prefix, t.stem));
    }
    pos += 10;  // keep phrases from matching across fields
}

}  // namespace

void index_text(Xapian::Document& xd, std::string_view text, std::string_view prefix, Xapian::termpos& pos) {
    index_tokens(xd, analyzer().tokens(text), prefix, pos);
}

Xapian::Document build_passage_document(const SegmentedDocument& d, std::size_t i) {
    return build_passage_document(d, i, analyzer().tokens(d.passages[i].text));
}

Xapian::Document build_passage_document(const SegmentedDocument& d, std::size_t i, const std::vector<text::Token>& tokens) {
    const Passage& p = d.passages[i];
    const Section& s = d.sections[static_cast<std::size_t>(p.section)];
    Xapian::Document xd;
    Xapian::termpos pos = 0;
    index_tokens(xd, tokens, "", pos);
    for (const auto& heading : s.path) index_text(xd, heading, schema::kTitlePrefix, pos);
    add_facets(xd, d, i, s);
    add_entities(xd, d, i);
    xd.set_data(display_record(d, p, s));
    return xd;
}

}  // namespace mandala::indexer
