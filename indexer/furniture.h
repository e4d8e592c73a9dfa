#pragma once
// Page furniture of web pages and news items: lines that frame the content without being it
// (source and credit lines, bylines, datelines, "Read more" prompts, share and follow buttons,
// breadcrumb trails and menus). The rules
// describe what such lines look like on any site; the segmenter keeps them out of passages.
// They stay in the normalized text, where the document's date can still be read from them.
#include <string_view>

namespace mandala::indexer {

enum class Furniture { none, source_line, photo_credit, byline, dateline, link_prompt, share_buttons, caption, navigation };

// The kind of furniture a cleaned paragraph is, or Furniture::none for content. A caption that
// carries its photo's credit ("A patrol at the river. Photo credit: J. Doe/UN") is
// Furniture::caption: the segmenter keeps it as a caption passage, not as running text.
Furniture furniture_kind(std::string_view paragraph);

const char* to_string(Furniture f);

}  // namespace mandala::indexer
