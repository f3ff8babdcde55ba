// Canary and shadow modes, as the spec states them: "Canary: within 1 percentage point of
// canary_percent over 100,000 keys; the same key always takes the same route. Shadow:
// sampling share, mismatch records, tolerance edges."
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "switchyard/route_key.hpp"
#include "switchyard/router.hpp"
#include "switchyard/router_fixture.hpp"

namespace switchyard {
namespace {

using switchyard::testing::kBlur;
using switchyard::testing::kCodec;
using switchyard::testing::Pixels;
using switchyard::testing::RustPixels;
using switchyard::testing::test_catalog;

using std::chrono::milliseconds;

constexpr int kKeys = 100000;  // the spec's sample size

Pixels legacy_pixels() { return {10, 20, 30}; }

// Legacy's answer with every sample `by` higher.
Pixels legacy_plus(int by) {
  Pixels answer = legacy_pixels();
  for (int& sample : answer) sample += by;
  return answer;
}

Config canary_config(double percent) {
  Config config = default_config(test_catalog());
  config.components[kBlur].mode = config.components[kBlur].requested_mode = Mode::kCanary;
  config.components[kBlur].canary_percent = percent;
  return config;
}

// Blur in shadow mode with a breaker that decides after 4 calls.
Config shadow_config(double sample) {
  Config config = default_config(test_catalog());
  ComponentSettings& blur = config.components[kBlur];
  blur.mode = blur.requested_mode = Mode::kShadow;
  blur.shadow_sample = sample;
  blur.breaker.min_calls = 4;
  blur.breaker.failure_rate = 0.5;
  blur.breaker.slow_call = milliseconds(100);
  return config;
}

// As imgkit's compare_images: a record of the first sample that differs by more than
// `tolerance`, and of the largest difference.
std::optional<MismatchRecord> compare_samples(const Pixels& legacy, const Pixels& rust,
                                              std::uint32_t tolerance) {
  MismatchRecord record;
  record.input_digest = "00000000000000ff";
  record.width = static_cast<std::uint32_t>(legacy.size());
  record.height = record.channels = 1;
  bool differs = false;
  for (std::size_t i = 0; i < legacy.size(); ++i) {
    const auto difference = static_cast<std::uint32_t>(std::abs(legacy[i] - rust[i]));
    if (difference > tolerance && !differs) {
      differs = true;
      record.x = static_cast<std::uint32_t>(i);
    }
    record.max_difference = std::max(record.max_difference, difference);
  }
  if (!differs) return std::nullopt;
  return record;
}

std::uint64_t fallbacks_of(Router& router, FallbackCause cause) {
  return router.metrics().components()[kBlur].fallbacks[static_cast<std::size_t>(cause)];
}

class CanaryShadowTest : public testing::RouterFixture {
 protected:
  // One call of blur; rust_calls_ counts the Rust side's runs, tolerances_ what it was
  // compared with.
  Pixels call_blur(Router& router, const RustPixels& rust) {
    return router.call<Pixels>(
        kBlur, legacy_pixels,
        [&] {
          ++rust_calls_;
          return rust();
        },
        [this](const Pixels& legacy, const Pixels& rust_answer, std::uint32_t tolerance) {
          tolerances_.push_back(tolerance);
          return compare_samples(legacy, rust_answer, tolerance);
        },
        call_size());
  }

  // Rust answers legacy_plus(by).
  static RustPixels shifted(int by) {
    return [by] { return RustResult<Pixels>(legacy_plus(by)); };
  }

  // The route blur takes for `key`, checked against whose answer the caller got.
  Route route_for(Router& router, const std::string& key) {
    const RouteKeyScope scope(key);
    const Pixels answer = call_blur(router, shifted(1));
    const Route route = Router::last_decision().route;
    EXPECT_EQ(answer, route == Route::kRust ? legacy_plus(1) : legacy_pixels());
    return route;
  }

  // Which of the keys "key-0", "key-1", ... blur routes to Rust.
  std::vector<bool> keys_on_rust(Router& router) {
    std::vector<bool> on_rust(kKeys);
    for (int i = 0; i < kKeys; ++i) {
      on_rust[i] = route_for(router, "key-" + std::to_string(i)) == Route::kRust;
    }
    return on_rust;
  }

