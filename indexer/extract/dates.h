#pragma once
// A document's own date (publication or meeting), from what a reader sees at its top: a dateline
// ("13 June 2014", "Mar 11, 2006 (ADDIS ABABA) —", "Posted Fri 2 Dec 2011"), a meeting date
// ("In Vienna on 21 March 2014, the Council decided"), the date in its address (/2013/07/), or
// the resolution a press release reports adopted today. Dates later in the text (a mandate's end,
// an earlier resolution's adoption) are not the document's. Rule in docs/schema.md.
#include <string>
#include <string_view>

namespace mandala::indexer {

struct DocumentDate {
    int year = 0, month = 0, day = 0;  // 0 when unknown
    std::string basis;                 // dateline, meeting, address, resolution-today; empty when none

    // "YYYY-MM-DD", "YYYY-MM", "YYYY" or "" (no year).
    std::string text() const;
};

// Years outside 1945..last_year are not dates of a peace-operations document.
DocumentDate find_document_date(std::string_view text, std::string_view source_url, int last_year);

// This year + 1: the last year a date, a year facet or a mentioned year may hold.
int last_plausible_year();

}  // namespace mandala::indexer
