#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>
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
using imgkit::testing::make_image;
using imgkit::testing::ThrowsImgkitError;

Kernel kernel_of(std::uint32_t width, std::uint32_t height, std::vector<float> weights) {
  return Kernel{width, height, std::move(weights)};
}

Kernel identity_kernel(std::uint32_t width, std::uint32_t height) {
  Kernel kernel{width, height, std::vector<float>(std::size_t{width} * height, 0.0f)};
  kernel.weights[kernel.weights.size() / 2] = 1.0f;
  return kernel;
}

TEST(Convolve, IdentityKernelReturnsTheInput) {
  for (const std::uint32_t channels : all_channel_counts()) {
    const Image image = generated_image(7, 5, channels);
    EXPECT_EQ(convolve(image, identity_kernel(3, 3)), image) << channels << " channels";
    EXPECT_EQ(convolve(image, identity_kernel(5, 1)), image) << channels << " channels";
    EXPECT_EQ(convolve(image, identity_kernel(1, 7)), image) << channels << " channels";
  }
}

// The documented formula, computed the slow, obvious way: per sample, a float sum over
// the kernel in row-major order, reading clamped coordinates.
Image reference_convolve(const Image& image, const Kernel& kernel) {
  const auto clamp_to = [](std::int64_t v, std::uint32_t size) {
    return static_cast<std::uint32_t>(std::clamp<std::int64_t>(v, 0, size - 1));
  };
  const std::int64_t half_width = kernel.width / 2;
  const std::int64_t half_height = kernel.height / 2;
  Image out(image.width(), image.height(), image.channels());
  for (std::uint32_t y = 0; y < image.height(); ++y) {
    for (std::uint32_t x = 0; x < image.width(); ++x) {
      for (std::uint32_t c = 0; c < image.channels(); ++c) {
        float sum = 0.0f;
        for (std::uint32_t j = 0; j < kernel.height; ++j) {
          for (std::uint32_t i = 0; i < kernel.width; ++i) {
            sum += kernel.weights[j * kernel.width + i] *
                   image.at(clamp_to(x + i - half_width, image.width()),
                            clamp_to(y + j - half_height, image.height()), c);
          }
        }
        out.at(x, y, c) = static_cast<std::uint8_t>(std::clamp(std::round(sum), 0.0f, 255.0f));
      }
    }
  }
  return out;
}

TEST(Convolve, MatchesRowMajorFloatSummationExactly) {
  // Irregular weights make float rounding visible: summing these same terms column-major
  // instead changes 7 samples of these images.
  const Kernel kernel = kernel_of(5, 3,
                                  {0.13f, -0.29f, 0.31f, 0.07f, -0.11f, 0.23f, 0.41f, 0.59f, -0.17f,
                                   0.19f, 0.03f, -0.37f, 0.43f, 0.05f, 0.01f});
  const std::pair<std::uint32_t, std::uint32_t> shapes[] = {
      {7, 5}, {1, 9}, {9, 1}, {2, 2}, {31, 17}};
  for (const std::uint32_t channels : all_channel_counts()) {
    for (const auto& [width, height] : shapes) {
      const Image image = generated_image(width, height, channels, width * 31 + channels);
      EXPECT_EQ(convolve(image, kernel), reference_convolve(image, kernel))
          << width << "x" << height << "x" << channels;
    }
  }
}

