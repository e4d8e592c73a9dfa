#pragma once
// Readers turn one file into a RawDocument: its text blocks with structure hints.
// Every reader throws mandala::InputError (with a reason a user can act on) for files it
// cannot read; the indexer reports it by file name and goes on with the rest.
#include <filesystem>
#include <string>
#include <string_view>

#include "indexer/model.h"

namespace mandala::indexer {

// Largest file the indexer accepts; bigger ones are refused with LimitExceeded.
inline constexpr std::uint64_t kMaxFileBytes = 32ull * 1024 * 1024;

// Reads by extension (.txt .md .html .htm .pdf .docx); throws InputError for unknown ones.
RawDocument read_document(const std::filesystem::path& path);

// SHA-256 of the file bytes, hex: the key of incremental re-indexing.
std::string content_hash(std::string_view bytes);

// True when the extension is one the indexer reads.
bool is_supported_extension(const std::filesystem::path& path);

// Format readers over the file's bytes (already size-checked and hashed by read_document).
void read_plain_text(std::string_view bytes, RawDocument& doc);
void read_markdown(std::string_view bytes, RawDocument& doc);
void read_html(std::string_view bytes, RawDocument& doc);
void read_pdf(std::string_view bytes, RawDocument& doc);
void read_docx(std::string_view bytes, RawDocument& doc);

}  // namespace mandala::indexer
