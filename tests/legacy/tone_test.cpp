#include "imgkit/legacy/tone.hpp"

#include <cstdint>
#include <vector>

#include "gtest/gtest.h"
#include "support/test_images.hpp"

namespace imgkit::legacy {
namespace {

using imgkit::testing::all_channel_counts;
using imgkit::testing::filled_image;
using imgkit::testing::generated_image;
using imgkit::testing::make_gray;
using imgkit::testing::make_image;

TEST(ToGrayscale, WeighsPrimariesByBt601) {
  // (77 * 255 + 128) >> 8 = 77, (150 * 255 + 128) >> 8 = 149, (29 * 255 + 128) >> 8 = 29.
  const Image rgb = make_image(5, 1, 3, {255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0});
  EXPECT_EQ(to_grayscale(rgb), make_gray(5, 1, {77, 149, 29, 255, 0}));
}

TEST(ToGrayscale, EqualChannelsKeepTheirValue) {
  // 77 + 150 + 29 = 256, so (256 v + 128) >> 8 = v.
  Image rgb(256, 1, 3);
  Image gray(256, 1, 1);
  for (std::uint32_t v = 0; v < 256; ++v) {
    for (std::uint32_t c = 0; c < 3; ++c) {
      rgb.at(v, 0, c) = static_cast<std::uint8_t>(v);
    }
    gray.at(v, 0, 0) = static_cast<std::uint8_t>(v);
  }
  EXPECT_EQ(to_grayscale(rgb), gray);
}

TEST(ToGrayscale, CopiesGrayInput) {
  const Image gray = generated_image(7, 5, 1);
  EXPECT_EQ(to_grayscale(gray), gray);
}

TEST(ToGrayscale, DropsAlpha) {
  const Image rgba = make_image(2, 1, 4, {10, 20, 30, 0, 10, 20, 30, 255});
  // (770 + 3000 + 870 + 128) >> 8 = 4768 >> 8 = 18.
  EXPECT_EQ(to_grayscale(rgba), make_gray(2, 1, {18, 18}));
}

TEST(Histogram, CountsEachChannelSeparately) {
  const Image rgba = make_image(3, 1, 4, {1, 2, 3, 4, 1, 9, 3, 4, 255, 9, 0, 4});
  const std::vector<Histogram> counts = histogram(rgba);
  ASSERT_EQ(counts.size(), 4u);
  EXPECT_EQ(counts[0][1], 2u);
  EXPECT_EQ(counts[0][255], 1u);
  EXPECT_EQ(counts[1][2], 1u);
  EXPECT_EQ(counts[1][9], 2u);
  EXPECT_EQ(counts[2][3], 2u);
  EXPECT_EQ(counts[2][0], 1u);
  EXPECT_EQ(counts[3][4], 3u);
}

TEST(Histogram, EveryChannelSumsToThePixelCount) {
  for (const std::uint32_t channels : all_channel_counts()) {
    const Image image = generated_image(7, 5, channels);
    const std::vector<Histogram> counts = histogram(image);
    ASSERT_EQ(counts.size(), channels);
    for (const Histogram& channel : counts) {
      std::uint64_t total = 0;
      for (const std::uint64_t count : channel) {
        total += count;
      }
      EXPECT_EQ(total, 35u);
    }
  }
}

TEST(Equalize, SpreadsFourDistinctValuesOverTheRange) {
  // cdf = 1, 2, 3, 4, cdf_min = 1, N - cdf_min = 3: (k * 255 + 1) / 3 = 0, 85, 170, 255.
  EXPECT_EQ(equalize(make_gray(2, 2, {0, 50, 100, 200})), make_gray(2, 2, {0, 85, 170, 255}));
}

TEST(Equalize, UsesTheCumulativeCountWithRounding) {
  // cdf(10) = 2 = cdf_min, cdf(20) = 3, cdf(30) = 4, N - cdf_min = 2:
  // (0 + 1) / 2 = 0, (255 + 1) / 2 = 128 (127.5 rounded up), (510 + 1) / 2 = 255.
  EXPECT_EQ(equalize(make_gray(4, 1, {10, 20, 10, 30})), make_gray(4, 1, {0, 128, 0, 255}));
}

TEST(Equalize, CopiesASingleValuedChannel) {
  EXPECT_EQ(equalize(filled_image(7, 5, 1, 77)), filled_image(7, 5, 1, 77));
  EXPECT_EQ(equalize(make_gray(1, 1, {200})), make_gray(1, 1, {200}));
}

TEST(Equalize, TreatsColourChannelsIndependentlyAndCopiesAlpha) {
  // Red holds one value (copied), green four distinct ones, blue two, alpha anything.
  const Image rgba = make_image(2, 2, 4, {5, 0, 7, 1, 5, 50, 7, 2, 5, 100, 9, 3, 5, 200, 9, 4});
  EXPECT_EQ(equalize(rgba),
            make_image(2, 2, 4, {5, 0, 0, 1, 5, 85, 0, 2, 5, 170, 255, 3, 5, 255, 255, 4}));
  const Image rgb = make_image(2, 1, 3, {1, 2, 3, 4, 5, 6});
  EXPECT_EQ(equalize(rgb), make_image(2, 1, 3, {0, 0, 0, 255, 255, 255}));
}

TEST(Equalize, IsIdempotentOnAFullRamp) {
  Image ramp(256, 1, 1);
  for (std::uint32_t v = 0; v < 256; ++v) {
    ramp.at(v, 0, 0) = static_cast<std::uint8_t>(v);
  }
  EXPECT_EQ(equalize(ramp), ramp);
}

TEST(OtsuLevel, SplitsABimodalImageAtTheLowerMode) {
  // Every t in 10..199 separates the modes equally well; ties take the smallest.
  const Image bimodal = make_gray(3, 2, {10, 200, 10, 200, 10, 200});
  EXPECT_EQ(otsu_level(bimodal), 10);
  EXPECT_EQ(otsu_threshold(bimodal), make_gray(3, 2, {0, 255, 0, 255, 0, 255}));
}

TEST(OtsuLevel, MaximisesTheBetweenClassVariance) {
  // {0, 0, 100, 255}: t = 0 gives 0.5 * 0.5 * 177.5^2 = 7876.6, t = 100 gives
  // 0.75 * 0.25 * (33.3 - 255)^2 = 9213.0, so the 100 joins the dark class.
  const Image image = make_gray(4, 1, {0, 100, 0, 255});
  EXPECT_EQ(otsu_level(image), 100);
  EXPECT_EQ(otsu_threshold(image), make_gray(4, 1, {0, 0, 0, 255}));
}

TEST(OtsuLevel, SingleValuedImageGivesThatValue) {
  EXPECT_EQ(otsu_level(make_gray(1, 1, {37})), 37);
  EXPECT_EQ(otsu_level(filled_image(7, 5, 3, 200)), 200);
  // Nothing lies above the level, so everything is background.
  EXPECT_EQ(otsu_threshold(filled_image(7, 5, 1, 200)), filled_image(7, 5, 1, 0));
}

TEST(OtsuLevel, UsesTheLuminanceOfColourInput) {
  // Gray pixels (v, v, v) have luminance v; alpha plays no part.
  const Image rgba = make_image(4, 1, 4,
                                {0, 0, 0, 9, 100, 100, 100, 255, 0, 0, 0, 0,  //
                                 255, 255, 255, 1});
  EXPECT_EQ(otsu_level(rgba), 100);
  const Image binary = otsu_threshold(rgba);
  EXPECT_EQ(binary, make_gray(4, 1, {0, 0, 0, 255}));
}

TEST(OtsuThreshold, OutputIsOneChannelOfTheInputSize) {
  for (const std::uint32_t channels : all_channel_counts()) {
    const Image binary = otsu_threshold(generated_image(7, 5, channels));
    EXPECT_EQ(binary.width(), 7u);
    EXPECT_EQ(binary.height(), 5u);
    EXPECT_EQ(binary.channels(), 1u);
    for (const std::uint8_t sample : binary.samples()) {
      EXPECT_TRUE(sample == 0 || sample == 255) << int{sample};
    }
  }
}

}  // namespace
}  // namespace imgkit::legacy
