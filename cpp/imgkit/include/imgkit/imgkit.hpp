// imgkit — the public API.
//
// Include this header and call `imgkit::gaussian_blur(image, 2.0f)` and friends. The
// exact semantics of every function (borders, rounding, channels, errors) are written
// once, beside the legacy implementation, in imgkit/legacy/{codecs,filters,geometry,
// tone}.hpp; every implementation behind this API — legacy C++ or Rust — keeps them.
//
// Each function is a facade: switchyard routes every call to the legacy C++ or to the
// Rust kernel as the config file says (see imgkit/routing.hpp and README.md), with
// fallback to legacy whenever the Rust side fails. Callers see one behaviour either way.
//
//   auto bytes = read_file("photo.png");
//   imgkit::Image img = imgkit::to_8bit(imgkit::decode_png(bytes));
//   img = imgkit::sobel(imgkit::gaussian_blur(img, 2.0f));
//   write_file("edges.png", imgkit::encode_png(img));
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "imgkit/error.hpp"
#include "imgkit/image.hpp"
#include "imgkit/legacy/codecs.hpp"
#include "imgkit/legacy/tone.hpp"
#include "imgkit/params.hpp"

namespace imgkit {

using legacy::Bytes;
using legacy::Histogram;

// Codecs (component names decode_pnm, encode_pnm, decode_png, encode_png).
DecodedImage decode_pnm(const Bytes& bytes, const DecodeLimits& limits = {});
Bytes encode_pnm(const Image& image, PnmEncoding encoding = PnmEncoding::kBinary);
Bytes encode_pnm(const Image16& image, PnmEncoding encoding = PnmEncoding::kBinary);
DecodedImage decode_png(const Bytes& bytes, const DecodeLimits& limits = {});
Bytes encode_png(const Image& image);
Bytes encode_png(const Image16& image);

// Filters.
Image convolve(const Image& image, const Kernel& kernel);
Image gaussian_blur(const Image& image, float sigma);
Image box_blur(const Image& image, std::uint32_t radius);
Image sobel(const Image& image);
Image unsharp_mask(const Image& image, float sigma, float amount);
Image median_blur(const Image& image, std::uint32_t radius);

// Geometry.
Image resize(const Image& image, std::uint32_t width, std::uint32_t height, ResizeFilter filter);
Image flip(const Image& image, FlipAxis axis);
Image rotate90(const Image& image);

// Tone.
Image to_grayscale(const Image& image);
std::vector<Histogram> histogram(const Image& image);
Image equalize(const Image& image);
std::uint8_t otsu_level(const Image& image);
Image otsu_threshold(const Image& image);

// The vector instruction set the Rust kernels run at: "avx512", "avx2" or "baseline", the
// best this CPU has unless the environment variable IMGKIT_MAX_SIMD caps it (read once,
// at the first call; the answer is the same at every level, only the speed differs).
std::string rust_simd_level();

}  // namespace imgkit
