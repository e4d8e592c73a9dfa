#include "web/metrics.h"

#include <sstream>

namespace mandala::web {

void Metrics::observe(const std::string& route, const std::string& method, int status, double seconds) {
    std::lock_guard lock(mutex_);
    Series& s = series_[{route, method}];
    ++s.by_status[status];
    ++s.count;
    s.sum += seconds;
    for (std::size_t i = 0; i < kBuckets.size(); ++i)
        if (seconds <= kBuckets[i]) ++s.buckets[i];
}

std::string Metrics::render(const std::map<std::string, double>& gauges) const {
    std::ostringstream out;
    out << "# HELP mandala_http_requests_total HTTP requests by route, method and status.\n"
        << "# TYPE mandala_http_requests_total counter\n";
    std::lock_guard lock(mutex_);
    for (const auto& [key, s] : series_)
        for (const auto& [status, n] : s.by_status)
            out << "mandala_http_requests_total{route=\"" << key.first << "\",method=\"" << key.second << "\",status=\""
                << status << "\"} " << n << "\n";
    out << "# HELP mandala_http_request_duration_seconds Time to answer a request, by route.\n"
        << "# TYPE mandala_http_request_duration_seconds histogram\n";
    for (const auto& [key, s] : series_) {
        const std::string labels = "route=\"" + key.first + "\",method=\"" + key.second + "\"";
        for (std::size_t i = 0; i < kBuckets.size(); ++i)
            out << "mandala_http_request_duration_seconds_bucket{" << labels << ",le=\"" << kBuckets[i] << "\"} "
                << s.buckets[i] << "\n";
        out << "mandala_http_request_duration_seconds_bucket{" << labels << ",le=\"+Inf\"} " << s.count << "\n"
            << "mandala_http_request_duration_seconds_sum{" << labels << "} " << s.sum << "\n"
            << "mandala_http_request_duration_seconds_count{" << labels << "} " << s.count << "\n";
    }
    for (const auto& [name, value] : gauges)
        out << "# HELP " << name << " Index size.\n# TYPE " << name << " gauge\n" << name << " " << value << "\n";
    return out.str();
}

}  // namespace mandala::web
