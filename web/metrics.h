#pragma once
// Request counts and latency histograms per route, rendered in the Prometheus text format.
#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace mandala::web {

class Metrics {
public:
    static constexpr std::array<double, 10> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0};

    void observe(const std::string& route, const std::string& method, int status, double seconds);
    // Exposition text; `gauges` are appended as `name value` lines (with HELP/TYPE).
    std::string render(const std::map<std::string, double>& gauges) const;

private:
    struct Series {
        std::map<int, std::uint64_t> by_status;
        std::array<std::uint64_t, kBuckets.size()> buckets{};
        std::uint64_t count = 0;
        double sum = 0;
    };
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, std::string>, Series> series_;  // (route, method)
};

}  // namespace mandala::web
