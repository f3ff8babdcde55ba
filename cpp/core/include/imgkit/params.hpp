// Parameter types shared by the legacy implementation, the facades and the bridge.
//
// They live below both sides so that a facade can forward a call unchanged to either
// implementation.
#pragma once

#include <cstdint>
#include <vector>

namespace imgkit {

// The default DecodeLimits::max_pixels: 100 megapixels.
inline constexpr std::uint64_t kDefaultMaxDecodePixels = 100'000'000;

// The default DecodeLimits::max_bytes: 512 MiB of decoded samples, e.g. 16384 x 8192 RGBA
// at 8 bits or 8192 x 8192 RGBA at 16 bits. Chosen so that the largest image the default
// pixel limit admits at 8 bits RGBA (400 MB) decodes, while a small file declaring
// 100 megapixels of RGBA at 16 bits (800 MB) does not.
inline constexpr std::uint64_t kDefaultMaxDecodeBytes = std::uint64_t{512} << 20;

// What a decoder accepts, judged from the header before anything of the image's size is
// allocated; over either limit is ErrorCategory::kLimitExceeded. The legacy and the Rust
// decoders apply the same limits, pixels first, and reach the same verdict.
//
//   imgkit::DecodeLimits limits;
//   limits.max_bytes = std::uint64_t{64} << 20;  // refuse images over 64 MiB of samples
//   imgkit::DecodedImage image = imgkit::decode_png(bytes, limits);
struct DecodeLimits {
  // width * height.
  std::uint64_t max_pixels = kDefaultMaxDecodePixels;
  // Decoded sample bytes: width * height * channels * bytes per sample (1 or 2), i.e. the
  // size of the buffer the decoder returns, counted in the channels and depth it returns
  // (a palette image as 3 or 4 channels, 1-bit gray as 8-bit). A decode's peak memory is
  // this buffer plus scratch of a few rows (see imgkit/legacy/codecs.hpp).
  std::uint64_t max_bytes = kDefaultMaxDecodeBytes;
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
