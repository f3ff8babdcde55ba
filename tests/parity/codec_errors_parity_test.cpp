// Error parity of the codecs: every malformed input is rejected by the legacy decoder
// and by the Rust decoder (as its port calls it) with the same error category, and every
// well-formed one decodes to the same samples.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "components.hpp"
#include "imgkit/error.hpp"
#include "imgkit/legacy/codecs.hpp"
#include "support/png_chunks.hpp"
#include "support/rust_rejection.hpp"
#include "support/test_images.hpp"

namespace imgkit {
namespace {

using Bytes = std::vector<std::uint8_t>;
using imgkit::testing::generated_image;
using imgkit::testing::rust_rejection;
using routing::RustResult;

enum class Format { kPnm, kPng };

Bytes text(const std::string& s) { return Bytes(s.begin(), s.end()); }

void put_u32(Bytes& bytes, std::size_t at, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) bytes[at + i] = static_cast<std::uint8_t>(value >> (24 - 8 * i));
}

Bytes png_file() { return legacy::encode_png(generated_image(23, 17, 3)); }

// A valid PNG whose IHDR claims width x height (CRC recomputed).
Bytes png_claiming(std::uint32_t width, std::uint32_t height) {
  Bytes bytes = png_file();
  put_u32(bytes, 16, width);
  put_u32(bytes, 20, height);
  put_u32(bytes, 29, testing::crc32_of(bytes.data() + 12, 17));
  return bytes;
}

Bytes truncated(Bytes bytes, std::size_t keep) {
  bytes.resize(keep);
  return bytes;
}

// A PNG of 200-odd bytes whose IHDR declares width x height RGBA at 16 bits (CRC
// recomputed), cut off 4 bytes into its first IDAT: only its header can decide.
Bytes png_rgba16_claiming(std::uint32_t width, std::uint32_t height) {
  Bytes bytes = png_claiming(width, height);
  bytes[24] = 16;  // bit depth
  bytes[25] = 6;   // colour type RGBA
  put_u32(bytes, 29, testing::crc32_of(bytes.data() + 12, 17));
  return truncated(bytes, 33 + 8 + 4);  // signature + IHDR, IDAT header, 4 bytes of data
}

// Only the byte limit set; max_pixels at its default.
DecodeLimits byte_limit(std::uint64_t max_bytes) {
  DecodeLimits limits;
  limits.max_bytes = max_bytes;
  return limits;
}

constexpr DecodeLimits kUnlimited{std::numeric_limits<std::uint64_t>::max(),
                                  std::numeric_limits<std::uint64_t>::max()};

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
  const Bytes png16 = legacy::encode_png(to_16bit(generated_image(23, 17, 4)));
  const Bytes ppm = legacy::encode_pnm(generated_image(9, 7, 3));
  const Bytes ppm16 = legacy::encode_pnm(to_16bit(generated_image(9, 7, 3)));
  Bytes wrapping_ppm = text("P6\n2007567422 3062868337\n255\n");
  wrapping_ppm.resize(wrapping_ppm.size() + 26);  // the wrapped 64-bit sample count
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
      // The byte limit: a 21-byte header declaring 600 MB, 8 and 16 bits one byte over,
      // sizes past 2^64, and maxval judged first.
      {"pnm_rgb16_over_default_byte_limit", Format::kPnm, text("P6\n10000 10000\n65535\n"),
       ErrorCategory::kLimitExceeded},
      {"pnm_plain_rgb16_over_default_byte_limit", Format::kPnm,
       text("P3\n10000 10000\n65535\n1 2 3"), ErrorCategory::kLimitExceeded},
      {"pnm_8bit_one_byte_over", Format::kPnm, ppm, ErrorCategory::kLimitExceeded,
       byte_limit(9 * 7 * 3 - 1)},
      {"pnm_16bit_one_byte_over", Format::kPnm, ppm16, ErrorCategory::kLimitExceeded,
       byte_limit(9 * 7 * 3 * 2 - 1)},
      {"pnm_size_past_64_bits", Format::kPnm, text("P6\n4294967295 4294967295\n65535\n"),
       ErrorCategory::kLimitExceeded, kUnlimited},
      {"pnm_sample_count_wrapping_64_bits", Format::kPnm, wrapping_ppm,
       ErrorCategory::kLimitExceeded, kUnlimited},
      {"pnm_bad_maxval_before_byte_limit", Format::kPnm, text("P6\n10000 10000\n65536\n"),
       ErrorCategory::kMalformedData},
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
      {"png_rgba16_over_default_byte_limit", Format::kPng, png_rgba16_claiming(10000, 10000),
       ErrorCategory::kLimitExceeded},
      {"png_8bit_one_byte_over", Format::kPng, png, ErrorCategory::kLimitExceeded,
       byte_limit(23 * 17 * 3 - 1)},
      {"png_16bit_one_byte_over", Format::kPng, png16, ErrorCategory::kLimitExceeded,
       byte_limit(23 * 17 * 4 * 2 - 1)},
      {"png_size_past_64_bits", Format::kPng, png_rgba16_claiming(0x7fffffff, 0x7fffffff),
       ErrorCategory::kLimitExceeded, kUnlimited},
  };
}

