#include "decode_limits.hpp"

#include <limits>
#include <string>

#include "imgkit/error.hpp"

namespace imgkit::legacy::detail {

void check_pixel_limit(const char* format, std::uint32_t width, std::uint32_t height,
                       const DecodeLimits& limits) {
  // Both factors are below 2^32: the product fits.
  if (std::uint64_t{width} * height > limits.max_pixels) {
    throw Error(ErrorCategory::kLimitExceeded,
                std::string(format) + ": " + std::to_string(width) + "x" + std::to_string(height) +
                    " image exceeds the limit of " + std::to_string(limits.max_pixels) + " pixels");
  }
}

void check_byte_limit(const char* format, std::uint32_t width, std::uint32_t height,
                      std::uint32_t channels, std::uint32_t bit_depth, const DecodeLimits& limits) {
  const std::uint64_t pixels = std::uint64_t{width} * height;
  const std::uint64_t bytes_per_pixel = std::uint64_t{channels} * (bit_depth / 8);
  // pixels * bytes_per_pixel > max_bytes, without computing a product that can wrap
  // (a raised max_pixels admits 2^64 - 2^33 + 1 pixels, 8 bytes each).
  if (pixels <= limits.max_bytes / bytes_per_pixel) {
    return;
  }
  constexpr std::uint64_t kMaxBytes = std::numeric_limits<std::uint64_t>::max();
  const std::string needed = pixels > kMaxBytes / bytes_per_pixel
                                 ? "more than " + std::to_string(kMaxBytes)
                                 : std::to_string(pixels * bytes_per_pixel);
  throw Error(ErrorCategory::kLimitExceeded,
              std::string(format) + ": image needs " + needed + " bytes (" + std::to_string(width) +
                  "x" + std::to_string(height) + ", " + std::to_string(channels) +
                  (channels == 1 ? " channel, " : " channels, ") + std::to_string(bit_depth) +
                  "-bit), over the " + std::to_string(limits.max_bytes) +
                  "-byte limit (max_bytes)");
}

}  // namespace imgkit::legacy::detail
