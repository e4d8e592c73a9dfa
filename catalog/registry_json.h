#pragma once
// Reading the project's registry files (indexer/data/*.json): shared by catalog/registry.cpp
// (missions.json) and the indexer's gazetteer (places.json, organizations.json).
#include <Poco/JSON/Object.h>

#include <filesystem>
#include <string>
#include <vector>

namespace mandala::catalog::registry_json {

// Throws InputError naming the file when it cannot be read or is not JSON.
Poco::JSON::Object::Ptr read(const std::filesystem::path& file);
std::string string_of(const Poco::JSON::Object::Ptr& o, const std::string& name);
std::vector<std::string> strings_of(const Poco::JSON::Object::Ptr& o, const std::string& name);

template <typename Fn>
void for_each_object(const Poco::JSON::Object::Ptr& root, const std::string& name, Fn fn) {
    auto array = root->getArray(name);
    if (!array) return;
    for (std::size_t i = 0; i < array->size(); ++i) fn(array->getObject(i));
}

}  // namespace mandala::catalog::registry_json
