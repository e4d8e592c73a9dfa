#pragma once
// Cross-references of one document: see-also arrows between task categories, footnote
// citations and internal references ("See Chapter 6", "see Annex 2", "section 4.2").
#include <map>
#include <string>
#include <vector>

#include "indexer/extract/phrases.h"
#include "indexer/model.h"
#include "text/analyzer.h"

namespace mandala::indexer::extract {

// Category labels to ids; payloads index `ids`.
struct CategoryMatcher {
    PhraseMatcher labels;
    std::vector<std::string> ids;

    // The category whose label is exactly `title` ("HUMAN RIGHTS" -> human-rights), or empty.
    std::string category_of_title(const std::string& title, const text::Analyzer& analyzer) const;
};

// See-also arrows in one passage: the category named after each arrow, and the bare labels
// that continue a list of arrows ("→ Protection of Civilians, Rule of Law. → Policing").
std::vector<CrossReference> find_see_also(const std::string& text, const std::vector<text::Token>& tokens,
                                          const CategoryMatcher& categories);

// The labels references use for a document's sections ("chapter 6", "annex 2", "section 4.2").
struct SectionIndex {
    std::map<std::string, int> by_label;  // label -> Section::id
};
SectionIndex index_sections(const std::vector<Section>& sections, const text::Analyzer& analyzer);

// Internal references of one passage, resolved against the document's sections; unresolved ones
// are kept only after "see".
std::vector<CrossReference> find_internal_references(const std::string& text,
                                                     const std::vector<text::Token>& tokens,
                                                     const SectionIndex& sections);

// Footnote citations of the whole document, each resolved to the footnote's passage.
std::vector<CrossReference> find_footnote_citations(const SegmentedDocument& doc);

}  // namespace mandala::indexer::extract
