#include "search/record.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <charconv>
#include <climits>

#include "text/unicode.h"

namespace mandala::search {
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

}  // namespace

bool read_record_fast(std::string_view json, SearchHit& h) {
    if (!text::is_valid_utf8(json)) return false;  // what Poco makes of that is Poco's to say
    Reader r(json);
    if (!r.eat('{')) return false;
    std::string key;
    if (r.eat('}')) return r.at_end();
    do {
        if (!r.string(key) || !r.eat(':')) return false;
        std::string* field = key == "id" ? &h.id
                           : key == "doc" ? &h.doc
                           : key == "title" ? &h.title
                           : key == "source" ? &h.source
                           : key == "section_kind" ? &h.section_kind
                           : key == "kind" ? &h.kind
                           : key == "text" ? &h.text
                           : nullptr;
        if (field) {
            if (r.null()) field->clear();
            else if (!r.string(*field)) return false;
        } else if (key == "page" || key == "year") {
            int& n = key == "page" ? h.page : h.year;
            if (r.null()) n = 0;
            else if (!r.number(n)) return false;
        } else if (key == "section") {
            h.section.clear();
            if (!r.null()) {
                if (!r.eat('[')) return false;
                if (!r.eat(']')) {
                    std::string element;
                    do {
                        if (!r.string(element)) return false;
                        h.section.push_back(element);
                    } while (r.eat(','));
                    if (!r.eat(']')) return false;
                }
            }
        } else {
            return false;  // a key the indexer does not write: Poco decides
        }
    } while (r.eat(','));
    return r.eat('}') && r.at_end();
}

void read_record_poco(const std::string& json, SearchHit& h) {
    Poco::JSON::Parser parser;
    auto o = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
    h.id = str(o, "id");
    h.doc = str(o, "doc");
    h.title = str(o, "title");
    h.source = str(o, "source");
    h.section_kind = str(o, "section_kind");
    h.kind = str(o, "kind");
    h.text = str(o, "text");
    h.page = integer(o, "page");
    h.year = integer(o, "year");
    h.section.clear();
    if (auto path = o->getArray("section"))
        for (std::size_t i = 0; i < path->size(); ++i) h.section.push_back(path->getElement<std::string>(static_cast<unsigned>(i)));
}

void read_record(const std::string& json, SearchHit& h) {
    SearchHit fast;
    if (read_record_fast(json, fast)) {
        h.id = std::move(fast.id);
        h.doc = std::move(fast.doc);
        h.title = std::move(fast.title);
        h.source = std::move(fast.source);
        h.section_kind = std::move(fast.section_kind);
        h.kind = std::move(fast.kind);
        h.text = std::move(fast.text);
        h.page = fast.page;
        h.year = fast.year;
        h.section = std::move(fast.section);
        return;
    }
    read_record_poco(json, h);
}

}  // namespace mandala::search
