// libFuzzer harness for the service's input decoding: percent-decoding and query strings
// (web/http.h) and the HTTP/1.1 request parser (web/http_parse.h). Malformed input must end in
// one of mandala's typed errors (a 4xx), never in anything else.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "web/http_parse.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace mandala::web;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    try {
        (void)percent_decode(bytes, (size & 1) != 0);
    } catch (const mandala::Error&) {
    }
    try {
        (void)parse_query(bytes);
    } catch (const mandala::Error&) {  // InputError for a bad escape, LimitExceeded for too many parameters
    }
    HttpLimits limits;
    limits.max_body = 4096;
    try {
        RequestHead head;
        if (parse_head(bytes, limits, head)) {
            std::string body;
            std::size_t consumed = 0;
            if (parse_body(bytes.substr(head.head_bytes), head, limits, body, consumed) &&
                head.head_bytes + consumed > bytes.size())
                __builtin_trap();  // a body cannot end past the bytes that arrived
        }
    } catch (const mandala::Error&) {
    }
    return 0;
}
