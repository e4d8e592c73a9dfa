#pragma once
// One Xapian document per passage: positional text terms from text/'s analyzer, boolean terms for
// every facet, values for sorting and counting, and the display record as document data.
#include <xapian.h>

#include "indexer/model.h"
#include "text/analyzer.h"

namespace mandala::indexer {

Xapian::Document build_passage_document(const SegmentedDocument& doc, std::size_t passage_index);
// The same with the passage's tokens already made by text::Analyzer::tokens of its text.
Xapian::Document build_passage_document(const SegmentedDocument& doc, std::size_t passage_index,
                                        const std::vector<text::Token>& passage_tokens);

// Indexes `text` the way queries are parsed: unstemmed folded terms with positions plus
// stems prefixed with schema::kStemPrefix (Xapian's STEM_SOME convention), so QueryParser finds both.
void index_text(Xapian::Document& xd, std::string_view text, std::string_view prefix, Xapian::termpos& pos);

}  // namespace mandala::indexer
