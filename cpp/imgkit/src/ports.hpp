// Every component's two implementations side by side: a port names its component, its
// answer type, the legacy call, the Rust call (the cxx function of bridge/imgkit-ffi,
// a RustResult instead of an exception) and how the two answers are compared. The facades route a
// port's calls through switchyard; the parity runner calls both sides directly.
#pragma once

#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

#include "compare.hpp"
#include "components.hpp"
#include "imgkit/image.hpp"
#include "imgkit/legacy/codecs.hpp"
#include "imgkit/legacy/filters.hpp"
#include "imgkit/legacy/geometry.hpp"
#include "imgkit/legacy/tone.hpp"
#include "imgkit/params.hpp"
#include "rust_call.hpp"
#include "switchyard/router.hpp"

namespace imgkit::routing {

using legacy::Bytes;
using legacy::Histogram;

// How many pixels a call's input or answer holds, for the call's size (below). Encoded
// files, histograms and levels are not pixels. An answer type without an overload here
// does not compile: its size is a decision, not a default.
template <class Sample>
std::uint64_t pixel_count_of(const Raster<Sample>& image) {
  return image.pixel_count();
}
inline std::uint64_t pixel_count_of(const DecodedImage& image) {
  return std::visit([](const auto& raster) { return pixel_count_of(raster); }, image);
}
inline std::uint64_t pixel_count_of(const Bytes& /*encoded*/) { return 0; }
inline std::uint64_t pixel_count_of(const std::vector<Histogram>& /*counts*/) { return 0; }
inline std::uint64_t pixel_count_of(std::uint8_t /*level*/) { return 0; }

// What every port shares: its component, its answer type and, unless it says otherwise,
// the comparison for that type and the call's size.
template <Component C, class A>
struct Port {
  static constexpr Component kComponent = C;
  using Answer = A;
  static std::optional<switchyard::MismatchRecord> compare(const A& legacy, const A& rust,
                                                           std::uint32_t tolerance) {
    return compare_answers(legacy, rust, tolerance);
  }
  // The call's size for the slow-call limit (switchyard/slow_call.hpp): pixels read plus
  // pixels written. A decoder: the decoded image's; an encoder: the input image's;
  // histogram and otsu_level: the input's; filters, resize and rotation: input plus
  // output.
  template <class Input>
  static std::uint64_t pixels(const Input& input, const A& answer) {
    return pixel_count_of(input) + pixel_count_of(answer);
  }
};

// ---- Codecs --------------------------------------------------------------------------

struct DecodePnm : Port<Component::kDecodePnm, DecodedImage> {
  static DecodedImage legacy(const Bytes& bytes, const DecodeLimits& limits) {
    return legacy::decode_pnm(bytes, limits);
  }
  static RustResult<DecodedImage> rust(const Bytes& bytes, const DecodeLimits& limits);
};

struct DecodePng : Port<Component::kDecodePng, DecodedImage> {
  static DecodedImage legacy(const Bytes& bytes, const DecodeLimits& limits) {
    return legacy::decode_png(bytes, limits);
  }
  static RustResult<DecodedImage> rust(const Bytes& bytes, const DecodeLimits& limits);
};

struct EncodePnm : Port<Component::kEncodePnm, Bytes> {
  template <class Sample>
  static Bytes legacy(const Raster<Sample>& image, PnmEncoding encoding) {
    return legacy::encode_pnm(image, encoding);
  }
  static RustResult<Bytes> rust(const Image& image, PnmEncoding encoding);
  static RustResult<Bytes> rust(const Image16& image, PnmEncoding encoding);
};

struct EncodePng : Port<Component::kEncodePng, Bytes> {
  template <class Sample>
  static Bytes legacy(const Raster<Sample>& image) {
    return legacy::encode_png(image);
  }
  static RustResult<Bytes> rust(const Image& image);
  static RustResult<Bytes> rust(const Image16& image);
  // Two encoders compress differently: equal when the files decode to the same image.
  static std::optional<switchyard::MismatchRecord> compare(const Bytes& legacy, const Bytes& rust,
                                                           std::uint32_t tolerance) {
    return compare_png_files(legacy, rust, tolerance);
  }
};

// ---- Filters -------------------------------------------------------------------------

struct Convolve : Port<Component::kConvolve, Image> {
  static Image legacy(const Image& image, const Kernel& kernel) {
    return legacy::convolve(image, kernel);
  }
  static RustResult<Image> rust(const Image& image, const Kernel& kernel);
};

struct GaussianBlur : Port<Component::kGaussianBlur, Image> {
  static Image legacy(const Image& image, float sigma) {
    return legacy::gaussian_blur(image, sigma);
  }
  static RustResult<Image> rust(const Image& image, float sigma);
};

struct BoxBlur : Port<Component::kBoxBlur, Image> {
  static Image legacy(const Image& image, std::uint32_t radius) {
    return legacy::box_blur(image, radius);
  }
  static RustResult<Image> rust(const Image& image, std::uint32_t radius);
};

struct Sobel : Port<Component::kSobel, Image> {
  static Image legacy(const Image& image) { return legacy::sobel(image); }
  static RustResult<Image> rust(const Image& image);
};

struct UnsharpMask : Port<Component::kUnsharpMask, Image> {
  static Image legacy(const Image& image, float sigma, float amount) {
    return legacy::unsharp_mask(image, sigma, amount);
  }
  static RustResult<Image> rust(const Image& image, float sigma, float amount);
};

// ---- Geometry ------------------------------------------------------------------------

struct Resize : Port<Component::kResize, Image> {
  static Image legacy(const Image& image, std::uint32_t width, std::uint32_t height,
                      ResizeFilter filter) {
    return legacy::resize(image, width, height, filter);
  }
  static RustResult<Image> rust(const Image& image, std::uint32_t width, std::uint32_t height,
                                ResizeFilter filter);
};

struct Flip : Port<Component::kFlip, Image> {
  static Image legacy(const Image& image, FlipAxis axis) { return legacy::flip(image, axis); }
  static RustResult<Image> rust(const Image& image, FlipAxis axis);
};

struct Rotate90 : Port<Component::kRotate90, Image> {
  static Image legacy(const Image& image) { return legacy::rotate90(image); }
  static RustResult<Image> rust(const Image& image);
};

// ---- Tone ----------------------------------------------------------------------------

struct ToGrayscale : Port<Component::kToGrayscale, Image> {
  static Image legacy(const Image& image) { return legacy::to_grayscale(image); }
  static RustResult<Image> rust(const Image& image);
};

struct HistogramPort : Port<Component::kHistogram, std::vector<Histogram>> {
  static std::vector<Histogram> legacy(const Image& image) { return legacy::histogram(image); }
  static RustResult<std::vector<Histogram>> rust(const Image& image);
};

struct Equalize : Port<Component::kEqualize, Image> {
  static Image legacy(const Image& image) { return legacy::equalize(image); }
  static RustResult<Image> rust(const Image& image);
};

struct OtsuLevel : Port<Component::kOtsuLevel, std::uint8_t> {
  static std::uint8_t legacy(const Image& image) { return legacy::otsu_level(image); }
  static RustResult<std::uint8_t> rust(const Image& image);
};

struct OtsuThreshold : Port<Component::kOtsuThreshold, Image> {
  static Image legacy(const Image& image) { return legacy::otsu_threshold(image); }
  static RustResult<Image> rust(const Image& image);
};

}  // namespace imgkit::routing
