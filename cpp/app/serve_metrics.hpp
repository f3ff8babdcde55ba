// The service's own metrics for `imgkit serve`, beside switchyard's: HTTP requests by
// status code, request latency as a histogram, and the requests in flight, in the
// Prometheus text exposition format.
//
//   imgkit::cli::HttpMetrics metrics;
//   {
//     const imgkit::cli::InFlight in_flight(metrics);  // the gauge, for the handler's span
//     ...
//   }
//   metrics.record(200, elapsed);                      // once the response is written
//   std::string text = metrics.to_prometheus();
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace imgkit::cli {

class HttpMetrics {
 public:
  // Upper bounds of the latency buckets, in seconds (+Inf is implied): from a thumbnail's
  // millisecond to a request that ran into a generous timeout.
  static constexpr std::array<double, 14> kBucketBounds = {
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0};

  void record(int status, std::chrono::steady_clock::duration elapsed);
  void enter() noexcept { in_flight_.fetch_add(1, std::memory_order_relaxed); }
  void leave() noexcept { in_flight_.fetch_sub(1, std::memory_order_relaxed); }

  // Families imgkit_http_requests_total{code}, imgkit_http_request_duration_seconds and
  // imgkit_http_requests_in_flight.
  std::string to_prometheus() const;

 private:
  // A request is counted once, after its response: a lock per request is nothing beside
  // decoding an image, and keeps the codes, buckets, sum and count consistent together.
  mutable std::mutex mutex_;
  std::map<int, std::uint64_t> requests_by_status_;
  std::array<std::uint64_t, kBucketBounds.size()> bucket_counts_{};  // not cumulative
  std::uint64_t count_ = 0;
  double sum_seconds_ = 0;
  std::atomic<std::int64_t> in_flight_{0};
};

// Counts a request in flight for as long as it lives.
class InFlight {
 public:
  explicit InFlight(HttpMetrics& metrics) noexcept : metrics_(metrics) { metrics_.enter(); }
  ~InFlight() { metrics_.leave(); }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;

 private:
  HttpMetrics& metrics_;
};

}  // namespace imgkit::cli