RustResult<DecodedImage> rust_decode(Format format, const Bytes& bytes,
                                     const DecodeLimits& limits) {
  return format == Format::kPng ? routing::DecodePng::rust(bytes, limits)
                                : routing::DecodePnm::rust(bytes, limits);
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

  const auto rust = rust_rejection(rust_decode(c.format, c.bytes, c.limits));
  ASSERT_TRUE(rust.has_value()) << "rust did not reject the input as the caller's error";
  EXPECT_EQ(rust->category, c.category) << rust->message;
  EXPECT_FALSE(rust->message.empty());
}

INSTANTIATE_TEST_SUITE_P(Malformed, CodecErrorParityTest, ::testing::ValuesIn(malformed_cases()),
                         [](const ::testing::TestParamInfo<MalformedCase>& param) {
                           return param.param.name;
                         });

// ---- exactly at the byte limit ---------------------------------------------------------

struct AtLimitCase {
  std::string name;
  Format format;
  Bytes bytes;
  std::uint64_t decoded_bytes;  // width * height * channels * bytes per sample
};

std::vector<AtLimitCase> at_limit_cases() {
  const Image rgb = generated_image(23, 17, 3);
  const Image16 rgba16 = to_16bit(generated_image(19, 11, 4));
  return {
      {"pnm_8bit", Format::kPnm, legacy::encode_pnm(rgb), 23 * 17 * 3},
      {"pnm_16bit", Format::kPnm, legacy::encode_pnm(to_16bit(rgb)), 23 * 17 * 3 * 2},
      {"pnm_plain_8bit", Format::kPnm, legacy::encode_pnm(rgb, PnmEncoding::kPlain), 23 * 17 * 3},
      {"png_8bit", Format::kPng, legacy::encode_png(rgb), 23 * 17 * 3},
      {"png_16bit", Format::kPng, legacy::encode_png(rgba16), 19 * 11 * 4 * 2},
  };
}

DecodedImage legacy_decode(const AtLimitCase& c, const DecodeLimits& limits) {
  return c.format == Format::kPng ? legacy::decode_png(c.bytes, limits)
                                  : legacy::decode_pnm(c.bytes, limits);
}

class ByteLimitParityTest : public ::testing::TestWithParam<AtLimitCase> {};

TEST_P(ByteLimitParityTest, BothAcceptTheSameImageExactlyAtTheLimit) {
  const AtLimitCase& c = GetParam();
  const DecodeLimits limits = byte_limit(c.decoded_bytes);
  const DecodedImage legacy = legacy_decode(c, limits);
  const RustResult<DecodedImage> rust = rust_decode(c.format, c.bytes, limits);
  ASSERT_TRUE(std::holds_alternative<DecodedImage>(rust))
      << std::get<switchyard::RustError>(rust).message;
  EXPECT_EQ(legacy, std::get<DecodedImage>(rust));
}

TEST_P(ByteLimitParityTest, BothRefuseOneByteBelowWithTheSameMessage) {
  const AtLimitCase& c = GetParam();
  const DecodeLimits limits = byte_limit(c.decoded_bytes - 1);
  std::string legacy_message;
  try {
    legacy_decode(c, limits);
    FAIL() << "legacy accepted the input";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::kLimitExceeded) << e.what();
    legacy_message = e.what();
  }
  const auto rust = rust_rejection(rust_decode(c.format, c.bytes, limits));
  ASSERT_TRUE(rust.has_value()) << "rust did not reject the input as the caller's error";
  EXPECT_EQ(rust->category, ErrorCategory::kLimitExceeded);
  // The Rust route's message names the decoder that judged; the rest is legacy's.
  EXPECT_EQ(rust->message, legacy_message + " (Rust decoder)");
  EXPECT_NE(legacy_message.find(std::to_string(c.decoded_bytes) + " bytes"), std::string::npos)
      << legacy_message;
}

INSTANTIATE_TEST_SUITE_P(AtTheLimit, ByteLimitParityTest, ::testing::ValuesIn(at_limit_cases()),
                         [](const ::testing::TestParamInfo<AtLimitCase>& param) {
                           return param.param.name;
                         });

}  // namespace
}  // namespace imgkit
