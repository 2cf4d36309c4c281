#include "server/metrics.h"

#include <fmt/format.h>

namespace icts::server {
namespace {

// Label values escape backslash, double quote and newline.
std::string Label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

void Metrics::Observe(const std::string& method, const std::string& route, int status,
                      double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{method, route, status}];
  Histogram& h = latency_[{method, route}];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++h.counts[i];
  }
  ++h.count;
  h.sum += seconds;
}

std::string Metrics::Render(const std::string& extra) const {
  std::string out;
  std::lock_guard<std::mutex> lock(mu_);
  out += "# HELP icts_http_requests_total Requests answered, by method, route and status.\n";
  out += "# TYPE icts_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    out += fmt::format("icts_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n",
                       Label(method), Label(route), status, n);
  }
  out += "# HELP icts_http_request_duration_seconds Time from routing to the response.\n";
  out += "# TYPE icts_http_request_duration_seconds histogram\n";
  for (const auto& [key, h] : latency_) {
    std::string labels = fmt::format("method=\"{}\",route=\"{}\"", Label(key.first),
                                     Label(key.second));
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      out += fmt::format("icts_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n", labels,
                         kBuckets[i], h.counts[i]);
    }
    out += fmt::format("icts_http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n", labels,
                       h.count);
    out += fmt::format("icts_http_request_duration_seconds_sum{{{}}} {}\n", labels, h.sum);
    out += fmt::format("icts_http_request_duration_seconds_count{{{}}} {}\n", labels, h.count);
  }
  out += extra;
  return out;
}

}  // namespace icts::server
