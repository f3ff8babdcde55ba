// Router in legacy and rust modes: whose answer a caller gets, which exception reaches it,
// and what an operator sees (counts by route and cause, breaker state, reloads, the log).
// Time is a ManualClock the fake Rust kernels advance, so no test sleeps.
#include "switchyard/router.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "switchyard/router_fixture.hpp"

namespace switchyard {
namespace {

using switchyard::testing::kBlur;
using switchyard::testing::kCodec;
using switchyard::testing::kLegacyOnly;
using switchyard::testing::Pixels;
using switchyard::testing::RustPixels;
using switchyard::testing::test_catalog;

using std::chrono::milliseconds;
using std::chrono::seconds;

Pixels legacy_pixels() { return {1, 2, 3}; }
Pixels rust_pixels() { return {7, 8, 9}; }

// The caller's own error, as legacy reports it; its own type so a catch proves the type.
class CallerError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

Pixels legacy_rejects() { throw CallerError("sigma must be positive"); }

// The ported components in `mode`, with a breaker small enough to count by hand: 4 calls
// decide, half of them failing opens it for 30 s, then 2 trial calls decide again.
Config config_in(Mode mode) {
  Config config = default_config(test_catalog());
  for (ComponentId id : {kBlur, kCodec}) {
    ComponentSettings& settings = config.components[id];
    settings.mode = settings.requested_mode = mode;
    settings.breaker.window = 10;
    settings.breaker.min_calls = 4;
    settings.breaker.failure_rate = 0.5;
    settings.breaker.slow_call = milliseconds(100);
    settings.breaker.open = seconds(30);
    settings.breaker.half_open_calls = 2;
  }
  return config;
}

std::uint64_t calls_on(Router& router, ComponentId id, Route route) {
  return router.metrics().components()[id].calls[static_cast<std::size_t>(route)];
}

std::uint64_t fallbacks_of(Router& router, ComponentId id, FallbackCause cause) {
  return router.metrics().components()[id].fallbacks[static_cast<std::size_t>(cause)];
}

std::uint64_t slow_calls_of(Router& router, ComponentId id) {
  return router.metrics().components()[id].slow_calls;
}

std::uint64_t all_fallbacks(Router& router, ComponentId id) {
  const std::vector<ComponentCounts> counts = router.metrics().components();
  std::uint64_t total = 0;
  for (std::uint64_t count : counts[id].fallbacks) total += count;
  return total;
}

std::uint64_t transitions(Router& router, BreakerState from, BreakerState to) {
  return router.metrics().components()[kBlur].transitions[static_cast<std::size_t>(from)]
                                                         [static_cast<std::size_t>(to)];
}

// The calling thread's last decision, as "component mode route[ fallback][ (slow)]".
std::string last_decision() {
  const Decision decision = Router::last_decision();
  std::string text = test_catalog().info(decision.component).name + " " +
                     std::string(to_string(decision.mode)) + " " +
                     std::string(to_string(decision.route));
  if (decision.fallback) text += " " + std::string(to_string(*decision.fallback));
  if (decision.slow) text += " (slow)";
  return text;
}

class RouterTest : public testing::RouterFixture {
 protected:
  // One call of blur, as a facade makes it; rust_calls_ counts the Rust side's runs.
  Pixels call_blur(Router& router, const RustPixels& rust,
                   const std::function<Pixels()>& legacy = legacy_pixels) {
    return router.call<Pixels>(
        kBlur, legacy,
        [&] {
          ++rust_calls_;
          return rust();
        },
        [](const Pixels&, const Pixels&, std::uint32_t) -> std::optional<MismatchRecord> {
          return std::nullopt;
        },
        call_size());
  }

  static RustPixels answers() {
    return [] { return RustResult<Pixels>(rust_pixels()); };
  }
  // Answers after `elapsed` has passed on the router's clock.
  RustPixels takes(milliseconds elapsed) {
    return [this, elapsed] {
      clock_.advance(elapsed);
      return RustResult<Pixels>(rust_pixels());
    };
  }