  std::vector<std::uint32_t> tolerances_;
};

double percent_of(const std::vector<bool>& on_rust) {
  int count = 0;
  for (bool rust : on_rust) count += rust ? 1 : 0;
  return 100.0 * count / static_cast<double>(on_rust.size());
}

TEST_F(CanaryShadowTest, CanaryShareOfKeysIsWithinOnePointOfThePercent) {
  for (double percent : {1.0, 10.0, 50.0, 99.5}) {
    SCOPED_TRACE("canary_percent " + std::to_string(percent));
    auto router = make_router(canary_config(percent));
    EXPECT_NEAR(percent_of(keys_on_rust(*router)), percent, 1.0);
  }
}

TEST_F(CanaryShadowTest, SameKeyAlwaysTakesTheSameRoute) {
  auto router = make_router(canary_config(10.0));
  const std::vector<bool> first = keys_on_rust(*router);
  EXPECT_EQ(keys_on_rust(*router), first);
  // A restarted process routes every key as before: the hash is stable.
  auto restarted = make_router(canary_config(10.0));
  EXPECT_EQ(keys_on_rust(*restarted), first);
}

TEST_F(CanaryShadowTest, RaisingThePercentKeepsEveryRustKeyOnRust) {
  auto router = make_router(canary_config(10.0));
  const std::vector<bool> at_10 = keys_on_rust(*router);
  router->publish(canary_config(50.0));
  const std::vector<bool> at_50 = keys_on_rust(*router);

  int moved_back = 0;
  for (int i = 0; i < kKeys; ++i) moved_back += at_10[i] && !at_50[i] ? 1 : 0;
  EXPECT_EQ(moved_back, 0);
  EXPECT_NEAR(percent_of(at_50), 50.0, 1.0);
}

TEST_F(CanaryShadowTest, ZeroPercentRoutesNoKeyAndHundredEveryKey) {
  auto none = make_router(canary_config(0.0));
  EXPECT_EQ(percent_of(keys_on_rust(*none)), 0.0);
  auto all = make_router(canary_config(100.0));
  EXPECT_EQ(percent_of(keys_on_rust(*all)), 100.0);
}

TEST_F(CanaryShadowTest, KeylessCallsShareIsWithinOnePointOfThePercent) {
  auto router = make_router(canary_config(10.0));
  for (int i = 0; i < kKeys; ++i) call_blur(*router, shifted(1));
  EXPECT_NEAR(100.0 * rust_calls_ / kKeys, 10.0, 1.0);
  const auto calls = router->metrics().components()[kBlur].calls;
  EXPECT_EQ(calls[static_cast<std::size_t>(Route::kRust)], static_cast<std::uint64_t>(rust_calls_));
  EXPECT_EQ(calls[static_cast<std::size_t>(Route::kLegacy)] + rust_calls_,
            static_cast<std::uint64_t>(kKeys));
}

TEST_F(CanaryShadowTest, ShadowRunsRustOnTheSampledShareAndAlwaysAnswersFromLegacy) {
  auto router = make_router(shadow_config(0.25));
  int other_answers = 0;
  for (int i = 0; i < kKeys; ++i)
    other_answers += call_blur(*router, shifted(1)) != legacy_pixels();
  EXPECT_EQ(other_answers, 0);
  EXPECT_NEAR(100.0 * rust_calls_ / kKeys, 25.0, 1.0);
  EXPECT_EQ(router->metrics().components()[kBlur].calls[static_cast<std::size_t>(Route::kShadow)],
            static_cast<std::uint64_t>(kKeys));
}

TEST_F(CanaryShadowTest, ShadowSampleZeroNeverRunsRustAndOneAlwaysDoes) {
  auto never = make_router(shadow_config(0.0));
  for (int i = 0; i < 10000; ++i) call_blur(*never, shifted(1));
  EXPECT_EQ(rust_calls_, 0);

  auto always = make_router(shadow_config(1.0));
  for (int i = 0; i < 10000; ++i) EXPECT_EQ(call_blur(*always, shifted(50)), legacy_pixels());
  EXPECT_EQ(rust_calls_, 10000);
}

TEST_F(CanaryShadowTest, MismatchIsCountedRecordedAndLoggedOnce) {
  Config config = shadow_config(1.0);
  config.mismatch_log_size = 2;
  auto router = make_router(std::move(config));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(call_blur(*router, shifted(5)), legacy_pixels());

  EXPECT_EQ(Router::last_decision().fallback, FallbackCause::kMismatch);
  const ComponentCounts counts = router->report().components[kBlur].counts;
  EXPECT_EQ(counts.mismatches, 3u);
  EXPECT_EQ(counts.fallbacks[static_cast<std::size_t>(FallbackCause::kMismatch)], 3u);
  ASSERT_EQ(counts.recent_mismatches.size(), 2u);  // mismatch_log = 2 keeps the latest two
  const MismatchRecord& record = counts.recent_mismatches.back();
  EXPECT_EQ(record.input_digest, "00000000000000ff");
  EXPECT_EQ(record.max_difference, 5u);
  EXPECT_NE(record.when, std::chrono::system_clock::time_point{});
  EXPECT_EQ(log_lines_with("blur: legacy answered in place of Rust (mismatch)"), 1);
  EXPECT_EQ(log_lines_with("by up to 5 (input 00000000000000ff)"), 1);
}

TEST_F(CanaryShadowTest, MismatchFailsTheBreakerOnlyWhenConfiguredTo) {
  auto tolerant = make_router(shadow_config(1.0));
  for (int i = 0; i < 10; ++i) call_blur(*tolerant, shifted(5));
  EXPECT_EQ(tolerant->breaker_state(kBlur), BreakerState::kClosed);
  EXPECT_EQ(rust_calls_, 10);

  Config config = shadow_config(1.0);
  config.components[kBlur].breaker.mismatch_is_failure = true;
  auto strict = make_router(std::move(config));
  rust_calls_ = 0;
  for (int i = 0; i < 3; ++i) call_blur(*strict, shifted(5));
  EXPECT_EQ(strict->breaker_state(kBlur), BreakerState::kClosed);  // under min_calls
  call_blur(*strict, shifted(5));
  EXPECT_EQ(strict->breaker_state(kBlur), BreakerState::kOpen);
  EXPECT_EQ(call_blur(*strict, shifted(5)), legacy_pixels());
  EXPECT_EQ(rust_calls_, 4);
  EXPECT_EQ(fallbacks_of(*strict, FallbackCause::kBreakerOpen), 1u);
}

TEST_F(CanaryShadowTest, ToleranceFromTheConfigIsTheEdgeOfAMatch) {
  const Config config = parse_config("[components.blur]\nmode = \"shadow\"\ntolerance = 3\n",
                                     "test.toml", test_catalog());
  auto router = make_router(config);
  call_blur(*router, shifted(3));
  EXPECT_EQ(router->metrics().components()[kBlur].mismatches, 0u);
  call_blur(*router, shifted(-3));
  EXPECT_EQ(router->metrics().components()[kBlur].mismatches, 0u);
  call_blur(*router, shifted(4));
  EXPECT_EQ(router->metrics().components()[kBlur].mismatches, 1u);
  EXPECT_EQ(tolerances_, (std::vector<std::uint32_t>{3, 3, 3}));

  // Without a tolerance in the file, the catalog's default (2) applies.
  auto by_default = make_router(shadow_config(1.0));
  call_blur(*by_default, shifted(2));
  call_blur(*by_default, shifted(3));
  EXPECT_EQ(by_default->metrics().components()[kBlur].mismatches, 1u);
}

TEST_F(CanaryShadowTest, ExactComponentMismatchesOnAnyDifference) {
  const Config config =
      parse_config("[components.codec]\nmode = \"shadow\"\n", "test.toml", test_catalog());
  auto router = make_router(config);
  std::vector<std::uint32_t> tolerances;
  auto call_codec = [&](int rust_answer) {
    return router->call<int>(
        kCodec, [] { return 100; }, [rust_answer]() -> RustResult<int> { return rust_answer; },
        [&](int legacy, int rust, std::uint32_t tolerance) -> std::optional<MismatchRecord> {
          tolerances.push_back(tolerance);
          if (static_cast<std::uint32_t>(std::abs(legacy - rust)) <= tolerance) return std::nullopt;
          MismatchRecord record;
          record.max_difference = static_cast<std::uint32_t>(std::abs(legacy - rust));
          return record;
        },
        [](int) -> std::uint64_t { return 1; });
  };
  EXPECT_EQ(call_codec(100), 100);
  EXPECT_EQ(call_codec(101), 100);

  EXPECT_EQ(tolerances, (std::vector<std::uint32_t>{0, 0}));
  EXPECT_EQ(router->metrics().components()[kCodec].mismatches, 1u);
}

TEST_F(CanaryShadowTest, RustFailureInShadowIsAnsweredByLegacyAndCounted) {
  auto router = make_router(shadow_config(1.0));
  EXPECT_EQ(call_blur(*router, fails(RustFailure::kError)), legacy_pixels());
  EXPECT_EQ(call_blur(*router, fails(RustFailure::kPanic)), legacy_pixels());
  // Legacy accepted this input, so Rust rejecting it is Rust's failure.
  EXPECT_EQ(call_blur(*router, fails(RustFailure::kInputError)), legacy_pixels());

  EXPECT_EQ(fallbacks_of(*router, FallbackCause::kError), 2u);
  EXPECT_EQ(fallbacks_of(*router, FallbackCause::kPanic), 1u);
  EXPECT_EQ(router->metrics().components()[kBlur].mismatches, 0u);
  EXPECT_TRUE(tolerances_.empty());  // nothing to compare
}

TEST_F(CanaryShadowTest, SlowShadowRunIsCountedSlowNotAsAFallback) {
  auto router = make_router(shadow_config(1.0));
  const Pixels answer = call_blur(*router, [this] {
    clock_.advance(milliseconds(101));
    return RustResult<Pixels>(legacy_pixels());
  });
  EXPECT_EQ(answer, legacy_pixels());
  EXPECT_EQ(router->metrics().components()[kBlur].slow_calls, 1u);
  EXPECT_TRUE(Router::last_decision().slow);
  EXPECT_FALSE(Router::last_decision().fallback.has_value());
  for (FallbackCause cause : {FallbackCause::kError, FallbackCause::kPanic,
                              FallbackCause::kMismatch, FallbackCause::kBreakerOpen}) {
    EXPECT_EQ(fallbacks_of(*router, cause), 0u) << to_string(cause);
  }
  EXPECT_EQ(router->metrics().components()[kBlur].mismatches, 0u);
}

TEST_F(CanaryShadowTest, SlowAndMismatchingShadowRunIsCountedBothWays) {
  auto router = make_router(shadow_config(1.0));
  call_blur(*router, [this] {
    clock_.advance(milliseconds(101));
    return RustResult<Pixels>(legacy_plus(5));
  });
  EXPECT_EQ(router->metrics().components()[kBlur].slow_calls, 1u);
  EXPECT_EQ(fallbacks_of(*router, FallbackCause::kMismatch), 1u);
  EXPECT_TRUE(Router::last_decision().slow);
  EXPECT_EQ(Router::last_decision().fallback, FallbackCause::kMismatch);
}

TEST_F(CanaryShadowTest, ShadowWithAnOpenBreakerDoesNotRunRust) {
  auto router = make_router(shadow_config(1.0));
  for (int i = 0; i < 4; ++i) call_blur(*router, fails(RustFailure::kError));
  ASSERT_EQ(router->breaker_state(kBlur), BreakerState::kOpen);
  rust_calls_ = 0;

  EXPECT_EQ(call_blur(*router, shifted(0)), legacy_pixels());
  EXPECT_EQ(rust_calls_, 0);
  EXPECT_EQ(fallbacks_of(*router, FallbackCause::kBreakerOpen), 1u);
  EXPECT_EQ(Router::last_decision().fallback, FallbackCause::kBreakerOpen);
}

TEST_F(CanaryShadowTest, CompareThrowingDuringHalfOpenGivesItsTrialCallBack) {
  Config config = shadow_config(1.0);
  config.components[kBlur].breaker.half_open_calls = 1;
  auto router = make_router(std::move(config));
  for (int i = 0; i < 4; ++i) call_blur(*router, fails(RustFailure::kError));
  clock_.advance(std::chrono::seconds(30));  // the default open period
  auto throwing_compare = [](const Pixels&, const Pixels&,
                             std::uint32_t) -> std::optional<MismatchRecord> {
    throw std::bad_alloc();
  };
  // Legacy already answered: the comparator's exception is counted, not thrown.
  const std::uint64_t errors = fallbacks_of(*router, FallbackCause::kError);
  EXPECT_EQ(router->call<Pixels>(kBlur, legacy_pixels, shifted(0), throwing_compare, call_size()),
            legacy_pixels());
  EXPECT_EQ(fallbacks_of(*router, FallbackCause::kError), errors + 1);
  ASSERT_EQ(router->breaker_state(kBlur), BreakerState::kHalfOpen);

  // The trial slot came back: the next shadow run takes it and closes the breaker.
  call_blur(*router, shifted(0));
  EXPECT_EQ(rust_calls_, 5);
  EXPECT_EQ(router->breaker_state(kBlur), BreakerState::kClosed);
}

TEST_F(CanaryShadowTest, ShadowTimesEachImplementationOnItsOwnRoutesHistogram) {
  auto router = make_router(shadow_config(1.0));
  call_blur(*router, shifted(0));
  const ComponentCounts counts = router->metrics().components()[kBlur];
  const auto route = [](Route r) { return static_cast<std::size_t>(r); };
  EXPECT_EQ(counts.calls[route(Route::kShadow)], 1u);
  EXPECT_EQ(counts.calls[route(Route::kLegacy)], 0u) << "calls count the route taken";
  EXPECT_EQ(counts.calls[route(Route::kRust)], 0u);
  EXPECT_EQ(counts.latency[route(Route::kShadow)].count, 1u);
  EXPECT_EQ(counts.latency[route(Route::kLegacy)].count, 1u) << "legacy's half, timed";
  EXPECT_EQ(counts.latency[route(Route::kRust)].count, 1u) << "Rust's half, timed";

  auto unsampled = make_router(shadow_config(0.0));
  call_blur(*unsampled, shifted(0));
  const ComponentCounts alone = unsampled->metrics().components()[kBlur];
  EXPECT_EQ(alone.latency[route(Route::kLegacy)].count, 1u);
  EXPECT_EQ(alone.latency[route(Route::kRust)].count, 0u) << "Rust did not run";
}

}  // namespace
}  // namespace switchyard
