#include "imgkit/bridge/codecs.hpp"

#include <utility>

#include "bridge_support.hpp"
#include "imgkit_ffi_cxx/codecs.h"
#include "rust/cxx.h"

namespace imgkit::bridge {
namespace {

using detail::from_ffi;
using detail::samples_of;
using detail::shape_of;

rust::Slice<const std::uint8_t> bytes_of(const Bytes& bytes) {
  return {bytes.data(), bytes.size()};
}

// Adding a field to DecodeLimits changes its size; the cxx struct must follow (and the
// Rust side's exhaustive conversion to imgkit_codecs::Limits with it).
static_assert(sizeof(DecodeLimits) == sizeof(ffi::DecodeLimits),
              "imgkit::DecodeLimits and imgkit::ffi::DecodeLimits have different fields");

ffi::DecodeLimits limits_of(const DecodeLimits& limits) {
  return ffi::DecodeLimits{limits.max_pixels, limits.max_bytes};
}

// Step 1 in Rust (header and limits), the allocation here, step 2 in Rust.
Status decode(ffi::Codec codec, const Bytes& bytes, const DecodeLimits& limits, DecodedImage& out) {
  const ffi::DecodeLimits checked = limits_of(limits);
  ffi::DecodedHeader header;
  Status status = from_ffi(ffi::read_header(codec, bytes_of(bytes), checked, header));
  if (!status.ok()) return status;
  if (header.sixteen_bit) {
    Image16 image(header.width, header.height, header.channels);
    status = from_ffi(ffi::decode_u16(codec, bytes_of(bytes), checked, samples_of(image)));
    if (status.ok()) out = std::move(image);
  } else {
    Image image(header.width, header.height, header.channels);
    status = from_ffi(ffi::decode_u8(codec, bytes_of(bytes), checked, samples_of(image)));
    if (status.ok()) out = std::move(image);
  }
  return status;
}

ffi::KernelStatus encode_samples(ffi::Codec codec, const Image& image, bool plain,
                                 rust::Vec<std::uint8_t>& encoded) {
  return ffi::encode_u8(codec, shape_of(image), samples_of(image), plain, encoded);
}
ffi::KernelStatus encode_samples(ffi::Codec codec, const Image16& image, bool plain,
                                 rust::Vec<std::uint8_t>& encoded) {
  return ffi::encode_u16(codec, shape_of(image), samples_of(image), plain, encoded);
}

template <class Sample>
Status encode(ffi::Codec codec, const Raster<Sample>& image, bool plain, Bytes& out) {
  rust::Vec<std::uint8_t> encoded;
  Status status = from_ffi(encode_samples(codec, image, plain, encoded));
  if (status.ok()) out.assign(encoded.begin(), encoded.end());
  return status;
}

}  // namespace

Status decode_pnm(const Bytes& bytes, const DecodeLimits& limits, DecodedImage& out) {
  return decode(ffi::Codec::Pnm, bytes, limits, out);
}

Status decode_png(const Bytes& bytes, const DecodeLimits& limits, DecodedImage& out) {
  return decode(ffi::Codec::Png, bytes, limits, out);
}

Status encode_pnm(const Image& image, PnmEncoding encoding, Bytes& out) {
  return encode(ffi::Codec::Pnm, image, encoding == PnmEncoding::kPlain, out);
}

Status encode_pnm(const Image16& image, PnmEncoding encoding, Bytes& out) {
  return encode(ffi::Codec::Pnm, image, encoding == PnmEncoding::kPlain, out);
}

Status encode_png(const Image& image, Bytes& out) {
  return encode(ffi::Codec::Png, image, false, out);
}

Status encode_png(const Image16& image, Bytes& out) {
  return encode(ffi::Codec::Png, image, false, out);
}

DecodeLimits rust_default_decode_limits() {
  const ffi::DecodeLimits limits = ffi::default_decode_limits();
  return DecodeLimits{limits.max_pixels, limits.max_bytes};
}

}  // namespace imgkit::bridge
