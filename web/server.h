#pragma once
// The HTTP server around an App. One thread (the reactor) accepts connections and reads requests
// from all of them without blocking; a request is handed to the bounded worker pool only once it
// has arrived whole, so clients that send slowly hold a socket, not a worker. Each request must
// arrive within a deadline and at a minimum rate (408 otherwise); when the workers are busy and
// their queue is full, or too many connections are open, the answer is 503 with Retry-After (a
// reset looks like a network failure to a client, a 503 says to come back). Connections are
// closed gracefully (the rest of the request is read and dropped) so the answer is not lost to a
// reset. Every answer, including those to requests that could not be read, comes from the App:
// security headers, metrics and the access log alike. Limits: web/config.h, docs/deployment.md.
#include <cstdint>
#include <memory>

#include "web/app.h"

namespace mandala::web {

class Server {
public:
    // Binds the listening socket (throws InputError when the address cannot be used).
    explicit Server(Config config);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    void start();
    // Stops accepting, lets requests in progress finish, closes every connection.
    void stop();
    std::uint16_t port() const;
    App& app() { return *app_; }

private:
    struct Impl;
    std::unique_ptr<App> app_;
    std::unique_ptr<Impl> impl_;
};

}  // namespace mandala::web
