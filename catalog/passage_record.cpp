#include "catalog/passage_record.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <charconv>
#include <climits>
#include <sstream>

#include "text/unicode.h"

namespace mandala::catalog {
namespace {

std::string str(const Poco::JSON::Object::Ptr& o, const std::string& key) {
    return o->has(key) && !o->isNull(key) ? o->getValue<std::string>(key) : std::string();
}

int integer(const Poco::JSON::Object::Ptr& o, const std::string& key) {
    return o->has(key) && !o->isNull(key) ? o->getValue<int>(key) : 0;
}

// A cursor over the record; every method returns false on anything outside the plain shape.
class Reader {
public:
    explicit Reader(std::string_view s) : s_(s) {}

    void ws() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
    }
    bool eat(char c) {
        ws();
        if (i_ >= s_.size() || s_[i_] != c) return false;
        ++i_;
        return true;
    }
    bool peek(char c) {
        ws();
        return i_ < s_.size() && s_[i_] == c;
    }
    bool at_end() {
        ws();
        return i_ == s_.size();
    }
    bool null() {
        ws();
        if (s_.substr(i_, 4) != "null") return false;
        i_ += 4;
        return true;
    }
    bool string(std::string& out) {
        out.clear();
        if (!eat('"')) return false;
        while (i_ < s_.size()) {
            const char c = s_[i_++];
            if (c == '"') return true;
            if (static_cast<unsigned char>(c) < 0x20) return false;
            if (c != '\\') {
                out += c;
                continue;
            }
            if (i_ >= s_.size()) return false;
            switch (s_[i_++]) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    unsigned cp = 0;
                    if (!hex4(cp)) return false;
                    if (cp >= 0xD800 && cp <= 0xDFFF) return false;  // surrogates: left to Poco
                    if (cp == 0) return false;                       // NUL: left to Poco
                    utf8(cp, out);
                    break;
                }
                default: return false;
            }
        }
        return false;
    }
    bool number(int& out) {
        ws();
        const char* begin = s_.data() + i_;
        const char* end = s_.data() + s_.size();
        long long v = 0;
        auto [p, ec] = std::from_chars(begin, end, v);
        if (ec != std::errc() || p == begin) return false;
        if (p < end && (*p == '.' || *p == 'e' || *p == 'E')) return false;  // not an integer
        if (v < INT_MIN || v > INT_MAX) return false;
        i_ += static_cast<std::size_t>(p - begin);
        out = static_cast<int>(v);
        return true;
    }

private:
    bool hex4(unsigned& cp) {
        if (i_ + 4 > s_.size()) return false;
        for (int k = 0; k < 4; ++k) {
            const char c = s_[i_++];
            cp <<= 4;
            if (c >= '0' && c <= '9') cp |= static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f') cp |= static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') cp |= static_cast<unsigned>(c - 'A' + 10);
            else return false;
        }
        return true;
    }
    static void utf8(unsigned cp, std::string& out) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    std::string_view s_;
    std::size_t i_ = 0;
};


// The string field of the record named `key`, or null for a key that is not one.
std::string* string_field(PassageRecord& r, const std::string& key) {
    return key == "id" ? &r.id
         : key == "doc" ? &r.doc
         : key == "title" ? &r.title
         : key == "source" ? &r.source
         : key == "section_kind" ? &r.section_kind
         : key == "kind" ? &r.kind
         : key == "text" ? &r.text
         : nullptr;
}

bool read_string_array(Reader& r, std::vector<std::string>& out) {
    out.clear();
    if (r.null()) return true;
    if (!r.eat('[')) return false;
    if (r.eat(']')) return true;
    std::string element;
    do {
        if (!r.string(element)) return false;
        out.push_back(element);
    } while (r.eat(','));
    return r.eat(']');
}

