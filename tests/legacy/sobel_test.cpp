#include <cstdint>
#include <vector>

#include "gtest/gtest.h"
#include "imgkit/legacy/filters.hpp"
#include "imgkit/legacy/geometry.hpp"
#include "imgkit/legacy/tone.hpp"
#include "support/test_images.hpp"

namespace imgkit::legacy {
namespace {

using imgkit::testing::all_channel_counts;
using imgkit::testing::filled_image;
using imgkit::testing::generated_image;
using imgkit::testing::make_gray;
using imgkit::testing::make_image;

TEST(Sobel, FlatImageHasNoEdges) {
  for (const std::uint32_t channels : all_channel_counts()) {
    EXPECT_EQ(sobel(filled_image(7, 5, channels, 180)), filled_image(7, 5, 1, 0));
  }
  EXPECT_EQ(sobel(make_gray(1, 1, {255})), make_gray(1, 1, {0}));
}

TEST(Sobel, VerticalStepEdge) {
  // Columns 0 0 10 10: at x = 1 and x = 2 each of the three kernel rows sees a step of
  // 10, weighted 1 + 2 + 1: gx = 40. The clamped outer columns see no step.
  const Image step = make_gray(4, 3, {0, 0, 10, 10, 0, 0, 10, 10, 0, 0, 10, 10});
  EXPECT_EQ(sobel(step), make_gray(4, 3, {0, 40, 40, 0, 0, 40, 40, 0, 0, 40, 40, 0}));
}

TEST(Sobel, HorizontalStepEdgeGivesTheSameMagnitude) {
  const Image step = make_gray(4, 3, {0, 0, 10, 10, 0, 0, 10, 10, 0, 0, 10, 10});
  EXPECT_EQ(sobel(rotate90(step)), rotate90(sobel(step)));
}

TEST(Sobel, ImpulseGivesRoundedMagnitudes) {
  // A 100 in the centre: edge neighbours see it under a weight of 2 in one kernel only
  // (200); corners under 1 in both, sqrt(100^2 + 100^2) = 141.42 -> 141; the centre
  // itself sits under the zero weights.
  const Image impulse = make_gray(3, 3, {0, 0, 0, 0, 100, 0, 0, 0, 0});
  EXPECT_EQ(sobel(impulse), make_gray(3, 3, {141, 200, 141, 200, 0, 200, 141, 200, 141}));
}

TEST(Sobel, SaturatesAt255) {
  // A 0 -> 255 step gives gx = 1020.
  EXPECT_EQ(sobel(make_gray(2, 1, {0, 255})), make_gray(2, 1, {255, 255}));
}

TEST(Sobel, ColourInputUsesLuminanceAndIgnoresAlpha) {
  // Pure red 100 has luminance (77 * 100 + 128) >> 8 = 30, so the step gives 4 * 30.
  const Image red_step = make_image(2, 1, 4, {0, 0, 0, 255, /**/ 100, 0, 0, 0});
  EXPECT_EQ(sobel(red_step), make_gray(2, 1, {120, 120}));

  Image alpha_only = filled_image(7, 5, 4, 90);
  for (std::uint32_t x = 0; x < 7; ++x) {
    alpha_only.at(x, 2, 3) = x % 2 == 0 ? 0 : 255;
  }
  EXPECT_EQ(sobel(alpha_only), filled_image(7, 5, 1, 0));
}

TEST(Sobel, OutputIsOneChannelOfTheInputSize) {
  for (const std::uint32_t channels : all_channel_counts()) {
    const Image image = generated_image(7, 5, channels);
    const Image edges = sobel(image);
    EXPECT_EQ(edges.width(), 7u);
    EXPECT_EQ(edges.height(), 5u);
    EXPECT_EQ(edges.channels(), 1u);
    EXPECT_EQ(edges, sobel(to_grayscale(image)));
  }
}

TEST(Sobel, HandlesSingleRowsAndColumns) {
  // 1xN: the clamped rows above and below repeat the row, so gy = 0 and gx = 4 * step.
  EXPECT_EQ(sobel(make_gray(5, 1, {0, 0, 10, 20, 20})), make_gray(5, 1, {0, 40, 80, 40, 0}));
  EXPECT_EQ(sobel(make_gray(1, 5, {0, 0, 10, 20, 20})), make_gray(1, 5, {0, 40, 80, 40, 0}));
}

}  // namespace
}  // namespace imgkit::legacy
