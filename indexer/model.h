#pragma once
// Plain structs handed from stage to stage:
//   RawDocument (read) -> NormalizedDocument (normalize) -> SegmentedDocument (segment)
//   -> + entities (extract) -> + tags (tag) -> write.
// No stage reaches back into an earlier one.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "catalog/model.h"

namespace mandala::indexer {

enum class BlockKind { paragraph, heading, list_item, table_row };

// One unit of text as a reader found it, with the structure hints its format offers.
struct Block {
    BlockKind kind = BlockKind::paragraph;
    std::string text;
    int level = 0;  // heading level (1 = top) or list nesting depth (0 = top)
    int page = 0;   // 1-based page for paginated formats (PDF), 0 when unknown
};

struct RawDocument {
    std::string path;     // file as given
    std::string source;   // file name
    std::string format;   // txt, md, html, pdf, docx
    std::string content_hash;  // hex digest of the file bytes
    std::uint64_t bytes = 0;
    std::vector<Block> blocks;
    // What the file states about itself in a header (a title line, a `Source: ADDRESS` line):
    // document metadata, not content. Empty when the file has no such header.
    std::string title;
    std::string source_url;
};

// Blocks after normalization: clean text, page furniture gone, split paragraphs repaired.
// `text` is the normalized source: block texts joined by "\n\n"; ranges point into it.
struct NormalizedBlock {
    Block block;
    std::size_t begin = 0;  // byte range in NormalizedDocument::text
    std::size_t end = 0;
};

struct NormalizedDocument {
    RawDocument raw;  // blocks of `raw` are cleared once normalized
    std::vector<NormalizedBlock> blocks;
    std::string text;
};

// The stored records (Section, Passage, ..., SegmentedDocument) belong to the catalog stage.
using catalog::AcronymPair;
using catalog::CrossReference;
using catalog::DocumentMeta;
using catalog::EntityMention;
using catalog::named_outside_passage;
using catalog::Passage;
using catalog::PassageKind;
using catalog::Section;
using catalog::SegmentedDocument;
using catalog::UnkeptLine;
using catalog::to_string;

const char* to_string(BlockKind k);

}  // namespace mandala::indexer
