// What the router suites share: a three-component test catalog, routers on a ManualClock
// whose log lines are kept for assertions, and fake Rust kernels over a vector of samples.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "switchyard/router.hpp"

namespace switchyard::testing {

constexpr ComponentId kBlur = 0;        // ported, compared with a tolerance (default 2)
constexpr ComponentId kCodec = 1;       // ported, compared exactly
constexpr ComponentId kLegacyOnly = 2;  // no Rust port yet

using Pixels = std::vector<int>;
using RustPixels = std::function<RustResult<Pixels>()>;

inline Catalog test_catalog() {
  return Catalog({{"blur", RustPort::kAvailable, Comparison::kTolerance, 2},
                  {"codec", RustPort::kAvailable, Comparison::kExact, 0},
                  {"legacy_only", RustPort::kNone, Comparison::kExact, 0}});
}

class RouterFixture : public ::testing::Test {
 protected:
  std::unique_ptr<Router> make_router(Config config, bool force_legacy = false) {
    RouterOptions options;
    options.clock = &clock_;
    options.force_legacy = force_legacy;
    options.log = [this](const std::string& line) {
      const std::lock_guard lock(log_mutex_);
      log_.push_back(line);
    };
    return std::make_unique<Router>(test_catalog(), std::move(config), std::move(options));
  }

  // How many log lines contain `needle`.
  int log_lines_with(const std::string& needle) {
    const std::lock_guard lock(log_mutex_);
    int count = 0;
    for (const std::string& line : log_) count += line.find(needle) != std::string::npos ? 1 : 0;
    return count;
  }

  static RustPixels fails(RustFailure kind) {
    return [kind] { return RustResult<Pixels>(RustError{kind, "kernel failed", {}}); };
  }

  // The size every call states for the slow-call limit, counting how often it is asked.
  std::function<std::uint64_t(const Pixels&)> call_size() {
    return [this](const Pixels&) {
      ++size_asks_;
      return call_pixels_;
    };
  }

  ManualClock clock_;
  int rust_calls_ = 0;             // runs of the fake Rust kernel
  std::uint64_t call_pixels_ = 0;  // the pixels each call reads and writes
  int size_asks_ = 0;              // how often the router asked a call's size
  std::mutex log_mutex_;
  std::vector<std::string> log_;
};

}  // namespace switchyard::testing
