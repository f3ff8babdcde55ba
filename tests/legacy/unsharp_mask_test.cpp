#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "imgkit/legacy/filters.hpp"
#include "support/error_expectations.hpp"
#include "support/test_images.hpp"

namespace imgkit::legacy {
namespace {

using imgkit::testing::all_channel_counts;
using imgkit::testing::channel_of;
using imgkit::testing::filled_image;
using imgkit::testing::generated_image;
using imgkit::testing::make_gray;
using imgkit::testing::make_image;
using imgkit::testing::ThrowsImgkitError;

constexpr float kNan = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

// gaussian_blur(., 0.5) of this row is 50 61 129 61 50: 50 + 100 * 0.7866 = 128.7 and
// 50 + 100 * 0.1065 = 60.6, with the weights of GaussianWeights.MatchTheNormalisedBellCurve.
const std::vector<std::uint8_t> kBump = {50, 50, 150, 50, 50};

TEST(UnsharpMask, AddsTheScaledHighPass) {
  const Image bump = make_gray(5, 1, kBump);
  // amount 1: 150 + (150 - 129) = 171, 50 + (50 - 61) = 39.
  EXPECT_EQ(unsharp_mask(bump, 0.5f, 1.0f), make_gray(5, 1, {50, 39, 171, 39, 50}));
  // amount 2: 150 + 2 * 21 = 192, 50 - 2 * 11 = 28.
  EXPECT_EQ(unsharp_mask(bump, 0.5f, 2.0f), make_gray(5, 1, {50, 28, 192, 28, 50}));
  // amount 0.5: 150 + 10.5 = 160.5 rounds away from zero; 50 - 5.5 = 44.5 likewise.
  EXPECT_EQ(unsharp_mask(bump, 0.5f, 0.5f), make_gray(5, 1, {50, 45, 161, 45, 50}));
}

TEST(UnsharpMask, ClampsToTheSampleRange) {
  // amount 16: 150 + 16 * 21 = 486 -> 255 and 50 - 16 * 11 = -126 -> 0.
  EXPECT_EQ(unsharp_mask(make_gray(5, 1, kBump), 0.5f, 16.0f),
            make_gray(5, 1, {50, 0, 255, 0, 50}));
}

TEST(UnsharpMask, ZeroAmountReturnsTheInput) {
  for (const std::uint32_t channels : all_channel_counts()) {
    const Image image = generated_image(7, 5, channels);
    EXPECT_EQ(unsharp_mask(image, 2.0f, 0.0f), image) << channels << " channels";
  }
}

TEST(UnsharpMask, KeepsAConstantImageConstant) {
  for (const std::uint32_t channels : all_channel_counts()) {
    const Image image = filled_image(1, 9, channels, 77);
    EXPECT_EQ(unsharp_mask(image, 1.5f, 16.0f), image) << channels << " channels";
  }
}

TEST(UnsharpMask, SharpensColourAndCopiesAlpha) {
  std::vector<std::uint8_t> samples;
  // Alpha shaped like a bump too, so sharpening it would show.
  const std::uint8_t alphas[] = {60, 60, 160, 60, 60};
  for (std::size_t x = 0; x < kBump.size(); ++x) {
    samples.insert(samples.end(), {kBump[x], kBump[x], kBump[x], alphas[x]});
  }
  const Image sharpened = unsharp_mask(make_image(5, 1, 4, samples), 0.5f, 1.0f);
  const Image expected_colour = make_gray(5, 1, {50, 39, 171, 39, 50});
  for (std::uint32_t c = 0; c < 3; ++c) {
    EXPECT_EQ(channel_of(sharpened, c), expected_colour) << "channel " << c;
  }
  EXPECT_EQ(channel_of(sharpened, 3), make_gray(5, 1, {60, 60, 160, 60, 60}));
}

TEST(UnsharpMask, SharpensEveryChannelOfRgb) {
  const Image image = make_image(5, 1, 3, {50, 0, 9, 50, 0, 9, 150, 0, 9, 50, 0, 9, 50, 0, 9});
  const Image sharpened = unsharp_mask(image, 0.5f, 1.0f);
  EXPECT_EQ(channel_of(sharpened, 0), make_gray(5, 1, {50, 39, 171, 39, 50}));
  EXPECT_EQ(channel_of(sharpened, 1), make_gray(5, 1, {0, 0, 0, 0, 0}));
  EXPECT_EQ(channel_of(sharpened, 2), make_gray(5, 1, {9, 9, 9, 9, 9}));
}

TEST(UnsharpMask, RejectsAmountOutsideZeroToSixteen) {
  const Image image(3, 3, 1);
  for (const float amount : {-0.1f, -kInf, std::nextafter(16.0f, kInf), 17.0f, kInf, kNan}) {
    EXPECT_THAT([&] { unsharp_mask(image, 1.0f, amount); },
                ThrowsImgkitError(ErrorCategory::kInvalidArgument, {"unsharp_mask", "amount"}))
        << "amount " << amount;
  }
  EXPECT_THAT([&] { unsharp_mask(image, 1.0f, -0.5f); },
              ThrowsImgkitError(ErrorCategory::kInvalidArgument, {"-0.5"}));
}

TEST(UnsharpMask, RejectsSigmaOutsideTheDomain) {
  const Image image(3, 3, 1);
  for (const float sigma : {0.0f, -1.0f, kNan, kInf, 64.5f}) {
    EXPECT_THAT([&] { unsharp_mask(image, sigma, 1.0f); },
                ThrowsImgkitError(ErrorCategory::kInvalidArgument, {"unsharp_mask", "sigma"}))
        << "sigma " << sigma;
  }
}

}  // namespace
}  // namespace imgkit::legacy
