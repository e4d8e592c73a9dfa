#include "taxonomy/json_util.h"

#include <Poco/JSON/Parser.h>

#include <fstream>
#include <sstream>

#include "text/errors.h"

namespace mandala::taxonomy::json {

Poco::JSON::Object::Ptr parse_object(std::string_view text, std::string_view what) {
    try {
        Poco::JSON::Parser parser;
        auto value = parser.parse(std::string(text));
        auto object = value.extract<Poco::JSON::Object::Ptr>();
        if (!object) throw InputError(std::string(what) + ": not a JSON object");
        return object;
    } catch (const Poco::BadCastException&) {
        throw InputError(std::string(what) + ": not a JSON object");
    } catch (const Poco::Exception& e) {
        throw InputError(std::string(what) + ": " + e.displayText());
    }
}

std::string required_string(const Poco::JSON::Object::Ptr& o, const std::string& key) {
    if (!o->has(key) || o->isNull(key)) throw InputError("missing field \"" + key + "\"");
    return o->getValue<std::string>(key);
}

std::string optional_string(const Poco::JSON::Object::Ptr& o, const std::string& key) {
    if (!o->has(key) || o->isNull(key)) return {};
    return o->getValue<std::string>(key);
}

std::vector<std::string> string_list(const Poco::JSON::Object::Ptr& o, const std::string& key) {
    std::vector<std::string> out;
    auto array = o->getArray(key);
    if (!array) return out;
    for (std::size_t i = 0; i < array->size(); ++i) out.push_back(array->getElement<std::string>(i));
    return out;
}

Poco::JSON::Array::Ptr to_array(const std::vector<std::string>& values) {
    Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
    for (const auto& v : values) array->add(v);
    return array;
}

std::string stringify(const Poco::JSON::Object::Ptr& o, unsigned indent) {
    std::ostringstream out;
    o->stringify(out, indent);
    return out.str();
}

std::string read_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InputError("cannot read " + file.string());
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

}  // namespace mandala::taxonomy::json
