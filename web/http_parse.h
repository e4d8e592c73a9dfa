#pragma once
// HTTP/1.1 requests as bytes (RFC 9112): the request line and header fields, then a body framed
// by Content-Length or chunked transfer coding. Pure functions over a buffer, fed as bytes arrive,
// so the server reads requests without a thread per connection, and a fuzzer can drive them.
// What is refused, and why: a byte outside visible ASCII in the request line (0xff would be
// dropped or mangled further on), Content-Length together with Transfer-Encoding (the two framings
// disagreeing is how requests are smuggled past a proxy), obsolete line folding, a field name
// that is not a token, a second Content-Length, and a transfer coding other than chunked.
#include <cstddef>
#include <string>
#include <string_view>

#include "web/http.h"

namespace mandala::web {

struct HttpLimits {
    std::size_t max_head = 32 * 1024;  // request line and fields, in bytes (431 beyond)
    std::size_t max_fields = 100;      // (431 beyond)
    std::size_t max_body = 1 << 20;    // decoded body bytes (413 beyond)
};

// Where a request's head ends and how its body is framed.
struct RequestHead {
    Request request;           // method, target, path, query (decoded), headers; no body yet
    std::size_t head_bytes = 0;  // bytes of the head, final blank line included
    bool chunked = false;
    std::size_t content_length = 0;  // when not chunked
    bool keep_alive = true;          // HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with keep-alive
    bool expect_continue = false;    // "Expect: 100-continue"
};

// Throws HttpError (400, 413, 431, 501, 505) or InputError (a target that does not decode)
// for a malformed head; returns false while the head is incomplete.
bool parse_head(std::string_view buffer, const HttpLimits& limits, RequestHead& out);

// Decodes a body from `buffer` (the bytes after the head): true and `body` filled once complete,
// with `consumed` the bytes of the body on the wire (so the next pipelined request starts there).
// Throws HttpError 400 for malformed chunking and LimitExceeded past limits.max_body.
bool parse_body(std::string_view buffer, const RequestHead& head, const HttpLimits& limits, std::string& body,
                std::size_t& consumed);

// The response's bytes: status line, fields (Content-Length, Connection, the response's own),
// and the body unless `head_only`.
std::string serialize_response(const Response& response, bool keep_alive, bool head_only);

}  // namespace mandala::web
