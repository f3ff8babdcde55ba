// Regression tests for what fuzzing the legacy decoders found (fuzz/, ci/fuzz.sh). Each
// input is written out here byte for byte.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <string>
#include <variant>
#include <vector>

#include "imgkit/error.hpp"
#include "imgkit/legacy/codecs.hpp"
#include "support/error_expectations.hpp"

namespace imgkit::legacy {
namespace {

using imgkit::testing::ThrowsImgkitError;

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

const Bytes kSignature = {0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a};
// IHDR of a 1x1 8-bit gray image, CRC included.
const Bytes kIhdr1x1Gray = {0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00,
                            0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00,
                            0x00, 0x00, 0x00, 0x3a, 0x7e, 0x9b, 0x55};
// IDAT holding that image's one row (filter 0, sample 0x7f), CRC included.
const Bytes kIdat1x1 = {0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63,
                        0xa8, 0x07, 0x00, 0x00, 0x81, 0x00, 0x80, 0xd3, 0x94, 0x53, 0x4a};

// VmPeak of /proc/self/status: the most address space this process has held, in KiB.
std::uint64_t peak_address_space_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmPeak:", 0) == 0) return std::stoull(line.substr(7));
  }
  return 0;
}

// Decodes `bytes` and exits 0 when that grew the process's peak address space by less
// than 64 MiB, 1 otherwise. Meant for a death-test child: a fork starts with its peak at
// its size, so what a decode reserves (even untouched) shows.
[[noreturn]] void decode_and_exit_on_peak_growth(const Bytes& bytes) {
  const std::uint64_t before = peak_address_space_kib();
  try {
    decode_png(bytes);
  } catch (const Error&) {
  }
  const std::uint64_t grown = peak_address_space_kib() - before;
  std::fprintf(stderr, "peak address space grew by %llu KiB\n",
               static_cast<unsigned long long>(grown));
  std::exit(before != 0 && grown < 64 * 1024 ? 0 : 1);
}

// Found by differential_fuzzer: libpng allocated a buffer of a chunk's declared length
// (2^31 - 1 bytes for this tEXt) before reading it, warning only that the chunk was too
// large, and failed on the truncation afterwards. A 40-byte file reserved 2 GiB.
const Bytes kTextChunkClaimingTwoGibibytes = concat(
    {kSignature, kIhdr1x1Gray, {0x7f, 0xff, 0xff, 0xff, 0x74, 0x45, 0x58, 0x74, 0x6b, 0x00}});

TEST(LegacyPngFuzzRegression, ChunkLongerThanTheInputIsTruncatedData) {
  EXPECT_THAT([] { decode_png(kTextChunkClaimingTwoGibibytes); },
              ThrowsImgkitError(ErrorCategory::kMalformedData, {"truncated data"}));
}

TEST(LegacyPngFuzzRegression, ChunkLongerThanTheInputAllocatesNothingOfItsLength) {
  EXPECT_EXIT(decode_and_exit_on_peak_growth(kTextChunkClaimingTwoGibibytes),
              ::testing::ExitedWithCode(0), "peak address space grew by");
}

// The same for an iTXt claiming 1 GiB (zTXt, sPLT and eXIf were alike; after the image
// data libpng skips such chunks without allocating).
const Bytes kItxtClaimingOneGibibyte = concat(
    {kSignature, kIhdr1x1Gray, {0x40, 0x00, 0x00, 0x00, 0x69, 0x54, 0x58, 0x74, 0x6b, 0x00}});

TEST(LegacyPngFuzzRegression, ItxtLongerThanTheInputIsTruncatedDataAndAllocatesNothingOfIt) {
  EXPECT_THAT([] { decode_png(kItxtClaimingOneGibibyte); },
              ThrowsImgkitError(ErrorCategory::kMalformedData, {"truncated data"}));
  EXPECT_EXIT(decode_and_exit_on_peak_growth(kItxtClaimingOneGibibyte),
              ::testing::ExitedWithCode(0), "peak address space grew by");
}

// The check leaves IDAT alone (its data is streamed, not allocated): a truncated IDAT is
// still read only after the pixel limit is checked, so an image over the limit is
// kLimitExceeded however its data ends, as before and as in the Rust decoder.
TEST(LegacyPngFuzzRegression, TruncatedImageDataStillComesAfterThePixelLimit) {
  const Bytes truncated_idat =
      concat({kSignature, kIhdr1x1Gray, {0x00, 0x01, 0x00, 0x00, 0x49, 0x44, 0x41, 0x54, 0x78}});
  EXPECT_THAT([&] { decode_png(truncated_idat, DecodeLimits{0}); },
              ThrowsImgkitError(ErrorCategory::kLimitExceeded));
  EXPECT_THAT([&] { decode_png(truncated_idat); },
              ThrowsImgkitError(ErrorCategory::kMalformedData, {"truncated data"}));
}

// A well-formed file still decodes: the chunk walk agrees with libpng's.
TEST(LegacyPngFuzzRegression, WellFormedFileStillDecodes) {
  const Bytes iend = {0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
  const DecodedImage image = decode_png(concat({kSignature, kIhdr1x1Gray, kIdat1x1, iend}));
  ASSERT_TRUE(std::holds_alternative<Image>(image));
  EXPECT_EQ(std::get<Image>(image).samples(), std::vector<std::uint8_t>{0x7f});
}

}  // namespace
}  // namespace imgkit::legacy
