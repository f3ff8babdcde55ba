// Parameter types shared by the legacy implementation, the facades and the bridge.
//
// They live below both sides so that a facade can forward a call unchanged to either
// implementation.
#pragma once

#include <cstdint>
#include <vector>

namespace imgkit {

// Decoders never allocate more than this because a header said so.
struct DecodeLimits {
  std::uint64_t max_pixels = 100'000'000;              // width * height, 100 megapixels by default
  std::uint64_t max_bytes = std::uint64_t{512} << 20;  // placeholder until the decoders check it
};

// PNM encoders write binary rasters (P5/P6) unless asked for plain text (P2/P3).
enum class PnmEncoding { kBinary, kPlain };

// A dense convolution kernel: `width` x `height` float weights, row-major. Both sizes
// must be odd; the anchor is the centre. The weights are applied as given (not flipped,
// not normalised), i.e. a correlation, as imaging libraries conventionally do.
struct Kernel {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::vector<float> weights;
};

enum class ResizeFilter { kNearest, kBilinear };

enum class FlipAxis { kHorizontal, kVertical };

}  // namespace imgkit
