// The fault matrix: every component x every fault the Rust side can produce x every
// mode that asks Rust. When Rust fails or panics the caller gets legacy's answer and the
// fallback is counted by its cause; when Rust stalls past the slow-call limit its answer
// is kept and the call counted slow. Either way the circuit breaker opens, sends calls
// straight to legacy, and closes again once Rust is healthy.
//
// The one thing no mode but shadow can catch is a wrong answer: in rust and canary
// modes a corrupted output reaches the caller, which is why a component goes through
// shadow (comparing every sampled answer with legacy's) before it goes to rust.
//
// Time is the suite's manual clock (fault_clock.hpp): a stalled call and a breaker's open
// period are the test advancing it, so no test sleeps and none depends on how fast the
// machine is.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "faults/fault_clock.hpp"
#include "imgkit/error.hpp"
#include "imgkit/failpoints.hpp"
#include "imgkit/imgkit.hpp"
#include "support/component_calls.hpp"
#include "support/routing_config.hpp"
#include "support/test_images.hpp"

namespace {

using imgkit::Image;
using imgkit::testing::Answer;
using imgkit::testing::component_calls;
using imgkit::testing::ComponentCall;
using imgkit::testing::ConfigFile;
using imgkit::testing::fallbacks;
using imgkit::testing::fault_clock;
using imgkit::testing::generated_image;
using imgkit::testing::max_difference;
using imgkit::testing::route_by;
using imgkit::testing::slow_calls;
using imgkit::testing::SlowRustCalls;
using switchyard::BreakerState;
using switchyard::Decision;
using switchyard::FallbackCause;
using switchyard::Route;
using ::testing::HasSubstr;

// The breaker every test runs with: two calls decide, half of them failing or slow
// opens it, it stays open 50 ms, and one healthy trial closes it. A call is slow past
// 100 ms (slow_call_ms alone), and a stalled one takes twice that.
constexpr int kWindow = 2;
constexpr std::chrono::milliseconds kOpen{50};
constexpr std::chrono::milliseconds kSlowCall{100};
constexpr std::chrono::milliseconds kStall = 2 * kSlowCall;

std::string config_for(const std::string& component, const std::string& mode,
                       bool mismatch_is_failure = false) {
  return "[components." + component + "]\nmode = \"" + mode +
         "\"\ncanary_percent = 100.0\nshadow_sample = 1.0\n"
         "breaker = { window = " +
         std::to_string(kWindow) + ", min_calls = " + std::to_string(kWindow) +
         ", failure_rate = 0.5, slow_call_rate = 0.5, slow_call_ns_per_pixel = 0, "
         "slow_call_ms = " +
         std::to_string(kSlowCall.count()) + ", open_ms = " + std::to_string(kOpen.count()) +
         ", half_open_calls = 1, mismatch_is_failure = " +
         (mismatch_is_failure ? "true" : "false") + " }\n";
}

// One call per component (the first variant): the matrix is about routing, not about
// each variant's arithmetic, which the facade and parity suites cover.
std::vector<std::size_t> one_call_per_component() {
  std::vector<std::size_t> chosen;
  for (std::size_t i = 0; i < component_calls().size(); ++i) {
    if (i == 0 || component_calls()[i].name != component_calls()[i - 1].name) chosen.push_back(i);
  }
  return chosen;
}

enum class Fault { kError, kPanic, kSlow };

const char* to_string(Fault fault) {
  switch (fault) {
    case Fault::kError:
      return "error";
    case Fault::kPanic:
      return "panic";
    case Fault::kSlow:
      return "slow";
  }
  return "?";
}

class FaultTest : public ::testing::Test {
 protected:
  void TearDown() override { imgkit::failpoints::remove_all(); }

  // Routes `component` by `toml`, starting its breaker from a fresh, closed window.
  void route(const std::string& component, const std::string& toml) {
    route_by(config_, "[components." + component + "]\nbreaker = { state = \"forced_open\" }\n");
    route_by(config_, toml);
    ASSERT_EQ(breaker_state(component), BreakerState::kClosed);
  }

  static BreakerState breaker_state(const std::string& component) {
    const auto& router = imgkit::routing::router();
    return router.breaker_state(*router.catalog().find(component));
  }

  static std::uint64_t mismatches(const std::string& component) {
    const auto& router = imgkit::routing::router();
    return router.report().components.at(*router.catalog().find(component)).counts.mismatches;
  }

