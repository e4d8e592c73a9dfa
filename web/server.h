#pragma once
// The Poco HTTPServer around an App: a bounded worker pool, keep-alive, socket timeouts, a body
// limit enforced while reading, and a request handler factory that hands every request to the
// App (which answers 404/405 itself, so the factory never returns null).
#include <cstdint>
#include <memory>

#include "web/app.h"

namespace Poco {
class ThreadPool;
namespace Net {
class HTTPServer;
}
}  // namespace Poco

namespace mandala::web {

class Server {
public:
    explicit Server(Config config);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    void start();
    // Stops accepting, lets requests in progress finish (up to a few seconds).
    void stop();
    std::uint16_t port() const;
    App& app() { return *app_; }

private:
    std::unique_ptr<App> app_;
    std::unique_ptr<Poco::ThreadPool> pool_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    bool stopped_ = false;
};

}  // namespace mandala::web
