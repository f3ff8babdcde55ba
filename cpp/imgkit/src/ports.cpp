#include "ports.hpp"

#include <algorithm>
#include <cstddef>
#include <utility>

#include "imgkit_ffi_cxx/codecs.h"
#include "imgkit_ffi_cxx/filters.h"
#include "imgkit_ffi_cxx/geometry.h"
#include "imgkit_ffi_cxx/tone.h"

namespace imgkit::routing {
namespace {

// Adding a field to DecodeLimits changes its size; the cxx struct must follow (and the
// Rust side's exhaustive conversion to imgkit_codecs::Limits with it).
static_assert(sizeof(DecodeLimits) == sizeof(ffi::DecodeLimits),
              "imgkit::DecodeLimits and imgkit::ffi::DecodeLimits have different fields");

rust::Slice<const std::uint8_t> bytes_of(const Bytes& bytes) {
  return {bytes.data(), bytes.size()};
}

// Step 1 in Rust (the header and the limits, before anything is allocated), the image
// allocated here, step 2 in Rust into it. Legacy's messages name libpng where it judged;
// a caller of the Rust route learns which decoder judged the file.
RustResult<DecodedImage> decode(ffi::Codec codec, const Bytes& bytes, const DecodeLimits& limits) {
  constexpr std::string_view kJudge = " (Rust decoder)";
  const ffi::DecodeLimits checked{limits.max_pixels, limits.max_bytes};
  ffi::DecodedHeader header;
  const ffi::KernelStatus found = ffi::read_header(codec, bytes_of(bytes), checked, header);
  if (!ok(found)) return rust_error(found, kJudge);
  const auto decoded = [&](auto image, auto decode_into) -> RustResult<DecodedImage> {
    const ffi::KernelStatus status =
        decode_into(codec, bytes_of(bytes), checked, samples_of(image));
    if (!ok(status)) return rust_error(status, kJudge);
    return DecodedImage(std::move(image));
  };
  if (header.sixteen_bit) {
    return decoded(Image16(header.width, header.height, header.channels), ffi::decode_u16);
  }
  return decoded(Image(header.width, header.height, header.channels), ffi::decode_u8);
}

ffi::KernelStatus encode_samples(ffi::Codec codec, const Image& image, bool plain,
                                 rust::Vec<std::uint8_t>& file) {
  return ffi::encode_u8(codec, shape_of(image), samples_of(image), plain, file);
}
ffi::KernelStatus encode_samples(ffi::Codec codec, const Image16& image, bool plain,
                                 rust::Vec<std::uint8_t>& file) {
  return ffi::encode_u16(codec, shape_of(image), samples_of(image), plain, file);
}

template <class Sample>
RustResult<Bytes> encode(ffi::Codec codec, const Raster<Sample>& image, bool plain) {
  rust::Vec<std::uint8_t> file;
  const ffi::KernelStatus status = encode_samples(codec, image, plain, file);
  return answer_or_error(status, Bytes(file.begin(), file.end()));
}

}  // namespace

// ---- Codecs --------------------------------------------------------------------------

RustResult<DecodedImage> DecodePnm::rust(const Bytes& bytes, const DecodeLimits& limits) {
  return decode(ffi::Codec::Pnm, bytes, limits);
}

RustResult<DecodedImage> DecodePng::rust(const Bytes& bytes, const DecodeLimits& limits) {
  return decode(ffi::Codec::Png, bytes, limits);
}

RustResult<Bytes> EncodePnm::rust(const Image& image, PnmEncoding encoding) {
  return encode(ffi::Codec::Pnm, image, encoding == PnmEncoding::kPlain);
}

RustResult<Bytes> EncodePnm::rust(const Image16& image, PnmEncoding encoding) {
  return encode(ffi::Codec::Pnm, image, encoding == PnmEncoding::kPlain);
}

RustResult<Bytes> EncodePng::rust(const Image& image) {
  return encode(ffi::Codec::Png, image, false);
}

RustResult<Bytes> EncodePng::rust(const Image16& image) {
  return encode(ffi::Codec::Png, image, false);
}

// ---- Filters -------------------------------------------------------------------------

RustResult<Image> Convolve::rust(const Image& image, const Kernel& kernel) {
  const rust::Slice<const float> weights{kernel.weights.data(), kernel.weights.size()};
  return rust_filter(ffi::convolve, image, kernel.width, kernel.height, weights);
}

RustResult<Image> GaussianBlur::rust(const Image& image, float sigma) {
  return rust_filter(ffi::gaussian_blur, image, sigma);
}

RustResult<Image> BoxBlur::rust(const Image& image, std::uint32_t radius) {
  return rust_filter(ffi::box_blur, image, radius);
}

RustResult<Image> Sobel::rust(const Image& image) { return rust_to_gray(ffi::sobel, image); }

RustResult<Image> UnsharpMask::rust(const Image& image, float sigma, float amount) {
  return rust_filter(ffi::unsharp_mask, image, sigma, amount);
}

// ---- Geometry ------------------------------------------------------------------------

RustResult<Image> Resize::rust(const Image& image, std::uint32_t width, std::uint32_t height,
                               ResizeFilter filter) {
  // Checked before the output is allocated: a rejected size must not cost memory.
  const ffi::KernelStatus target = ffi::check_resize_target(width, height);
  if (!ok(target)) return rust_error(target);
  const ffi::ResizeFilter rust_filter =
      filter == ResizeFilter::kNearest ? ffi::ResizeFilter::Nearest : ffi::ResizeFilter::Bilinear;
  return into_image(width, height, image.channels(), [&](Image& out) {
    return ffi::resize(shape_of(image), samples_of(image), rust_filter, shape_of(out),
                       samples_of(out));
  });
}

RustResult<Image> Flip::rust(const Image& image, FlipAxis axis) {
  return rust_filter(
      ffi::flip, image,
      axis == FlipAxis::kHorizontal ? ffi::FlipAxis::Horizontal : ffi::FlipAxis::Vertical);
}

RustResult<Image> Rotate90::rust(const Image& image) {
  return into_image(image.height(), image.width(), image.channels(), [&](Image& out) {
    return ffi::rotate90(shape_of(image), samples_of(image), samples_of(out));
  });
}

// ---- Tone ----------------------------------------------------------------------------

RustResult<Image> ToGrayscale::rust(const Image& image) {
  return rust_to_gray(ffi::to_grayscale, image);
}

RustResult<std::vector<Histogram>> HistogramPort::rust(const Image& image) {
  // Rust fills one flat run of channels x 256 counts; 2 KiB per channel to copy.
  std::vector<std::uint64_t> flat(std::size_t{image.channels()} * 256);
  const ffi::KernelStatus status = ffi::histogram(
      shape_of(image), samples_of(image), rust::Slice<std::uint64_t>{flat.data(), flat.size()});
  if (!ok(status)) return rust_error(status);
  std::vector<Histogram> counts(image.channels());
  for (std::size_t c = 0; c < counts.size(); ++c) {
    std::copy_n(flat.begin() + static_cast<std::ptrdiff_t>(c * 256), 256, counts[c].begin());
  }
  return counts;
}

RustResult<Image> Equalize::rust(const Image& image) { return rust_filter(ffi::equalize, image); }

RustResult<std::uint8_t> OtsuLevel::rust(const Image& image) {
  std::uint8_t level = 0;
  const ffi::KernelStatus status = ffi::otsu_level(shape_of(image), samples_of(image), level);
  return answer_or_error(status, std::move(level));
}

RustResult<Image> OtsuThreshold::rust(const Image& image) {
  return rust_to_gray(ffi::otsu_threshold, image);
}

}  // namespace imgkit::routing
