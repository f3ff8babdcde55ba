// The failpoint switchyard::rust_call, on the C++ side of every Rust call the router
// makes: it fires inside the window the router times (a callback advancing the router's
// clock there makes the call slow, in rust mode and in shadow), `return` fails the call
// as a Rust error would, and `panic` throws there; legacy answers both.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "support/failpoints_required.hpp"
#include "switchyard/failpoint.hpp"
#include "switchyard/router.hpp"
#include "switchyard/router_fixture.hpp"

namespace switchyard {
namespace {

using std::chrono::milliseconds;
using switchyard::testing::kBlur;
using switchyard::testing::Pixels;
using ::testing::HasSubstr;

Pixels legacy_pixels() { return {1, 2, 3}; }
Pixels rust_pixels() { return {7, 8, 9}; }

class RustCallFailpointTest : public testing::RouterFixture {
 protected:
  void SetUp() override { IMGKIT_SKIP_WITHOUT_FAILPOINTS(); }
  void TearDown() override { failpoints::remove_all(); }

  // Blur in `mode`, every call sampled, slow past 100 ms, a breaker that never opens.
  std::unique_ptr<Router> router_in(Mode mode) {
    Config config = default_config(testing::test_catalog());
    ComponentSettings& blur = config.components[kBlur];
    blur.mode = blur.requested_mode = mode;
    blur.shadow_sample = 1.0;
    blur.breaker.slow_call = milliseconds(100);
    blur.breaker.slow_call_ns_per_pixel = 0.0;
    blur.breaker.state = BreakerOverride::kDisabled;
    return make_router(std::move(config));
  }

  Pixels call_blur(Router& router) {
    return router.call<Pixels>(
        kBlur, legacy_pixels,
        [this]() -> RustResult<Pixels> {
          ++rust_calls_;
          return rust_pixels();
        },
        [](const Pixels&, const Pixels&, std::uint32_t) -> std::optional<MismatchRecord> {
          return std::nullopt;
        },
        call_size());
  }

  std::uint64_t fallbacks(Router& router, FallbackCause cause) {
    return router.metrics().components()[kBlur].fallbacks[static_cast<std::size_t>(cause)];
  }
};

TEST_F(RustCallFailpointTest, ACallbackRunsInsideTheTimedWindow) {
  failpoints::configure_callback("switchyard::rust_call",
                                 [this] { clock_.advance(milliseconds(150)); });
  EXPECT_EQ(failpoints::configured().at("switchyard::rust_call"), "callback");
  for (const Mode mode : {Mode::kRust, Mode::kShadow}) {
    SCOPED_TRACE(std::string(to_string(mode)));
    auto router = router_in(mode);
    EXPECT_EQ(call_blur(*router), mode == Mode::kRust ? rust_pixels() : legacy_pixels());
    EXPECT_TRUE(Router::last_decision().slow) << "150 ms on the router's clock, limit 100";
    EXPECT_EQ(router->metrics().components()[kBlur].slow_calls, 1u);
  }
  EXPECT_EQ(rust_calls_, 2) << "the callback runs before Rust, and Rust still runs";

  failpoints::remove("switchyard::rust_call");
  auto router = router_in(Mode::kRust);
  EXPECT_EQ(call_blur(*router), rust_pixels());
  EXPECT_FALSE(Router::last_decision().slow);
}

TEST_F(RustCallFailpointTest, ReturnFailsTheCallAsARustErrorWithoutCallingRust) {
  auto router = router_in(Mode::kRust);
  failpoints::configure("switchyard::rust_call", "return(no Rust today)");
  EXPECT_EQ(call_blur(*router), legacy_pixels());
  EXPECT_EQ(Router::last_decision().fallback, FallbackCause::kError);
  EXPECT_EQ(fallbacks(*router, FallbackCause::kError), 1u);
  EXPECT_EQ(rust_calls_, 0);
  EXPECT_EQ(log_lines_with("switchyard::rust_call: injected fault: no Rust today"), 1);
}

TEST_F(RustCallFailpointTest, PanicThrowsAroundTheRustCallAndLegacyAnswers) {
  auto router = router_in(Mode::kShadow);
  failpoints::configure("switchyard::rust_call", "panic(boom)");
  EXPECT_EQ(call_blur(*router), legacy_pixels());
  EXPECT_EQ(Router::last_decision().fallback, FallbackCause::kError);
  EXPECT_EQ(rust_calls_, 0);
  EXPECT_EQ(log_lines_with("failpoint switchyard::rust_call panicked: boom"), 1);
}

TEST_F(RustCallFailpointTest, ACallbackIsRefusedForAnUnknownName) {
  EXPECT_THROW(failpoints::configure_callback("switchyard::rust_cal", [] {}), FailpointError);
  EXPECT_THAT(failpoints::configured(), ::testing::IsEmpty());
}

}  // namespace
}  // namespace switchyard
