// Hot reload under load: two threads call a facade while an operator rewrites the config
// 50 times (write-then-rename, as editors do) and each rewrite is reloaded. No call fails
// or is blocked out, every answer is right, and every call took a route the config
// allowed while it ran. The test reloads the file itself (the reload thread's schedule is
// the config watcher's tests' business) and, after each reload, waits until both callers
// have made calls under it: a count they bump, never a sleep.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "imgkit/imgkit.hpp"
#include "imgkit/legacy/filters.hpp"
#include "imgkit/routing_testing.hpp"
#include "support/progress.hpp"
#include "support/routing_config.hpp"
#include "support/test_images.hpp"

namespace {

using imgkit::Image;
using imgkit::testing::Progress;
using switchyard::Mode;
using switchyard::Route;

struct CallRecord {
  std::uint64_t version_before;
  std::uint64_t version_after;
  switchyard::Decision decision;
  bool right_answer;
};

std::string config_for(Mode mode) {
  return "[components.gaussian_blur]\nmode = \"" + std::string(to_string(mode)) +
         "\"\ncanary_percent = 50.0\nshadow_sample = 1.0\n";
}

bool route_allowed(Mode mode, Route route) {
  switch (mode) {
    case Mode::kLegacy:
      return route == Route::kLegacy;
    case Mode::kShadow:
      return route == Route::kShadow;
    case Mode::kCanary:
      return route == Route::kLegacy || route == Route::kRust;
    case Mode::kRust:
      return route == Route::kRust;
  }
  return false;
}

TEST(HotReloadUnderLoad, EveryCallSucceedsOnARouteItsConfigAllowed) {
  constexpr int kFlips = 50;
  const Mode cycle[] = {Mode::kLegacy, Mode::kShadow, Mode::kCanary, Mode::kRust};
  imgkit::testing::ConfigFile file;
  file.write(config_for(cycle[0]));
  imgkit::routing::start(file.path(), /*watch=*/true);
  switchyard::Router& router = imgkit::routing::router();

  std::map<std::uint64_t, Mode> mode_at_version{{router.version(), cycle[0]}};
  const Image input = imgkit::testing::generated_image(24, 16, 1);
  const Image expected = imgkit::legacy::gaussian_blur(input, 2.0f);

  std::atomic<bool> stop{false};
  std::vector<std::vector<CallRecord>> records(2);
  std::array<Progress, 2> rounds;
  std::vector<std::thread> callers;
  for (std::size_t i = 0; i < records.size(); ++i) {
    callers.emplace_back([&router, &stop, &input, &expected, &own = records[i], &done = rounds[i]] {
      while (!stop.load(std::memory_order_relaxed)) {
        CallRecord record{};
        record.version_before = router.version();
        try {
          record.right_answer = imgkit::gaussian_blur(input, 2.0f) == expected;
        } catch (...) {
          record.right_answer = false;
        }
        record.decision = switchyard::Router::last_decision();
        record.version_after = router.version();
        own.push_back(record);
        done.bump();
      }
    });
  }

  for (int flip = 1; flip <= kFlips; ++flip) {
    const Mode mode = cycle[flip % 4];
    const std::uint64_t before = router.version();
    file.write(config_for(mode));
    imgkit::routing::testing::reload_now();
    mode_at_version[router.version()] = mode;
    // Two more calls each: at least one ran wholly on this config.
    const bool both_called = rounds[0].wait_for_count(rounds[0].count() + 2) &&
                             rounds[1].wait_for_count(rounds[1].count() + 2);
    // EXPECT and break, not ASSERT: returning now would leave the callers joinable.
    EXPECT_EQ(router.version(), before + 1) << "flip " << flip << " was not published";
    EXPECT_TRUE(both_called) << "flip " << flip << ": a caller stopped making calls";
    if (router.version() != before + 1 || !both_called) break;
  }
  stop = true;
  for (auto& caller : callers) caller.join();
  imgkit::routing::start(file.path(), /*watch=*/false);  // stop the reload thread

  std::map<Mode, std::size_t> calls_per_mode;
  for (const auto& own : records) {
    for (const CallRecord& record : own) {
      ASSERT_TRUE(record.right_answer);
      ASSERT_FALSE(record.decision.fallback.has_value());
      ASSERT_TRUE(route_allowed(record.decision.mode, record.decision.route));
      // publish() swaps the snapshot, then bumps the version: a call may already run on
      // the config one version past the last one it read.
      bool mode_was_in_effect = false;
      for (std::uint64_t v = record.version_before; v <= record.version_after + 1; ++v) {
        const auto it = mode_at_version.find(v);
        mode_was_in_effect |= it != mode_at_version.end() && it->second == record.decision.mode;
      }
      ASSERT_TRUE(mode_was_in_effect)
          << "a call between versions " << record.version_before << " and " << record.version_after
          << " ran in mode " << to_string(record.decision.mode);
      ++calls_per_mode[record.decision.mode];
    }
  }
  // The test only means something if calls ran in every mode (every flip saw calls from
  // both callers, checked as it went).
  for (const Mode mode : cycle) EXPECT_GT(calls_per_mode[mode], 0u) << to_string(mode);
  EXPECT_EQ(router.report().reloads.failed, 0u);
}

}  // namespace
