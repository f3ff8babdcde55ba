// When a Rust call counts as slow: slow_call_ms + slow_call_ns_per_pixel x the call's
// pixels, on its own and as the router applies it (router_test has what the router then
// does with a slow call). A fake Rust kernel advances the router's ManualClock by the time the call
// is to "take", so no test sleeps.
#include "switchyard/slow_call.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "switchyard/router.hpp"
#include "switchyard/router_fixture.hpp"

namespace switchyard {
namespace {

using switchyard::testing::kBlur;
using switchyard::testing::Pixels;
using switchyard::testing::RustPixels;

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::seconds;

Pixels legacy_pixels() { return {1, 2, 3}; }
Pixels rust_pixels() { return {7, 8, 9}; }

BreakerSettings limit_of(milliseconds fixed, double ns_per_pixel) {
  BreakerSettings settings;
  settings.slow_call = fixed;
  settings.slow_call_ns_per_pixel = ns_per_pixel;
  return settings;
}

// --- The rule -----------------------------------------------------------------------------

TEST(SlowCallLimit, IsTheFixedPartPlusThePartPerPixel) {
  const SlowCallLimit limit(limit_of(milliseconds(100), 100.0));
  EXPECT_TRUE(limit.enabled());
  EXPECT_EQ(limit.for_pixels(0), milliseconds(100));
  EXPECT_EQ(limit.for_pixels(1'000'000), milliseconds(200));  // 100 ms + 100 ns x 1e6
  // A 3840x2160 filter reads and writes 16,588,800 pixels.
  EXPECT_EQ(limit.for_pixels(2 * 3840 * 2160), nanoseconds(1'758'880'000));
}

TEST(SlowCallLimit, SaturatesInsteadOfOverflowing) {
  const SlowCallLimit limit(limit_of(milliseconds(3600000), 1e9));
  EXPECT_EQ(limit.for_pixels(std::numeric_limits<std::uint64_t>::max()), Duration::max());
  EXPECT_FALSE(limit.exceeded(hours(24 * 365), [] { return std::uint64_t{1} << 40; }));
}

TEST(SlowCallLimit, BothPartsZeroTurnsDetectionOff) {
  const SlowCallLimit off(limit_of(milliseconds(0), 0.0));
  EXPECT_FALSE(off.enabled());
  EXPECT_FALSE(off.exceeded(hours(1), [] { return std::uint64_t{0}; }));
  EXPECT_FALSE(SlowCallLimit().exceeded(hours(1), [] { return std::uint64_t{0}; }));
}

TEST(SlowCallLimit, AsksForTheSizeOnlyOfACallPastTheFixedPart) {
  const SlowCallLimit limit(limit_of(milliseconds(100), 100.0));
  int asks = 0;
  const auto size = [&asks] {
    ++asks;
    return std::uint64_t{1'000'000};
  };
  EXPECT_FALSE(limit.exceeded(milliseconds(100), size));
  EXPECT_EQ(asks, 0);
  EXPECT_FALSE(limit.exceeded(milliseconds(200), size));
  EXPECT_EQ(asks, 1);
  EXPECT_EQ(limit.exceeded(milliseconds(201), size), milliseconds(200));
}

// --- The router ---------------------------------------------------------------------------

class SlowCallRouterTest : public testing::RouterFixture {
 protected:
  // Blur in rust mode with the slow-call limit given and a breaker that opens once 4
  // calls are all slow.
  std::unique_ptr<Router> router_with(milliseconds fixed, double ns_per_pixel,
                                      Mode mode = Mode::kRust) {
    Config config = default_config(testing::test_catalog());
    ComponentSettings& blur = config.components[kBlur];
    blur.mode = blur.requested_mode = mode;
    blur.breaker.window = 10;
    blur.breaker.min_calls = 4;
    blur.breaker.slow_call_rate = 1.0;
    blur.breaker.open = seconds(30);
    blur.breaker.slow_call = fixed;
    blur.breaker.slow_call_ns_per_pixel = ns_per_pixel;
    return make_router(std::move(config));
  }

  // One call of blur, as a facade makes it.
  Pixels call_blur(Router& router, const RustPixels& rust) {
    return router.call<Pixels>(
        kBlur, legacy_pixels,
        [&] {
          ++rust_calls_;
          return rust();
        },
        [](const Pixels&, const Pixels&, std::uint32_t) -> std::optional<MismatchRecord> {
          return std::nullopt;
        },
        call_size());
  }

  // Rust's answer after `elapsed` has passed on the router's clock.
  RustPixels takes(Duration elapsed) {
    return [this, elapsed] {
      clock_.advance(elapsed);
      return RustResult<Pixels>(rust_pixels());
    };
  }

  // Whether a call of call_pixels_ that takes `elapsed` is counted slow (its answer is
  // Rust's either way).
  bool counted_slow(Router& router, Duration elapsed) {
    const std::uint64_t before = router.metrics().components()[kBlur].slow_calls;
    EXPECT_EQ(call_blur(router, takes(elapsed)), rust_pixels());
    const bool slow = router.metrics().components()[kBlur].slow_calls == before + 1;
    EXPECT_EQ(Router::last_decision().slow, slow);
    return slow;
  }

  std::uint64_t fallbacks(Router& router) {
    const std::vector<ComponentCounts> components = router.metrics().components();
    std::uint64_t total = 0;
    for (std::uint64_t count : components[kBlur].fallbacks) total += count;
    return total;
  }
};

TEST_F(SlowCallRouterTest, WithNoPartPerPixelTheLimitIsAbsolute) {
  auto router = router_with(milliseconds(100), 0.0);
  call_pixels_ = 1'000'000'000;  // however big the call
  EXPECT_FALSE(counted_slow(*router, milliseconds(100)));
  EXPECT_TRUE(counted_slow(*router, milliseconds(100) + nanoseconds(1)));
  EXPECT_EQ(size_asks_, 0);  // the size never matters, so it is never asked
}

TEST_F(SlowCallRouterTest, TheLimitGrowsWithTheCallsPixels) {
  auto router = router_with(milliseconds(100), 100.0);
  call_pixels_ = 1'000'000;  // the limit is 100 ms + 100 ns x 1e6 = 200 ms
  EXPECT_FALSE(counted_slow(*router, milliseconds(150)));
  EXPECT_FALSE(counted_slow(*router, milliseconds(200)));
  EXPECT_TRUE(counted_slow(*router, milliseconds(200) + nanoseconds(1)));
  EXPECT_EQ(log_lines_with("over its slow-call limit of 200.00 ms"), 1);

  call_pixels_ = 10'000'000;  // 1.1 s: ten times the pixels, ten times the allowance
  EXPECT_FALSE(counted_slow(*router, milliseconds(1100)));
  EXPECT_TRUE(counted_slow(*router, milliseconds(1101)));

  call_pixels_ = 0;  // nothing to scale: the fixed part alone
  EXPECT_TRUE(counted_slow(*router, milliseconds(101)));

  const int asks = size_asks_;
  EXPECT_FALSE(counted_slow(*router, milliseconds(100)));  // within the fixed part
  EXPECT_EQ(size_asks_, asks);                             // size not computed
}

TEST_F(SlowCallRouterTest, WithNoFixedPartTheLimitIsAllPerPixel) {
  auto router = router_with(milliseconds(0), 1000.0);
  call_pixels_ = 1000;  // 1 ms
  EXPECT_FALSE(counted_slow(*router, milliseconds(1)));
  EXPECT_TRUE(counted_slow(*router, milliseconds(1) + nanoseconds(1)));
}

TEST_F(SlowCallRouterTest, BothPartsZeroNeverCountsACallSlow) {
  auto router = router_with(milliseconds(0), 0.0);
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(counted_slow(*router, hours(1)));
  EXPECT_EQ(router->breaker_state(kBlur), BreakerState::kClosed);
}

TEST_F(SlowCallRouterTest, AFailedCallIsAFailureNotASlowCall) {
  auto router = router_with(milliseconds(100), 0.0);
  const RustPixels fails_late = [this] {
    clock_.advance(seconds(10));
    return RustResult<Pixels>(RustError{RustFailure::kPanic, "kernel failed", {}});
  };
  EXPECT_EQ(call_blur(*router, fails_late), legacy_pixels());
  EXPECT_EQ(Router::last_decision().fallback, FallbackCause::kPanic);
  EXPECT_FALSE(Router::last_decision().slow);
  EXPECT_EQ(router->metrics().components()[kBlur].slow_calls, 0u);
  EXPECT_EQ(size_asks_, 0);
}

TEST_F(SlowCallRouterTest, ShadowRunsAreJudgedByTheSameRule) {
  auto router = router_with(milliseconds(100), 100.0, Mode::kShadow);
  call_pixels_ = 1'000'000;
  EXPECT_EQ(call_blur(*router, takes(milliseconds(200))), legacy_pixels());
  EXPECT_FALSE(Router::last_decision().slow);
  EXPECT_EQ(call_blur(*router, takes(milliseconds(201))), legacy_pixels());
  EXPECT_TRUE(Router::last_decision().slow);
  EXPECT_EQ(router->metrics().components()[kBlur].slow_calls, 1u);
  EXPECT_EQ(fallbacks(*router), 0u);
}

}  // namespace
}  // namespace switchyard
