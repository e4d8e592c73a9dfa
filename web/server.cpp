#include "web/server.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "web/http_parse.h"

namespace mandala::web {
namespace {

using Clock = std::chrono::steady_clock;

// A keep-alive connection is closed after this many requests (a client gone astray is not kept forever).
constexpr std::size_t kMaxRequestsPerConnection = 1000;
// How long a closing connection's incoming bytes are read and dropped so the answer is not reset.
constexpr std::chrono::seconds kLinger{2};
// A request's first second is not rate-checked: one slow packet is not a slow client.
constexpr std::chrono::seconds kRateGrace{1};

Clock::duration seconds(double s) { return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s)); }

enum class Phase { reading, busy, writing, lingering };

// One client connection. The reactor owns it; while a worker handles its request (Phase::busy)
// the worker alone touches it, until it hands it back.
struct Connection {
    int fd = -1;
    Phase phase = Phase::reading;
    std::string in;              // bytes received and not yet consumed
    std::string out;             // answer bytes not yet sent
    bool close_after_write = false;
    Clock::time_point idle_since, request_start, deadline;
    bool in_request = false;     // a byte of the next request has arrived
    bool fresh = false;          // no request yet: the first must begin within the request deadline
    std::size_t request_bytes = 0;
    bool head_parsed = false, continue_sent = false;
    RequestHead head;
    std::size_t requests = 0;
};

struct Job {
    Connection* connection;
    Request request;
    bool keep_alive;
};

int listen_on(const std::string& host, std::uint16_t port) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0 || !found)
        throw InputError("cannot listen on " + host + ": unknown address");
    int fd = -1;
    std::string error = "no address";
    // IPv4 addresses first: "localhost" then binds 127.0.0.1, where clients look first.
    std::vector<addrinfo*> candidates;
    for (int pass = 0; pass < 2; ++pass)
        for (addrinfo* a = found; a; a = a->ai_next)
            if ((a->ai_family == AF_INET) == (pass == 0)) candidates.push_back(a);
    for (addrinfo* a : candidates) {
        if (fd >= 0) break;
        fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) continue;
        const int on = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd, 1024) != 0) {
            error = std::strerror(errno);
            ::close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(found);
    if (fd < 0) throw InputError("cannot listen on " + host + ":" + std::to_string(port) + ": " + error);
    return fd;
}

// Sends what the socket takes now; false when the peer is gone.
bool send_some(Connection& c) {
    while (!c.out.empty()) {
        const ssize_t n = ::send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
        if (n > 0) {
            c.out.erase(0, static_cast<std::size_t>(n));
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else {
            return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
        }
    }
    return true;
}

}  // namespace

struct Server::Impl {
    App& app;
    const Config& config;
    HttpLimits limits;
    int listen_fd = -1;
    int wake[2] = {-1, -1};
    std::map<int, std::unique_ptr<Connection>> connections;  // the reactor's alone

    std::mutex mutex;  // guards jobs, returned, stopping
    std::condition_variable work;
    std::deque<Job> jobs;
    std::vector<Connection*> returned;
    bool stopping = false;

    std::thread reactor;
    std::vector<std::thread> workers;
    std::atomic<bool> started{false};

    Impl(App& a, const Config& c) : app(a), config(c) {
        limits.max_body = c.max_body;
        listen_fd = listen_on(c.host, c.port);
        if (::pipe2(wake, O_NONBLOCK | O_CLOEXEC) != 0) {
            ::close(listen_fd);
            throw std::runtime_error("cannot create the server's wake-up pipe");
        }
    }

    ~Impl() {
        for (auto& [fd, c] : connections) ::close(fd);
        for (int fd : {listen_fd, wake[0], wake[1]})
            if (fd >= 0) ::close(fd);
    }

    void wake_reactor() {
        const char byte = 1;
        [[maybe_unused]] const ssize_t n = ::write(wake[1], &byte, 1);  // a full pipe already wakes it
    }

    // ---- the reactor ----

    void run_reactor() {
        std::vector<pollfd> polled;
        std::vector<Connection*> polled_connections;
        auto last_sweep = Clock::now();
        while (true) {
            {
                std::lock_guard lock(mutex);
                if (stopping) return;
            }
            polled.assign({{listen_fd, POLLIN, 0}, {wake[0], POLLIN, 0}});
            polled_connections.assign(2, nullptr);
            for (auto& [fd, c] : connections) {
                if (c->phase == Phase::busy) continue;
                polled.push_back({fd, static_cast<short>(c->phase == Phase::writing ? POLLOUT : POLLIN), 0});
                polled_connections.push_back(c.get());
            }
            const int ready = ::poll(polled.data(), polled.size(), 100);
            if (ready < 0 && errno != EINTR) return;
            const auto now = Clock::now();
            if (polled[1].revents) drain_wake_pipe();
            take_returned(now);
            for (std::size_t i = 2; i < polled.size(); ++i)
                if (polled[i].revents) on_ready(*polled_connections[i], now);
            if (polled[0].revents) accept_all(now);
            if (now - last_sweep > std::chrono::milliseconds(100)) {
                sweep(now);
                last_sweep = now;
            }
            close_finished();
        }
    }

