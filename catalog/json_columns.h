#pragma once
// The catalog keeps lists (section paths, organizations, evidence, aliases) as JSON arrays of
// strings in TEXT columns; these write and read them (internal to catalog/).
#include <string>
#include <vector>

namespace mandala::catalog {

std::string json_column(const std::vector<std::string>& items);
std::string json_column(const std::vector<int>& items);
// Throws Poco::Exception on a malformed column; empty for an empty one.
std::vector<std::string> strings_from_json_column(const std::string& json);

}  // namespace mandala::catalog
