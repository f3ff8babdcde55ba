#include "imgkit/legacy/geometry.hpp"

#include <cstdint>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
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

constexpr ResizeFilter kBothFilters[] = {ResizeFilter::kNearest, ResizeFilter::kBilinear};

struct Shape {
  std::uint32_t width;
  std::uint32_t height;
};
constexpr Shape kShapes[] = {{1, 1}, {7, 5}, {1, 9}, {9, 1}, {2, 2}};

TEST(Resize, SameSizeIsIdentityForBothFilters) {
  for (const ResizeFilter filter : kBothFilters) {
    for (const Shape shape : kShapes) {
      for (const std::uint32_t channels : all_channel_counts()) {
        const Image image = generated_image(shape.width, shape.height, channels);
        EXPECT_EQ(resize(image, shape.width, shape.height, filter), image)
            << shape.width << "x" << shape.height << "x" << channels;
      }
    }
  }
}

TEST(Resize, NearestRepeatsPixelsWhenEnlarging) {
  // floor((x + 0.5) * 2 / 4) = 0, 0, 1, 1.
  EXPECT_EQ(resize(make_gray(2, 1, {10, 20}), 4, 1, ResizeFilter::kNearest),
            make_gray(4, 1, {10, 10, 20, 20}));
  // floor((x + 0.5) * 2 / 3) = 0, 1, 1.
  EXPECT_EQ(resize(make_gray(1, 2, {10, 20}), 1, 3, ResizeFilter::kNearest),
            make_gray(1, 3, {10, 20, 20}));
}

TEST(Resize, NearestPicksPixelCentresWhenShrinking) {
  // floor((x + 0.5) * 4 / 2) = 1, 3.
  EXPECT_EQ(resize(make_gray(4, 1, {10, 20, 30, 40}), 2, 1, ResizeFilter::kNearest),
            make_gray(2, 1, {20, 40}));
  // floor((x + 0.5) * 5 / 2) = 1, 3, in both directions.
  Image grid(5, 5, 3);
  for (std::uint32_t y = 0; y < 5; ++y) {
    for (std::uint32_t x = 0; x < 5; ++x) {
      grid.at(x, y, 0) = static_cast<std::uint8_t>(10 * x);
      grid.at(x, y, 1) = static_cast<std::uint8_t>(10 * y);
    }
  }
  EXPECT_EQ(resize(grid, 2, 2, ResizeFilter::kNearest),
            make_image(2, 2, 3, {10, 10, 0, 30, 10, 0, 10, 30, 0, 30, 30, 0}));
}

TEST(Resize, BilinearInterpolatesBetweenPixelCentres) {
  // sx = (x + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25: the ends clamp to the edge
  // pixels, the middle two weigh them 3:1 and 1:3.
  EXPECT_EQ(resize(make_gray(2, 1, {0, 100}), 4, 1, ResizeFilter::kBilinear),
            make_gray(4, 1, {0, 25, 75, 100}));
  // Same weights on 0 and 2: 0.5 and 1.5 round half away from zero.
  EXPECT_EQ(resize(make_gray(2, 1, {0, 2}), 4, 1, ResizeFilter::kBilinear),
            make_gray(4, 1, {0, 1, 2, 2}));
}

TEST(Resize, BilinearBlendsFourSamples) {
  // Rows blend as the columns do: top row 0 1 3 4, bottom row 8 9 11 12, and the
  // middle rows are 3:1 and 1:3 mixes of those.
  const Image corners = make_gray(2, 2, {0, 4, 8, 12});
  EXPECT_EQ(resize(corners, 4, 4, ResizeFilter::kBilinear),
            make_gray(4, 4, {0, 1, 3, 4, 2, 3, 5, 6, 6, 7, 9, 10, 8, 9, 11, 12}));
}

TEST(Resize, BilinearShrinkAveragesNeighbourPairs) {
  // sx = (x + 0.5) * 2 - 0.5 = 0.5, 2.5: the means of pixels 0, 1 and of pixels 2, 3.
  EXPECT_EQ(resize(make_gray(4, 1, {0, 10, 20, 40}), 2, 1, ResizeFilter::kBilinear),
            make_gray(2, 1, {5, 30}));
}

TEST(Resize, OnePixelFillsTheWholeOutput) {
  const Image pixel = make_image(1, 1, 4, {1, 2, 3, 4});
  for (const ResizeFilter filter : kBothFilters) {
    const Image out = resize(pixel, 3, 2, filter);
    EXPECT_EQ(out, make_image(3, 2, 4, {1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4,  //
                                        1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4}));
  }
}