    void drain_wake_pipe() {
        char buf[256];
        while (::read(wake[0], buf, sizeof buf) > 0) {
        }
    }

    void accept_all(Clock::time_point now) {
        while (true) {
            const int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) return;  // EAGAIN: all taken; EMFILE and the like: the next round retries
            const int on = 1;
            ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
            auto c = std::make_unique<Connection>();
            c->fd = fd;
            c->idle_since = now;
            c->fresh = true;
            Connection& added = *c;
            const bool over = connections.size() >= config.max_connections;
            connections.emplace(fd, std::move(c));
            if (over) refuse(added, overloaded("too many open connections"), now);
        }
    }

    void on_ready(Connection& c, Clock::time_point now) {
        if (c.phase == Phase::writing) return write_more(c, now);
        char buf[65536];
        bool peer_closed = false;
        while (true) {
            const ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
            if (n > 0) {
                if (c.phase == Phase::lingering) continue;  // dropped: the answer is already on its way
                if (!c.in_request) start_request(c, now);
                c.request_bytes += static_cast<std::size_t>(n);
                c.in.append(buf, static_cast<std::size_t>(n));
                if (c.in.size() > 2 * limits.max_body + limits.max_head) break;  // read_request refuses it
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
            peer_closed = true;  // the peer closed its side, or the connection failed
            break;
        }
        // A request the peer sent before closing its side is still answered.
        if (c.phase == Phase::reading) read_request(c, now);
        if (peer_closed && (c.phase == Phase::reading || c.phase == Phase::lingering)) close_now(c);
    }

    void start_request(Connection& c, Clock::time_point now) {
        c.in_request = true;
        c.request_start = now;
        c.request_bytes = 0;
    }

    // Parses what has arrived; a whole request goes to the workers, a malformed one is answered.
    void read_request(Connection& c, Clock::time_point now) {
        if (c.in.empty()) return;
        try {
            if (!c.head_parsed) {
                if (!parse_head(c.in, limits, c.head)) return;
                c.head_parsed = true;
            }
            const std::string_view rest = std::string_view(c.in).substr(c.head.head_bytes);
            if (rest.size() > 2 * limits.max_body + limits.max_head) throw LimitExceeded("request body over the limit");
            std::string body;
            std::size_t consumed = 0;
            if (!parse_body(rest, c.head, limits, body, consumed)) return send_continue(c);
            Request request = std::move(c.head.request);
            request.body = std::move(body);
            const bool keep_alive = c.head.keep_alive;
            c.in.erase(0, c.head.head_bytes + consumed);
            dispatch(c, std::move(request), keep_alive, now);
        } catch (...) {
            refuse(c, app.reject(std::current_exception(), c.head.request.method, c.head.request.target), now);
        }
    }

    // "Expect: 100-continue": the client waits for this before sending its body.
    void send_continue(Connection& c) {
        if (!c.head.expect_continue || c.continue_sent) return;
        c.continue_sent = true;
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        [[maybe_unused]] const ssize_t n = ::send(c.fd, kContinue.data(), kContinue.size(), MSG_NOSIGNAL);
    }

    void dispatch(Connection& c, Request request, bool keep_alive, Clock::time_point now) {
        {
            std::lock_guard lock(mutex);
            if (jobs.size() < config.queue) {
                c.phase = Phase::busy;
                jobs.push_back({&c, std::move(request), keep_alive});
                work.notify_one();
                return;
            }
        }
        refuse(c, overloaded("every worker is busy and the queue is full"), now);
    }

    Response overloaded(const std::string& why) {
        const std::string retry = std::to_string(config.retry_after);
        return app.reject(std::make_exception_ptr(HttpError(503, "the server is at capacity (" + why + "): retry in " +
                                                                      retry + " s", {{"Retry-After", retry}})),
                          "", "", "overloaded");
    }

    // Answers and closes: the rest of the request is never read.
    void refuse(Connection& c, const Response& response, Clock::time_point now) {
        c.out = serialize_response(response, false, false);
        c.close_after_write = true;
        begin_writing(c, now);
    }

    void begin_writing(Connection& c, Clock::time_point now) {
        c.phase = Phase::writing;
        c.deadline = now + seconds(config.request_timeout) +
                     seconds(static_cast<double>(c.out.size()) / static_cast<double>(std::max<std::size_t>(config.min_rate, 1)));
        write_more(c, now);
    }

    void write_more(Connection& c, Clock::time_point now) {
        if (!send_some(c)) return close_now(c);
        if (!c.out.empty()) return;
        if (c.close_after_write) return linger(c, now);
        next_request(c, now);
    }

    void next_request(Connection& c, Clock::time_point now) {
        c.phase = Phase::reading;
        c.fresh = false;
        c.head_parsed = c.continue_sent = false;
        c.head = RequestHead{};
        c.idle_since = now;
        c.in_request = !c.in.empty();  // a pipelined request already arrived
        c.request_start = now;
        c.request_bytes = c.in.size();
        read_request(c, now);
    }

    void linger(Connection& c, Clock::time_point now) {
        ::shutdown(c.fd, SHUT_WR);
        c.phase = Phase::lingering;
        c.in.clear();
        c.deadline = now + kLinger;
    }

    void close_now(Connection& c) {
        c.phase = Phase::lingering;
        c.deadline = Clock::time_point::min();  // close_finished() closes it this round
    }

    void close_finished() {
        const auto now = Clock::now();
        for (auto it = connections.begin(); it != connections.end();) {
            Connection& c = *it->second;
            if (c.phase == Phase::lingering && c.deadline <= now) {
                ::close(c.fd);
                it = connections.erase(it);
            } else {
                ++it;
            }
        }
    }

    // Deadlines: a request that takes too long or comes too slowly, an answer not taken, an idle connection.
    void sweep(Clock::time_point now) {
        for (auto& [fd, owned] : connections) {
            Connection& c = *owned;
            if (c.phase == Phase::writing && now > c.deadline) {
                close_now(c);
            } else if (c.phase == Phase::reading && c.in_request && too_slow(c, now)) {
                refuse(c, app.reject(std::make_exception_ptr(HttpError(408, "the request did not arrive in time")),
                                     c.head.request.method, c.head.request.target, "too-slow"),
                       now);
            } else if (c.phase == Phase::reading && !c.in_request && now - c.idle_since > idle_limit(c)) {
                close_now(c);  // no request begun: nothing to answer
            }
        }
    }

    // A new connection must begin its request within the request deadline; between the requests
    // of a keep-alive connection the idle timeout applies.
    Clock::duration idle_limit(const Connection& c) const {
        return c.fresh ? seconds(config.request_timeout) : Clock::duration(std::chrono::seconds(config.socket_timeout));
    }

    bool too_slow(const Connection& c, Clock::time_point now) const {
        const auto elapsed = now - c.request_start;
        if (elapsed > seconds(config.request_timeout)) return true;
        if (elapsed < kRateGrace) return false;
        const double secs = std::chrono::duration<double>(elapsed).count();
        return static_cast<double>(c.request_bytes) < static_cast<double>(config.min_rate) * secs;
    }

    // Connections the workers are done with: their answer is (partly) sent.
    void take_returned(Clock::time_point now) {
        std::vector<Connection*> done;
        {
            std::lock_guard lock(mutex);
            done.swap(returned);
        }
        for (Connection* c : done) begin_writing(*c, now);
    }

    // ---- the workers ----

    void run_worker() {
        while (true) {
            Job job;
            {
                std::unique_lock lock(mutex);
                work.wait(lock, [&] { return stopping || !jobs.empty(); });
                if (jobs.empty()) return;  // stopping, and nothing left
                job = std::move(jobs.front());
                jobs.pop_front();
            }
            Connection& c = *job.connection;
            const bool head_only = job.request.method == "HEAD";
            const Response response = app.handle(job.request);
            const bool keep_alive = job.keep_alive && ++c.requests < kMaxRequestsPerConnection;
            c.out = serialize_response(response, keep_alive, head_only);
            c.close_after_write = !keep_alive;
            if (!send_some(c)) c.close_after_write = true;  // the reactor finds it gone when writing
            {
                std::lock_guard lock(mutex);
                returned.push_back(&c);
            }
            wake_reactor();
        }
    }
};

Server::Server(Config config) : app_(std::make_unique<App>(std::move(config))) {
    impl_ = std::make_unique<Impl>(*app_, app_->config());
}

Server::~Server() {
    try {
        stop();
    } catch (...) {
    }
}

void Server::start() {
    if (impl_->started.exchange(true)) return;
    for (std::size_t i = 0; i < app_->config().threads; ++i) impl_->workers.emplace_back([this] { impl_->run_worker(); });
    impl_->reactor = std::thread([this] { impl_->run_reactor(); });
}

void Server::stop() {
    {
        std::lock_guard lock(impl_->mutex);
        if (impl_->stopping) return;
        impl_->stopping = true;
        impl_->jobs.clear();  // not started: their connections are closed unanswered
    }
    impl_->work.notify_all();
    impl_->wake_reactor();
    if (impl_->reactor.joinable()) impl_->reactor.join();
    for (auto& t : impl_->workers)
        if (t.joinable()) t.join();
}

std::uint16_t Server::port() const {
    sockaddr_storage address{};
    socklen_t size = sizeof address;
    if (::getsockname(impl_->listen_fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) return 0;
    if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&address)->sin6_port);
    return ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port);
}

}  // namespace mandala::web
