#pragma once
// What the web page lists and joins, read from catalog.sqlite: a passage with its context and
// section path, documents with their outline, category counts and heatmaps, a mission's mentions
// over time, completions. Each function opens the catalog read-only; unknown ids throw NotFound.
#include <Poco/JSON/Object.h>

#include <filesystem>
#include <string>
#include <vector>

#include "taxonomy/taxonomy.h"

namespace mandala::web {

// Everything a reading list needs to cite one passage.
struct Citation {
    std::string passage, doc, title, publisher, kind, text;
    std::vector<std::string> section;
    int year = 0, page = 0;
};

// Throws NotFound for an unknown passage id.
Citation cite(const std::filesystem::path& db_dir, const std::string& passage_id);
// "Title (Publisher, 2010), Chapter 4 › 4.3, p. 12"
std::string citation_text(const Citation& c);

Poco::JSON::Object::Ptr passage_json(const std::filesystem::path& db_dir, const std::string& id);
Poco::JSON::Object::Ptr documents_json(const std::filesystem::path& db_dir);
Poco::JSON::Object::Ptr document_json(const std::filesystem::path& db_dir, const std::string& id);
Poco::JSON::Object::Ptr categories_json(const std::filesystem::path& db_dir, const taxonomy::Taxonomy& taxonomy);
// Passages tagged with `category` per document and per organization.
Poco::JSON::Object::Ptr category_heatmap_json(const std::filesystem::path& db_dir, const std::string& category);
// Mentions of a mission per document year.
Poco::JSON::Array::Ptr mission_timeline_json(const std::filesystem::path& db_dir, const std::string& key);
Poco::JSON::Object::Ptr suggest_json(const std::filesystem::path& db_dir, const taxonomy::Taxonomy& taxonomy,
                                     const std::string& prefix, std::size_t limit);

}  // namespace mandala::web
