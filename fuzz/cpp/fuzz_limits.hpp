// What the C++ fuzz targets share: the decode limit that keeps their memory bounded and
// the size under which they also run the slower checks.
#pragma once

#include <cstddef>

#include "imgkit/params.hpp"

namespace imgkit::fuzz {

// 2^18 pixels and 1 MiB, as the cargo-fuzz targets use (fuzz/src/lib.rs): every seed
// fits, and the byte limit bites below the pixel limit (a 512 x 512 image is 2 MiB at 4
// channels x 16 bits, exactly 1 MiB at 4 channels x 8 bits), so both checks are fuzzed.
inline constexpr DecodeLimits kFuzzLimits{std::uint64_t{1} << 18, std::uint64_t{1} << 20};

// Images up to this many samples also make the encode / decode round trip (encoding costs
// more than decoding; the cargo-fuzz targets use the same bound).
inline constexpr std::size_t kRoundTripSamples = std::size_t{1} << 12;

}  // namespace imgkit::fuzz
