#include "web/server.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>

#include <algorithm>
#include <istream>

namespace mandala::web {
namespace {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

// Bodies are read up to `limit` bytes; a larger one is refused with 413 after draining it (up to
// kDrainLimit) so the client, still sending, can read the answer; the connection is then closed.
constexpr std::streamsize kDrainLimit = 16 << 20;

[[noreturn]] void refuse_body(std::istream& in, std::size_t limit) {
    char buffer[8192];
    std::streamsize drained = 0;
    while (in && drained < kDrainLimit) {
        in.read(buffer, sizeof buffer);
        drained += in.gcount();
    }
    throw LimitExceeded("request body over " + std::to_string(limit) + " bytes");
}

std::string read_body(HTTPServerRequest& req, std::size_t limit) {
    std::string body;
    if (!req.hasContentLength() && !req.getChunkedTransferEncoding()) return body;
    std::istream& in = req.stream();
    if (req.hasContentLength() && req.getContentLength64() > static_cast<Poco::Int64>(limit)) refuse_body(in, limit);
    char buffer[8192];
    while (in) {
        in.read(buffer, sizeof buffer);
        body.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (body.size() > limit) refuse_body(in, limit);
    }
    return body;
}

Request to_request(HTTPServerRequest& req, std::size_t max_body) {
    Request r;
    r.method = req.getMethod();
    r.target = req.getURI();
    const auto q = r.target.find('?');
    r.path = r.target.substr(0, q);
    for (const auto& [name, value] : req) {
        std::string lower = name;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
        r.headers[lower] = value;
    }
    if (q != std::string::npos) r.query = parse_query(std::string_view(r.target).substr(q + 1));
    r.body = read_body(req, max_body);
    return r;
}

class Handler : public Poco::Net::HTTPRequestHandler {
public:
    explicit Handler(App& app) : app_(app) {}

    void handleRequest(HTTPServerRequest& req, HTTPServerResponse& res) override {
        Response response;
        bool keep_alive = true;
        Request request;
        try {
            request = to_request(req, app_.config().max_body);
            response = app_.handle(request);
        } catch (...) {
            // The request itself could not be read (bad escape, body over the limit): the rest of
            // it is left unread, so the connection is closed after the answer.
            keep_alive = false;
            response = app_.reject(std::current_exception(), req.getMethod(), req.getURI());
        }
        res.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status));
        res.setReason(std::string(reason_phrase(response.status)));
        res.setContentType(response.content_type);
        for (const auto& [name, value] : response.headers) res.add(name, value);
        if (!keep_alive) res.setKeepAlive(false);
        res.setContentLength64(static_cast<Poco::Int64>(response.body.size()));
        if (req.getMethod() == "HEAD") {
            res.send();
            return;
        }
        res.sendBuffer(response.body.data(), response.body.size());
    }

private:
    App& app_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit Factory(App& app) : app_(app) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override { return new Handler(app_); }

private:
    App& app_;
};

}  // namespace

Server::Server(Config config) : app_(std::make_unique<App>(std::move(config))) {
    const Config& c = app_->config();
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress(c.host, c.port), 64);
    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(static_cast<int>(c.threads));
    params->setMaxQueued(static_cast<int>(c.queue));
    params->setKeepAlive(true);
    // Poco serves a keep-alive connection on one thread until it closes: with more clients than
    // threads the others wait in the queue. Closing after a few requests lets them take turns
    // (wrk, 64 connections, 16 threads: 1,000 requests per connection left 32 clients waiting past
    // 10 s, p99 5.3 s; 10 gave p99 0.18 s and more requests per second).
    params->setMaxKeepAliveRequests(10);
    params->setKeepAliveTimeout(Poco::Timespan(c.socket_timeout, 0));
    params->setTimeout(Poco::Timespan(c.socket_timeout, 0));
    params->setServerName("mandala");
    pool_ = std::make_unique<Poco::ThreadPool>(2, static_cast<int>(c.threads));
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*app_), *pool_, socket, params);
}

Server::~Server() {
    try {
        stop();
    } catch (...) {
    }
}

void Server::start() { server_->start(); }

void Server::stop() {
    if (!server_ || stopped_) return;
    stopped_ = true;
    server_->stopAll(false);
    pool_->joinAll();
}

std::uint16_t Server::port() const { return server_->port(); }

}  // namespace mandala::web
