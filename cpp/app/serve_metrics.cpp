#include "serve_metrics.hpp"

#include <cstdio>

namespace imgkit::cli {
namespace {

// Prometheus floats: the shortest text that reads back as the same double.
std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", value);
  double back = 0;
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(text, sizeof text, "%.*g", precision, value);
    if (std::sscanf(text, "%lf", &back) == 1 && back == value) break;
  }
  return text;
}

void family(std::string& out, const char* name, const char* type, const char* help) {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

}  // namespace

void HttpMetrics::record(int status, std::chrono::steady_clock::duration elapsed) {
  const double seconds = std::chrono::duration<double>(elapsed).count();
  std::size_t bucket = 0;
  while (bucket < kBucketBounds.size() && seconds > kBucketBounds[bucket]) ++bucket;
  const std::lock_guard lock(mutex_);
  ++requests_by_status_[status];
  if (bucket < kBucketBounds.size()) ++bucket_counts_[bucket];
  ++count_;
  sum_seconds_ += seconds;
}

std::string HttpMetrics::to_prometheus() const {
  std::string out;
  const std::lock_guard lock(mutex_);
  family(out, "imgkit_http_requests_total", "counter", "HTTP requests answered, by status code.");
  for (const auto& [status, count] : requests_by_status_) {
    out += "imgkit_http_requests_total{code=\"" + std::to_string(status) + "\"} " +
           std::to_string(count) + "\n";
  }
  family(out, "imgkit_http_request_duration_seconds", "histogram",
         "Time from a request's headers to its response written, in seconds.");
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kBucketBounds.size(); ++i) {
    cumulative += bucket_counts_[i];
    out += "imgkit_http_request_duration_seconds_bucket{le=\"" + number(kBucketBounds[i]) + "\"} " +
           std::to_string(cumulative) + "\n";
  }
  out +=
      "imgkit_http_request_duration_seconds_bucket{le=\"+Inf\"} " + std::to_string(count_) + "\n";
  out += "imgkit_http_request_duration_seconds_sum " + number(sum_seconds_) + "\n";
  out += "imgkit_http_request_duration_seconds_count " + std::to_string(count_) + "\n";
  family(out, "imgkit_http_requests_in_flight", "gauge",
         "Requests being handled now (reading, waiting for a CPU slot, or processing).");
  out += "imgkit_http_requests_in_flight " +
         std::to_string(in_flight_.load(std::memory_order_relaxed)) + "\n";
  return out;
}

}  // namespace imgkit::cli
