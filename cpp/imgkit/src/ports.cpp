#include "ports.hpp"

#include <utility>

#include "imgkit/bridge/codecs.hpp"

namespace imgkit::routing {
namespace {

// Allocates the output (C++ owns it), runs the bridge kernel into it.
template <class Kernel>
RustResult<Image> into_new_image(std::uint32_t width, std::uint32_t height, std::uint32_t channels,
                                 Kernel&& kernel) {
  Image output(width, height, channels);
  bridge::Status status = kernel(output);
  if (!status.ok()) return rust_error(std::move(status));
  return output;
}

template <class Kernel>
RustResult<Image> into_same_shape(const Image& input, Kernel&& kernel) {
  return into_new_image(input.width(), input.height(), input.channels(),
                        std::forward<Kernel>(kernel));
}

template <class Kernel>
RustResult<Image> into_gray(const Image& input, Kernel&& kernel) {
  return into_new_image(input.width(), input.height(), 1, std::forward<Kernel>(kernel));
}

template <class T, class Call>
RustResult<T> answer_of(Call&& call) {
  T answer{};
  bridge::Status status = call(answer);
  if (!status.ok()) return rust_error(std::move(status));
  return answer;
}

RustResult<DecodedImage> decoded_by(bridge::Status (*decode)(const Bytes&, const DecodeLimits&,
                                                             DecodedImage&),
                                    const Bytes& bytes, const DecodeLimits& limits) {
  DecodedImage image{Image(1, 1, 1)};
  bridge::Status status = decode(bytes, limits, image);
  if (!status.ok()) {
    // Legacy's messages name libpng where it judged; a caller of the Rust route learns
    // which decoder judged the file.
    status.message += " (Rust decoder)";
    return rust_error(std::move(status));
  }
  return image;
}

}  // namespace

switchyard::RustError rust_error(bridge::Status status) {
  switch (status.code) {
    case bridge::StatusCode::kInvalidInput: {
      auto caller_error = std::make_exception_ptr(Error(status.category, status.message));
      return {switchyard::RustFailure::kInputError, std::move(status.message),
              std::string(to_string(status.category)), std::move(caller_error)};
    }
    case bridge::StatusCode::kPanic:
      return {switchyard::RustFailure::kPanic, std::move(status.message), {}, {}};
    case bridge::StatusCode::kOk:  // not a failure; listed so the switch stays exhaustive
    case bridge::StatusCode::kInjectedFault:
    case bridge::StatusCode::kInternal:
      break;
  }
  return {switchyard::RustFailure::kError,
          std::string(bridge::to_string(status.code)) + ": " + status.message,
          {},
          {}};
}

// ---- Codecs --------------------------------------------------------------------------

RustResult<DecodedImage> DecodePnm::rust(const Bytes& bytes, const DecodeLimits& limits) {
  return decoded_by(&bridge::decode_pnm, bytes, limits);
}

RustResult<DecodedImage> DecodePng::rust(const Bytes& bytes, const DecodeLimits& limits) {
  return decoded_by(&bridge::decode_png, bytes, limits);
}

RustResult<Bytes> EncodePnm::rust(const Image& image, PnmEncoding encoding) {
  return answer_of<Bytes>([&](Bytes& out) { return bridge::encode_pnm(image, encoding, out); });
}

RustResult<Bytes> EncodePnm::rust(const Image16& image, PnmEncoding encoding) {
  return answer_of<Bytes>([&](Bytes& out) { return bridge::encode_pnm(image, encoding, out); });
}

RustResult<Bytes> EncodePng::rust(const Image& image) {
  return answer_of<Bytes>([&](Bytes& out) { return bridge::encode_png(image, out); });
}

RustResult<Bytes> EncodePng::rust(const Image16& image) {
  return answer_of<Bytes>([&](Bytes& out) { return bridge::encode_png(image, out); });
}

// ---- Filters -------------------------------------------------------------------------

RustResult<Image> Convolve::rust(const Image& image, const Kernel& kernel) {
  return into_same_shape(image, [&](Image& out) { return bridge::convolve(image, kernel, out); });
}

RustResult<Image> GaussianBlur::rust(const Image& image, float sigma) {
  return into_same_shape(image,
                         [&](Image& out) { return bridge::gaussian_blur(image, sigma, out); });
}

RustResult<Image> BoxBlur::rust(const Image& image, std::uint32_t radius) {
  return into_same_shape(image, [&](Image& out) { return bridge::box_blur(image, radius, out); });
}

RustResult<Image> Sobel::rust(const Image& image) {
  return into_gray(image, [&](Image& out) { return bridge::sobel(image, out); });
}

RustResult<Image> UnsharpMask::rust(const Image& image, float sigma, float amount) {
  return into_same_shape(
      image, [&](Image& out) { return bridge::unsharp_mask(image, sigma, amount, out); });
}

// ---- Geometry ------------------------------------------------------------------------

RustResult<Image> Resize::rust(const Image& image, std::uint32_t width, std::uint32_t height,
                               ResizeFilter filter) {
  // Checked before the output is allocated: a rejected size must not cost memory.
  bridge::Status target = bridge::check_resize_target(width, height);
  if (!target.ok()) return rust_error(std::move(target));
  return into_new_image(width, height, image.channels(),
                        [&](Image& out) { return bridge::resize(image, filter, out); });
}

RustResult<Image> Flip::rust(const Image& image, FlipAxis axis) {
  return into_same_shape(image, [&](Image& out) { return bridge::flip(image, axis, out); });
}

RustResult<Image> Rotate90::rust(const Image& image) {
  return into_new_image(image.height(), image.width(), image.channels(),
                        [&](Image& out) { return bridge::rotate90(image, out); });
}

// ---- Tone ----------------------------------------------------------------------------

RustResult<Image> ToGrayscale::rust(const Image& image) {
  return into_gray(image, [&](Image& out) { return bridge::to_grayscale(image, out); });
}

RustResult<std::vector<Histogram>> HistogramPort::rust(const Image& image) {
  return answer_of<std::vector<Histogram>>(
      [&](std::vector<Histogram>& out) { return bridge::histogram(image, out); });
}

RustResult<Image> Equalize::rust(const Image& image) {
  return into_same_shape(image, [&](Image& out) { return bridge::equalize(image, out); });
}

RustResult<std::uint8_t> OtsuLevel::rust(const Image& image) {
  return answer_of<std::uint8_t>(
      [&](std::uint8_t& level) { return bridge::otsu_level(image, level); });
}

RustResult<Image> OtsuThreshold::rust(const Image& image) {
  return into_gray(image, [&](Image& out) { return bridge::otsu_threshold(image, out); });
}

}  // namespace imgkit::routing
