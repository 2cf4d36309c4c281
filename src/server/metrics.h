// Request metrics for `icts serve`, rendered in the Prometheus text format.
//
// Thread safety: every method may be called from several threads.
#ifndef ICTS_SERVER_METRICS_H_
#define ICTS_SERVER_METRICS_H_

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace icts::server {

class Metrics {
 public:
  // Upper bounds of the latency histogram's buckets, in seconds.
  static constexpr std::array<double, 14> kBuckets = {
      0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  // One finished request: `route` is the route table's path ("unmatched" for
  // none), `status` the HTTP status sent.
  void Observe(const std::string& method, const std::string& route, int status, double seconds);

  // The counters and histograms, followed by `extra` (already formatted
  // gauges), as Prometheus text (version 0.0.4).
  std::string Render(const std::string& extra) const;

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> counts{};
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  std::map<std::pair<std::string, std::string>, Histogram> latency_;
};

}  // namespace icts::server

#endif  // ICTS_SERVER_METRICS_H_
