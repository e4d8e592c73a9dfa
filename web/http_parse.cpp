#include "web/http_parse.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <vector>

namespace mandala::web {
namespace {

constexpr std::string_view kTokenSymbols = "!#$%&'*+-.^_`|~";

bool is_token(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
        return std::isalnum(c) || kTokenSymbols.find(static_cast<char>(c)) != std::string_view::npos;
    });
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

[[noreturn]] void bad_request(const std::string& why) { throw HttpError(400, why); }

// One line ending at `from` or later: its text without CR LF (a bare LF ends a line too), and
// where the next begins; false when no line end has arrived yet.
bool next_line(std::string_view buffer, std::size_t& from, std::string_view& line) {
    const std::size_t end = buffer.find('\n', from);
    if (end == std::string_view::npos) return false;
    line = buffer.substr(from, end - from);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    from = end + 1;
    return true;
}

// "GET /path?q HTTP/1.1": visible ASCII only, single spaces between the three parts.
void parse_request_line(std::string_view line, RequestHead& out) {
    for (unsigned char c : line)
        if (c != ' ' && (c < 0x21 || c > 0x7e))
            bad_request("the request line holds a byte that is not visible ASCII (percent-encode it)");
    const std::size_t first = line.find(' '), last = line.rfind(' ');
    if (first == std::string_view::npos || first == last) bad_request("the request line is not METHOD TARGET HTTP-VERSION");
    const std::string_view method = line.substr(0, first), target = line.substr(first + 1, last - first - 1),
                           version = line.substr(last + 1);
    if (!is_token(method)) bad_request("the method is not a token");
    if (target.empty() || target.find(' ') != std::string_view::npos) bad_request("the request target is malformed");
    if (version == "HTTP/1.0") {
        out.keep_alive = false;
    } else if (version != "HTTP/1.1") {
        if (version.starts_with("HTTP/") && version.size() == 8) throw HttpError(505, "only HTTP/1.0 and 1.1 are served");
        bad_request("the request line does not end with HTTP/1.1");
    }
    Request& r = out.request;
    r.method = std::string(method);
    r.target = std::string(target);
    const std::size_t q = r.target.find('?');
    r.path = r.target.substr(0, q);
    if (q != std::string::npos) r.query = parse_query(std::string_view(r.target).substr(q + 1));
}

void add_field(std::string_view line, RequestHead& out) {
    if (line.front() == ' ' || line.front() == '\t') bad_request("obsolete line folding in a header field");
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || !is_token(line.substr(0, colon)))
        bad_request("a header field is not NAME: VALUE");
    const std::string_view value = trim(line.substr(colon + 1));
    for (unsigned char c : value)
        if ((c < 0x20 && c != '\t') || c == 0x7f) bad_request("a header field value holds a control character");
    std::string name = lower(line.substr(0, colon));
    auto& headers = out.request.headers;
    if (name == "content-length" && headers.count(name) && headers[name] != value)
        bad_request("two different Content-Length fields");
    headers[std::move(name)] = std::string(value);
}

// The framing and connection fields, once every field is read.
void apply_fields(RequestHead& out, const HttpLimits& limits) {
    const auto& h = out.request.headers;
    const auto length = h.find("content-length"), coding = h.find("transfer-encoding");
    if (length != h.end() && coding != h.end())
        bad_request("Content-Length and Transfer-Encoding together (the body's length would be ambiguous)");
    if (coding != h.end()) {
        if (lower(coding->second) != "chunked") throw HttpError(501, "the only transfer coding accepted is chunked");
        out.chunked = true;
    }
    if (length != h.end()) {
        const std::string& v = length->second;
        if (v.empty() || v.size() > 18 || !std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c); }))
            bad_request("Content-Length is not a number");
        out.content_length = static_cast<std::size_t>(std::stoull(v));
        if (out.content_length > limits.max_body)
            throw LimitExceeded("request body over " + std::to_string(limits.max_body) + " bytes");
    }
    if (const auto c = h.find("connection"); c != h.end()) {
        const std::string tokens = lower(c->second);
        if (tokens.find("close") != std::string::npos) out.keep_alive = false;
        if (tokens.find("keep-alive") != std::string::npos && tokens.find("close") == std::string::npos) out.keep_alive = true;
    }
    if (const auto e = h.find("expect"); e != h.end()) out.expect_continue = lower(e->second) == "100-continue";
}

