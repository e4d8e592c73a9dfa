#pragma once
// The one place that names Xapian term prefixes and value slots. indexer/ writes them and
// search/ reads them; a prefix spelled in two places is a bug waiting. See docs/schema.md.
#include <cstdio>
#include <string>
#include <string_view>
#include <xapian.h>

namespace mandala::schema {

// Boolean filter terms: prefix + canonical key, every key folded to lower case (text::fold),
// because the query parser folds queries the same way ("mission:MINUSMA" -> XMminusma).
inline constexpr std::string_view kIdPrefix = "Q";          // passage id ("doc#12")
inline constexpr std::string_view kDocPrefix = "XD";        // document id
inline constexpr std::string_view kSectionKindPrefix = "XK";  // section kind
inline constexpr std::string_view kPassageKindPrefix = "XP";  // passage kind
inline constexpr std::string_view kYearPrefix = "XY";       // the document's year (the year facet)
inline constexpr std::string_view kMentionedYearPrefix = "XYM";  // a year the passage itself names
inline constexpr std::string_view kCategoryPrefix = "XC";   // task category id
inline constexpr std::string_view kPrimaryPrefix = "XCP";   // primary category id
inline constexpr std::string_view kMissionPrefix = "XM";    // mission key (folded, e.g. minusma)
inline constexpr std::string_view kOrgPrefix = "XO";        // organization key (folded, e.g. osce)
inline constexpr std::string_view kPlacePrefix = "XL";      // place key (folded, e.g. mali)
inline constexpr std::string_view kResolutionPrefix = "XR";  // resolution number
// Free-text prefixes (probabilistic, with positions).
inline constexpr std::string_view kTitlePrefix = "S";       // section heading words
// Stemmed words, before any free-text prefix ("Z" + "S" + stem for a heading word): Xapian's
// STEM_SOME convention, so QueryParser matches a word both as written and by its stem.
inline constexpr std::string_view kStemPrefix = "Z";

// Value slots.
enum Slot : Xapian::valueno {
    kDocSlot = 0,          // document id
    kYearSlot = 1,         // document year, sortable (Xapian::sortable_serialise)
    kSectionKindSlot = 2,  // section kind
    kCategoriesSlot = 3,   // category ids, '\n'-separated (multi-valued facet)
    kMissionsSlot = 4,     // mission keys, '\n'-separated
    kOrgsSlot = 5,         // organization keys, '\n'-separated
    kPlacesSlot = 6,       // place keys, '\n'-separated
    kYearsSlot = 7,        // years the passage names (mentioned_years), '\n'-separated; not the year facet
    kOrdinalSlot = 8,      // passage ordinal in its document, sortable
    kPrimarySlot = 9,      // primary category id
    kPassageKindSlot = 10, // passage kind
    kYearOrderSlot = 11,   // newest year first, then document id, then ordinal: a unique ascending key
                           // (year_order_key) that orders a filter-only "--sort year" the same way in
                           // one database and across shards
};

// 4 digits of 9999 - year (no year sorts last), the document id, NUL, the ordinal in 8 digits.
inline std::string year_order_key(int year, std::string_view doc_id, int ordinal) {
    char head[8], tail[16];
    std::snprintf(head, sizeof head, "%04d", 9999 - (year > 0 && year <= 9999 ? year : 0));
    std::snprintf(tail, sizeof tail, "%08d", ordinal > 0 ? ordinal : 0);
    std::string k(head);
    k += doc_id;
    k += '\0';
    k += tail;
    return k;
}

inline std::string term(std::string_view prefix, std::string_view key) {
    std::string t(prefix);
    t += key;
    return t;
}

// The stem term of a word of the field with free-text prefix `field` ("" for the passage text).
inline std::string stem_term(std::string_view field, std::string_view stem) {
    std::string t(kStemPrefix);
    t += field;
    t += stem;
    return t;
}

}  // namespace mandala::schema
