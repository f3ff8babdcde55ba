// Every ported component in all four modes, through the public imgkit:: facade: the
// caller's answer is legacy's (within the component's tolerance), the call is counted on
// the route its mode allows, and nothing falls back on healthy input.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <tuple>
#include <vector>

#include "imgkit/bridge/kernels.hpp"
#include "imgkit/imgkit.hpp"
#include "imgkit/legacy/filters.hpp"
#include "support/error_expectations.hpp"
#include "support/routing_config.hpp"
#include "support/test_images.hpp"

namespace {

using imgkit::Image;
using imgkit::testing::calls;
using imgkit::testing::ConfigFile;
using imgkit::testing::fallbacks;
using imgkit::testing::generated_image;
using imgkit::testing::route_by;
using switchyard::FallbackCause;
using switchyard::Route;

const imgkit::Kernel kSharpen{3, 3, {0, -1, 0, -1, 5, -1, 0, -1, 0}};

struct PortedComponent {
  std::string name;
  std::function<Image(const Image&)> facade;
  std::function<Image(const Image&)> legacy;
};

const std::vector<PortedComponent>& ported_components() {
  static const std::vector<PortedComponent> components = {
      {"gaussian_blur", [](const Image& i) { return imgkit::gaussian_blur(i, 2.0f); },
       [](const Image& i) { return imgkit::legacy::gaussian_blur(i, 2.0f); }},
      {"convolve", [](const Image& i) { return imgkit::convolve(i, kSharpen); },
       [](const Image& i) { return imgkit::legacy::convolve(i, kSharpen); }},
  };
  return components;
}

struct Shape {
  std::uint32_t width;
  std::uint32_t height;
  std::uint32_t channels;
};
const Shape kShapes[] = {{1, 1, 1}, {7, 5, 3}, {33, 17, 4}, {64, 64, 1}};

std::uint32_t max_difference(const Image& a, const Image& b) {
  std::uint32_t worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    worst = std::max<std::uint32_t>(
        worst, a.data()[i] > b.data()[i] ? a.data()[i] - b.data()[i] : b.data()[i] - a.data()[i]);
  }
  return worst;
}

switchyard::ComponentCounts counts(const std::string& component) {
  const auto& router = imgkit::routing::router();
  return router.report().components.at(*router.catalog().find(component)).counts;
}

std::string config_for(const std::string& component, const std::string& mode) {
  return "[components." + component + "]\nmode = \"" + mode +
         "\"\ncanary_percent = 50.0\nshadow_sample = 1.0\n";
}

class FacadeModeTest : public ::testing::TestWithParam<std::tuple<std::size_t, std::string>> {
 protected:
  const PortedComponent& component() const { return ported_components()[std::get<0>(GetParam())]; }
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
  for (const Shape& shape : kShapes) {
    SCOPED_TRACE(std::to_string(shape.width) + "x" + std::to_string(shape.height) + "x" +
                 std::to_string(shape.channels));
    const Image input = generated_image(shape.width, shape.height, shape.channels);
    const Image expected = component().legacy(input);
    const std::uint64_t legacy_before = calls(name, Route::kLegacy);
    const std::uint64_t rust_before = calls(name, Route::kRust);
    const std::uint64_t shadow_before = calls(name, Route::kShadow);

    const Image answer = component().facade(input);

    const switchyard::Decision decision = switchyard::Router::last_decision();
    EXPECT_EQ(to_string(decision.mode), mode());
    EXPECT_FALSE(decision.fallback.has_value());
    ASSERT_EQ(answer.width(), expected.width());
    ASSERT_EQ(answer.height(), expected.height());
    ASSERT_EQ(answer.channels(), expected.channels());
    if (decision.route == Route::kRust) {
      EXPECT_LE(max_difference(answer, expected), 1u);  // the component's tolerance
    } else {
      EXPECT_EQ(answer, expected);  // legacy answered
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

TEST_P(FacadeModeTest, InputErrorsReachTheCallerAsLegacyReportsThem) {
  route_by(config_, config_for(component().name, mode()));
  const Image empty_kernel_input = generated_image(4, 4, 1);
  const std::uint64_t errors_before = fallbacks(component().name, FallbackCause::kError);
  if (component().name == "gaussian_blur") {
    EXPECT_THAT([&] { imgkit::gaussian_blur(empty_kernel_input, -1.0f); },
                imgkit::testing::ThrowsImgkitError(imgkit::ErrorCategory::kInvalidArgument));
  } else {
    const imgkit::Kernel even{2, 2, {1, 1, 1, 1}};
    EXPECT_THAT([&] { imgkit::convolve(empty_kernel_input, even); },
                imgkit::testing::ThrowsImgkitError(imgkit::ErrorCategory::kInvalidArgument));
  }
  // The caller's mistake is not a Rust failure.
  EXPECT_EQ(fallbacks(component().name, FallbackCause::kError), errors_before);
  EXPECT_EQ(imgkit::routing::router().breaker_state(
                *imgkit::routing::router().catalog().find(component().name)),
            switchyard::BreakerState::kClosed);
}

std::string case_name(const ::testing::TestParamInfo<FacadeModeTest::ParamType>& info) {
  return ported_components()[std::get<0>(info.param)].name + "_" + std::get<1>(info.param);
}

INSTANTIATE_TEST_SUITE_P(PortedComponents, FacadeModeTest,
                         ::testing::Combine(::testing::Values(0u, 1u),
                                            ::testing::Values("legacy", "shadow", "canary",
                                                              "rust")),
                         case_name);

// A Rust failure: the caller still gets legacy's answer, and the fallback is counted by
// its cause — in shadow mode too, though the caller never depended on the Rust run.
struct InjectedFault {
  const char* mode;
  const char* failpoint_action;
  FallbackCause counted_as;
};

class FacadeFallbackTest : public ::testing::TestWithParam<InjectedFault> {
 protected:
  void TearDown() override { imgkit::bridge::remove_failpoint("imgkit::gaussian_blur"); }
  ConfigFile config_;
};

TEST_P(FacadeFallbackTest, LegacyAnswersAndTheCauseIsCounted) {
  const InjectedFault& fault = GetParam();
  route_by(config_, config_for("gaussian_blur", fault.mode));
  ASSERT_TRUE(
      imgkit::bridge::configure_failpoint("imgkit::gaussian_blur", fault.failpoint_action).ok());
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
