// DecodeLimits across the boundary: both fields reach the Rust decoders as set, and the
// Rust codecs' own defaults are C++'s (the one place a drift between the two could hide).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "imgkit/bridge/codecs.hpp"
#include "imgkit/error.hpp"
#include "imgkit/params.hpp"

namespace imgkit::bridge {
namespace {

// 3x2 gray, 8 bits: 6 pixels, 6 bytes.
const Bytes kSixBytes = [] {
  const std::string text = "P2 3 2 255 1 2 3 4 5 6";
  return Bytes(text.begin(), text.end());
}();

Status decode(const DecodeLimits& limits) {
  DecodedImage image{Image(1, 1, 1)};
  return decode_pnm(kSixBytes, limits, image);
}

TEST(BridgeDecodeLimits, RustDefaultsAreCppDefaults) {
  const DecodeLimits rust = rust_default_decode_limits();
  const DecodeLimits cpp{};
  EXPECT_EQ(rust.max_pixels, cpp.max_pixels);
  EXPECT_EQ(rust.max_bytes, cpp.max_bytes);
  EXPECT_EQ(cpp.max_pixels, kDefaultMaxDecodePixels);
  EXPECT_EQ(cpp.max_bytes, std::uint64_t{512} * 1024 * 1024);
}

TEST(BridgeDecodeLimits, EachFieldReachesRustAsSet) {
  DecodeLimits bytes_only;
  bytes_only.max_bytes = 5;
  const Status over_bytes = decode(bytes_only);
  EXPECT_EQ(over_bytes.code, StatusCode::kInvalidInput);
  EXPECT_EQ(over_bytes.category, ErrorCategory::kLimitExceeded);
  EXPECT_NE(over_bytes.message.find("over the 5-byte limit (max_bytes)"), std::string::npos)
      << over_bytes.message;

  DecodeLimits pixels_only;
  pixels_only.max_pixels = 5;
  const Status over_pixels = decode(pixels_only);
  EXPECT_EQ(over_pixels.category, ErrorCategory::kLimitExceeded);
  EXPECT_NE(over_pixels.message.find("limit of 5 pixels"), std::string::npos)
      << over_pixels.message;

  DecodeLimits exact;
  exact.max_pixels = 6;
  exact.max_bytes = 6;
  EXPECT_TRUE(decode(exact).ok());
}

}  // namespace
}  // namespace imgkit::bridge
