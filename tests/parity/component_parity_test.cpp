// Parity of every component of the list on generated images (test_shapes(): 1x1 in every
// channel count, odd sizes, and outside sanitizer builds 3840x2160), each of the component's
// parameter sets called on both sides directly. Both answer within the component's
// tolerance, or both refuse with the same category; and both refuse the parameters the
// component lists as ones to refuse.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "imgkit/error.hpp"
#include "support/component_calls.hpp"
#include "support/error_expectations.hpp"
#include "support/rust_rejection.hpp"
#include "support/test_images.hpp"

namespace {

using imgkit::Image;
using imgkit::testing::Answer;
using imgkit::testing::category_thrown_by;
using imgkit::testing::component_calls;
using imgkit::testing::ComponentCall;
using imgkit::testing::generated_image;
using imgkit::testing::max_difference;
using imgkit::testing::rejected_calls;
using imgkit::testing::RejectedCall;
using imgkit::testing::runs_on;
using imgkit::testing::RustAnswer;
using imgkit::testing::test_shapes;
using imgkit::testing::TestShape;

// The category of Rust's input error, if it refused the input as the caller's.
std::optional<imgkit::ErrorCategory> refusal_of(const RustAnswer& rust) {
  const auto* error = std::get_if<switchyard::RustError>(&rust);
  if (error == nullptr) return std::nullopt;
  const auto rejection = imgkit::testing::rust_rejection(switchyard::RustResult<int>(*error));
  EXPECT_TRUE(rejection.has_value()) << "rust failed: " << error->message;
  return rejection ? std::optional(rejection->category) : std::nullopt;
}

class ComponentParityTest : public ::testing::TestWithParam<std::size_t> {
 protected:
  const ComponentCall& component() const { return component_calls()[GetParam()]; }
};

TEST_P(ComponentParityTest, RustAnswersAsLegacyDoes) {
  for (const TestShape& shape : test_shapes()) {
    if (!runs_on(component(), shape)) continue;
    SCOPED_TRACE(shape.name());
    const Image input = generated_image(shape.width, shape.height, shape.channels, 11);
    Answer expected;
    const auto legacy_refused = category_thrown_by([&] { expected = component().legacy(input); });
    const RustAnswer rust = component().rust(input);
    if (legacy_refused) {
      EXPECT_EQ(refusal_of(rust), legacy_refused) << "legacy refused the input, rust did not";
      continue;
    }
    const auto* answer = std::get_if<Answer>(&rust);
    ASSERT_NE(answer, nullptr) << std::get<switchyard::RustError>(rust).message;
    EXPECT_LE(max_difference(*answer, expected), component().tolerance);
  }
}

std::string call_name(const ::testing::TestParamInfo<std::size_t>& info) {
  return imgkit::testing::test_name(component_calls()[info.param]);
}

INSTANTIATE_TEST_SUITE_P(EveryComponent, ComponentParityTest,
                         ::testing::Range<std::size_t>(0, component_calls().size()), call_name);

class RejectedParameterParityTest : public ::testing::TestWithParam<std::size_t> {};

TEST_P(RejectedParameterParityTest, BothRefuseWithTheSameCategory) {
  const RejectedCall& bad = rejected_calls()[GetParam()];
  const Image input = generated_image(5, 4, 3);
  const auto legacy_refused = category_thrown_by([&] { bad.legacy(input); });
  ASSERT_TRUE(legacy_refused.has_value()) << "legacy accepted the parameters";
  EXPECT_EQ(refusal_of(bad.rust(input)), legacy_refused);
}

std::string rejected_name(const ::testing::TestParamInfo<std::size_t>& info) {
  return imgkit::testing::test_name(rejected_calls()[info.param]);
}

INSTANTIATE_TEST_SUITE_P(EveryOperation, RejectedParameterParityTest,
                         ::testing::Range<std::size_t>(0, rejected_calls().size()), rejected_name);

}  // namespace