TEST(Resize, TreatsEveryChannelAlike) {
  const Image rgba = make_image(2, 1, 4, {0, 100, 2, 0, 100, 0, 0, 200});
  EXPECT_EQ(resize(rgba, 4, 1, ResizeFilter::kBilinear),
            make_image(4, 1, 4, {0, 100, 2, 0, 25, 75, 2, 50, 75, 25, 1, 150, 100, 0, 0, 200}));
}

TEST(Resize, AcceptsTheLargestDimension) {
  for (const ResizeFilter filter : kBothFilters) {
    const Image wide = resize(make_gray(1, 1, {9}), 65535, 1, filter);
    EXPECT_EQ(wide, filled_image(65535, 1, 1, 9));
    const Image tall = resize(make_gray(1, 1, {9}), 1, 65535, filter);
    EXPECT_EQ(tall, filled_image(1, 65535, 1, 9));
  }
}

TEST(Resize, RejectsEmptyOrOversizedTargets) {
  const Image image(3, 3, 1);
  for (const ResizeFilter filter : kBothFilters) {
    EXPECT_THAT([&] { resize(image, 0, 3, filter); },
                ThrowsImgkitError(ErrorCategory::kInvalidArgument, {"resize", "width", "0"}));
    EXPECT_THAT([&] { resize(image, 3, 0, filter); },
                ThrowsImgkitError(ErrorCategory::kInvalidArgument, {"resize", "height", "0"}));
    EXPECT_THAT([&] { resize(image, 65536, 3, filter); },
                ThrowsImgkitError(ErrorCategory::kInvalidArgument, {"resize", "width", "65536"}));
    EXPECT_THAT([&] { resize(image, 3, 65536, filter); },
                ThrowsImgkitError(ErrorCategory::kInvalidArgument, {"resize", "height", "65536"}));
  }
}

TEST(Flip, HorizontalMirrorsEachRow) {
  const Image image = make_image(3, 2, 3,
                                 {1, 2, 3, 4, 5, 6, 7, 8, 9,  //
                                  10, 11, 12, 13, 14, 15, 16, 17, 18});
  EXPECT_EQ(flip(image, FlipAxis::kHorizontal), make_image(3, 2, 3,
                                                           {7, 8, 9, 4, 5, 6, 1, 2, 3,  //
                                                            16, 17, 18, 13, 14, 15, 10, 11, 12}));
}

TEST(Flip, VerticalReversesTheRows) {
  const Image image = make_gray(2, 3, {1, 2, 3, 4, 5, 6});
  EXPECT_EQ(flip(image, FlipAxis::kVertical), make_gray(2, 3, {5, 6, 3, 4, 1, 2}));
}

TEST(Flip, TwiceIsIdentity) {
  for (const Shape shape : kShapes) {
    for (const std::uint32_t channels : all_channel_counts()) {
      const Image image = generated_image(shape.width, shape.height, channels);
      for (const FlipAxis axis : {FlipAxis::kHorizontal, FlipAxis::kVertical}) {
        const Image flipped = flip(image, axis);
        EXPECT_EQ(flip(flipped, axis), image);
        if (shape.width > 1 && axis == FlipAxis::kHorizontal) {
          EXPECT_NE(flipped, image);  // generated rows are not palindromes
        }
      }
    }
  }
}

TEST(Rotate90, TurnsClockwise) {
  // 1 2 3        4 1
  // 4 5 6   ->   5 2
  //              6 3
  const Image image = make_gray(3, 2, {1, 2, 3, 4, 5, 6});
  EXPECT_EQ(rotate90(image), make_gray(2, 3, {4, 1, 5, 2, 6, 3}));
}

TEST(Rotate90, MovesWholePixels) {
  const Image image = make_image(2, 1, 4, {1, 2, 3, 4, 5, 6, 7, 8});
  EXPECT_EQ(rotate90(image), make_image(1, 2, 4, {1, 2, 3, 4, 5, 6, 7, 8}));
  const Image column = make_image(1, 2, 3, {1, 2, 3, 4, 5, 6});
  EXPECT_EQ(rotate90(column), make_image(2, 1, 3, {4, 5, 6, 1, 2, 3}));
}

TEST(Rotate90, FourTimesIsIdentityAndTwiceIsBothFlips) {
  for (const Shape shape : kShapes) {
    for (const std::uint32_t channels : all_channel_counts()) {
      const Image image = generated_image(shape.width, shape.height, channels);
      const Image half_turn = rotate90(rotate90(image));
      EXPECT_EQ(half_turn, flip(flip(image, FlipAxis::kHorizontal), FlipAxis::kVertical));
      EXPECT_EQ(rotate90(rotate90(half_turn)), image);
    }
  }
}

}  // namespace
}  // namespace imgkit::legacy
