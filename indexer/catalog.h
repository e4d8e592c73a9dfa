#pragma once
// Metadata of known documents (corpus/catalog.json), and inference for unknown ones.
#include <filesystem>
#include <map>
#include <string>

#include "indexer/model.h"

namespace mandala::indexer {

class Catalog {
public:
    Catalog() = default;
    // Throws InputError when the file exists but is not valid catalog JSON.
    static Catalog load(const std::filesystem::path& file);
    // The default catalog shipped with the project (corpus/catalog.json), or empty.
    static Catalog load_default();

    // Metadata for a source file, matched by its stem (so the PDF of a known text matches too);
    // unknown documents get an id from their file name and nothing else.
    DocumentMeta lookup(const std::filesystem::path& source) const;

private:
    std::map<std::string, DocumentMeta> by_stem_;
};

// Slug of a file stem: lower case, runs of other characters become '-'.
std::string slug(std::string_view stem);

// Fills the title of a document the catalog does not know (its first heading, already set by the
// segmenter, else its file name), and every document's date (find_document_date: dateline,
// meeting date, address, resolution adopted today). A catalog year wins over the date found.
void infer_metadata(SegmentedDocument& doc);

}  // namespace mandala::indexer
