#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "imgkit/error.hpp"
#include "imgkit/legacy/codecs.hpp"
#include "support/error_expectations.hpp"

namespace imgkit::legacy {
namespace {

using imgkit::testing::ThrowsImgkitError;

Bytes to_bytes(std::string_view text) { return Bytes(text.begin(), text.end()); }

std::string to_text(const Bytes& bytes) { return std::string(bytes.begin(), bytes.end()); }

Image decode_8bit(std::string_view text) {
  DecodedImage decoded = decode_pnm(to_bytes(text));
  EXPECT_TRUE(std::holds_alternative<Image>(decoded)) << "expected an 8-bit result";
  return std::get<Image>(std::move(decoded));
}

Image16 decode_16bit(std::string_view text) {
  DecodedImage decoded = decode_pnm(to_bytes(text));
  EXPECT_TRUE(std::holds_alternative<Image16>(decoded)) << "expected a 16-bit result";
  return std::get<Image16>(std::move(decoded));
}

auto decoding(std::string_view text, DecodeLimits limits = {}) {
  return [bytes = to_bytes(text), limits] { decode_pnm(bytes, limits); };
}

template <typename Sample>
Raster<Sample> patterned(std::uint32_t width, std::uint32_t height, std::uint32_t channels) {
  Raster<Sample> image(width, height, channels);
  constexpr std::uint32_t kModulus = std::numeric_limits<Sample>::max() + 1u;
  for (std::size_t i = 0; i < image.size(); ++i) {
    image.data()[i] = static_cast<Sample>((i * 40503u + 123u) % kModulus);
  }
  return image;
}

// ---- decoding ----------------------------------------------------------------------

TEST(PnmDecode, ScalesMaxval15ToFullRange) {
  const Image image = decode_8bit(
      "P2\n"
      "# written by hand\n"
      "3 # width\n"
      "2\n"
      "# maxval follows\n"
      "15\n"
      "0 1 7\n"
      "8 14 15\n");
  EXPECT_EQ(image.width(), 3u);
  EXPECT_EQ(image.height(), 2u);
  EXPECT_EQ(image.channels(), 1u);
  EXPECT_EQ(image.samples(), (std::vector<std::uint8_t>{0, 17, 119, 136, 238, 255}));
}

TEST(PnmDecode, RoundsScaledSamplesHalfUp) {
  // v * 255 / 10 is 25.5, 76.5 and 178.5 for these samples.
  const Image image = decode_8bit("P2 5 1 10 0 1 3 7 10");
  EXPECT_EQ(image.samples(), (std::vector<std::uint8_t>{0, 26, 77, 179, 255}));
}

TEST(PnmDecode, ScalesMaxvalAbove255To16Bit) {
  // v * 65535 / 1000 is 65.535, 32767.5 and 65469.465 for the middle samples.
  const Image16 image = decode_16bit("P2 5 1 1000 0 1 500 999 1000");
  EXPECT_EQ(image.samples(), (std::vector<std::uint16_t>{0, 66, 32768, 65469, 65535}));
}

TEST(PnmDecode, KeepsMaxval255SamplesUnchanged) {
  const Image image = decode_8bit(std::string_view("P5 4 1 255\n\x00\x01\x80\xff", 15));
  EXPECT_EQ(image.samples(), (std::vector<std::uint8_t>{0, 1, 128, 255}));
}

TEST(PnmDecode, KeepsMaxval65535SamplesUnchangedAndReadsThemBigEndian) {
  const Image16 image = decode_16bit(std::string_view("P5 2 1 65535\n\x12\x34\xff\xfe", 17));
  EXPECT_EQ(image.samples(), (std::vector<std::uint16_t>{0x1234, 0xfffe}));
}

TEST(PnmDecode, ScalesTwoByteBinarySamples) {
  // 0x01f4 = 500 of maxval 1000.
  const Image16 image = decode_16bit(std::string_view("P5 2 1 1000\n\x01\xf4\x03\xe8", 16));
  EXPECT_EQ(image.samples(), (std::vector<std::uint16_t>{32768, 65535}));
}

TEST(PnmDecode, ReadsPlainRgbWithCommentsBetweenSamples) {
  const Image image = decode_8bit(
      "P3 2 1 255\n"
      "1 2 # red pixel, almost\n"
      "3#glued comment\n"
      "\t40\r\n50 60");
  EXPECT_EQ(image.channels(), 3u);
  EXPECT_EQ(image.samples(), (std::vector<std::uint8_t>{1, 2, 3, 40, 50, 60}));
  EXPECT_EQ(image.at(1, 0, 2), 60);
}

TEST(PnmDecode, ReadsBinaryRgb) {
  const Image image = decode_8bit(std::string_view("P6\n2 1\n255\n\x0a\x14\x1e\x28\x32\x3c", 17));
  EXPECT_EQ(image.channels(), 3u);
  EXPECT_EQ(image.samples(), (std::vector<std::uint8_t>{10, 20, 30, 40, 50, 60}));
}

TEST(PnmDecode, AcceptsCommentsBetweenEveryHeaderToken) {
  const Image image = decode_8bit(
      "P5#after magic\n"
      "#own line\r"
      "1#after width\n"
      "\t\v\f2 #after height\n"
      "255\n"
      "\x07\x08");
  EXPECT_EQ(image.width(), 1u);
  EXPECT_EQ(image.height(), 2u);
  EXPECT_EQ(image.samples(), (std::vector<std::uint8_t>{7, 8}));
}

TEST(PnmDecode, BinaryRasterStartsAfterExactlyOneWhitespaceByte) {
  // The raster's own first bytes are a newline and a space.
  const Image image = decode_8bit("P5 2 1 255\n\n ");
  EXPECT_EQ(image.samples(), (std::vector<std::uint8_t>{'\n', ' '}));
}

TEST(PnmDecode, CommentDirectlyAfterMaxvalEndsAtItsNewline) {
  const Image image = decode_8bit("P5 1 1 255#note\n\x21");
  EXPECT_EQ(image.samples(), (std::vector<std::uint8_t>{0x21}));
}

TEST(PnmDecode, ReadsOnlyTheFirstImageAndIgnoresTrailingBytes) {
  const Image image = decode_8bit("P5 1 1 255\nAP5 1 1 255\nB trailing garbage");
  EXPECT_EQ(image.width(), 1u);
  EXPECT_EQ(image.samples(), (std::vector<std::uint8_t>{'A'}));
}

TEST(PnmDecode, AcceptsImageExactlyAtThePixelLimit) {
  DecodeLimits limits;
  limits.max_pixels = 6;
  const DecodedImage decoded = decode_pnm(to_bytes("P2 3 2 255 1 2 3 4 5 6"), limits);
  EXPECT_EQ(std::get<Image>(decoded).pixel_count(), 6u);
}

// ---- decoding errors ---------------------------------------------------------------

TEST(PnmDecodeError, EmptyInputIsInvalidArgument) {
  EXPECT_THAT(decoding(""), ThrowsImgkitError(ErrorCategory::kInvalidArgument, {"empty"}));
}

TEST(PnmDecodeError, BadMagicIsMalformed) {
  EXPECT_THAT(decoding("Q5 1 1 255\n\x01"),
              ThrowsImgkitError(ErrorCategory::kMalformedData, {"magic"}));
  EXPECT_THAT(decoding("P8 1 1 255\n\x01"),
              ThrowsImgkitError(ErrorCategory::kMalformedData, {"magic"}));
  EXPECT_THAT(decoding("PF\n1 1\n-1.0\n"),
              ThrowsImgkitError(ErrorCategory::kMalformedData, {"magic"}));
  EXPECT_THAT(decoding("P"),
              ThrowsImgkitError(ErrorCategory::kMalformedData, {"truncated header"}));
}

TEST(PnmDecodeError, BitmapAndPamFormatsAreUnsupported) {
  EXPECT_THAT(decoding("P1 2 1 0 1"), ThrowsImgkitError(ErrorCategory::kUnsupported, {"P1"}));
  EXPECT_THAT(decoding("P4 8 1\n\x55"), ThrowsImgkitError(ErrorCategory::kUnsupported, {"P4"}));
  EXPECT_THAT(decoding("P7\nWIDTH 1\nHEIGHT 1\nDEPTH 1\nMAXVAL 255\nENDHDR\n\x01"),
              ThrowsImgkitError(ErrorCategory::kUnsupported, {"P7"}));
}

TEST(PnmDecodeError, TruncatedHeaderIsMalformed) {
  for (const char* text : {"P5", "P5 3", "P5 3 2", "P5 3 2 # maxval never comes", "P5 3 2 255"}) {
    SCOPED_TRACE(text);
    EXPECT_THAT(decoding(text),
                ThrowsImgkitError(ErrorCategory::kMalformedData, {"truncated header"}));
  }
}

TEST(PnmDecodeError, TruncatedRasterIsMalformed) {
  EXPECT_THAT(decoding("P5 3 2 255\n12345"),
              ThrowsImgkitError(ErrorCategory::kMalformedData,
                                {"truncated raster: expected 6 bytes, found 5"}));
  // Two bytes per sample once maxval exceeds 255.
  EXPECT_THAT(
      decoding("P5 2 1 256\n123"),
      ThrowsImgkitError(ErrorCategory::kMalformedData, {"truncated raster: expected 4 bytes"}));
  EXPECT_THAT(decoding("P2 3 2 255\n0 1 2 3 4"),
              ThrowsImgkitError(ErrorCategory::kMalformedData, {"expected 6 samples, found 5"}));
  EXPECT_THAT(decoding("P3 2 1 255\n0 1 2 # the second pixel is missing\n"),
              ThrowsImgkitError(ErrorCategory::kMalformedData, {"truncated raster"}));
  // A header promising 384 MB of raster in a 20-byte file.
  EXPECT_THAT(decoding("P6 8000 8000 65535\n"),
              ThrowsImgkitError(ErrorCategory::kMalformedData, {"truncated raster"}));
}

TEST(PnmDecodeError, MaxvalZeroIsMalformed) {
  EXPECT_THAT(decoding("P2 1 1 0 0"),
              ThrowsImgkitError(ErrorCategory::kMalformedData, {"maxval 0 out of range 1..65535"}));
}

TEST(PnmDecodeError, Maxval65536IsMalformed) {
  EXPECT_THAT(
      decoding("P2 1 1 65536 0"),
      ThrowsImgkitError(ErrorCategory::kMalformedData, {"maxval 65536 out of range 1..65535"}));
}

TEST(PnmDecodeError, SampleAboveMaxvalIsMalformed) {
  EXPECT_THAT(
      decoding("P2 2 1 15 15 16"),
      ThrowsImgkitError(ErrorCategory::kMalformedData, {"sample 16 at index 1 exceeds maxval 15"}));
  EXPECT_THAT(decoding("P5 1 1 100\n\xc8"),
              ThrowsImgkitError(ErrorCategory::kMalformedData,
                                {"sample 200 at index 0 exceeds maxval 100"}));
  EXPECT_THAT(decoding(std::string_view("P5 1 1 1000\n\x03\xe9", 14)),
              ThrowsImgkitError(ErrorCategory::kMalformedData,
                                {"sample 1001 at index 0 exceeds maxval 1000"}));
  EXPECT_THAT(decoding("P2 1 1 255 99999999999999999999999"),
              ThrowsImgkitError(ErrorCategory::kMalformedData, {"exceeds maxval 255"}));
}

TEST(PnmDecodeError, ZeroWidthOrHeightIsMalformed) {
  EXPECT_THAT(decoding("P5 0 1 255\n"),
              ThrowsImgkitError(ErrorCategory::kMalformedData, {"width 0"}));
  EXPECT_THAT(decoding("P5 1 0 255\n"),
              ThrowsImgkitError(ErrorCategory::kMalformedData, {"height 0"}));
}

TEST(PnmDecodeError, NonNumericHeaderFieldIsMalformed) {
  EXPECT_THAT(
      decoding("P2 3 x 15 0 0 0"),
      ThrowsImgkitError(ErrorCategory::kMalformedData, {"expected a decimal height, found 'x'"}));
  EXPECT_THAT(decoding("P2 -3 2 15"), ThrowsImgkitError(ErrorCategory::kMalformedData, {"width"}));
  EXPECT_THAT(decoding("P2 3x2 15"),
              ThrowsImgkitError(ErrorCategory::kMalformedData, {"unexpected 'x' after width"}));
  EXPECT_THAT(decoding("P23 2 15"), ThrowsImgkitError(ErrorCategory::kMalformedData, {"after P2"}));
}

TEST(PnmDecodeError, GarbageBetweenPlainSamplesIsMalformed) {
  EXPECT_THAT(
      decoding("P2 2 1 255 1 ,2"),
      ThrowsImgkitError(ErrorCategory::kMalformedData, {"expected a decimal sample, found ','"}));
}

TEST(PnmDecodeError, HeaderClaimingMorePixelsThanTheLimitIsLimitExceeded) {
  DecodeLimits limits;
  limits.max_pixels = 999'999;
  EXPECT_THAT(decoding("P5 1000 1000 255\n", limits),
              ThrowsImgkitError(ErrorCategory::kLimitExceeded, {"1000x1000"}));
  // The default limit of 100 megapixels, from a 22-byte file.
  EXPECT_THAT(decoding("P5 100000 100000 255\n"),
              ThrowsImgkitError(ErrorCategory::kLimitExceeded, {"limit of 100000000 pixels"}));
}

TEST(PnmDecodeError, DimensionBeyond32BitsIsLimitExceeded) {
  DecodeLimits unlimited;
  unlimited.max_pixels = std::numeric_limits<std::uint64_t>::max();
  EXPECT_THAT(decoding("P5 4294967296 1 255\n", unlimited),
              ThrowsImgkitError(ErrorCategory::kLimitExceeded, {"width 4294967296"}));
}

// ---- the byte limit ------------------------------------------------------------------

TEST(PnmDecodeLimits, SmallFileDeclaringAHugeSixteenBitImageIsRefusedBeforeItsRaster) {
  // 21 bytes declaring 600 MB of samples (under the default pixel limit): refused for its
  // size, not as the truncated raster it also is.
  EXPECT_THAT(decoding("P6 10000 10000 65535\n"),
              ThrowsImgkitError(ErrorCategory::kLimitExceeded,
                                {"PNM: image needs 600000000 bytes (10000x10000, 3 channels, "
                                 "16-bit), over the 536870912-byte limit (max_bytes)"}));
  EXPECT_THAT(decoding("P3 10000 10000 65535 1 2 3"),
              ThrowsImgkitError(ErrorCategory::kLimitExceeded, {"600000000 bytes"}));
}

TEST(PnmDecodeLimits, CustomByteLimitRefusesAboveAndAcceptsExactlyAtIt) {
  DecodeLimits limits;
  limits.max_bytes = 5;
  EXPECT_THAT(decoding("P2 3 2 255 1 2 3 4 5 6", limits),
              ThrowsImgkitError(ErrorCategory::kLimitExceeded,
                                {"image needs 6 bytes (3x2, 1 channel, 8-bit), over the "
                                 "5-byte limit (max_bytes)"}));
  limits.max_bytes = 6;
  EXPECT_EQ(std::get<Image>(decode_pnm(to_bytes("P2 3 2 255 1 2 3 4 5 6"), limits)).size(), 6u);
  EXPECT_EQ(std::get<Image>(decode_pnm(to_bytes("P5 3 2 255\nabcdef"), limits)).size(), 6u);
}

TEST(PnmDecodeLimits, SixteenBitSamplesCountTwoBytes) {
  const std::string file = std::string("P6 2 1 65535\n") + std::string(12, '\x01');
  DecodeLimits limits;
  limits.max_bytes = 11;
  EXPECT_THAT(decoding(file, limits),
              ThrowsImgkitError(ErrorCategory::kLimitExceeded,
                                {"image needs 12 bytes (2x1, 3 channels, 16-bit)"}));
  limits.max_bytes = 12;
  EXPECT_EQ(std::get<Image16>(decode_pnm(to_bytes(file), limits)).size(), 6u);
}

TEST(PnmDecodeLimits, PixelLimitAndMaxvalAreJudgedBeforeTheByteLimit) {
  DecodeLimits limits;
  limits.max_pixels = 5;
  limits.max_bytes = 5;
  EXPECT_THAT(decoding("P2 3 2 255 1 2 3 4 5 6", limits),
              ThrowsImgkitError(ErrorCategory::kLimitExceeded, {"limit of 5 pixels"}));
  // The sample size is not known before maxval.
  EXPECT_THAT(decoding("P6 10000 10000 65536\n"),
              ThrowsImgkitError(ErrorCategory::kMalformedData, {"maxval 65536"}));
}

TEST(PnmDecodeLimits, SizeBeyondSixtyFourBitsIsOverEveryByteLimit) {
  DecodeLimits limits;
  limits.max_pixels = std::numeric_limits<std::uint64_t>::max();
  limits.max_bytes = std::numeric_limits<std::uint64_t>::max();
  EXPECT_THAT(decoding("P6 4294967295 4294967295 65535\n", limits),
              ThrowsImgkitError(ErrorCategory::kLimitExceeded,
                                {"needs more than 18446744073709551615 bytes"}));
}

// ---- encoding ----------------------------------------------------------------------

TEST(PnmEncode, WritesBinaryGrayHeaderThenRawBytes) {
  Image image(2, 1, 1);
  image.samples() = {0, 255};
  EXPECT_EQ(to_text(encode_pnm(image)), std::string("P5\n2 1\n255\n\x00\xff", 13));
}

TEST(PnmEncode, WritesSixteenBitSamplesBigEndianWithMaxval65535) {
  Image16 image(1, 1, 3);
  image.samples() = {0x1234, 0xabcd, 0x0001};
  EXPECT_EQ(to_text(encode_pnm(image)),
            std::string("P6\n1 1\n65535\n\x12\x34\xab\xcd\x00\x01", 19));
}

TEST(PnmEncode, WritesPlainTextOneImageRowPerLine) {
  Image image(2, 2, 1);
  image.samples() = {0, 5, 10, 255};
  EXPECT_EQ(to_text(encode_pnm(image, PnmEncoding::kPlain)), "P2\n2 2\n255\n0 5\n10 255\n");
  Image16 rgb(1, 1, 3);
  rgb.samples() = {1, 65535, 300};
  EXPECT_EQ(to_text(encode_pnm(rgb, PnmEncoding::kPlain)), "P3\n1 1\n65535\n1 65535 300\n");
}

TEST(PnmEncode, WrapsPlainLinesAtSeventyCharacters) {
  Image16 image(40, 2, 3);
  image.samples().assign(image.size(), 65535);
  const std::string text = to_text(encode_pnm(image, PnmEncoding::kPlain));
  std::size_t longest = 0;
  std::size_t line_count = 0;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = text.find('\n', start);
    ASSERT_NE(end, std::string::npos) << "output must end with a newline";
    longest = std::max(longest, end - start);
    ++line_count;
    start = end + 1;
  }
  // "65535" plus a space: 11 samples (65 characters) per line, 120 samples per row.
  EXPECT_EQ(longest, 65u);
  EXPECT_EQ(line_count, 3u + 2u * 11u);
  EXPECT_EQ(std::get<Image16>(decode_pnm(to_bytes(text))), image);
}

TEST(PnmEncode, RgbaIsUnsupported) {
  EXPECT_THAT([] { encode_pnm(Image(2, 2, 4)); },
              ThrowsImgkitError(ErrorCategory::kUnsupported, {"4-channel"}));
  EXPECT_THAT([] { encode_pnm(Image16(1, 1, 4), PnmEncoding::kPlain); },
              ThrowsImgkitError(ErrorCategory::kUnsupported, {"4-channel"}));
}

// ---- round trips -------------------------------------------------------------------

struct Geometry {
  std::uint32_t width;
  std::uint32_t height;
  std::uint32_t channels;
};

constexpr Geometry kRoundTripGeometries[] = {
    {1, 1, 1}, {1, 1, 3}, {7, 5, 1}, {7, 5, 3}, {1, 9, 3}, {13, 1, 1}, {64, 3, 3},
};

TEST(PnmRoundTrip, EightBitImagesSurviveBinaryAndPlainEncoding) {
  for (const Geometry& g : kRoundTripGeometries) {
    for (const PnmEncoding encoding : {PnmEncoding::kBinary, PnmEncoding::kPlain}) {
      SCOPED_TRACE(std::to_string(g.width) + "x" + std::to_string(g.height) + "x" +
                   std::to_string(g.channels) +
                   (encoding == PnmEncoding::kPlain ? " plain" : " binary"));
      const Image image = patterned<std::uint8_t>(g.width, g.height, g.channels);
      const DecodedImage decoded = decode_pnm(encode_pnm(image, encoding));
      ASSERT_TRUE(std::holds_alternative<Image>(decoded));
      EXPECT_EQ(std::get<Image>(decoded), image);
    }
  }
}

TEST(PnmRoundTrip, SixteenBitImagesSurviveBinaryAndPlainEncoding) {
  for (const Geometry& g : kRoundTripGeometries) {
    for (const PnmEncoding encoding : {PnmEncoding::kBinary, PnmEncoding::kPlain}) {
      SCOPED_TRACE(std::to_string(g.width) + "x" + std::to_string(g.height) + "x" +
                   std::to_string(g.channels) +
                   (encoding == PnmEncoding::kPlain ? " plain" : " binary"));
      const Image16 image = patterned<std::uint16_t>(g.width, g.height, g.channels);
      const DecodedImage decoded = decode_pnm(encode_pnm(image, encoding));
      ASSERT_TRUE(std::holds_alternative<Image16>(decoded));
      EXPECT_EQ(std::get<Image16>(decoded), image);
    }
  }
}

}  // namespace
}  // namespace imgkit::legacy
