#pragma once
// A blocking HTTP client for the web tests: one request to a server on 127.0.0.1, the answer whole.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace mandala::test {

struct Reply {
    int status = 0;
    std::string content_type, body;
    Poco::Net::HTTPResponse headers;
    Poco::JSON::Object::Ptr json() const {
        Poco::JSON::Parser p;
        return p.parse(body).extract<Poco::JSON::Object::Ptr>();
    }
};

inline Reply http_call(std::uint16_t port, const std::string& method, const std::string& target,
                       const std::string& body = {}, const std::string& content_type = "application/json",
                       const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(60, 0));
    Poco::Net::HTTPRequest req(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [k, v] : headers) req.set(k, v);
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
        req.setContentType(content_type);
        req.setContentLength64(static_cast<Poco::Int64>(body.size()));
    }
    session.sendRequest(req) << body;
    Reply r;
    std::istream& in = session.receiveResponse(r.headers);
    Poco::StreamCopier::copyToString(in, r.body);
    r.status = r.headers.getStatus();
    r.content_type = r.headers.getContentType();
    return r;
}

}  // namespace mandala::test