  // Four failed calls: 4 of 4 is over the failure rate.
  void trip_blur(Router& router) {
    for (int i = 0; i < 4; ++i) call_blur(router, fails(RustFailure::kError));
    ASSERT_EQ(router.breaker_state(kBlur), BreakerState::kOpen);
  }
};

TEST_F(RouterTest, LegacyModeAnswersFromLegacyWithoutAskingRust) {
  auto router = make_router(config_in(Mode::kLegacy));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(call_blur(*router, answers()), legacy_pixels());

  EXPECT_EQ(rust_calls_, 0);
  EXPECT_EQ(calls_on(*router, kBlur, Route::kLegacy), 3u);
  EXPECT_EQ(calls_on(*router, kBlur, Route::kRust), 0u);
  EXPECT_EQ(last_decision(), "blur legacy legacy");
}

TEST_F(RouterTest, RustModeAnswersFromRustWhenItSucceeds) {
  auto router = make_router(config_in(Mode::kRust));
  EXPECT_EQ(call_blur(*router, answers()), rust_pixels());

  EXPECT_EQ(rust_calls_, 1);
  EXPECT_EQ(calls_on(*router, kBlur, Route::kRust), 1u);
  EXPECT_EQ(calls_on(*router, kBlur, Route::kLegacy), 0u);
  EXPECT_EQ(all_fallbacks(*router, kBlur), 0u);
  EXPECT_EQ(last_decision(), "blur rust rust");
}

TEST_F(RouterTest, RustErrorsAndPanicsAreAnsweredByLegacyUntilTheBreakerOpens) {
  auto router = make_router(config_in(Mode::kRust));
  EXPECT_EQ(call_blur(*router, fails(RustFailure::kError)), legacy_pixels());
  EXPECT_EQ(last_decision(), "blur rust rust error");
  EXPECT_EQ(call_blur(*router, fails(RustFailure::kPanic)), legacy_pixels());
  EXPECT_EQ(last_decision(), "blur rust rust panic");
  call_blur(*router, fails(RustFailure::kError));
  EXPECT_EQ(router->breaker_state(kBlur), BreakerState::kClosed);  // under min_calls
  call_blur(*router, fails(RustFailure::kPanic));                  // 4 of 4 failed
  ASSERT_EQ(router->breaker_state(kBlur), BreakerState::kOpen);
  EXPECT_EQ(fallbacks_of(*router, kBlur, FallbackCause::kError), 2u);
  EXPECT_EQ(fallbacks_of(*router, kBlur, FallbackCause::kPanic), 2u);
  // The first of each cause is logged with Rust's message; repeats are only counted.
  EXPECT_EQ(log_lines_with("blur: legacy answered in place of Rust (error): kernel failed"), 1);
  EXPECT_EQ(log_lines_with("blur: legacy answered in place of Rust (panic): kernel failed"), 1);

  rust_calls_ = 0;
  EXPECT_EQ(call_blur(*router, answers()), legacy_pixels());
  EXPECT_EQ(rust_calls_, 0);
  EXPECT_EQ(last_decision(), "blur rust rust breaker_open");
  EXPECT_EQ(fallbacks_of(*router, kBlur, FallbackCause::kBreakerOpen), 1u);
  EXPECT_EQ(calls_on(*router, kBlur, Route::kRust), 5u);  // the route asked, not who answered
  EXPECT_EQ(router->breaker_state(kCodec), BreakerState::kClosed);  // breakers are per component
}

TEST_F(RouterTest, SlowRustAnswerReachesTheCallerIsCountedAndFeedsTheBreaker) {
  Config config = config_in(Mode::kRust);
  config.components[kBlur].breaker.slow_call_rate = 0.5;
  auto router = make_router(std::move(config));
  int legacy_calls = 0;
  const std::function<Pixels()> counted_legacy = [&] {
    ++legacy_calls;
    return legacy_pixels();
  };
  // slow_call is 100 ms: exactly at the limit is not slow.
  EXPECT_EQ(call_blur(*router, takes(milliseconds(100)), counted_legacy), rust_pixels());
  EXPECT_EQ(last_decision(), "blur rust rust");
  EXPECT_EQ(slow_calls_of(*router, kBlur), 0u);

  // Past it, Rust's answer is still the caller's: legacy never runs after Rust answered.
  EXPECT_EQ(call_blur(*router, takes(milliseconds(101)), counted_legacy), rust_pixels());
  EXPECT_EQ(last_decision(), "blur rust rust (slow)");
  EXPECT_EQ(legacy_calls, 0);
  EXPECT_EQ(slow_calls_of(*router, kBlur), 1u);
  EXPECT_EQ(all_fallbacks(*router, kBlur), 0u);
  EXPECT_EQ(log_lines_with("blur: a Rust call took 101.00 ms, over its slow-call limit of "
                           "100.00 ms; its answer was kept"),
            1);

  EXPECT_EQ(call_blur(*router, takes(milliseconds(500)), counted_legacy), rust_pixels());
  EXPECT_EQ(router->breaker_state(kBlur), BreakerState::kClosed);  // 3 calls: under min_calls
  EXPECT_EQ(call_blur(*router, takes(milliseconds(500)), counted_legacy), rust_pixels());
  // 3 of 4 slow: over slow_call_rate, and the breaker sends calls to legacy.
  ASSERT_EQ(router->breaker_state(kBlur), BreakerState::kOpen);
  EXPECT_EQ(slow_calls_of(*router, kBlur), 3u);
  EXPECT_EQ(legacy_calls, 0);
  EXPECT_EQ(log_lines_with("a Rust call took"), 1);  // the first slow call only

  rust_calls_ = 0;
  EXPECT_EQ(call_blur(*router, takes(milliseconds(500)), counted_legacy), legacy_pixels());
  EXPECT_EQ(last_decision(), "blur rust rust breaker_open");
  EXPECT_EQ(rust_calls_, 0);
  EXPECT_EQ(legacy_calls, 1);
  EXPECT_EQ(fallbacks_of(*router, kBlur, FallbackCause::kBreakerOpen), 1u);
  EXPECT_EQ(all_fallbacks(*router, kBlur), 1u);
  EXPECT_EQ(slow_calls_of(*router, kBlur), 3u);
}

TEST_F(RouterTest, TrialCallsCloseTheBreakerAndEveryTransitionIsCountedAndLogged) {
  auto router = make_router(config_in(Mode::kRust));
  trip_blur(*router);
  rust_calls_ = 0;
  clock_.advance(seconds(30) - milliseconds(1));
  EXPECT_EQ(call_blur(*router, answers()), legacy_pixels());
  EXPECT_EQ(rust_calls_, 0);

  clock_.advance(milliseconds(1));  // the open period is over
  EXPECT_EQ(call_blur(*router, answers()), rust_pixels());
  EXPECT_EQ(router->breaker_state(kBlur), BreakerState::kHalfOpen);
  EXPECT_EQ(call_blur(*router, answers()), rust_pixels());
  EXPECT_EQ(router->breaker_state(kBlur), BreakerState::kClosed);
  EXPECT_EQ(rust_calls_, 2);

  EXPECT_EQ(transitions(*router, BreakerState::kClosed, BreakerState::kOpen), 1u);
  EXPECT_EQ(transitions(*router, BreakerState::kOpen, BreakerState::kHalfOpen), 1u);
  EXPECT_EQ(transitions(*router, BreakerState::kHalfOpen, BreakerState::kClosed), 1u);
  EXPECT_EQ(log_lines_with("blur: circuit breaker closed -> open"), 1);
  EXPECT_EQ(log_lines_with("blur: circuit breaker open -> half_open"), 1);
  EXPECT_EQ(log_lines_with("blur: circuit breaker half_open -> closed"), 1);
  EXPECT_EQ(router->report().components[kBlur].breaker_state, BreakerState::kClosed);
}

TEST_F(RouterTest, InputErrorLegacyAlsoRejectsReachesTheCallerAndSparesTheBreaker) {
  auto router = make_router(config_in(Mode::kRust));
  for (int i = 0; i < 3; ++i) {
    try {
      call_blur(*router, fails(RustFailure::kInputError), legacy_rejects);
      ADD_FAILURE() << "legacy's exception did not reach the caller";
    } catch (const CallerError& error) {
      EXPECT_STREQ(error.what(), "sigma must be positive");
    }
  }
  EXPECT_EQ(all_fallbacks(*router, kBlur), 0u);
  EXPECT_EQ(log_lines_with("legacy answered in place of Rust"), 0);

  // Had the three been recorded (as failures or as successes), three real failures would
  // reach min_calls and open the breaker; they are not in its window at all.
  for (int i = 0; i < 3; ++i) call_blur(*router, fails(RustFailure::kError));
  EXPECT_EQ(router->breaker_state(kBlur), BreakerState::kClosed);
  call_blur(*router, fails(RustFailure::kError));
  EXPECT_EQ(router->breaker_state(kBlur), BreakerState::kOpen);
}

TEST_F(RouterTest, InputErrorBothRejectReachesTheCallerInRustsWords) {
  auto router = make_router(config_in(Mode::kRust));
  const RustPixels rust_rejects = [] {
    return RustResult<Pixels>(
        RustError{RustFailure::kInputError, "sigma",
                  std::make_exception_ptr(CallerError("Rust: sigma must be positive"))});
  };
  try {
    call_blur(*router, rust_rejects, legacy_rejects);
    ADD_FAILURE() << "no exception reached the caller";
  } catch (const CallerError& error) {
    EXPECT_STREQ(error.what(), "Rust: sigma must be positive") << "Rust answered this call";
  }
  EXPECT_EQ(all_fallbacks(*router, kBlur), 0u);
}

TEST_F(RouterTest, HalfOpenTrialEndingInAnExceptionIsGivenBack) {
  // Legacy's exception for an input error reaches the caller; the facade's own (an output
  // buffer it could not allocate) is answered by legacy. Neither may use up a trial call:
  // the breaker would stay half-open and never ask Rust again.
  const std::function<void(Router&)> throwing_calls[] = {
      [this](Router& router) {
        EXPECT_THROW(call_blur(router, fails(RustFailure::kInputError), legacy_rejects),
                     CallerError);
      },
      [this](Router& router) {
        // The facade's own exception around the Rust call: legacy answers instead.
        EXPECT_EQ(call_blur(router, []() -> RustResult<Pixels> { throw std::bad_alloc(); }),
                  legacy_pixels());
      }};
  for (const auto& throwing_call : throwing_calls) {
    auto router = make_router(config_in(Mode::kRust));
    trip_blur(*router);
    clock_.advance(seconds(30));
    throwing_call(*router);
    ASSERT_EQ(router->breaker_state(kBlur), BreakerState::kHalfOpen);

    EXPECT_EQ(call_blur(*router, answers()), rust_pixels());
    EXPECT_EQ(call_blur(*router, answers()), rust_pixels());
    EXPECT_EQ(router->breaker_state(kBlur), BreakerState::kClosed);
  }
}

TEST_F(RouterTest, InputErrorLegacyAcceptsIsARustFailure) {
  auto router = make_router(config_in(Mode::kRust));
  EXPECT_EQ(call_blur(*router, fails(RustFailure::kInputError)), legacy_pixels());
  EXPECT_EQ(last_decision(), "blur rust rust error");
  EXPECT_EQ(fallbacks_of(*router, kBlur, FallbackCause::kError), 1u);
  EXPECT_EQ(log_lines_with("Rust rejected an input legacy accepts: kernel failed"), 1);

  for (int i = 0; i < 3; ++i) call_blur(*router, fails(RustFailure::kInputError));
  EXPECT_EQ(router->breaker_state(kBlur), BreakerState::kOpen);
}

TEST_F(RouterTest, LegacyFailingAfterARustPanicReachesTheCaller) {
  auto router = make_router(config_in(Mode::kRust));
  EXPECT_THROW(call_blur(*router, fails(RustFailure::kPanic), legacy_rejects), CallerError);
  EXPECT_EQ(fallbacks_of(*router, kBlur, FallbackCause::kPanic), 1u);

  // Nothing is left half-done: the next call is routed as usual.
  EXPECT_EQ(call_blur(*router, answers()), rust_pixels());
  EXPECT_EQ(router->breaker_state(kBlur), BreakerState::kClosed);
}

TEST_F(RouterTest, ForcedOpenBreakerKeepsRustFromBeingCalled) {
  Config forced = config_in(Mode::kRust);
  forced.components[kBlur].breaker.state = BreakerOverride::kForcedOpen;
  auto router = make_router(forced);
  EXPECT_EQ(router->breaker_state(kBlur), BreakerState::kForcedOpen);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(call_blur(*router, answers()), legacy_pixels());
  clock_.advance(std::chrono::hours(24));  // no open period ends a forced open
  EXPECT_EQ(call_blur(*router, answers()), legacy_pixels());
  EXPECT_EQ(rust_calls_, 0);
  EXPECT_EQ(fallbacks_of(*router, kBlur, FallbackCause::kBreakerOpen), 6u);

  // Published by a reload, it takes effect on the next call.
  router->publish(config_in(Mode::kRust));
  EXPECT_EQ(call_blur(*router, answers()), rust_pixels());
  router->publish(forced);
  EXPECT_EQ(call_blur(*router, answers()), legacy_pixels());
  EXPECT_EQ(rust_calls_, 1);
  EXPECT_EQ(transitions(*router, BreakerState::kClosed, BreakerState::kForcedOpen), 1u);
}

TEST_F(RouterTest, DisabledBreakerNeverOpens) {
  Config config = config_in(Mode::kRust);
  config.components[kBlur].breaker.state = BreakerOverride::kDisabled;
  auto router = make_router(std::move(config));
  for (int i = 0; i < 50; ++i)
    EXPECT_EQ(call_blur(*router, fails(RustFailure::kPanic)), legacy_pixels());

  EXPECT_EQ(router->breaker_state(kBlur), BreakerState::kDisabled);
  EXPECT_EQ(rust_calls_, 50);
  EXPECT_EQ(fallbacks_of(*router, kBlur, FallbackCause::kPanic), 50u);
  EXPECT_EQ(fallbacks_of(*router, kBlur, FallbackCause::kBreakerOpen), 0u);
  EXPECT_EQ(call_blur(*router, answers()), rust_pixels());
}

TEST_F(RouterTest, ComponentWithoutARustPortIsCountedAsLegacy) {
  Config config = config_in(Mode::kRust);
  // Even a hand-made config asking for Rust cannot send it there.
  config.components[kLegacyOnly].mode = Mode::kRust;
  auto router = make_router(std::move(config));
  EXPECT_EQ(router->call_legacy<int>(kLegacyOnly, [] { return 42; }), 42);
  EXPECT_EQ(last_decision(), "legacy_only legacy legacy");
  const int answer = router->call<int>(
      kLegacyOnly, [] { return 42; }, [&]() -> RustResult<int> { return ++rust_calls_; },
      [](int, int, std::uint32_t) -> std::optional<MismatchRecord> { return std::nullopt; },
      [](int) -> std::uint64_t { return 1; });

  EXPECT_EQ(answer, 42);
  EXPECT_EQ(rust_calls_, 0);
  EXPECT_EQ(calls_on(*router, kLegacyOnly, Route::kLegacy), 2u);
  EXPECT_EQ(calls_on(*router, kLegacyOnly, Route::kRust), 0u);
}

TEST_F(RouterTest, ForceLegacyRoutesEveryModeToLegacy) {
  for (Mode mode : {Mode::kShadow, Mode::kCanary, Mode::kRust}) {
    SCOPED_TRACE(std::string(to_string(mode)));
    Config config = config_in(mode);
    config.components[kBlur].canary_percent = 100.0;
    auto router = make_router(config, /*force_legacy=*/true);
    EXPECT_EQ(call_blur(*router, answers()), legacy_pixels());
    router->publish(std::move(config));  // a reload cannot undo the kill switch
    EXPECT_EQ(call_blur(*router, answers()), legacy_pixels());

    EXPECT_EQ(rust_calls_, 0);
    EXPECT_EQ(calls_on(*router, kBlur, Route::kLegacy), 2u);
    const Report report = router->report();
    EXPECT_TRUE(report.force_legacy);
    for (const ComponentReport& component : report.components) {
      EXPECT_EQ(component.settings.mode, Mode::kLegacy) << component.name;
    }
    EXPECT_EQ(report.components[kBlur].settings.requested_mode, mode);
  }
}

TEST_F(RouterTest, PublishedConfigRoutesTheNextCall) {
  auto router = make_router(config_in(Mode::kLegacy));
  const Config* first = &router->config();
  EXPECT_EQ(router->version(), 1u);
  EXPECT_EQ(call_blur(*router, answers()), legacy_pixels());

  router->publish(config_in(Mode::kRust));
  EXPECT_EQ(router->version(), 2u);
  EXPECT_EQ(router->config().components[kBlur].mode, Mode::kRust);
  EXPECT_EQ(call_blur(*router, answers()), rust_pixels());

  // Back to the first config: its snapshot is reused, the version still moves on.
  router->publish(config_in(Mode::kLegacy));
  EXPECT_EQ(router->version(), 3u);
  EXPECT_EQ(&router->config(), first);
  EXPECT_EQ(call_blur(*router, answers()), legacy_pixels());
  EXPECT_EQ(router->report().reloads.ok, 2u);
  EXPECT_EQ(router->report().config_version, 3u);
  EXPECT_EQ(log_lines_with("config reloaded from <defaults>"), 2);
}

TEST_F(RouterTest, RejectedReloadKeepsTheRunningConfigUntilTheNextPublish) {
  auto router = make_router(config_in(Mode::kRust));
  const std::string error = "switchyard.toml:3:8: components.blur.mode: unknown mode \"fast\"";
  router->reject(error);

  EXPECT_EQ(router->version(), 1u);
  EXPECT_EQ(call_blur(*router, answers()), rust_pixels());
  Report report = router->report();
  EXPECT_EQ(report.reloads.failed, 1u);
  EXPECT_EQ(report.reloads.ok, 0u);
  EXPECT_EQ(report.last_reload_error, error);
  EXPECT_EQ(log_lines_with(error), 1);

  router->publish(config_in(Mode::kLegacy));
  report = router->report();
  EXPECT_EQ(report.last_reload_error, "");
  EXPECT_EQ(report.reloads.ok, 1u);
  EXPECT_EQ(report.reloads.failed, 1u);
  EXPECT_EQ(call_blur(*router, answers()), legacy_pixels());
}

}  // namespace
}  // namespace switchyard
