#pragma once
// The records the catalog stores, as the indexer hands them over: a segmented document with its
// sections, passages, acronyms, entities, cross-references and tags (SegmentedDocument), written
// by CatalogWriter and read back by search/ and web/. Plain structs; docs/schema.md has the tables.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "taxonomy/tag.h"

namespace mandala::catalog {

struct Section {
    int id = 0;                     // ordinal within the document (0 = document root)
    int parent = -1;
    int level = 0;
    std::string number;             // "4.3.5", "Chapter 4", "Annex 1" or empty
    std::string title;              // clean heading text without its number
    std::string heading;            // heading as displayed ("4.3.5 Challenges and Risks")
    std::string kind;               // benchmarks, challenges-and-risks, glossary-entry, ...
    std::vector<std::string> path;  // headings from the top down to this section
    // The heading as written (an all-caps heading keeps its capitals, which `title` does not):
    // its byte range in NormalizedDocument::text; empty (0, 0) for the root.
    std::size_t begin = 0;
    std::size_t end = 0;
};

// A caption is a photo's caption: content, but not running text (search may weigh it less).
enum class PassageKind { paragraph, list, footnote, table_row, caption };

struct Passage {
    std::string id;  // "<doc>#<ordinal>", stable while the document does not change
    int ordinal = 0;
    int section = 0;  // Section::id
    PassageKind kind = PassageKind::paragraph;
    std::string text;
    std::size_t begin = 0;  // byte range in NormalizedDocument::text
    std::size_t end = 0;
    int page = 0;
    std::optional<int> footnote_number;   // for footnotes: their number
    std::vector<int> cited_footnotes;      // numbers of the footnotes this passage cites
    std::string cited_by;                  // for footnotes: id of the citing passage, if found
};

struct AcronymPair {
    std::string acronym;
    std::string expansion;
    std::string source;  // "table" or "inline"
};

// One mention of an entity in a passage. `key` is canonical ("MINUSMA", "mali", "2013",
// "1325"); `surface` is the text as written; the range is in the passage's text.
struct EntityMention {
    int passage = 0;      // index into SegmentedDocument::passages
    std::string type;     // acronym, mission, organization, place, year, resolution, document-symbol
    std::string key;
    std::string surface;
    std::size_t begin = 0;
    std::size_t end = 0;
    // What else the extractor knew: a resolution's year ("2013" for "resolution 2100 (2013)"); for
    // a mission named indirectly, how it was resolved ("main-mission" for "the Mission",
    // "variant" for a misspelt or reordered acronym). A mission named outside the passage's own
    // text is marked where: "title" (the document's title line), "heading" (its section heading)
    // or "furniture" (a line kept out of passages just before it); the range is then in that line.
    std::string detail;
};

inline bool named_outside_passage(const EntityMention& m) {
    return m.detail == "title" || m.detail == "heading" || m.detail == "furniture";
}

// A link from a passage (or the category section it sits in) to something else.
struct CrossReference {
    int passage = 0;              // index of the passage holding the reference
    std::string kind;             // see-also, footnote, internal
    std::string from_category;    // for see-also arrows: the category of the section pointing
    std::string target;           // category id, footnote number, or section label ("Chapter 6")
    int target_section = -1;      // resolved Section::id for internal references
    std::string target_passage;   // resolved passage id for footnotes
    std::string evidence;         // the text that made the link
};

struct DocumentMeta {
    std::string id;  // stable slug
    std::string title;
    std::string publisher;
    int year = 0;
    std::string date;  // the document's own date, "YYYY-MM-DD", "YYYY-MM" or "YYYY"; empty when unknown
    std::vector<std::string> organizations;
    std::string kind;  // mandate, guidance, glossary, meeting-note, report, lessons-learned
    std::string language = "en";
    std::string licence;
    std::string source_url;
};

// A line the segmenter kept out of passages as page furniture (a headline repeating the title, a
// photo credit, a dateline, a line too short to be a paragraph): not content, but it may still
// name a mission. `begin`/`end` are its byte range in NormalizedDocument::text; `next_passage` is
// the passage that follows it (the last passage when none follows, -1 when there is none).
struct UnkeptLine {
    std::size_t begin = 0;
    std::size_t end = 0;
    int next_passage = -1;
};

struct SegmentedDocument {
    DocumentMeta meta;
    std::string source;  // file name
    std::string path;    // as read; the pipeline sets the key (path relative to the corpus folder)
    std::string format;
    std::string content_hash;
    std::uint64_t bytes = 0;
    std::string text;  // normalized source
    std::vector<Section> sections;
    std::vector<Passage> passages;
    std::vector<AcronymPair> acronyms;
    std::vector<UnkeptLine> unkept;  // furniture lines, in document order (not stored in the index)
    // Filled by later stages (extract, tag); indexes follow `passages`.
    std::vector<EntityMention> entities;
    std::vector<CrossReference> xrefs;
    std::vector<taxonomy::Tagging> tags;
};

const char* to_string(PassageKind k);

}  // namespace mandala::catalog
