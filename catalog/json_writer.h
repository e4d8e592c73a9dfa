#pragma once
// JSON written straight into a string, byte for byte as Poco's Stringifier writes it: strings
// escaped by Poco::toJSON, numbers formatted by Poco::NumberFormatter. The caller writes an
// object's keys in sorted order (Poco::JSON::Object's default) where the bytes must match Poco's.
#include <Poco/NumberFormatter.h>
#include <Poco/JSONString.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mandala::catalog {

class JsonWriter {
public:
    explicit JsonWriter(std::string& out) : out_(out) {}
    void raw(std::string_view s) { out_ += s; }
    void key(std::string_view k) {  // k: a plain ASCII name, nothing to escape
        comma();
        out_ += '"';
        out_ += k;
        out_ += "\":";
        first_ = true;
    }
    void string(const std::string& v) {
        comma();
        out_ += Poco::toJSON(v, Poco::JSON_WRAP_STRINGS);
    }
    void number(double v) {
        comma();
        out_ += Poco::NumberFormatter::format(v);
    }
    void number(std::size_t v) {
        comma();
        out_ += std::to_string(v);
    }
    void number(int v) {
        comma();
        out_ += std::to_string(v);
    }
    void null() {
        comma();
        out_ += "null";
    }
    void open(char c) {
        comma();
        out_ += c;
        first_ = true;
    }
    void close(char c) {
        out_ += c;
        first_ = false;
    }
    void strings(const std::vector<std::string>& v) {
        open('[');
        for (const auto& s : v) string(s);
        close(']');
    }

private:
    // A separator before every value except the first of an array or object and one after a key.
    void comma() {
        if (!first_) out_ += ',';
        first_ = false;
    }
    std::string& out_;
    bool first_ = true;
};


}  // namespace mandala::catalog
