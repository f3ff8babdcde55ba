// The Rust PNG encoder (through the bridge) against legacy's libpng on the same images:
// libpng decodes the Rust file to the image, and every row of it carries the filter type
// libpng chose for that row (the same adaptive rule, rust/imgkit-codecs/src/png/
// filter.rs). Only the deflate stream differs.
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "components.hpp"
#include "imgkit/legacy/codecs.hpp"
#include "support/png_chunks.hpp"
#include "support/test_images.hpp"

namespace imgkit {
namespace {

using Bytes = std::vector<std::uint8_t>;
using imgkit::testing::generated_image;
using imgkit::testing::read_be32;

// The image data of a non-interlaced file: its IDAT chunks' data inflated by zlib, which
// must give exactly `size` bytes (rows and their filter type bytes).
Bytes filtered_rows(const Bytes& png, std::size_t size) {
  Bytes zlib;
  for (std::size_t offset = 8; offset + 12 <= png.size();) {
    const std::size_t length = read_be32(png, offset);
    const auto data = png.begin() + static_cast<std::ptrdiff_t>(offset + 8);
    if (std::equal(png.begin() + static_cast<std::ptrdiff_t>(offset + 4), data, "IDAT")) {
      zlib.insert(zlib.end(), data, data + static_cast<std::ptrdiff_t>(length));
    }
    offset += 12 + length;
  }
  Bytes rows(size + 1);  // one byte of room to see a stream that is too long
  uLongf inflated = rows.size();
  EXPECT_EQ(::uncompress(rows.data(), &inflated, zlib.data(), zlib.size()), Z_OK);
  EXPECT_EQ(inflated, size);
  rows.resize(size);
  return rows;
}

// The filter type byte of each row.
std::vector<int> filter_types(const Bytes& png, std::size_t row_bytes, std::size_t height) {
  const Bytes rows = filtered_rows(png, (row_bytes + 1) * height);
  std::vector<int> types;
  for (std::size_t y = 0; y < height; ++y) types.push_back(rows[y * (row_bytes + 1)]);
  return types;
}

struct EncoderCase {
  std::string name;
  Image image;
  bool sixteen_bit = false;
};

Image smooth_gradient(std::uint32_t width, std::uint32_t height, std::uint32_t channels) {
  Image image(width, height, channels);
  for (std::uint32_t y = 0; y < height; ++y) {
    for (std::uint32_t x = 0; x < width; ++x) {
      for (std::uint32_t c = 0; c < channels; ++c) {
        image.samples()[(std::size_t{y} * width + x) * channels + c] =
            static_cast<std::uint8_t>((x * 255 / width + y * 64 / height + c * 40) & 0xff);
      }
    }
  }
  return image;
}

// Each sample half the one to its left (255, 127, ... 1, then 255 again): the Average
// type's row, where libpng tries it.
Image halving(std::uint32_t width, std::uint32_t height, std::uint32_t channels) {
  Image image(width, height, channels);
  for (std::size_t i = 0; i < image.size(); ++i) {
    image.samples()[i] = static_cast<std::uint8_t>(255u >> (i / channels % width % 8));
  }
  return image;
}

std::vector<EncoderCase> encoder_cases() {
  std::vector<EncoderCase> cases;
  for (const std::uint32_t channels : {1u, 3u, 4u}) {
    const std::string suffix = "_" + std::to_string(channels) + "ch";
    cases.push_back({"generated" + suffix, generated_image(301, 67, channels)});
    cases.push_back({"generated_16bit" + suffix, generated_image(97, 41, channels), true});
    cases.push_back({"smooth" + suffix, smooth_gradient(256, 48, channels)});
    cases.push_back({"flat" + suffix, testing::filled_image(33, 9, channels, 200)});
    // libpng tries fewer filter types on an image one pixel wide or one row high.
    cases.push_back({"one_column" + suffix, generated_image(1, 40, channels)});
    cases.push_back({"one_row" + suffix, generated_image(70, 1, channels)});
    cases.push_back({"halving" + suffix, halving(64, 3, channels)});
    cases.push_back({"halving_one_row" + suffix, halving(64, 1, channels)});
    cases.push_back({"one_pixel" + suffix, generated_image(1, 1, channels), true});
  }
  return cases;
}

class PngEncoderParityTest : public ::testing::TestWithParam<EncoderCase> {};

TEST_P(PngEncoderParityTest, RowsTakeLibpngsFilterTypesAndLibpngDecodesThem) {
  const EncoderCase& c = GetParam();
  Bytes rust;
  Bytes legacy_file;
  std::size_t row_bytes = std::size_t{c.image.width()} * c.image.channels();
  if (c.sixteen_bit) {
    const Image16 wide = to_16bit(c.image);
    auto encoded = routing::EncodePng::rust(wide);
    ASSERT_TRUE(std::holds_alternative<Bytes>(encoded));
    rust = std::get<Bytes>(std::move(encoded));
    legacy_file = legacy::encode_png(wide);
    const DecodedImage decoded = legacy::decode_png(rust);
    ASSERT_TRUE(std::holds_alternative<Image16>(decoded));
    EXPECT_EQ(std::get<Image16>(decoded).samples(), wide.samples());
    row_bytes *= 2;
  } else {
    auto encoded = routing::EncodePng::rust(c.image);
    ASSERT_TRUE(std::holds_alternative<Bytes>(encoded));
    rust = std::get<Bytes>(std::move(encoded));
    legacy_file = legacy::encode_png(c.image);
    const DecodedImage decoded = legacy::decode_png(rust);
    ASSERT_TRUE(std::holds_alternative<Image>(decoded));
    EXPECT_EQ(std::get<Image>(decoded).samples(), c.image.samples());
  }
  EXPECT_EQ(filter_types(rust, row_bytes, c.image.height()),
            filter_types(legacy_file, row_bytes, c.image.height()));
}

INSTANTIATE_TEST_SUITE_P(Images, PngEncoderParityTest, ::testing::ValuesIn(encoder_cases()),
                         [](const ::testing::TestParamInfo<EncoderCase>& param) {
                           return param.param.name;
                         });

}  // namespace
}  // namespace imgkit