std::size_t parse_chunk_size(std::string_view line, std::size_t room) {
    const std::string_view digits = trim(line.substr(0, line.find(';')));
    if (digits.empty() || !std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isxdigit(c); }))
        throw HttpError(400, "a chunk size is not a hexadecimal number");
    std::size_t size = 0;
    for (char c : digits) {
        size = size * 16 + static_cast<std::size_t>(std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : std::tolower(c) - 'a' + 10);
        if (size > room) throw LimitExceeded("request body over the limit");
    }
    return size;
}

std::string http_date() {
    char buf[64];
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &utc);
    return buf;
}

}  // namespace

bool parse_head(std::string_view buffer, const HttpLimits& limits, RequestHead& out) {
    std::size_t pos = 0;
    while (buffer.substr(pos).starts_with("\r\n") || buffer.substr(pos).starts_with("\n"))
        pos += buffer[pos] == '\r' ? 2 : 1;  // blank lines before a request are ignored (RFC 9112 2.2)
    const std::size_t start = pos;
    std::string_view line;
    out = RequestHead{};
    if (!next_line(buffer, pos, line)) {
        if (buffer.size() - start > limits.max_head) throw HttpError(431, "the request line is too long");
        return false;
    }
    parse_request_line(line, out);
    std::size_t fields = 0;
    while (true) {
        if (!next_line(buffer, pos, line)) {
            if (buffer.size() - start > limits.max_head) throw HttpError(431, "the request's header fields are too large");
            return false;
        }
        if (pos - start > limits.max_head) throw HttpError(431, "the request's header fields are too large");
        if (line.empty()) break;
        if (++fields > limits.max_fields) throw HttpError(431, "too many header fields");
        add_field(line, out);
    }
    apply_fields(out, limits);
    out.head_bytes = pos;
    return true;
}

bool parse_body(std::string_view buffer, const RequestHead& head, const HttpLimits& limits, std::string& body,
                std::size_t& consumed) {
    if (!head.chunked) {
        if (buffer.size() < head.content_length) return false;
        body.assign(buffer.substr(0, head.content_length));
        consumed = head.content_length;
        return true;
    }
    body.clear();
    std::size_t pos = 0;
    std::string_view line;
    while (true) {
        if (!next_line(buffer, pos, line)) return false;
        const std::size_t size = parse_chunk_size(line, limits.max_body - body.size());
        if (size == 0) break;
        if (buffer.size() < pos + size + 1) return false;
        body.append(buffer.substr(pos, size));
        pos += size;
        if (!next_line(buffer, pos, line)) return false;
        if (!line.empty()) throw HttpError(400, "a chunk is longer than its size says");
    }
    const std::size_t trailer_start = pos;
    while (true) {  // trailer fields, ignored, then the blank line
        if (!next_line(buffer, pos, line)) return false;
        if (pos - trailer_start > limits.max_head) throw HttpError(431, "the trailer fields are too large");
        if (line.empty()) break;
    }
    consumed = pos;
    return true;
}

std::string serialize_response(const Response& response, bool keep_alive, bool head_only) {
    std::string out;
    out.reserve(256 + (head_only ? 0 : response.body.size()));
    out += "HTTP/1.1 " + std::to_string(response.status) + " " + std::string(reason_phrase(response.status)) + "\r\n";
    out += "Date: " + http_date() + "\r\nServer: mandala\r\n";
    if (!response.content_type.empty()) out += "Content-Type: " + response.content_type + "\r\n";
    out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
    out += keep_alive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
    for (const auto& [name, value] : response.headers) out += name + ": " + value + "\r\n";
    out += "\r\n";
    if (!head_only) out += response.body;
    return out;
}

}  // namespace mandala::web
