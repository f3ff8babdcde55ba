// imgkit::parity::run_file — the engine behind `imgkit parity`: every applicable
// component runs both ways, and a Rust answer or error that differs is reported.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "components.hpp"
#include "imgkit/failpoints.hpp"
#include "imgkit/legacy/codecs.hpp"
#include "imgkit/parity.hpp"
#include "support/failpoints_required.hpp"
#include "support/test_images.hpp"

namespace imgkit {
namespace {

using imgkit::testing::generated_image;
using parity::Case;
using parity::FileFormat;
using parity::Verdict;

const Case& find_case(const std::vector<Case>& cases, const std::string& component) {
  const auto it = std::find_if(cases.begin(), cases.end(),
                               [&](const Case& c) { return c.component == component; });
  if (it == cases.end()) throw std::logic_error("no case for " + component);
  return *it;
}

TEST(ParityRunnerTest, RunsEveryComponentOnAnImageAndTheyAgree) {
  const std::vector<Case> cases =
      parity::run_file(legacy::encode_png(generated_image(31, 19, 4)), FileFormat::kPng);
  std::set<std::string> components;
  for (const Case& c : cases) {
    components.insert(c.component);
    // RGBA cannot be written as PNM: both encoders refuse it alike.
    const Verdict expected = c.component == "encode_pnm" ? Verdict::kBothRejected : Verdict::kMatch;
    EXPECT_EQ(c.verdict, expected) << c.component << " " << c.parameters << ": " << c.detail;
  }
  // Every component but the other format's decoder.
  EXPECT_EQ(components.size(), routing::catalog().size() - 1);
  EXPECT_EQ(components.count("decode_pnm"), 0u);
}

TEST(ParityRunnerTest, AFileBothDecodersRejectIsOneAgreeingCase) {
  const std::vector<Case> cases = parity::run_file({'P', '5', '\n', '0'}, FileFormat::kPnm);
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0].component, "decode_pnm");
  EXPECT_EQ(cases[0].verdict, Verdict::kBothRejected) << cases[0].detail;
  EXPECT_TRUE(cases[0].agrees());
}

class ParityRunnerFaultTest : public ::testing::Test {
 protected:
  void SetUp() override { IMGKIT_SKIP_WITHOUT_FAILPOINTS(); }
  void TearDown() override { failpoints::remove("imgkit::sobel"); }
};

TEST_F(ParityRunnerFaultTest, ARustFailureIsAnErrorDisagreement) {
  failpoints::configure("imgkit::sobel", "return");
  const std::vector<Case> cases =
      parity::run_file(legacy::encode_pnm(generated_image(8, 8, 1)), FileFormat::kPnm);
  const Case& sobel = find_case(cases, "sobel");
  EXPECT_EQ(sobel.verdict, Verdict::kErrorDisagreement);
  EXPECT_FALSE(sobel.agrees());
  EXPECT_NE(sobel.detail.find("legacy answered"), std::string::npos) << sobel.detail;
  EXPECT_NE(sobel.detail.find("injected fault"), std::string::npos) << sobel.detail;
  EXPECT_EQ(find_case(cases, "flip").verdict, Verdict::kMatch);
}

}  // namespace
}  // namespace imgkit
