#include "catalog/json_columns.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace mandala::catalog {
namespace {

template <typename T>
std::string stringified(const std::vector<T>& items) {
    Poco::JSON::Array a;
    for (const auto& item : items) a.add(item);
    std::ostringstream out;
    a.stringify(out);
    return out.str();
}

}  // namespace

std::string json_column(const std::vector<std::string>& items) { return stringified(items); }
std::string json_column(const std::vector<int>& items) { return stringified(items); }

std::vector<std::string> strings_from_json_column(const std::string& json) {
    std::vector<std::string> out;
    if (json.empty()) return out;
    Poco::JSON::Parser parser;
    auto a = parser.parse(json).extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < a->size(); ++i) out.push_back(a->getElement<std::string>(static_cast<unsigned>(i)));
    return out;
}

}  // namespace mandala::catalog
