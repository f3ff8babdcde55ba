// DecodeLimits across the boundary: both fields reach the Rust decoders as set, and the
// Rust codecs' own defaults are C++'s (the one place a drift between the two could hide).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "components.hpp"
#include "imgkit/error.hpp"
#include "imgkit/params.hpp"
#include "imgkit_ffi_cxx/codecs.h"
#include "support/rust_rejection.hpp"

namespace imgkit::routing {
namespace {

using imgkit::testing::Rejection;
using imgkit::testing::rust_rejection;

// 3x2 gray, 8 bits: 6 pixels, 6 bytes.
const Bytes kSixBytes = [] {
  const std::string text = "P2 3 2 255 1 2 3 4 5 6";
  return Bytes(text.begin(), text.end());
}();

RustResult<DecodedImage> decode(const DecodeLimits& limits) {
  return DecodePnm::rust(kSixBytes, limits);
}

Rejection rejection(const RustResult<DecodedImage>& result) {
  return rust_rejection(result).value_or(Rejection{ErrorCategory::kInternal, "not rejected"});
}

TEST(BridgeDecodeLimits, RustDefaultsAreCppDefaults) {
  const ffi::DecodeLimits rust = ffi::default_decode_limits();
  const DecodeLimits cpp{};
  EXPECT_EQ(rust.max_pixels, cpp.max_pixels);
  EXPECT_EQ(rust.max_bytes, cpp.max_bytes);
  EXPECT_EQ(cpp.max_pixels, kDefaultMaxDecodePixels);
  EXPECT_EQ(cpp.max_bytes, std::uint64_t{512} * 1024 * 1024);
}

TEST(BridgeDecodeLimits, EachFieldReachesRustAsSet) {
  DecodeLimits bytes_only;
  bytes_only.max_bytes = 5;
  const auto [bytes_category, bytes_message] = rejection(decode(bytes_only));
  EXPECT_EQ(bytes_category, ErrorCategory::kLimitExceeded);
  EXPECT_NE(bytes_message.find("over the 5-byte limit (max_bytes)"), std::string::npos)
      << bytes_message;

  DecodeLimits pixels_only;
  pixels_only.max_pixels = 5;
  const auto [pixels_category, pixels_message] = rejection(decode(pixels_only));
  EXPECT_EQ(pixels_category, ErrorCategory::kLimitExceeded);
  EXPECT_NE(pixels_message.find("limit of 5 pixels"), std::string::npos) << pixels_message;

  DecodeLimits exact;
  exact.max_pixels = 6;
  exact.max_bytes = 6;
  EXPECT_TRUE(std::holds_alternative<DecodedImage>(decode(exact)));
}

}  // namespace
}  // namespace imgkit::routing
