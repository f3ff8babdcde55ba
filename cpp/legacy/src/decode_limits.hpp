// Internal to imgkit_legacy: the DecodeLimits checks both decoders make from the header,
// before anything of the image's size exists, so that the rules and their messages are
// written once (the Rust decoders word them the same way: rust/imgkit-codecs/src/header.rs).
#pragma once

#include <cstdint>

#include "imgkit/params.hpp"

namespace imgkit::legacy::detail {

// Throws kLimitExceeded "<format>: WxH image exceeds the limit of N pixels" when
// width * height is above limits.max_pixels.
void check_pixel_limit(const char* format, std::uint32_t width, std::uint32_t height,
                       const DecodeLimits& limits);

// Throws kLimitExceeded when the decoded samples, width * height * channels *
// (bit_depth / 8), are above limits.max_bytes, e.g. "PNG: image needs 800000000 bytes
// (10000x10000, 4 channels, 16-bit), over the 536870912-byte limit (max_bytes)". A size
// beyond 2^64 - 1 is over every limit ("needs more than 18446744073709551615 bytes").
// channels and bit_depth are those of the decoded image (1, 3 or 4; 8 or 16).
void check_byte_limit(const char* format, std::uint32_t width, std::uint32_t height,
                      std::uint32_t channels, std::uint32_t bit_depth, const DecodeLimits& limits);

}  // namespace imgkit::legacy::detail
