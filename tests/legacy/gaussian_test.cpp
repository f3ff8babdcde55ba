#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "imgkit/legacy/filters.hpp"
#include "imgkit/legacy/geometry.hpp"
#include "support/error_expectations.hpp"
#include "support/test_images.hpp"

namespace imgkit::legacy {
namespace {

using imgkit::testing::all_channel_counts;
using imgkit::testing::channel_of;
using imgkit::testing::filled_image;
using imgkit::testing::generated_image;
using imgkit::testing::make_gray;
using imgkit::testing::ThrowsImgkitError;

constexpr float kNan = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

// The sigma values every Gaussian entry point must reject.
const std::vector<float>& invalid_sigmas() {
  static const std::vector<float> sigmas = {
      0.0f, -0.0f, -1.0f, kNan, kInf, -kInf, std::nextafter(64.0f, kInf), 65.0f};
  return sigmas;
}

Image impulse(std::uint32_t width, std::uint32_t height, std::uint8_t value) {
  Image image(width, height, 1);
  image.at(width / 2, height / 2, 0) = value;
  return image;
}

TEST(GaussianRadius, IsCeilingOfThreeSigma) {
  EXPECT_EQ(gaussian_radius(1.0f), 3u);
  EXPECT_EQ(gaussian_radius(0.5f), 2u);   // 1.5 -> 2
  EXPECT_EQ(gaussian_radius(2.5f), 8u);   // 7.5 -> 8
  EXPECT_EQ(gaussian_radius(0.34f), 2u);  // 1.02 -> 2
  EXPECT_EQ(gaussian_radius(64.0f), 192u);
  EXPECT_EQ(gaussian_radius(std::numeric_limits<float>::denorm_min()), 1u);
}

TEST(GaussianRadius, MultipliesInFloat) {
  // 1/3 is stored as 0.33333334f; 3 * that is exactly 1.0f in float (but 1.0000000298
  // in double, which would give 2).
  EXPECT_EQ(gaussian_radius(1.0f / 3.0f), 1u);
  EXPECT_EQ(gaussian_radius(0.1f), 1u);
}

TEST(GaussianRadius, RejectsSigmaOutsideTheDomain) {
  for (const float sigma : invalid_sigmas()) {
    EXPECT_THAT([&] { gaussian_radius(sigma); },
                ThrowsImgkitError(ErrorCategory::kInvalidArgument, {"gaussian_radius", "sigma"}))
        << "sigma " << sigma;
  }
}

TEST(GaussianWeights, MatchTheNormalisedBellCurve) {
  // sigma 0.5: exp(-8), exp(-2), 1, exp(-2), exp(-8), divided by their sum 1.2713414.
  const std::vector<float> weights = gaussian_weights(0.5f);
  ASSERT_EQ(weights.size(), 5u);
  const std::vector<double> expected = {0.00026387, 0.10645077, 0.78657073, 0.10645077, 0.00026387};
  for (std::size_t i = 0; i < weights.size(); ++i) {
    EXPECT_NEAR(weights[i], expected[i], 1e-7) << "tap " << i;
  }
}

TEST(GaussianWeights, AreSymmetricAndSumToOne) {
  for (const float sigma : {0.3f, 1.0f, 2.7f, 64.0f}) {
    const std::vector<float> weights = gaussian_weights(sigma);
    ASSERT_EQ(weights.size(), 2 * gaussian_radius(sigma) + 1) << "sigma " << sigma;
    double sum = 0.0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
      EXPECT_EQ(weights[i], weights[weights.size() - 1 - i]) << "sigma " << sigma;
      sum += weights[i];
    }
    EXPECT_NEAR(sum, 1.0, 1e-6) << "sigma " << sigma;
  }
}

TEST(GaussianWeights, RejectsSigmaOutsideTheDomain) {
  for (const float sigma : invalid_sigmas()) {
    EXPECT_THAT([&] { gaussian_weights(sigma); },
                ThrowsImgkitError(ErrorCategory::kInvalidArgument, {"gaussian_weights", "sigma"}))
        << "sigma " << sigma;
  }
}

// The documented two passes, computed the slow, obvious way: per sample, float sums over
// the taps in index order, reading clamped coordinates.
Image reference_gaussian_blur(const Image& image, float sigma) {
  const std::vector<float> weights = gaussian_weights(sigma);
  const auto radius = static_cast<std::int64_t>(weights.size() / 2);
  const auto clamp_to = [](std::int64_t v, std::uint32_t size) {
    return static_cast<std::uint32_t>(std::clamp<std::int64_t>(v, 0, size - 1));
  };
  const std::uint32_t width = image.width();
  const std::uint32_t channels = image.channels();
  std::vector<float> horizontal(image.size());
  for (std::uint32_t y = 0; y < image.height(); ++y) {
    for (std::uint32_t x = 0; x < width; ++x) {
      for (std::uint32_t c = 0; c < channels; ++c) {
        float sum = 0.0f;
        for (std::size_t i = 0; i < weights.size(); ++i) {
          sum += weights[i] * image.at(clamp_to(x + i - radius, width), y, c);
        }
        horizontal[(std::size_t{y} * width + x) * channels + c] = sum;
      }
    }
  }
  Image out(width, image.height(), channels);
  for (std::uint32_t y = 0; y < image.height(); ++y) {
    for (std::uint32_t x = 0; x < width; ++x) {
      for (std::uint32_t c = 0; c < channels; ++c) {
        float sum = 0.0f;
        for (std::size_t j = 0; j < weights.size(); ++j) {
          const std::size_t row = clamp_to(y + j - radius, image.height());
          sum += weights[j] * horizontal[(row * width + x) * channels + c];
        }
        out.at(x, y, c) = static_cast<std::uint8_t>(std::clamp(std::round(sum), 0.0f, 255.0f));
      }
    }
  }
  return out;
}

TEST(GaussianBlur, MatchesTheDocumentedPassesExactly) {
  for (const std::uint32_t channels : all_channel_counts()) {
    for (const float sigma : {0.4f, 1.0f, 2.3f, 7.0f}) {
      const Image image = generated_image(11, 7, channels, channels);
      EXPECT_EQ(gaussian_blur(image, sigma), reference_gaussian_blur(image, sigma))
          << channels << " channels, sigma " << sigma;
    }
  }
}

TEST(GaussianBlur, SpreadsAnImpulseByTheSeparableWeights) {
  // out = 255 * w[i] * w[j] with the sigma 0.5 weights above: 255 * 0.7866^2 = 157.8,
  // 255 * 0.7866 * 0.1065 = 21.4, 255 * 0.1065^2 = 2.9; the outer ring is below 0.06.
  const Image expected = make_gray(5, 5, {0, 0,  0,   0,  0,  //
                                          0, 3,  21,  3,  0,  //
                                          0, 21, 158, 21, 0,  //
                                          0, 3,  21,  3,  0,  //
                                          0, 0,  0,   0,  0});
  EXPECT_EQ(gaussian_blur(impulse(5, 5, 255), 0.5f), expected);
}

TEST(GaussianBlur, BlursSingleRowsAndColumns) {
  // Height 1: the vertical pass reads the same row for every tap, so only the
  // horizontal weights show: 255 * 0.1065 = 27.1, 255 * 0.7866 = 200.6.
  const Image row = make_gray(9, 1, {0, 0, 0, 0, 255, 0, 0, 0, 0});
  const Image blurred_row = make_gray(9, 1, {0, 0, 0, 27, 201, 27, 0, 0, 0});
  EXPECT_EQ(gaussian_blur(row, 0.5f), blurred_row);
  const Image column = make_gray(1, 9, row.samples());
  EXPECT_EQ(gaussian_blur(column, 0.5f), make_gray(1, 9, blurred_row.samples()));
}

TEST(GaussianBlur, KeepsAConstantImageConstant) {
  for (const std::uint32_t channels : all_channel_counts()) {
    for (const float sigma : {0.3f, 1.7f, 5.0f, 64.0f}) {
      const Image image = filled_image(7, 5, channels, 201);
      EXPECT_EQ(gaussian_blur(image, sigma), image) << channels << " channels, sigma " << sigma;
    }
  }
}

TEST(GaussianBlur, LeavesA1x1ImageUnchanged) {
  for (const std::uint32_t channels : all_channel_counts()) {
    const Image image = generated_image(1, 1, channels);
    EXPECT_EQ(gaussian_blur(image, 3.0f), image);
  }
}

TEST(GaussianBlur, IsSymmetricAroundAnImpulse) {
  const Image blurred = gaussian_blur(impulse(9, 9, 255), 1.3f);
  EXPECT_EQ(blurred.at(4, 4, 0), 24);  // 255 * 0.3070^2 = 24.03 with the sigma 1.3 weights
  EXPECT_EQ(flip(blurred, FlipAxis::kHorizontal), blurred);
  EXPECT_EQ(flip(blurred, FlipAxis::kVertical), blurred);
  EXPECT_EQ(rotate90(blurred), blurred);
}

TEST(GaussianBlur, WideSigmaAveragesThroughClampedEdges) {
  // Radius 192 on a 2-pixel row: x = 0 reads 255 only through the taps right of the
  // centre, 255 * (1 - w[192]) / 2 = 126.7; x = 1 adds the centre tap: 128.3.
  EXPECT_EQ(gaussian_blur(make_gray(2, 1, {0, 255}), 64.0f), make_gray(2, 1, {127, 128}));
}

TEST(GaussianBlur, FiltersEachChannelIndependently) {
  const Image gray_impulse = impulse(5, 5, 255);
  Image rgba(5, 5, 4);
  for (std::uint32_t y = 0; y < 5; ++y) {
    for (std::uint32_t x = 0; x < 5; ++x) {
      rgba.at(x, y, 0) = gray_impulse.at(x, y, 0);
      rgba.at(x, y, 1) = 40;
      rgba.at(x, y, 3) = 255;
    }
  }
  const Image blurred = gaussian_blur(rgba, 0.5f);
  EXPECT_EQ(channel_of(blurred, 0), gaussian_blur(gray_impulse, 0.5f));
  EXPECT_EQ(channel_of(blurred, 1), filled_image(5, 5, 1, 40));
  EXPECT_EQ(channel_of(blurred, 2), filled_image(5, 5, 1, 0));
  EXPECT_EQ(channel_of(blurred, 3), filled_image(5, 5, 1, 255));
}

TEST(GaussianBlur, RejectsSigmaOutsideTheDomain) {
  const Image image(3, 3, 1);
  for (const float sigma : invalid_sigmas()) {
    EXPECT_THAT([&] { gaussian_blur(image, sigma); },
                ThrowsImgkitError(ErrorCategory::kInvalidArgument, {"gaussian_blur", "sigma"}))
        << "sigma " << sigma;
  }
  EXPECT_THAT([&] { gaussian_blur(image, kNan); },
              ThrowsImgkitError(ErrorCategory::kInvalidArgument,
                                {"gaussian_blur: sigma must be in (0, 64], got nan"}));
}

}  // namespace
}  // namespace imgkit::legacy
