// Every component of the list in all four modes, through its public imgkit:: facade,
// with each of its parameter sets: the caller's answer is legacy's (within the
// component's tolerance), the call is counted on the route its mode allows, nothing falls
// back on healthy input, and bad input reaches the caller as legacy reports it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "imgkit/failpoints.hpp"
#include "imgkit/imgkit.hpp"
#include "imgkit/legacy/filters.hpp"
#include "support/component_calls.hpp"
#include "support/error_expectations.hpp"
#include "support/failpoints_required.hpp"
#include "support/routing_config.hpp"
#include "support/test_images.hpp"

namespace {

using imgkit::Image;
using imgkit::testing::Answer;
using imgkit::testing::calls;
using imgkit::testing::category_thrown_by;
using imgkit::testing::component_calls;
using imgkit::testing::ComponentCall;
using imgkit::testing::ConfigFile;
using imgkit::testing::fallbacks;
using imgkit::testing::generated_image;
using imgkit::testing::max_difference;
using imgkit::testing::rejected_calls;
using imgkit::testing::RejectedCall;
using imgkit::testing::route_by;
using imgkit::testing::runs_on;
using imgkit::testing::test_shapes;
using imgkit::testing::TestShape;
using switchyard::FallbackCause;
using switchyard::Route;

switchyard::ComponentCounts counts(const std::string& component) {
  const auto& router = imgkit::routing::router();
  return router.report().components.at(*router.catalog().find(component)).counts;
}

// Slow calls are the fault suite's business: here a 4K image on a busy machine must not
// count as one.
std::string config_for(const std::string& component, const std::string& mode) {
  return "[components." + component + "]\nmode = \"" + mode +
         "\"\ncanary_percent = 50.0\nshadow_sample = 1.0\n"
         "breaker = { slow_call_ms = 600000 }\n";
}

class FacadeModeTest : public ::testing::TestWithParam<std::tuple<std::size_t, std::string>> {
 protected:
  const ComponentCall& component() const { return component_calls()[std::get<0>(GetParam())]; }
  const std::string& mode() const { return std::get<1>(GetParam()); }
  // The route this mode must take; canary may take either of its two.
  Route expected_route(Route taken) const {
    if (mode() == "shadow") return Route::kShadow;
    if (mode() == "rust") return Route::kRust;
    if (mode() == "canary" && taken != Route::kShadow) return taken;
    return Route::kLegacy;
  }
  ConfigFile config_;
};

TEST_P(FacadeModeTest, AnswersLikeLegacyOnTheRouteTheModeAllows) {
  route_by(config_, config_for(component().name, mode()));
  const auto& name = component().name;
  const switchyard::ComponentCounts before = counts(name);
  for (const TestShape& shape : test_shapes()) {
    if (!runs_on(component(), shape)) continue;
    SCOPED_TRACE(shape.name());
    const Image input = generated_image(shape.width, shape.height, shape.channels);
    Answer expected;
    const auto rejected = category_thrown_by([&] { expected = component().legacy(input); });
    if (rejected) {
      // Parity includes errors: an RGBA image has no PNM, whichever side is asked.
      EXPECT_THAT([&] { component().facade(input); },
                  imgkit::testing::ThrowsImgkitError(*rejected));
      continue;
    }
    const std::uint64_t legacy_before = calls(name, Route::kLegacy);
    const std::uint64_t rust_before = calls(name, Route::kRust);
    const std::uint64_t shadow_before = calls(name, Route::kShadow);

    const Answer answer = component().facade(input);
    const switchyard::Decision decision = switchyard::Router::last_decision();
    EXPECT_EQ(to_string(decision.mode), mode());
    EXPECT_FALSE(decision.fallback.has_value());
    ASSERT_EQ(answer.width, expected.width);
    ASSERT_EQ(answer.height, expected.height);
    ASSERT_EQ(answer.channels, expected.channels);
    ASSERT_EQ(answer.values.size(), expected.values.size());
    if (decision.route == Route::kRust) {
      EXPECT_LE(max_difference(answer, expected), component().tolerance);
    } else {
      EXPECT_TRUE(answer == expected) << "legacy answered, yet the answer differs";
    }
    const std::uint64_t legacy_calls = calls(name, Route::kLegacy) - legacy_before;
    const std::uint64_t rust_calls = calls(name, Route::kRust) - rust_before;
    const std::uint64_t shadow_calls = calls(name, Route::kShadow) - shadow_before;
    EXPECT_EQ(legacy_calls + rust_calls + shadow_calls, 1u);
    EXPECT_EQ(decision.route, expected_route(decision.route));
  }
  const switchyard::ComponentCounts after = counts(name);
  EXPECT_EQ(after.mismatches, before.mismatches);
  EXPECT_EQ(after.fallbacks, before.fallbacks);
}

std::string case_name(const ::testing::TestParamInfo<FacadeModeTest::ParamType>& info) {
  const ComponentCall& call = component_calls()[std::get<0>(info.param)];
  return imgkit::testing::test_name(call) + "_" + std::get<1>(info.param);
}

INSTANTIATE_TEST_SUITE_P(
    EveryComponent, FacadeModeTest,
    ::testing::Combine(::testing::Range<std::size_t>(0, component_calls().size()),
                       ::testing::Values("legacy", "shadow", "canary", "rust")),
    case_name);

// Bad input in every mode: the caller gets legacy's error category, and the rejection is
// the caller's, not a Rust failure — nothing falls back, the breaker stays closed. Files
// the codecs must refuse here; the parameters each image operation must refuse come with
// its port (RejectedParameterTest below).
struct BadCall {
  const char* component;
  const char* what;
  imgkit::ErrorCategory category;
  std::function<void()> call;
};

const std::vector<BadCall>& bad_calls() {
  static const std::vector<BadCall> all = {
      {"decode_pnm", "truncated_raster", imgkit::ErrorCategory::kMalformedData,
       [] {
         imgkit::decode_pnm({'P', '5', ' ', '4', ' ', '4', ' ', '2', '5', '5', '\n', 1, 2});
       }},
      {"decode_pnm", "maxval_zero", imgkit::ErrorCategory::kMalformedData,
       [] {
         imgkit::decode_pnm({'P', '5', ' ', '1', ' ', '1', ' ', '0', '\n', 0});
       }},
      {"decode_pnm", "over_pixel_limit", imgkit::ErrorCategory::kLimitExceeded,
       [] {
         imgkit::decode_pnm({'P', '5', ' ', '9', ' ', '9', ' ', '9', '\n'}, {80});
       }},
      {"decode_png", "bad_magic", imgkit::ErrorCategory::kMalformedData,
       [] {
         imgkit::decode_png({'G', 'I', 'F', '8', '9', 'a', 0, 0, 0, 0});
       }},
      {"decode_png", "empty", imgkit::ErrorCategory::kInvalidArgument,
       [] { imgkit::decode_png({}); }},
      {"encode_pnm", "rgba", imgkit::ErrorCategory::kUnsupported,
       [] { imgkit::encode_pnm(generated_image(3, 2, 4)); }},
  };
  return all;
}

class FacadeInputErrorTest : public ::testing::TestWithParam<std::tuple<std::size_t, std::string>> {
 protected:
  ConfigFile config_;
};

TEST_P(FacadeInputErrorTest, ReachTheCallerAsLegacyReportsThem) {
  const BadCall& bad = bad_calls()[std::get<0>(GetParam())];
  route_by(config_, config_for(bad.component, std::get<1>(GetParam())));
  const switchyard::ComponentCounts before = counts(bad.component);

  EXPECT_THAT(bad.call, imgkit::testing::ThrowsImgkitError(bad.category));

  const switchyard::ComponentCounts after = counts(bad.component);
  EXPECT_EQ(after.fallbacks, before.fallbacks);
  EXPECT_EQ(after.mismatches, before.mismatches);
  EXPECT_EQ(imgkit::routing::router().breaker_state(
                *imgkit::routing::router().catalog().find(bad.component)),
            switchyard::BreakerState::kClosed);
}

std::string bad_call_name(const ::testing::TestParamInfo<FacadeInputErrorTest::ParamType>& info) {
  const BadCall& bad = bad_calls()[std::get<0>(info.param)];
  return std::string(bad.component) + "_" + bad.what + "_" + std::get<1>(info.param);
}

INSTANTIATE_TEST_SUITE_P(EveryMode, FacadeInputErrorTest,
                         ::testing::Combine(::testing::Range<std::size_t>(0, bad_calls().size()),
                                            ::testing::Values("legacy", "shadow", "canary",
                                                              "rust")),
                         bad_call_name);

// The parameters each image operation's port lists as ones to refuse, in every mode: as
// for bad files above, with the category legacy gives.
class RejectedParameterTest
    : public ::testing::TestWithParam<std::tuple<std::size_t, std::string>> {
 protected:
  ConfigFile config_;
};

TEST_P(RejectedParameterTest, ReachTheCallerAsLegacyReportsThem) {
  const RejectedCall& bad = rejected_calls()[std::get<0>(GetParam())];
  route_by(config_, config_for(bad.name, std::get<1>(GetParam())));
  const Image input = generated_image(4, 4, 3);
  const auto category = category_thrown_by([&] { bad.legacy(input); });
  ASSERT_TRUE(category.has_value()) << "legacy accepted the parameters";
  const switchyard::ComponentCounts before = counts(bad.name);

  EXPECT_THAT([&] { bad.facade(input); }, imgkit::testing::ThrowsImgkitError(*category));

  const switchyard::ComponentCounts after = counts(bad.name);
  EXPECT_EQ(after.fallbacks, before.fallbacks);
  EXPECT_EQ(after.mismatches, before.mismatches);
  EXPECT_EQ(
      imgkit::routing::router().breaker_state(*imgkit::routing::router().catalog().find(bad.name)),
      switchyard::BreakerState::kClosed);
}

std::string rejected_name(const ::testing::TestParamInfo<RejectedParameterTest::ParamType>& info) {
  const RejectedCall& bad = rejected_calls()[std::get<0>(info.param)];
  return imgkit::testing::test_name(bad) + "_" + std::get<1>(info.param);
}

INSTANTIATE_TEST_SUITE_P(
    EveryOperation, RejectedParameterTest,
    ::testing::Combine(::testing::Range<std::size_t>(0, rejected_calls().size()),
                       ::testing::Values("legacy", "shadow", "canary", "rust")),
    rejected_name);

// A Rust failure: the caller still gets legacy's answer, and the fallback is counted by
// its cause — in shadow mode too, though the caller never depended on the Rust run.
struct InjectedFault {
  const char* mode;
  const char* failpoint_action;
  FallbackCause counted_as;
};

class FacadeFallbackTest : public ::testing::TestWithParam<InjectedFault> {
 protected:
  void SetUp() override { IMGKIT_SKIP_WITHOUT_FAILPOINTS(); }
  void TearDown() override { imgkit::failpoints::remove("imgkit::gaussian_blur"); }
  ConfigFile config_;
};

TEST_P(FacadeFallbackTest, LegacyAnswersAndTheCauseIsCounted) {
  const InjectedFault& fault = GetParam();
  route_by(config_, config_for("gaussian_blur", fault.mode));
  imgkit::failpoints::configure("imgkit::gaussian_blur", fault.failpoint_action);
  const Image input = generated_image(19, 11, 3);
  const std::uint64_t before = fallbacks("gaussian_blur", fault.counted_as);

  EXPECT_EQ(imgkit::gaussian_blur(input, 2.0f), imgkit::legacy::gaussian_blur(input, 2.0f));

  EXPECT_EQ(fallbacks("gaussian_blur", fault.counted_as), before + 1);
  EXPECT_EQ(switchyard::Router::last_decision().fallback, fault.counted_as);
}

std::string fault_name(const ::testing::TestParamInfo<InjectedFault>& fault) {
  return std::string(fault.param.mode) + "_" + fault.param.failpoint_action;
}

INSTANTIATE_TEST_SUITE_P(GaussianBlur, FacadeFallbackTest,
                         ::testing::Values(InjectedFault{"rust", "panic", FallbackCause::kPanic},
                                           InjectedFault{"rust", "return", FallbackCause::kError},
                                           InjectedFault{"shadow", "panic", FallbackCause::kPanic}),
                         fault_name);

}  // namespace
