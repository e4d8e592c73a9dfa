#pragma once
// Cross-reference views for the API: a mission, a category, an acronym, the list of missions and
// the links of a passage, as JSON from the look-ups of search/xref.h.
#include <Poco/JSON/Object.h>

#include <filesystem>
#include <string>

namespace mandala::web {

Poco::JSON::Object::Ptr mission_view(const std::filesystem::path& db_dir, const std::string& key);
Poco::JSON::Object::Ptr missions_view(const std::filesystem::path& db_dir);
Poco::JSON::Object::Ptr category_view(const std::filesystem::path& db_dir, const std::filesystem::path& taxonomy_file,
                                      const std::string& id);
Poco::JSON::Object::Ptr acronym_view(const std::filesystem::path& db_dir, const std::string& acronym);
// Footnotes, citing passages, internal references and entities of a passage; null when unknown.
Poco::JSON::Object::Ptr passage_xref_view(const std::filesystem::path& db_dir, const std::string& id);

}  // namespace mandala::web
