#include "web/http.h"

#include <Poco/JSON/Parser.h>
#include <xapian.h>

#include <algorithm>
#include <charconv>
#include <sstream>

#include "catalog/sqlite.h"
#include "text/unicode.h"

namespace mandala::web {

std::string Request::arg(std::string_view name, const std::string& fallback) const {
    for (const auto& [k, v] : query)
        if (k == name) return v;
    return fallback;
}

std::vector<std::string> Request::args(std::string_view name) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : query)
        if (k == name) out.push_back(v);
    return out;
}

bool Request::has_arg(std::string_view name) const {
    return std::any_of(query.begin(), query.end(), [&](const auto& kv) { return kv.first == name; });
}

long Request::integer(std::string_view name, long fallback, long min, long max) const {
    if (!has_arg(name)) return fallback;
    const std::string v = arg(name);
    long n = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || end != v.data() + v.size() || n < min || n > max)
        throw InputError("parameter '" + std::string(name) + "' must be an integer between " + std::to_string(min) +
                         " and " + std::to_string(max));
    return n;
}

std::string Request::header(std::string_view lower_name) const {
    auto it = headers.find(std::string(lower_name));
    return it == headers.end() ? std::string() : it->second;
}

const std::string& Request::param(const std::string& name) const {
    static const std::string empty;
    auto it = params.find(name);
    return it == params.end() ? empty : it->second;
}

Poco::JSON::Object::Ptr Request::json_body() const {
    std::string type = header("content-type");
    type = type.substr(0, type.find(';'));
    std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
    type.erase(std::remove(type.begin(), type.end(), ' '), type.end());
    if (type != "application/json") throw HttpError(415, "request bodies must be application/json");
    if (!text::is_valid_utf8(body)) throw InputError("request body is not valid UTF-8");
    Poco::Dynamic::Var parsed;
    try {
        Poco::JSON::Parser parser;
        parsed = parser.parse(body);
    } catch (const Poco::Exception&) {
        throw InputError("request body is not well-formed JSON");
    }
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) throw InputError("request body must be a JSON object");
    return parsed.extract<Poco::JSON::Object::Ptr>();
}

std::string stringify(const Poco::Dynamic::Var& value) {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(value, out, 0, -1, Poco::JSON_WRAP_STRINGS);
    return out.str();
}

Response Response::json(const Poco::Dynamic::Var& value, int status) { return json_text(stringify(value), status); }

Response Response::json_text(std::string body, int status) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string percent_decode(std::string_view s, bool plus_is_space) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '%') {
            if (i + 2 >= s.size()) throw InputError("malformed percent-escape");
            const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
            if (hi < 0 || lo < 0) throw InputError("malformed percent-escape");
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out += ' ';
        } else {
            out += c;
        }
    }
    if (!text::is_valid_utf8(out)) throw InputError("request parameters must be valid UTF-8");
    if (out.find('\0') != std::string::npos) throw InputError("request parameters must not contain NUL");
    return out;
}

std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query) {
    std::vector<std::pair<std::string, std::string>> out;
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view part = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        if (part.empty()) continue;
        const auto eq = part.find('=');
        out.emplace_back(percent_decode(part.substr(0, eq), true),
                         eq == std::string_view::npos ? std::string() : percent_decode(part.substr(eq + 1), true));
        if (out.size() > 200) throw LimitExceeded("too many query parameters");
    }
    return out;
}

std::string_view reason_phrase(int status) {
    switch (status) {
        case 200: return "OK";
        case 201: return "Created";
        case 204: return "No Content";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 408: return "Request Timeout";
        case 409: return "Conflict";
        case 413: return "Content Too Large";
        case 415: return "Unsupported Media Type";
        case 431: return "Request Header Fields Too Large";
        case 500: return "Internal Server Error";
        case 501: return "Not Implemented";
        case 503: return "Service Unavailable";
        case 505: return "HTTP Version Not Supported";
        default: return status < 500 ? "Client Error" : "Internal Server Error";
    }
}

Response problem(int status, const std::string& detail, const std::string& instance) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("type", "about:blank");
    o->set("title", std::string(reason_phrase(status)));
    o->set("status", status);
    o->set("detail", text::is_valid_utf8(detail) ? detail : text::repair_utf8(detail));
    if (!instance.empty()) o->set("instance", text::is_valid_utf8(instance) ? instance : text::repair_utf8(instance));
    Response r = Response::json(o, status);
    r.content_type = "application/problem+json";
    return r;
}

namespace {

struct Failure {
    int status;
    std::string message;
    std::vector<std::pair<std::string, std::string>> headers;
};

Failure classify(std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const HttpError& e) {
        return {e.status(), e.what(), e.headers()};
    } catch (const InputError& e) {
        return {400, e.what(), {}};
    } catch (const NotFound& e) {
        return {404, e.what(), {}};
    } catch (const Conflict& e) {
        return {409, e.what(), {}};
    } catch (const LimitExceeded& e) {
        return {413, e.what(), {}};
    } catch (const Unavailable& e) {
        return {503, e.what(), {}};
    } catch (const Xapian::QueryParserError& e) {
        return {400, "query: " + e.get_msg(), {}};
    } catch (const Xapian::InvalidArgumentError& e) {
        return {400, e.get_msg(), {}};
    } catch (const Xapian::DatabaseError& e) {
        return {503, "index unavailable: " + e.get_msg(), {}};
    } catch (const Xapian::NetworkError& e) {
        return {503, "a shard is unavailable: " + e.get_msg(), {}};
    } catch (const Xapian::Error& e) {
        return {500, "index error", {}};
    } catch (const catalog::SqliteError& e) {
        return {503, "catalog unavailable", {}};
    } catch (const std::exception& e) {
        return {500, "internal error", {}};
    } catch (...) {
        return {500, "internal error", {}};
    }
}

}  // namespace

Response problem_response(std::exception_ptr error, const std::string& instance,
                          const std::function<std::string(const std::string&)>& detail) {
    Failure failure = classify(error);
    Response r = problem(failure.status, detail ? detail(failure.message) : failure.message, instance);
    for (auto& h : failure.headers) r.headers.push_back(std::move(h));
    r.log_note = std::move(failure.message);
    return r;
}

}  // namespace mandala::web