  ConfigFile config_;
};

// --- error, panic, slow x rust, canary, shadow ------------------------------------------

class FaultMatrixTest
    : public FaultTest,
      public ::testing::WithParamInterface<std::tuple<std::size_t, Fault, std::string>> {
 protected:
  const ComponentCall& component() const { return component_calls()[std::get<0>(GetParam())]; }
  Fault fault() const { return std::get<1>(GetParam()); }
  const std::string& mode() const { return std::get<2>(GetParam()); }

  // Injects the fault into every Rust call of the component until heal(): a failpoint at
  // its bridge entry, or a stall on the fault clock.
  void inject(const std::string& name) {
    switch (fault()) {
      case Fault::kError:
        imgkit::failpoints::configure("imgkit::" + name, "return(injected by the fault matrix)");
        return;
      case Fault::kPanic:
        imgkit::failpoints::configure("imgkit::" + name, "panic(injected by the fault matrix)");
        return;
      case Fault::kSlow:
        stall_.emplace(name, kStall);
        return;
    }
  }
  void heal(const std::string& name) {
    imgkit::failpoints::remove("imgkit::" + name);
    stall_.reset();
  }

  // How the fault is counted: a failure as a fallback by its cause, a stall as a slow call.
  std::uint64_t fault_count(const std::string& name) const {
    switch (fault()) {
      case Fault::kError:
        return fallbacks(name, FallbackCause::kError);
      case Fault::kPanic:
        return fallbacks(name, FallbackCause::kPanic);
      case Fault::kSlow:
        return slow_calls(name);
    }
    return 0;
  }

  // One faulty call's answer and decision: a failed Rust call is answered by legacy; a
  // slow one keeps its answer (Rust's on the rust route, legacy's in shadow).
  void expect_faulty_call(const Answer& answer, const Answer& expected,
                          const Decision& decision) const {
    if (fault() == Fault::kSlow) {
      EXPECT_LE(max_difference(answer, expected), component().tolerance);
      EXPECT_EQ(decision.route, mode() == "shadow" ? Route::kShadow : Route::kRust);
      EXPECT_TRUE(decision.slow);
      EXPECT_FALSE(decision.fallback.has_value());
      return;
    }
    EXPECT_TRUE(answer == expected);
    EXPECT_EQ(decision.fallback,
              fault() == Fault::kPanic ? FallbackCause::kPanic : FallbackCause::kError);
  }

  std::optional<SlowRustCalls> stall_;
};

TEST_P(FaultMatrixTest, LegacyAnswersTheBreakerOpensAndHealthClosesIt) {
  const std::string& name = component().name;
  route(name, config_for(name, mode()));
  const Image input = generated_image(16, 12, 3);
  const Answer expected = component().legacy(input);

  // The fault: every call is counted (a fallback by its cause, or a slow call) until the
  // window is full and the breaker opens.
  inject(name);
  const std::uint64_t faults_before = fault_count(name);
  for (int call = 0; call < kWindow; ++call) {
    SCOPED_TRACE("faulty call " + std::to_string(call));
    const Answer answer = component().facade(input);
    expect_faulty_call(answer, expected, switchyard::Router::last_decision());
  }
  EXPECT_EQ(fault_count(name), faults_before + kWindow);
  EXPECT_EQ(breaker_state(name), BreakerState::kOpen);

  // Open: calls go straight to legacy and Rust is not asked, so no new fault is counted.
  const std::uint64_t open_before = fallbacks(name, FallbackCause::kBreakerOpen);
  EXPECT_TRUE(component().facade(input) == expected);
  EXPECT_EQ(switchyard::Router::last_decision().fallback, FallbackCause::kBreakerOpen);
  EXPECT_FALSE(switchyard::Router::last_decision().slow);
  EXPECT_EQ(fallbacks(name, FallbackCause::kBreakerOpen), open_before + 1);
  EXPECT_EQ(fault_count(name), faults_before + kWindow);

  // Healthy again, the breaker stays open for all of open_ms and not a moment longer:
  // then a half-open trial reaches Rust, succeeds, and closes it.
  heal(name);
  fault_clock().advance(kOpen - std::chrono::nanoseconds(1));
  EXPECT_TRUE(component().facade(input) == expected);
  EXPECT_EQ(switchyard::Router::last_decision().fallback, FallbackCause::kBreakerOpen)
      << "open_ms has not passed yet";
  EXPECT_EQ(breaker_state(name), BreakerState::kOpen);
  fault_clock().advance(std::chrono::nanoseconds(1));
  const std::uint64_t faults_before_trial = fault_count(name);
  const Answer trial = component().facade(input);
  EXPECT_FALSE(switchyard::Router::last_decision().fallback.has_value());
  EXPECT_FALSE(switchyard::Router::last_decision().slow);
  EXPECT_LE(max_difference(trial, expected), component().tolerance);
  EXPECT_EQ(breaker_state(name), BreakerState::kClosed);
  EXPECT_EQ(fault_count(name), faults_before_trial) << "the trial was healthy";
}

std::string matrix_name(const ::testing::TestParamInfo<FaultMatrixTest::ParamType>& info) {
  return component_calls()[std::get<0>(info.param)].name + "_" +
         to_string(std::get<1>(info.param)) + "_" + std::get<2>(info.param);
}

INSTANTIATE_TEST_SUITE_P(EveryComponent, FaultMatrixTest,
                         ::testing::Combine(::testing::ValuesIn(one_call_per_component()),
                                            ::testing::Values(Fault::kError, Fault::kPanic,
                                                              Fault::kSlow),
                                            ::testing::Values("rust", "canary", "shadow")),
                         matrix_name);

// --- return(corrupt): a wrong answer ----------------------------------------------------

class CorruptOutputTest : public FaultTest, public ::testing::WithParamInterface<std::size_t> {
 protected:
  const ComponentCall& component() const { return component_calls()[GetParam()]; }
};

TEST_P(CorruptOutputTest, ShadowCatchesEveryCorruptedAnswer) {
  const std::string& name = component().name;
  route(name, config_for(name, "shadow"));
  const Image input = generated_image(16, 12, 3);
  const Answer expected = component().legacy(input);
  imgkit::failpoints::configure("imgkit::" + name, "return(corrupt)");

  const std::uint64_t before = mismatches(name);
  for (int call = 0; call < 2 * kWindow; ++call) {
    EXPECT_TRUE(component().facade(input) == expected);
    EXPECT_EQ(switchyard::Router::last_decision().fallback, FallbackCause::kMismatch);
  }
  EXPECT_EQ(mismatches(name), before + 2 * kWindow);
  EXPECT_EQ(breaker_state(name), BreakerState::kClosed)
      << "mismatches are evidence, not failures, unless configured so";

  // With mismatch_is_failure the breaker opens, and Rust stops being asked.
  route_by(config_, config_for(name, "shadow", /*mismatch_is_failure=*/true));
  for (int call = 0; call < kWindow; ++call) EXPECT_TRUE(component().facade(input) == expected);
  EXPECT_EQ(breaker_state(name), BreakerState::kOpen);
  EXPECT_TRUE(component().facade(input) == expected);
  EXPECT_EQ(switchyard::Router::last_decision().fallback, FallbackCause::kBreakerOpen);
}

// Documents the limit: without a comparison nothing can tell a wrong answer from a right
// one, so a corrupted Rust output reaches the caller in rust and canary modes.
TEST_P(CorruptOutputTest, RustAndCanaryModesCannotTellAWrongAnswer) {
  const std::string& name = component().name;
  const Image input = generated_image(16, 12, 3);
  const Answer expected = component().legacy(input);
  for (const char* mode : {"rust", "canary"}) {
    SCOPED_TRACE(mode);
    route(name, config_for(name, mode));
    imgkit::failpoints::configure("imgkit::" + name, "return(corrupt)");
    const Answer answer = component().facade(input);
    EXPECT_GT(max_difference(answer, expected), component().tolerance)
        << "the corrupted answer reached the caller unnoticed";
    EXPECT_EQ(switchyard::Router::last_decision().route, Route::kRust);
    EXPECT_FALSE(switchyard::Router::last_decision().fallback.has_value());
    EXPECT_EQ(breaker_state(name), BreakerState::kClosed);
  }
}

std::string component_name(const ::testing::TestParamInfo<std::size_t>& info) {
  return component_calls()[info.param].name;
}

INSTANTIATE_TEST_SUITE_P(EveryComponent, CorruptOutputTest,
                         ::testing::ValuesIn(one_call_per_component()), component_name);

// --- Legacy failing too -----------------------------------------------------------------

class LegacyFailsTooTest
    : public FaultTest,
      public ::testing::WithParamInterface<std::tuple<std::size_t, std::string>> {
 protected:
  const ComponentCall& component() const { return component_calls()[std::get<0>(GetParam())]; }
  const std::string& mode() const { return std::get<1>(GetParam()); }
};

TEST_P(LegacyFailsTooTest, TheCallerGetsAClearErrorAndTheProcessLives) {
  const std::string& name = component().name;
  route(name, config_for(name, mode()));
  const Image input = generated_image(16, 12, 3);
  imgkit::failpoints::configure("imgkit::" + name, "panic");
  imgkit::failpoints::configure("imgkit::legacy::" + name, "return(legacy is down too)");
  try {
    component().facade(input);
    ADD_FAILURE() << "no error reached the caller";
  } catch (const imgkit::Error& e) {
    EXPECT_EQ(e.category(), imgkit::ErrorCategory::kInternal);
    EXPECT_THAT(e.what(), HasSubstr("imgkit::legacy::" + name));
    EXPECT_THAT(e.what(), HasSubstr("legacy is down too"));
  }

  // A legacy panic is an exception the caller can catch as well.
  imgkit::failpoints::configure("imgkit::legacy::" + name, "panic(legacy bug)");
  EXPECT_THROW(component().facade(input), switchyard::FailpointPanic);

  // Both healthy again: the same process answers correctly.
  imgkit::failpoints::remove_all();
  EXPECT_LE(max_difference(component().facade(input), component().legacy(input)),
            component().tolerance);
}

std::string legacy_fails_name(const ::testing::TestParamInfo<LegacyFailsTooTest::ParamType>& info) {
  return component_calls()[std::get<0>(info.param)].name + "_" + std::get<1>(info.param);
}

INSTANTIATE_TEST_SUITE_P(EveryComponent, LegacyFailsTooTest,
                         ::testing::Combine(::testing::ValuesIn(one_call_per_component()),
                                            ::testing::Values("rust", "shadow", "legacy")),
                         legacy_fails_name);

}  // namespace