TEST(Convolve, OnesKernelSumsTheClampedWindow) {
  // Worked by hand: at (0, 0) the window reads rows {0, 0, 1} and columns {0, 0, 1},
  // so the sum is (1 + 1 + 2) * 2 + (4 + 4 + 5) = 21.
  const Image image = make_gray(3, 3, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  const Image sums = convolve(image, kernel_of(3, 3, std::vector<float>(9, 1.0f)));
  EXPECT_EQ(sums, make_gray(3, 3, {21, 27, 33, 39, 45, 51, 57, 63, 69}));
}

TEST(Convolve, AppliesWeightsUnflipped) {
  // A correlation: the right-hand weight reads the right-hand neighbour, so the image
  // moves left; the last column reads the clamped edge.
  const Image row = make_gray(4, 1, {10, 20, 30, 40});
  EXPECT_EQ(convolve(row, kernel_of(3, 1, {0, 0, 1})), make_gray(4, 1, {20, 30, 40, 40}));
  const Image column = make_gray(1, 3, {10, 20, 30});
  EXPECT_EQ(convolve(column, kernel_of(1, 3, {1, 0, 0})), make_gray(1, 3, {10, 10, 20}));
}

TEST(Convolve, RoundsHalfAwayFromZero) {
  const Image image = make_gray(4, 1, {1, 3, 5, 255});
  EXPECT_EQ(convolve(image, kernel_of(1, 1, {0.5f})), make_gray(4, 1, {1, 2, 3, 128}));
}

TEST(Convolve, ClampsResultsToTheSampleRange) {
  const Image image = make_gray(3, 1, {0, 100, 200});
  EXPECT_EQ(convolve(image, kernel_of(1, 1, {2.0f})), make_gray(3, 1, {0, 200, 255}));
  EXPECT_EQ(convolve(image, kernel_of(1, 1, {-1.0f})), make_gray(3, 1, {0, 0, 0}));
  // A difference kernel: negative gradients clamp to 0, positive ones pass.
  EXPECT_EQ(convolve(make_gray(3, 1, {200, 100, 0}), kernel_of(3, 1, {-1, 0, 1})),
            make_gray(3, 1, {0, 0, 0}));
  EXPECT_EQ(convolve(image, kernel_of(3, 1, {-1, 0, 1})), make_gray(3, 1, {100, 200, 100}));
}

TEST(Convolve, OverflowingSumsSaturate) {
  // 3e38 * 255 overflows float: +inf clamps to 255, -inf to 0, and inf - inf (NaN) is
  // documented to give 0.
  const Image image = filled_image(3, 1, 1, 255);
  EXPECT_EQ(convolve(image, kernel_of(1, 1, {3e38f})), filled_image(3, 1, 1, 255));
  EXPECT_EQ(convolve(image, kernel_of(1, 1, {-3e38f})), filled_image(3, 1, 1, 0));
  EXPECT_EQ(convolve(image, kernel_of(3, 1, {3e38f, -3e38f, 1.0f})), filled_image(3, 1, 1, 0));
}

TEST(Convolve, ZeroSumKernelOfAConstantImageIsZero) {
  const Image image = filled_image(7, 5, 3, 90);
  const Kernel laplacian = kernel_of(3, 3, {0, 1, 0, 1, -4, 1, 0, 1, 0});
  EXPECT_EQ(convolve(image, laplacian), filled_image(7, 5, 3, 0));
}

TEST(Convolve, FiltersEveryChannelIncludingAlpha) {
  const Image image = make_image(3, 1, 4, {1, 2, 3, 4, 11, 12, 13, 14, 21, 22, 23, 24});
  EXPECT_EQ(convolve(image, kernel_of(3, 1, {1, 0, 0})),
            make_image(3, 1, 4, {1, 2, 3, 4, 1, 2, 3, 4, 11, 12, 13, 14}));
}

TEST(Convolve, KernelLargerThanTheImageReadsClampedEdges) {
  EXPECT_EQ(convolve(make_gray(1, 1, {3}), kernel_of(5, 5, std::vector<float>(25, 1.0f))),
            make_gray(1, 1, {75}));
  // 1x2 image, 1x5 kernel of ones: rows clamp to {0, 0, 0, 1, 1} and {0, 0, 1, 1, 1}.
  EXPECT_EQ(convolve(make_gray(1, 2, {10, 20}), kernel_of(1, 5, std::vector<float>(5, 1.0f))),
            make_gray(1, 2, {70, 80}));
}

TEST(Convolve, AcceptsTheLargestKernel) {
  const Image image = filled_image(3, 2, 1, 7);
  EXPECT_EQ(convolve(image, identity_kernel(255, 255)), image);
}

TEST(Convolve, RejectsEvenKernelSizes) {
  const Image image(3, 3, 1);
  EXPECT_THAT(
      [&] {
        convolve(image, kernel_of(2, 1, {1, 1}));
      },
      ThrowsImgkitError(ErrorCategory::kInvalidArgument, {"convolve", "width", "2"}));
  EXPECT_THAT([&] { convolve(image, kernel_of(3, 4, std::vector<float>(12))); },
              ThrowsImgkitError(ErrorCategory::kInvalidArgument, {"convolve", "height", "4"}));
  EXPECT_THAT([&] { convolve(image, kernel_of(0, 1, {})); },
              ThrowsImgkitError(ErrorCategory::kInvalidArgument, {"convolve"}));
}

TEST(Convolve, RejectsKernelsAbove255) {
  const Image image(3, 3, 1);
  EXPECT_THAT([&] { convolve(image, kernel_of(257, 1, std::vector<float>(257))); },
              ThrowsImgkitError(ErrorCategory::kInvalidArgument, {"convolve", "257"}));
  EXPECT_THAT([&] { convolve(image, kernel_of(1, 257, std::vector<float>(257))); },
              ThrowsImgkitError(ErrorCategory::kInvalidArgument, {"convolve", "257"}));
}

TEST(Convolve, RejectsAWeightCountThatDoesNotMatchTheSize) {
  const Image image(3, 3, 1);
  EXPECT_THAT([&] { convolve(image, kernel_of(3, 3, std::vector<float>(8))); },
              ThrowsImgkitError(ErrorCategory::kInvalidArgument, {"convolve", "9", "8"}));
  EXPECT_THAT([&] { convolve(image, kernel_of(1, 1, {})); },
              ThrowsImgkitError(ErrorCategory::kInvalidArgument, {"convolve"}));
}

TEST(Convolve, RejectsNonFiniteWeights) {
  const Image image(3, 3, 1);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_THAT(
      [&] {
        convolve(image, kernel_of(3, 1, {0, nan, 0}));
      },
      ThrowsImgkitError(ErrorCategory::kInvalidArgument, {"convolve", "nan"}));
  EXPECT_THAT(
      [&] {
        convolve(image, kernel_of(3, 1, {inf, 0, 0}));
      },
      ThrowsImgkitError(ErrorCategory::kInvalidArgument, {"convolve", "inf"}));
  EXPECT_THAT(
      [&] {
        convolve(image, kernel_of(1, 3, {0, 0, -inf}));
      },
      ThrowsImgkitError(ErrorCategory::kInvalidArgument, {"convolve", "-inf"}));
}

}  // namespace
}  // namespace imgkit::legacy
