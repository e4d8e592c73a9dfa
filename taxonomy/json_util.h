#pragma once
// Small helpers over Poco::JSON shared by the taxonomy, model and SKOS code (internal header).
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace mandala::taxonomy::json {

Poco::JSON::Object::Ptr parse_object(std::string_view text, std::string_view what);
std::string required_string(const Poco::JSON::Object::Ptr& o, const std::string& key);
std::string optional_string(const Poco::JSON::Object::Ptr& o, const std::string& key);
std::vector<std::string> string_list(const Poco::JSON::Object::Ptr& o, const std::string& key);
Poco::JSON::Array::Ptr to_array(const std::vector<std::string>& values);
std::string stringify(const Poco::JSON::Object::Ptr& o, unsigned indent = 0);
std::string read_file(const std::filesystem::path& file);

}  // namespace mandala::taxonomy::json
