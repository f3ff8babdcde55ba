// `imgkit serve`: a long-running HTTP service over the same operations as `imgkit
// process`, routed by a config file it re-reads while serving, so an operator steers
// legacy/Rust routing (and injects faults) by editing that file.
//
//   POST /v1/process?op=gaussian_blur:sigma=2&op=sobel[&format=png|pnm]   (image body)
//   GET  /metrics      Prometheus text: switchyard's families and the service's own
//   GET  /v1/routes    JSON: each component's mode, breaker and counters (imgkit status --json)
//   GET  /healthz      200 while the process runs
//   GET  /readyz       200 once the config is loaded, 503 while draining
//
// SIGTERM or SIGINT: stop accepting, answer 503 on /readyz, finish the requests in
// flight, exit 0.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "imgkit/params.hpp"

namespace imgkit::cli {

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";  // HOST:PORT; port 0 picks a free one
  unsigned threads = 0;                   // requests processed at once; 0: the core count
  std::uint64_t max_body_bytes = std::uint64_t{32} << 20;
  std::uint64_t max_pixels = kDefaultMaxDecodePixels;
  std::chrono::milliseconds timeout{30000};
};

// Serves until SIGTERM or SIGINT; returns the exit status. `start_routing` is called once
// the termination signals are blocked (the threads routing starts inherit the mask, so the
// service's own signal thread is the one that hears them). Throws UsageError for a bad
// --listen and imgkit::Error when the address cannot be bound.
int run_serve(const ServeOptions& options, const std::function<void()>& start_routing);

}  // namespace imgkit::cli
