#include <algorithm>
#include <cstdint>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "imgkit/legacy/filters.hpp"
#include "support/error_expectations.hpp"
#include "support/test_images.hpp"

namespace imgkit::legacy {
namespace {

using imgkit::testing::all_channel_counts;
using imgkit::testing::filled_image;
using imgkit::testing::generated_image;
using imgkit::testing::make_gray;
using imgkit::testing::ThrowsImgkitError;

// The documented formula, computed the slow, obvious way: the whole clamped window per
// sample.
Image reference_box_blur(const Image& image, std::uint32_t radius) {
  const auto r = static_cast<std::int64_t>(radius);
  const auto clamp_to = [](std::int64_t v, std::uint32_t size) {
    return static_cast<std::uint32_t>(std::clamp<std::int64_t>(v, 0, size - 1));
  };
  const std::uint64_t n = static_cast<std::uint64_t>(2 * r + 1) * (2 * r + 1);
  Image out(image.width(), image.height(), image.channels());
  for (std::uint32_t y = 0; y < image.height(); ++y) {
    for (std::uint32_t x = 0; x < image.width(); ++x) {
      for (std::uint32_t c = 0; c < image.channels(); ++c) {
        std::uint64_t sum = 0;
        for (std::int64_t dy = -r; dy <= r; ++dy) {
          for (std::int64_t dx = -r; dx <= r; ++dx) {
            sum += image.at(clamp_to(x + dx, image.width()), clamp_to(y + dy, image.height()), c);
          }
        }
        out.at(x, y, c) = static_cast<std::uint8_t>((sum + n / 2) / n);
      }
    }
  }
  return out;
}

TEST(BoxBlur, AveragesTheClampedWindow) {
  // Window sums worked by hand (see Convolve.OnesKernelSumsTheClampedWindow):
  // 21 27 33 / 39 45 51 / 57 63 69, each then (sum + 4) / 9.
  const Image image = make_gray(3, 3, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  EXPECT_EQ(box_blur(image, 1), make_gray(3, 3, {2, 3, 4, 4, 5, 6, 6, 7, 8}));
}

TEST(BoxBlur, RoundsTheMeanToNearest) {
  // Window sums 0, 3 and 6 over n = 9: 0 -> 0, 3/9 = 0.33 -> 0, 6/9 = 0.67 -> 1.
  EXPECT_EQ(box_blur(make_gray(3, 1, {0, 0, 1}), 1), make_gray(3, 1, {0, 0, 1}));
  // Sums 9 * 2 + 4 and 9 * 2 + 5 sit either side of the half: 22/9 -> 2, 23/9 -> 3.
  EXPECT_EQ(box_blur(make_gray(3, 3, {2, 2, 2, 2, 6, 2, 2, 2, 2}), 1).at(1, 1, 0), 2);
  EXPECT_EQ(box_blur(make_gray(3, 3, {2, 2, 2, 2, 7, 2, 2, 2, 2}), 1).at(1, 1, 0), 3);
}

TEST(BoxBlur, RadiusZeroReturnsACopy) {
  for (const std::uint32_t channels : all_channel_counts()) {
    const Image image = generated_image(7, 5, channels);
    EXPECT_EQ(box_blur(image, 0), image);
  }
}

TEST(BoxBlur, KeepsAConstantImageConstant) {
  for (const std::uint32_t channels : all_channel_counts()) {
    const Image image = filled_image(7, 5, channels, 255);
    EXPECT_EQ(box_blur(image, 3), image);
    EXPECT_EQ(box_blur(image, 1024), image);
  }
}

TEST(BoxBlur, MatchesTheDocumentedFormulaExactly) {
  struct Shape {
    std::uint32_t width;
    std::uint32_t height;
  };
  const Shape shapes[] = {{1, 1}, {7, 5}, {1, 9}, {9, 1}, {16, 11}};
  for (const Shape shape : shapes) {
    for (const std::uint32_t channels : all_channel_counts()) {
      for (const std::uint32_t radius : {1u, 2u, 3u, 6u, 20u}) {
        const Image image = generated_image(shape.width, shape.height, channels, radius);
        EXPECT_EQ(box_blur(image, radius), reference_box_blur(image, radius))
            << shape.width << "x" << shape.height << "x" << channels << ", radius " << radius;
      }
    }
  }
}

TEST(BoxBlur, LargestRadiusReadsFarBeyondTheEdges) {
  // 1x2 image, r = 1024, n = 2049^2, width 1 so every column reads x = 0. Row 0's window
  // holds 1025 rows of 0 and 1024 of 255: 255 * 1024 / 2049 = 127.4 -> 127. Row 1's
  // holds 1024 of 0 and 1025 of 255: 127.6 -> 128.
  EXPECT_EQ(box_blur(make_gray(1, 2, {0, 255}), 1024), make_gray(1, 2, {127, 128}));
}

TEST(BoxBlur, RejectsRadiusAbove1024) {
  const Image image(3, 3, 1);
  EXPECT_THAT([&] { box_blur(image, 1025); },
              ThrowsImgkitError(ErrorCategory::kInvalidArgument, {"box_blur", "1025"}));
  EXPECT_THAT([&] { box_blur(image, 0xFFFFFFFFu); },
              ThrowsImgkitError(ErrorCategory::kInvalidArgument, {"box_blur"}));
}

}  // namespace
}  // namespace imgkit::legacy
