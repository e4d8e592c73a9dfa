#pragma once
// The service's own view of HTTP: a Request (method, decoded path parameters, query, headers,
// body) in, a Response out. Handlers never see Poco's server types, so they are plain functions
// that tests and the router can call alike. Failures are typed errors turned into RFC 7807
// problem documents in one function (`problem_response`).
#include <Poco/JSON/Object.h>

#include <exception>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "text/errors.h"

namespace mandala::web {

// HTTP statuses that are not one of mandala's typed errors: 403, 405, 415, ...
class HttpError : public Error {
public:
    HttpError(int status, const std::string& message, std::vector<std::pair<std::string, std::string>> headers = {})
        : Error(message), status_(status), headers_(std::move(headers)) {}
    int status() const { return status_; }
    const std::vector<std::pair<std::string, std::string>>& headers() const { return headers_; }

private:
    int status_;
    std::vector<std::pair<std::string, std::string>> headers_;
};

struct Request {
    std::string method;
    std::string path;    // raw (still percent-encoded) path
    std::string target;  // raw path and query, for logs
    std::map<std::string, std::string> params;                  // decoded path parameters
    std::vector<std::pair<std::string, std::string>> query;     // decoded, in order
    std::map<std::string, std::string> headers;                 // names in lower case
    std::string body;

    // First value of a query parameter, or `fallback`.
    std::string arg(std::string_view name, const std::string& fallback = {}) const;
    std::vector<std::string> args(std::string_view name) const;
    bool has_arg(std::string_view name) const;
    // Integer query parameter in [min, max]; throws InputError otherwise.
    long integer(std::string_view name, long fallback, long min, long max) const;
    std::string header(std::string_view lower_name) const;
    const std::string& param(const std::string& name) const;
    // The body parsed as a JSON object: 415 unless Content-Type is application/json, 400 if malformed.
    Poco::JSON::Object::Ptr json_body() const;
};

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string log_note;  // for the access log only (an error's full text, server paths and all)

    static Response json(const Poco::Dynamic::Var& value, int status = 200);
    static Response json_text(std::string body, int status = 200);
};

// Percent-decoding of one path segment or query component ('+' is a space only in queries).
// Throws InputError on a malformed escape or when the result is not valid UTF-8 or holds NUL.
std::string percent_decode(std::string_view s, bool plus_is_space);
// Splits "a=1&b=2" into decoded pairs.
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query);

// An RFC 7807 problem document.
Response problem(int status, const std::string& detail, const std::string& instance = {});
// THE mapping from an exception to a problem response: InputError 400, NotFound 404, Conflict 409,
// LimitExceeded 413, HttpError its status, Xapian query errors 400, anything else 500.
// `detail` passes the message through (App::redact takes server paths out of it); the message as
// thrown goes to the response's log_note.
Response problem_response(std::exception_ptr error, const std::string& instance,
                          const std::function<std::string(const std::string&)>& detail = {});

std::string_view reason_phrase(int status);
std::string stringify(const Poco::Dynamic::Var& value);

}  // namespace mandala::web