// One "key": value member; false on anything the indexer does not write (Poco decides then).
bool read_member(Reader& reader, const std::string& key, PassageRecord& r) {
    if (std::string* field = string_field(r, key)) {
        if (reader.null()) {
            field->clear();
            return true;
        }
        return reader.string(*field);
    }
    if (key == "page" || key == "year") {
        int& n = key == "page" ? r.page : r.year;
        if (reader.null()) {
            n = 0;
            return true;
        }
        return reader.number(n);
    }
    if (key == "section") return read_string_array(reader, r.section);
    return false;
}

Poco::JSON::Array::Ptr string_array(const std::vector<std::string>& items) {
    Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
    for (const auto& s : items) a->add(s);
    return a;
}

}  // namespace

std::string encode_passage_record(const PassageRecord& r) {
    Poco::JSON::Object o;
    set_passage_fields(o, r, true);
    o.set("year", r.year);
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

bool decode_passage_record_fast(std::string_view json, PassageRecord& r) {
    if (!text::is_valid_utf8(json)) return false;  // what Poco makes of that is Poco's to say
    Reader reader(json);
    if (!reader.eat('{')) return false;
    if (reader.eat('}')) return reader.at_end();
    std::string key;
    do {
        if (!reader.string(key) || !reader.eat(':') || !read_member(reader, key, r)) return false;
    } while (reader.eat(','));
    return reader.eat('}') && reader.at_end();
}

void decode_passage_record_poco(const std::string& json, PassageRecord& r) {
    Poco::JSON::Parser parser;
    auto o = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
    r.id = str(o, "id");
    r.doc = str(o, "doc");
    r.title = str(o, "title");
    r.source = str(o, "source");
    r.section_kind = str(o, "section_kind");
    r.kind = str(o, "kind");
    r.text = str(o, "text");
    r.page = integer(o, "page");
    r.year = integer(o, "year");
    r.section.clear();
    if (auto path = o->getArray("section"))
        for (std::size_t i = 0; i < path->size(); ++i) r.section.push_back(path->getElement<std::string>(static_cast<unsigned>(i)));
}

void decode_passage_record(const std::string& json, PassageRecord& r) {
    PassageRecord fast;  // a failed fast read leaves it half-written: `r` is only touched on success
    if (decode_passage_record_fast(json, fast)) {
        r = std::move(fast);
        return;
    }
    decode_passage_record_poco(json, r);
}

void set_passage_fields(Poco::JSON::Object& o, const PassageRecord& r, bool with_source) {
    o.set("id", r.id);
    o.set("doc", r.doc);
    if (with_source) o.set("source", r.source);
    o.set("title", r.title);
    o.set("section", string_array(r.section));
    o.set("section_kind", r.section_kind);
    o.set("kind", r.kind);
    o.set("text", r.text);
    o.set("page", r.page);
}

void write_passage_object(JsonWriter& w, const PassageRecord& r, std::vector<JsonMember> extra) {
    extra.push_back({"doc", [&](JsonWriter& v) { v.string(r.doc); }});
    extra.push_back({"id", [&](JsonWriter& v) { v.string(r.id); }});
    extra.push_back({"kind", [&](JsonWriter& v) { v.string(r.kind); }});
    extra.push_back({"page", [&](JsonWriter& v) { v.number(r.page); }});
    extra.push_back({"section", [&](JsonWriter& v) { v.strings(r.section); }});
    extra.push_back({"section_kind", [&](JsonWriter& v) { v.string(r.section_kind); }});
    extra.push_back({"text", [&](JsonWriter& v) { v.string(r.text); }});
    extra.push_back({"title", [&](JsonWriter& v) { v.string(r.title); }});
    extra.push_back({"year", [&](JsonWriter& v) { v.number(r.year); }});
    std::sort(extra.begin(), extra.end(), [](const JsonMember& a, const JsonMember& b) { return a.key < b.key; });
    w.open('{');
    for (const auto& member : extra) {
        w.key(member.key);
        member.write_value(w);
    }
    w.close('}');
}

}  // namespace mandala::catalog
