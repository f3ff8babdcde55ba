// Error parity of the codecs: every malformed input is rejected by the legacy decoder
// and by the Rust decoder (through the bridge) with the same error category, and every
// well-formed one decodes to the same samples.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "imgkit/bridge/codecs.hpp"
#include "imgkit/error.hpp"
#include "imgkit/legacy/codecs.hpp"
#include "support/test_images.hpp"

namespace imgkit {
namespace {

using Bytes = std::vector<std::uint8_t>;
using imgkit::testing::generated_image;

enum class Format { kPnm, kPng };

Bytes text(const std::string& s) { return Bytes(s.begin(), s.end()); }

std::uint32_t crc32(const std::uint8_t* data, std::size_t size) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (std::size_t i = 0; i < size; ++i) {
    crc ^= data[i];
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

void put_u32(Bytes& bytes, std::size_t at, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) bytes[at + i] = static_cast<std::uint8_t>(value >> (24 - 8 * i));
}

Bytes png_file() { return legacy::encode_png(generated_image(23, 17, 3)); }

// A valid PNG whose IHDR claims width x height (CRC recomputed).
Bytes png_claiming(std::uint32_t width, std::uint32_t height) {
  Bytes bytes = png_file();
  put_u32(bytes, 16, width);
  put_u32(bytes, 20, height);
  put_u32(bytes, 29, crc32(bytes.data() + 12, 17));
  return bytes;
}

Bytes truncated(Bytes bytes, std::size_t keep) {
  bytes.resize(keep);
  return bytes;
}

Bytes with_flipped_bit(Bytes bytes, std::size_t at) {
  bytes[at] ^= 0x01;
  return bytes;
}

struct MalformedCase {
  std::string name;
  Format format;
  Bytes bytes;
  ErrorCategory category;  // what legacy reports, and so what Rust must report
  DecodeLimits limits{};
};

std::vector<MalformedCase> malformed_cases() {
  const Bytes png = png_file();
  const Bytes ppm = legacy::encode_pnm(generated_image(9, 7, 3));
  return {
      {"pnm_empty", Format::kPnm, {}, ErrorCategory::kInvalidArgument},
      {"pnm_bad_magic", Format::kPnm, text("Q6\n1 1\n255\nabc"), ErrorCategory::kMalformedData},
      {"pnm_p4_unsupported", Format::kPnm, text("P4\n8 1\n\xff"), ErrorCategory::kUnsupported},
      {"pnm_p7_unsupported", Format::kPnm, text("P7\nWIDTH 1\n"), ErrorCategory::kUnsupported},
      {"pnm_maxval_zero", Format::kPnm, text("P5\n1 1\n0\n\x00"), ErrorCategory::kMalformedData},
      {"pnm_maxval_65536", Format::kPnm, text("P5\n1 1\n65536\n\x00\x00"),
       ErrorCategory::kMalformedData},
      {"pnm_zero_width", Format::kPnm, text("P5\n0 4\n255\n"), ErrorCategory::kMalformedData},
      {"pnm_zero_height", Format::kPnm, text("P6 4 0 255\n"), ErrorCategory::kMalformedData},
      {"pnm_width_over_32_bits", Format::kPnm, text("P5\n4294967296 1\n255\n"),
       ErrorCategory::kLimitExceeded},
      {"pnm_over_pixel_limit", Format::kPnm, text("P5\n20000 20000\n255\n"),
       ErrorCategory::kLimitExceeded},
      {"pnm_over_custom_limit", Format::kPnm, ppm, ErrorCategory::kLimitExceeded, {62}},
      {"pnm_truncated_header", Format::kPnm, text("P6\n9 7"), ErrorCategory::kMalformedData},
      {"pnm_truncated_raster", Format::kPnm, truncated(ppm, ppm.size() - 1),
       ErrorCategory::kMalformedData},
      {"pnm_plain_sample_over_maxval", Format::kPnm, text("P2\n2 1\n3\n1 4\n"),
       ErrorCategory::kMalformedData},
      {"pnm_plain_truncated", Format::kPnm, text("P3\n2 1\n255\n1 2 3 4 5"),
       ErrorCategory::kMalformedData},
      {"pnm_glued_token", Format::kPnm, text("P5\n3x2\n255\n"), ErrorCategory::kMalformedData},
      {"png_empty", Format::kPng, {}, ErrorCategory::kInvalidArgument},
      {"png_bad_magic", Format::kPng, with_flipped_bit(png, 1), ErrorCategory::kMalformedData},
      {"png_truncated_signature", Format::kPng, truncated(png, 5), ErrorCategory::kMalformedData},
      {"png_truncated_ihdr", Format::kPng, truncated(png, 20), ErrorCategory::kMalformedData},
      {"png_truncated_idat", Format::kPng, truncated(png, png.size() / 2),
       ErrorCategory::kMalformedData},
      {"png_truncated_iend", Format::kPng, truncated(png, png.size() - 3),
       ErrorCategory::kMalformedData},
      {"png_bad_ihdr_crc", Format::kPng, with_flipped_bit(png, 18), ErrorCategory::kMalformedData},
      {"png_bad_idat_crc", Format::kPng, with_flipped_bit(png, png.size() - 14),
       ErrorCategory::kMalformedData},
      {"png_zero_width", Format::kPng, png_claiming(0, 17), ErrorCategory::kMalformedData},
      {"png_over_pixel_limit", Format::kPng, png_claiming(20000, 20000),
       ErrorCategory::kLimitExceeded},
      {"png_over_custom_limit", Format::kPng, png, ErrorCategory::kLimitExceeded, {390}},
  };
}

std::optional<ErrorCategory> legacy_rejection(const MalformedCase& c) {
  try {
    if (c.format == Format::kPng) {
      legacy::decode_png(c.bytes, c.limits);
    } else {
      legacy::decode_pnm(c.bytes, c.limits);
    }
  } catch (const Error& e) {
    return e.category();
  }
  return std::nullopt;
}

class CodecErrorParityTest : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(CodecErrorParityTest, BothRejectWithTheSameCategory) {
  const MalformedCase& c = GetParam();
  const std::optional<ErrorCategory> legacy = legacy_rejection(c);
  ASSERT_TRUE(legacy.has_value()) << "legacy accepted the input";
  EXPECT_EQ(*legacy, c.category) << "legacy's category";

  DecodedImage image{Image(1, 1, 1)};
  const bridge::Status rust = c.format == Format::kPng
                                  ? bridge::decode_png(c.bytes, c.limits, image)
                                  : bridge::decode_pnm(c.bytes, c.limits, image);
  ASSERT_EQ(rust.code, bridge::StatusCode::kInvalidInput) << rust.message;
  EXPECT_EQ(rust.category, c.category) << rust.message;
  EXPECT_FALSE(rust.message.empty());
}

INSTANTIATE_TEST_SUITE_P(Malformed, CodecErrorParityTest, ::testing::ValuesIn(malformed_cases()),
                         [](const ::testing::TestParamInfo<MalformedCase>& param) {
                           return param.param.name;
                         });

}  // namespace
}  // namespace imgkit
