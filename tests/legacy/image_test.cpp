#include "imgkit/image.hpp"

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "imgkit/error.hpp"
#include "support/error_expectations.hpp"
#include "support/test_images.hpp"

namespace imgkit {
namespace {

using imgkit::testing::make_image;
using imgkit::testing::ThrowsImgkitError;

TEST(Raster, NewImageIsZeroFilledWithTheRequestedGeometry) {
  const Image image(7, 5, 3);
  EXPECT_EQ(image.width(), 7u);
  EXPECT_EQ(image.height(), 5u);
  EXPECT_EQ(image.channels(), 3u);
  EXPECT_EQ(image.pixel_count(), 35u);
  EXPECT_EQ(image.row_stride(), 21u);
  EXPECT_EQ(image.size(), 105u);
  EXPECT_EQ(image.samples(), std::vector<std::uint8_t>(105, 0));
}

TEST(Raster, SamplesAreRowMajorWithInterleavedChannels) {
  std::vector<std::uint8_t> samples(3 * 2 * 4);
  for (std::size_t i = 0; i < samples.size(); ++i) {
    samples[i] = static_cast<std::uint8_t>(i);
  }
  Image image = make_image(3, 2, 4, samples);
  EXPECT_EQ(image.at(2, 1, 3), (1 * 3 + 2) * 4 + 3);
  EXPECT_EQ(image.at(1, 0, 2), (0 * 3 + 1) * 4 + 2);
  image.at(0, 1, 1) = 200;
  EXPECT_EQ(image.samples()[(1 * 3 + 0) * 4 + 1], 200);
}

TEST(Raster, SixteenBitImagesHoldFullRangeSamples) {
  Image16 image(2, 1, 1);
  image.at(1, 0, 0) = 65535;
  EXPECT_EQ(image.samples(), (std::vector<std::uint16_t>{0, 65535}));
}

TEST(Raster, EqualityComparesGeometryAndSamples) {
  const Image a = make_image(2, 3, 1, {1, 2, 3, 4, 5, 6});
  EXPECT_EQ(a, make_image(2, 3, 1, {1, 2, 3, 4, 5, 6}));
  EXPECT_NE(a, make_image(2, 3, 1, {1, 2, 3, 4, 5, 7}));
  EXPECT_NE(a, make_image(3, 2, 1, {1, 2, 3, 4, 5, 6}));
  EXPECT_NE(make_image(3, 1, 1, {1, 2, 3}), make_image(1, 1, 3, {1, 2, 3}));
}

TEST(Raster, RejectsEmptyDimensions) {
  EXPECT_THAT([] { Image(0, 5, 1); }, ThrowsImgkitError(ErrorCategory::kInvalidArgument, {"0x5"}));
  EXPECT_THAT([] { Image(5, 0, 1); }, ThrowsImgkitError(ErrorCategory::kInvalidArgument, {"5x0"}));
  EXPECT_THAT([] { Image16(0, 0, 3); }, ThrowsImgkitError(ErrorCategory::kInvalidArgument));
}

TEST(Raster, RejectsUnsupportedChannelCounts) {
  for (const std::uint32_t channels : {0u, 2u, 5u, 255u}) {
    EXPECT_THAT([&] { Image(1, 1, channels); },
                ThrowsImgkitError(ErrorCategory::kInvalidArgument, {std::to_string(channels)}))
        << "channels " << channels;
  }
}

TEST(CheckedSampleCount, ReturnsWidthTimesHeightTimesChannels) {
  EXPECT_EQ(checked_sample_count(1, 1, 1), 1u);
  EXPECT_EQ(checked_sample_count(7, 5, 4), 140u);
  EXPECT_EQ(checked_sample_count(1, 9, 3), 27u);
}

TEST(CheckedSampleCount, ReportsOverflowAsLimitExceeded) {
  constexpr auto kMax = std::numeric_limits<std::uint32_t>::max();
  EXPECT_THAT([] { checked_sample_count(kMax, kMax, 4); },
              ThrowsImgkitError(ErrorCategory::kLimitExceeded));
}

TEST(CheckedSampleCount, ValidatesDimensionsBeforeOverflow) {
  EXPECT_THAT([] { checked_sample_count(0, 1, 1); },
              ThrowsImgkitError(ErrorCategory::kInvalidArgument));
  EXPECT_THAT([] { checked_sample_count(1, 1, 2); },
              ThrowsImgkitError(ErrorCategory::kInvalidArgument));
}

TEST(To8Bit, RoundsToTheNearestEightBitValue) {
  Image16 deep(9, 1, 1);
  deep.samples() = {0, 128, 129, 385, 386, 32767, 32896, 65406, 65535};
  const Image shallow = to_8bit(deep);
  EXPECT_EQ(shallow.samples(), (std::vector<std::uint8_t>{0, 0, 1, 1, 2, 127, 128, 254, 255}));
}

TEST(To8Bit, KeepsGeometry) {
  const Image shallow = to_8bit(Image16(3, 2, 4));
  EXPECT_EQ(shallow, Image(3, 2, 4));
}

TEST(To16Bit, ScalesBy257AndRoundTripsEveryValue) {
  Image shallow(256, 1, 1);
  for (std::uint32_t v = 0; v < 256; ++v) {
    shallow.at(v, 0, 0) = static_cast<std::uint8_t>(v);
  }
  const Image16 deep = to_16bit(shallow);
  for (std::uint32_t v = 0; v < 256; ++v) {
    EXPECT_EQ(deep.at(v, 0, 0), v * 257);
  }
  EXPECT_EQ(to_8bit(deep), shallow);
}

TEST(To8BitDecoded, PassesEightBitImagesThrough) {
  const Image image = make_image(2, 1, 3, {1, 2, 3, 250, 251, 252});
  EXPECT_EQ(to_8bit(DecodedImage{image}), image);
}

TEST(To8BitDecoded, ConvertsSixteenBitImages) {
  Image16 deep(2, 1, 1);
  deep.samples() = {257, 65535};
  EXPECT_EQ(to_8bit(DecodedImage{std::move(deep)}), make_image(2, 1, 1, {1, 255}));
}

TEST(Error, CarriesCategoryAndMessage) {
  const Error error(ErrorCategory::kMalformedData, "bad header");
  EXPECT_EQ(error.category(), ErrorCategory::kMalformedData);
  EXPECT_STREQ(error.what(), "bad header");
}

TEST(Error, CategoriesHaveStableNames) {
  EXPECT_EQ(to_string(ErrorCategory::kInvalidArgument), "invalid_argument");
  EXPECT_EQ(to_string(ErrorCategory::kMalformedData), "malformed_data");
  EXPECT_EQ(to_string(ErrorCategory::kUnsupported), "unsupported");
  EXPECT_EQ(to_string(ErrorCategory::kLimitExceeded), "limit_exceeded");
  EXPECT_EQ(to_string(ErrorCategory::kInternal), "internal");
}

}  // namespace
}  // namespace imgkit
