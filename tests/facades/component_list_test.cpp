// The failpoints follow from the component list: every component has its two,
// imgkit::<name> at the Rust bridge entry and imgkit::legacy::<name> at the legacy entry,
// each fires on its own entry, and every imgkit:: failpoint is one of those or one of the
// documented finer points inside the Rust kernels and codecs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "imgkit/error.hpp"
#include "imgkit/failpoints.hpp"
#include "imgkit/routing.hpp"
#include "support/component_calls.hpp"
#include "support/failpoints_required.hpp"
#include "support/test_images.hpp"

namespace {

using imgkit::testing::component_calls;
using imgkit::testing::ComponentCall;
using ::testing::HasSubstr;

// The failpoints inside the Rust kernels and codecs (README "Every failpoint").
constexpr std::string_view kFinerPoints[] = {"imgkit::kernels::band", "imgkit::codecs::png_rows",
                                             "imgkit::codecs::pnm_samples"};

bool is_component(std::string_view name) {
  return imgkit::routing::router().catalog().find(name).has_value();
}

TEST(ComponentFailpointsTest, EveryImgkitFailpointIsAComponentsOrADocumentedFinerOne) {
  IMGKIT_SKIP_WITHOUT_FAILPOINTS();
  const std::string_view legacy_prefix = "imgkit::legacy::";
  const std::string_view rust_prefix = "imgkit::";
  for (const std::string& name : imgkit::failpoints::names()) {
    const std::string_view point = name;
    if (point.rfind(legacy_prefix, 0) == 0) {
      EXPECT_TRUE(is_component(point.substr(legacy_prefix.size()))) << name;
    } else if (point.rfind(rust_prefix, 0) == 0) {
      const bool finer = std::find(std::begin(kFinerPoints), std::end(kFinerPoints), point) !=
                         std::end(kFinerPoints);
      EXPECT_TRUE(finer || is_component(point.substr(rust_prefix.size()))) << name;
    }
  }
}

TEST(ComponentFailpointsTest, TheDocumentedFinerOnesExist) {
  IMGKIT_SKIP_WITHOUT_FAILPOINTS();
  // Each component's own two: tests/faults/failpoint_sources_test.cpp.
  const std::vector<std::string> names = imgkit::failpoints::names();
  for (const std::string_view point : kFinerPoints) {
    EXPECT_THAT(names, ::testing::Contains(std::string(point)));
  }
}

// Each component's first call, with its own two failpoints.
class ComponentFailpointFiringTest : public ::testing::TestWithParam<std::size_t> {
 protected:
  void SetUp() override { IMGKIT_SKIP_WITHOUT_FAILPOINTS(); }
  void TearDown() override { imgkit::failpoints::remove_all(); }
  const ComponentCall& component() const { return component_calls()[GetParam()]; }
};

TEST_P(ComponentFailpointFiringTest, EachFiresOnItsOwnEntry) {
  const imgkit::Image input = imgkit::testing::generated_image(6, 5, 3);
  const std::string& name = component().name;

  imgkit::failpoints::configure("imgkit::" + name, "return(from the component list)");
  const imgkit::testing::RustAnswer rust = component().rust(input);
  const auto* error = std::get_if<switchyard::RustError>(&rust);
  ASSERT_NE(error, nullptr) << "imgkit::" << name << " did not fire";
  EXPECT_EQ(error->kind, switchyard::RustFailure::kError);
  EXPECT_THAT(error->message, HasSubstr("injected fault: from the component list"));
  EXPECT_NO_THROW(component().legacy(input)) << "the Rust failpoint reached legacy";
  imgkit::failpoints::remove("imgkit::" + name);

  imgkit::failpoints::configure("imgkit::legacy::" + name, "return(from the component list)");
  EXPECT_TRUE(std::holds_alternative<imgkit::testing::Answer>(component().rust(input)))
      << "the legacy failpoint reached Rust";
  try {
    component().legacy(input);
    ADD_FAILURE() << "imgkit::legacy::" << name << " did not fire";
  } catch (const imgkit::Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("imgkit::legacy::" + name + ": injected fault"));
  }
}

std::vector<std::size_t> first_call_of_each_component() {
  std::vector<std::size_t> chosen;
  for (std::size_t i = 0; i < component_calls().size(); ++i) {
    if (i == 0 || component_calls()[i].name != component_calls()[i - 1].name) chosen.push_back(i);
  }
  return chosen;
}

std::string component_name(const ::testing::TestParamInfo<std::size_t>& info) {
  return component_calls()[info.param].name;
}

INSTANTIATE_TEST_SUITE_P(EveryComponent, ComponentFailpointFiringTest,
                         ::testing::ValuesIn(first_call_of_each_component()), component_name);

}  // namespace
