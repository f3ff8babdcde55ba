#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <png.h>

#include <csetjmp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "imgkit/error.hpp"
#include "imgkit/legacy/codecs.hpp"
#include "support/error_expectations.hpp"
#include "support/png_chunks.hpp"

namespace imgkit::legacy {
namespace {

using imgkit::testing::find_chunk;
using imgkit::testing::insert_chunk_before;
using imgkit::testing::patch_chunk_byte;
using imgkit::testing::patch_ihdr_size;
using imgkit::testing::read_be32;
using imgkit::testing::ThrowsImgkitError;

// ---- building test files with libpng directly ---------------------------------------

// A PNG to write, described in the file's own terms: rows are packed and big-endian
// exactly as PNG stores them, so every colour type and bit depth can be expressed.
struct PngFileSpec {
  std::uint32_t width = 1;
  std::uint32_t height = 1;
  int bit_depth = 8;
  int color_type = PNG_COLOR_TYPE_GRAY;
  int interlace = PNG_INTERLACE_NONE;
  std::vector<png_color> palette;
  std::vector<png_byte> palette_alpha;     // tRNS of a palette image
  std::optional<png_color_16> trns_color;  // tRNS of a gray or RGB image
  bool with_gamma_and_text = false;
  std::vector<Bytes> rows;
};

struct FixtureWriteState {
  Bytes output;
  char error[256] = {};
};

void append_fixture_output(png_structp png, png_bytep data, std::size_t length) {
  auto* state = static_cast<FixtureWriteState*>(png_get_io_ptr(png));
  state->output.insert(state->output.end(), data, data + length);
}

void record_fixture_error(png_structp png, png_const_charp message) {
  auto* state = static_cast<FixtureWriteState*>(png_get_error_ptr(png));
  std::snprintf(state->error, sizeof state->error, "%s", message);
  png_longjmp(png, 1);
}

void ignore_fixture_warning(png_structp, png_const_charp) {}

void set_optional_chunks(png_structp png, png_infop info, const PngFileSpec& spec) {
  if (!spec.palette.empty()) {
    png_set_PLTE(png, info, spec.palette.data(), static_cast<int>(spec.palette.size()));
  }
  if (!spec.palette_alpha.empty()) {
    png_set_tRNS(png, info, spec.palette_alpha.data(), static_cast<int>(spec.palette_alpha.size()),
                 nullptr);
  }
  if (spec.trns_color) {
    png_set_tRNS(png, info, nullptr, 1, &*spec.trns_color);
  }
  if (spec.with_gamma_and_text) {
    png_set_gAMA(png, info, 1.0);
    static char key[] = "Comment";
    static char text[] = "samples are stored as is";
    png_text chunk = {};
    chunk.compression = PNG_TEXT_COMPRESSION_NONE;
    chunk.key = key;
    chunk.text = text;
    png_set_text(png, info, &chunk, 1);
  }
}

// Only trivially destructible objects here: libpng may longjmp back to this frame.
bool write_fixture(png_structp png, png_infop info, const PngFileSpec& spec, png_bytepp rows) {
  if (setjmp(png_jmpbuf(png)) != 0) {
    return false;
  }
  png_set_IHDR(png, info, spec.width, spec.height, spec.bit_depth, spec.color_type, spec.interlace,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  set_optional_chunks(png, info, spec);
  png_write_info(png, info);
  png_write_image(png, rows);  // does the Adam7 passes itself for interlaced files
  png_write_end(png, info);
  return true;
}

Bytes write_png_file(const PngFileSpec& spec) {
  FixtureWriteState state;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &state, record_fixture_error,
                                            ignore_fixture_warning);
  png_infop info = png_create_info_struct(png);
  png_set_write_fn(png, &state, append_fixture_output, nullptr);
  // Lets a test write palette indices beyond the PLTE entries, as broken encoders do.
  png_set_check_for_invalid_index(png, 0);
  std::vector<png_bytep> rows;
  for (const Bytes& row : spec.rows) {
    rows.push_back(const_cast<png_bytep>(row.data()));
  }
  const bool written = write_fixture(png, info, spec, rows.data());
  png_destroy_write_struct(&png, &info);
  EXPECT_TRUE(written) << "libpng could not write the test file: " << state.error;
  return std::move(state.output);
}

// ---- expectations --------------------------------------------------------------------

auto decoding(Bytes bytes, DecodeLimits limits = {}) {
  return [bytes = std::move(bytes), limits] { decode_png(bytes, limits); };
}

Image decode_8bit(const Bytes& bytes) {
  DecodedImage decoded = decode_png(bytes);
  EXPECT_TRUE(std::holds_alternative<Image>(decoded)) << "expected an 8-bit result";
  return std::get<Image>(std::move(decoded));
}

Image16 decode_16bit(const Bytes& bytes) {
  DecodedImage decoded = decode_png(bytes);
  EXPECT_TRUE(std::holds_alternative<Image16>(decoded)) << "expected a 16-bit result";
  return std::get<Image16>(std::move(decoded));
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

// One row per image row, 8-bit samples as they are.
std::vector<Bytes> rows_of(const Image& image) {
  std::vector<Bytes> rows;
  for (std::uint32_t y = 0; y < image.height(); ++y) {
    const auto* start = image.data() + y * image.row_stride();
    rows.emplace_back(start, start + image.row_stride());
  }
  return rows;
}

std::vector<Bytes> rows_of(const Image16& image) {
  std::vector<Bytes> rows;
  for (std::uint32_t y = 0; y < image.height(); ++y) {
    Bytes row;
    for (std::size_t i = 0; i < image.row_stride(); ++i) {
      const std::uint16_t sample = image.data()[y * image.row_stride() + i];
      row.push_back(static_cast<std::uint8_t>(sample >> 8));
      row.push_back(static_cast<std::uint8_t>(sample & 0xff));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

png_color_16 gray_key(std::uint16_t gray) {
  png_color_16 color = {};
  color.gray = gray;
  return color;
}

png_color_16 rgb_key(std::uint16_t red, std::uint16_t green, std::uint16_t blue) {
  png_color_16 color = {};
  color.red = red;
  color.green = green;
  color.blue = blue;
  return color;
}

// A small valid file for the error tests: 3x2 RGB with a tEXt chunk before IDAT.
Bytes sample_file() {
  PngFileSpec spec;
  spec.width = 3;
  spec.height = 2;
  spec.color_type = PNG_COLOR_TYPE_RGB;
  spec.with_gamma_and_text = true;
  spec.rows = rows_of(patterned<std::uint8_t>(3, 2, 3));
  return write_png_file(spec);
}

// ---- decoding every colour type ------------------------------------------------------

TEST(PngDecode, Gray1BitScalesTo0And255) {
  PngFileSpec spec;
  spec.width = 5;
  spec.bit_depth = 1;
  spec.rows = {{0b10110000}};
  EXPECT_EQ(decode_8bit(write_png_file(spec)).samples(),
            (std::vector<std::uint8_t>{255, 0, 255, 255, 0}));
}

TEST(PngDecode, Gray2BitScalesByMultiplesOf85) {
  PngFileSpec spec;
  spec.width = 4;
  spec.height = 2;
  spec.bit_depth = 2;
  spec.rows = {{0b00011011}, {0b11100100}};
  const Image image = decode_8bit(write_png_file(spec));
  EXPECT_EQ(image.channels(), 1u);
  EXPECT_EQ(image.samples(), (std::vector<std::uint8_t>{0, 85, 170, 255, 255, 170, 85, 0}));
}

TEST(PngDecode, Gray4BitScalesByMultiplesOf17) {
  PngFileSpec spec;
  spec.width = 3;
  spec.bit_depth = 4;
  spec.rows = {{0x05, 0xf0}};
  EXPECT_EQ(decode_8bit(write_png_file(spec)).samples(), (std::vector<std::uint8_t>{0, 85, 255}));
}

TEST(PngDecode, Gray16StaysSixteenBit) {
  PngFileSpec spec;
  spec.width = 2;
  spec.bit_depth = 16;
  spec.rows = {{0x12, 0x34, 0xff, 0x01}};
  const Image16 image = decode_16bit(write_png_file(spec));
  EXPECT_EQ(image.channels(), 1u);
  EXPECT_EQ(image.samples(), (std::vector<std::uint16_t>{0x1234, 0xff01}));
}

TEST(PngDecode, PaletteBecomesRgb) {
  PngFileSpec spec;
  spec.width = 4;
  spec.color_type = PNG_COLOR_TYPE_PALETTE;
  spec.bit_depth = 2;
  spec.palette = {{10, 20, 30}, {40, 50, 60}, {70, 80, 90}};
  spec.rows = {{0b00011001}};  // indices 0, 1, 2, 1
  const Image image = decode_8bit(write_png_file(spec));
  EXPECT_EQ(image.channels(), 3u);
  EXPECT_EQ(image.samples(),
            (std::vector<std::uint8_t>{10, 20, 30, 40, 50, 60, 70, 80, 90, 40, 50, 60}));
}

TEST(PngDecode, PaletteWithTrnsBecomesRgbaAndEntriesBeyondTrnsAreOpaque) {
  PngFileSpec spec;
  spec.width = 4;
  spec.color_type = PNG_COLOR_TYPE_PALETTE;
  spec.palette = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}, {10, 11, 12}};
  spec.palette_alpha = {0, 128};
  spec.rows = {{3, 2, 1, 0}};
  const Image image = decode_8bit(write_png_file(spec));
  EXPECT_EQ(image.channels(), 4u);
  EXPECT_EQ(image.samples(),
            (std::vector<std::uint8_t>{10, 11, 12, 255, 7, 8, 9, 255, 4, 5, 6, 128, 1, 2, 3, 0}));
}

TEST(PngDecode, PaletteIndexBeyondPlteDecodesAsOpaqueBlack) {
  PngFileSpec spec;
  spec.width = 3;
  spec.color_type = PNG_COLOR_TYPE_PALETTE;
  spec.palette = {{10, 20, 30}, {40, 50, 60}};
  spec.palette_alpha = {7};
  spec.rows = {{0, 1, 200}};
  EXPECT_EQ(decode_8bit(write_png_file(spec)).samples(),
            (std::vector<std::uint8_t>{10, 20, 30, 7, 40, 50, 60, 255, 0, 0, 0, 255}));
}

TEST(PngDecode, GrayWithTrnsBecomesRgbaWithMatchingPixelsTransparent) {
  PngFileSpec spec;
  spec.width = 3;
  spec.trns_color = gray_key(50);
  spec.rows = {{50, 51, 0}};
  EXPECT_EQ(decode_8bit(write_png_file(spec)).samples(),
            (std::vector<std::uint8_t>{50, 50, 50, 0, 51, 51, 51, 255, 0, 0, 0, 255}));
}

TEST(PngDecode, LowDepthGrayWithTrnsMatchesTheStoredValue) {
  PngFileSpec spec;
  spec.width = 4;
  spec.bit_depth = 2;
  spec.trns_color = gray_key(1);
  spec.rows = {{0b00011011}};
  EXPECT_EQ(decode_8bit(write_png_file(spec)).samples(),
            (std::vector<std::uint8_t>{0, 0, 0, 255, 85, 85, 85, 0, 170, 170, 170, 255, 255, 255,
                                       255, 255}));
}

TEST(PngDecode, RgbWithTrnsGainsAlpha) {
  PngFileSpec spec;
  spec.width = 2;
  spec.color_type = PNG_COLOR_TYPE_RGB;
  spec.trns_color = rgb_key(10, 20, 30);
  spec.rows = {{10, 20, 30, 10, 20, 31}};
  EXPECT_EQ(decode_8bit(write_png_file(spec)).samples(),
            (std::vector<std::uint8_t>{10, 20, 30, 0, 10, 20, 31, 255}));
}

TEST(PngDecode, Rgb16WithTrnsGainsSixteenBitAlpha) {
  PngFileSpec spec;
  spec.width = 2;
  spec.bit_depth = 16;
  spec.color_type = PNG_COLOR_TYPE_RGB;
  spec.trns_color = rgb_key(0x0102, 0x0304, 0x0506);
  spec.rows = {{1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 7}};
  const Image16 image = decode_16bit(write_png_file(spec));
  EXPECT_EQ(image.samples(),
            (std::vector<std::uint16_t>{0x0102, 0x0304, 0x0506, 0, 0x0102, 0x0304, 0x0507, 65535}));
}

TEST(PngDecode, Gray16WithTrnsBecomesSixteenBitRgba) {
  PngFileSpec spec;
  spec.width = 2;
  spec.bit_depth = 16;
  spec.trns_color = gray_key(0xabcd);
  spec.rows = {{0xab, 0xcd, 0x00, 0x07}};
  EXPECT_EQ(decode_16bit(write_png_file(spec)).samples(),
            (std::vector<std::uint16_t>{0xabcd, 0xabcd, 0xabcd, 0, 7, 7, 7, 65535}));
}

TEST(PngDecode, GrayAlphaReplicatesGrayIntoRgb) {
  PngFileSpec spec;
  spec.width = 2;
  spec.color_type = PNG_COLOR_TYPE_GRAY_ALPHA;
  spec.rows = {{7, 100, 200, 0}};
  const Image image = decode_8bit(write_png_file(spec));
  EXPECT_EQ(image.channels(), 4u);
  EXPECT_EQ(image.samples(), (std::vector<std::uint8_t>{7, 7, 7, 100, 200, 200, 200, 0}));
}

TEST(PngDecode, GrayAlpha16ReplicatesGrayIntoSixteenBitRgb) {
  PngFileSpec spec;
  spec.bit_depth = 16;
  spec.color_type = PNG_COLOR_TYPE_GRAY_ALPHA;
  spec.rows = {{0x80, 0x01, 0x00, 0xff}};
  EXPECT_EQ(decode_16bit(write_png_file(spec)).samples(),
            (std::vector<std::uint16_t>{0x8001, 0x8001, 0x8001, 0x00ff}));
}

TEST(PngDecode, InterlacedRgbMatchesTheStoredPixels) {
  // 9x7 reaches every one of the seven Adam7 passes, with partial blocks at the edges.
  const Image expected = patterned<std::uint8_t>(9, 7, 3);
  PngFileSpec spec;
  spec.width = 9;
  spec.height = 7;
  spec.color_type = PNG_COLOR_TYPE_RGB;
  spec.interlace = PNG_INTERLACE_ADAM7;
  spec.rows = rows_of(expected);
  EXPECT_EQ(decode_8bit(write_png_file(spec)), expected);
}

TEST(PngDecode, InterlacedRgba16MatchesTheStoredPixels) {
  const Image16 expected = patterned<std::uint16_t>(5, 11, 4);
  PngFileSpec spec;
  spec.width = 5;
  spec.height = 11;
  spec.bit_depth = 16;
  spec.color_type = PNG_COLOR_TYPE_RGB_ALPHA;
  spec.interlace = PNG_INTERLACE_ADAM7;
  spec.rows = rows_of(expected);
  EXPECT_EQ(decode_16bit(write_png_file(spec)), expected);
}

TEST(PngDecode, InterlacedOneBitGrayScalesEveryPixel) {
  // A 10x3 checkerboard: bit (x + y) % 2.
  PngFileSpec spec;
  spec.width = 10;
  spec.height = 3;
  spec.bit_depth = 1;
  spec.interlace = PNG_INTERLACE_ADAM7;
  spec.rows = {{0b01010101, 0b01000000}, {0b10101010, 0b10000000}, {0b01010101, 0b01000000}};
  const Image image = decode_8bit(write_png_file(spec));
  for (std::uint32_t y = 0; y < 3; ++y) {
    for (std::uint32_t x = 0; x < 10; ++x) {
      EXPECT_EQ(image.at(x, y, 0), (x + y) % 2 == 1 ? 255 : 0) << "at " << x << "," << y;
    }
  }
}

TEST(PngDecode, InterlacedFourBitPaletteWithTrns) {
  PngFileSpec spec;
  spec.width = 3;
  spec.height = 3;
  spec.bit_depth = 4;
  spec.color_type = PNG_COLOR_TYPE_PALETTE;
  spec.interlace = PNG_INTERLACE_ADAM7;
  spec.palette = {{0, 0, 0}, {255, 0, 0}, {0, 255, 0}};
  spec.palette_alpha = {0};
  spec.rows = {{0x01, 0x20}, {0x12, 0x00}, {0x20, 0x10}};
  const Image image = decode_8bit(write_png_file(spec));
  const std::vector<std::uint8_t> black{0, 0, 0, 0}, red{255, 0, 0, 255}, green{0, 255, 0, 255};
  std::vector<std::uint8_t> expected;
  for (const auto* pixel : {&black, &red, &green, &red, &green, &black, &green, &black, &red}) {
    expected.insert(expected.end(), pixel->begin(), pixel->end());
  }
  EXPECT_EQ(image.samples(), expected);
}

TEST(PngDecode, IgnoresGammaAndTextChunks) {
  PngFileSpec spec;
  spec.width = 3;
  spec.with_gamma_and_text = true;
  spec.rows = {{0, 100, 200}};
  const Bytes file = write_png_file(spec);
  find_chunk(file, "gAMA");
  EXPECT_EQ(decode_8bit(file).samples(), (std::vector<std::uint8_t>{0, 100, 200}));
}

TEST(PngDecode, KeepsLibpngWarningsOffStderr) {
  // A bKGD chunk of the wrong length: libpng warns and skips it.
  const Bytes file = insert_chunk_before(sample_file(), "IDAT", "bKGD", "x");
  ::testing::internal::CaptureStderr();
  const Image image = decode_8bit(file);
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
  EXPECT_EQ(image, patterned<std::uint8_t>(3, 2, 3));
}

TEST(PngDecode, AcceptsImageExactlyAtThePixelLimit) {
  DecodeLimits limits;
  limits.max_pixels = 6;
  EXPECT_EQ(to_8bit(decode_png(sample_file(), limits)), patterned<std::uint8_t>(3, 2, 3));
}

// ---- decoding errors -----------------------------------------------------------------

TEST(PngDecodeError, EmptyInputIsInvalidArgument) {
  EXPECT_THAT(decoding({}), ThrowsImgkitError(ErrorCategory::kInvalidArgument, {"empty"}));
}

TEST(PngDecodeError, BadSignatureIsMalformed) {
  const std::string_view gif = "GIF89a\x01\x00\x01\x00";
  EXPECT_THAT(decoding(Bytes(gif.begin(), gif.end())),
              ThrowsImgkitError(ErrorCategory::kMalformedData, {"bad signature"}));
  Bytes wrong_line_ending = sample_file();
  wrong_line_ending[4] = '\n';  // the signature's CR LF, as a text-mode transfer leaves it
  EXPECT_THAT(decoding(wrong_line_ending),
              ThrowsImgkitError(ErrorCategory::kMalformedData, {"bad signature"}));
}

TEST(PngDecodeError, CorruptedCrcIsMalformedInEveryChunk) {
  for (const char* type : {"IHDR", "gAMA", "tEXt", "IDAT", "IEND"}) {
    SCOPED_TRACE(type);
    Bytes file = sample_file();
    const std::size_t offset = find_chunk(file, type);
    file[offset + 8 + read_be32(file, offset)] ^= 0x01;  // first byte of the CRC
    EXPECT_THAT(decoding(file), ThrowsImgkitError(ErrorCategory::kMalformedData, {"CRC error"}));
  }
}

TEST(PngDecodeError, TruncatedDataIsMalformed) {
  const Bytes file = sample_file();
  const std::size_t idat = find_chunk(file, "IDAT");
  for (const std::size_t length : {std::size_t{1}, std::size_t{5}, std::size_t{8}, std::size_t{20},
                                   idat + 10, file.size() - 12, file.size() - 1}) {
    SCOPED_TRACE("first " + std::to_string(length) + " bytes");
    EXPECT_THAT(decoding(Bytes(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(length))),
                ThrowsImgkitError(ErrorCategory::kMalformedData, {"truncated data"}));
  }
}

TEST(PngDecodeError, CorruptedCompressedDataIsMalformed) {
  Bytes file = sample_file();
  patch_chunk_byte(file, "IDAT", 0, 0x00);  // zlib header: compression method 0 is invalid
  EXPECT_THAT(decoding(file), ThrowsImgkitError(ErrorCategory::kMalformedData, {"libpng: "}));
}

TEST(PngDecodeError, HeaderClaimingMoreRowsThanTheDataHoldsIsMalformed) {
  Bytes file = sample_file();
  patch_ihdr_size(file, 3, 50);
  EXPECT_THAT(decoding(file), ThrowsImgkitError(ErrorCategory::kMalformedData, {"libpng: "}));
}

TEST(PngDecodeError, InvalidHeaderFieldsAreMalformed) {
  Bytes zero_width = sample_file();
  patch_ihdr_size(zero_width, 0, 2);
  EXPECT_THAT(decoding(zero_width),
              ThrowsImgkitError(ErrorCategory::kMalformedData, {"width is zero"}));
  Bytes bad_depth = sample_file();
  patch_chunk_byte(bad_depth, "IHDR", 8, 3);
  EXPECT_THAT(decoding(bad_depth),
              ThrowsImgkitError(ErrorCategory::kMalformedData, {"color type/bit depth"}));
}

TEST(PngDecodeError, HeaderClaimingMorePixelsThanTheLimitIsLimitExceeded) {
  DecodeLimits limits;
  limits.max_pixels = 5;
  EXPECT_THAT(
      decoding(sample_file(), limits),
      ThrowsImgkitError(ErrorCategory::kLimitExceeded, {"3x2 image exceeds the limit of 5"}));
  // A 100-byte file whose header claims 10 gigapixels, against the default limit.
  Bytes huge = sample_file();
  patch_ihdr_size(huge, 100'000, 100'000);
  EXPECT_THAT(decoding(huge), ThrowsImgkitError(ErrorCategory::kLimitExceeded, {"100000x100000"}));
}

// ---- the byte limit ------------------------------------------------------------------

// A file of a few hundred bytes whose IHDR declares 10000x10000 RGBA at 16 bits: exactly
// the default pixel limit, 800 MB of samples. It is cut off 4 bytes into its image data,
// so it can only be refused from its header.
Bytes hostile_rgba16_file() {
  Bytes file = sample_file();
  patch_ihdr_size(file, 10'000, 10'000);
  patch_chunk_byte(file, "IHDR", 8, 16);
  patch_chunk_byte(file, "IHDR", 9, PNG_COLOR_TYPE_RGB_ALPHA);
  file.resize(find_chunk(file, "IDAT") + 8 + 4);
  return file;
}

TEST(PngDecodeLimits, SmallFileDeclaringAHugeSixteenBitRgbaImageIsRefusedFromItsHeader) {
  const Bytes file = hostile_rgba16_file();
  ASSERT_LT(file.size(), 200u);
  EXPECT_THAT(decoding(file),
              ThrowsImgkitError(ErrorCategory::kLimitExceeded,
                                {"PNG: image needs 800000000 bytes (10000x10000, 4 channels, "
                                 "16-bit), over the 536870912-byte limit (max_bytes)"}));
}

TEST(PngDecodeLimits, CustomByteLimitRefusesAboveAndAcceptsExactlyAtIt) {
  DecodeLimits limits;
  limits.max_bytes = 17;
  EXPECT_THAT(decoding(sample_file(), limits),
              ThrowsImgkitError(ErrorCategory::kLimitExceeded,
                                {"image needs 18 bytes (3x2, 3 channels, 8-bit), over the "
                                 "17-byte limit (max_bytes)"}));
  limits.max_bytes = 18;
  EXPECT_EQ(to_8bit(decode_png(sample_file(), limits)), patterned<std::uint8_t>(3, 2, 3));
}

// The limit counts the image the decoder returns, not the samples the file stores.
TEST(PngDecodeLimits, BytesAreCountedInTheDecodedLayout) {
  PngFileSpec palette;
  palette.width = 2;
  palette.color_type = PNG_COLOR_TYPE_PALETTE;
  palette.palette = {{1, 2, 3}, {4, 5, 6}};
  palette.palette_alpha = {0};
  palette.rows = {{1, 0}};
  PngFileSpec one_bit_gray;
  one_bit_gray.width = 5;
  one_bit_gray.bit_depth = 1;
  one_bit_gray.rows = {{0b10110000}};
  PngFileSpec gray_alpha16;
  gray_alpha16.bit_depth = 16;
  gray_alpha16.color_type = PNG_COLOR_TYPE_GRAY_ALPHA;
  gray_alpha16.rows = {{0x80, 0x01, 0x00, 0xff}};
  const struct {
    PngFileSpec spec;
    std::uint64_t bytes;
    const char* described;
  } cases[] = {
      {palette, 8, "(2x1, 4 channels, 8-bit)"},
      {one_bit_gray, 5, "(5x1, 1 channel, 8-bit)"},
      {gray_alpha16, 8, "(1x1, 4 channels, 16-bit)"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.described);
    const Bytes file = write_png_file(c.spec);
    DecodeLimits limits;
    limits.max_bytes = c.bytes - 1;
    EXPECT_THAT(decoding(file, limits),
                ThrowsImgkitError(ErrorCategory::kLimitExceeded, {c.described}));
    limits.max_bytes = c.bytes;
    EXPECT_NO_THROW(decode_png(file, limits));
  }
}

TEST(PngDecodeLimits, PixelLimitIsJudgedBeforeTheByteLimit) {
  DecodeLimits limits;
  limits.max_pixels = 5;
  limits.max_bytes = 5;
  EXPECT_THAT(decoding(sample_file(), limits),
              ThrowsImgkitError(ErrorCategory::kLimitExceeded, {"limit of 5 pixels"}));
}

TEST(PngDecodeLimits, SizeBeyondSixtyFourBitsIsOverEveryByteLimit) {
  Bytes file = hostile_rgba16_file();
  patch_ihdr_size(file, 0x7fff'ffff, 0x7fff'ffff);
  DecodeLimits limits;
  limits.max_pixels = std::numeric_limits<std::uint64_t>::max();
  limits.max_bytes = std::numeric_limits<std::uint64_t>::max();
  EXPECT_THAT(decoding(file, limits),
              ThrowsImgkitError(ErrorCategory::kLimitExceeded,
                                {"needs more than 18446744073709551615 bytes"}));
}

// ---- encoding ------------------------------------------------------------------------

struct IhdrFields {
  std::uint32_t width;
  std::uint32_t height;
  int bit_depth;
  int color_type;
  int interlace;
};

IhdrFields read_ihdr(const Bytes& png) {
  const std::size_t data = find_chunk(png, "IHDR") + 8;
  return {read_be32(png, data), read_be32(png, data + 4), png[data + 8], png[data + 9],
          png[data + 12]};
}

TEST(PngEncode, WritesSignatureAndHeaderMatchingTheImage) {
  const Bytes rgba = encode_png(Image(3, 2, 4));
  ASSERT_GE(rgba.size(), 8u);
  EXPECT_EQ(png_sig_cmp(rgba.data(), 0, 8), 0);
  const IhdrFields rgba_header = read_ihdr(rgba);
  EXPECT_EQ(rgba_header.width, 3u);
  EXPECT_EQ(rgba_header.height, 2u);
  EXPECT_EQ(rgba_header.bit_depth, 8);
  EXPECT_EQ(rgba_header.color_type, PNG_COLOR_TYPE_RGB_ALPHA);
  EXPECT_EQ(rgba_header.interlace, PNG_INTERLACE_NONE);

  const IhdrFields gray16 = read_ihdr(encode_png(Image16(5, 1, 1)));
  EXPECT_EQ(gray16.bit_depth, 16);
  EXPECT_EQ(gray16.color_type, PNG_COLOR_TYPE_GRAY);
  EXPECT_EQ(read_ihdr(encode_png(Image(1, 1, 3))).color_type, PNG_COLOR_TYPE_RGB);
}

// ---- round trips ---------------------------------------------------------------------

struct Geometry {
  std::uint32_t width;
  std::uint32_t height;
};

constexpr Geometry kRoundTripGeometries[] = {{1, 1}, {7, 5}, {1, 9}, {13, 1}, {64, 3}};

// Encodes and decodes every geometry and channel count at one sample depth.
template <typename Sample>
void expect_round_trips() {
  for (const Geometry& g : kRoundTripGeometries) {
    for (const std::uint32_t channels : {1u, 3u, 4u}) {
      SCOPED_TRACE(std::to_string(g.width) + "x" + std::to_string(g.height) + "x" +
                   std::to_string(channels));
      const Raster<Sample> image = patterned<Sample>(g.width, g.height, channels);
      const DecodedImage decoded = decode_png(encode_png(image));
      ASSERT_TRUE(std::holds_alternative<Raster<Sample>>(decoded)) << "wrong sample depth";
      EXPECT_EQ(std::get<Raster<Sample>>(decoded), image);
    }
  }
}

TEST(PngRoundTrip, EightBitGrayRgbAndRgbaSurvive) { expect_round_trips<std::uint8_t>(); }

TEST(PngRoundTrip, SixteenBitGrayRgbAndRgbaSurvive) { expect_round_trips<std::uint16_t>(); }

TEST(PngRoundTrip, ImageWiderThanLibpngsDefaultLimitSurvives) {
  // libpng refuses widths above 1,000,000 unless told otherwise.
  const Image image = patterned<std::uint8_t>(1'000'001, 1, 1);
  EXPECT_EQ(decode_8bit(encode_png(image)), image);
}

}  // namespace
}  // namespace imgkit::legacy
