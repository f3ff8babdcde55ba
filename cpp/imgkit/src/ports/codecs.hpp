// The codecs' ports: PNM and PNG, each a decoder and an encoder. A Rust decoder runs in
// two steps across the bridge: Rust reads the header (and checks the limits, before
// anything is allocated), C++ allocates the image it describes, Rust decodes into it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

#include "component_list.hpp"
#include "imgkit/imgkit.hpp"
#include "imgkit/legacy/codecs.hpp"
#include "imgkit_ffi_cxx/codecs.h"
#include "port.hpp"
#include "rust_call.hpp"

namespace imgkit::routing {

// Adding a field to DecodeLimits changes its size; the cxx struct must follow (and the
// Rust side's exhaustive conversion to imgkit_codecs::Limits with it).
static_assert(sizeof(DecodeLimits) == sizeof(ffi::DecodeLimits),
              "imgkit::DecodeLimits and imgkit::ffi::DecodeLimits have different fields");

inline rust::Slice<const std::uint8_t> bytes_of(const Bytes& bytes) {
  return {bytes.data(), bytes.size()};
}

// Legacy's messages name libpng where it judged; a caller of the Rust route learns which
// decoder judged the file.
inline RustResult<DecodedImage> rust_decode(ffi::Codec codec, const Bytes& bytes,
                                            const DecodeLimits& limits) {
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

// PNM: the file's length is bounded from its shape (to within the header's 31 bytes for
// binary), so Rust writes it straight into the Bytes returned (DESIGN invariant 7: C++
// owns the buffer).
inline ffi::KernelStatus rust_encode_pnm_into(const Image& image, bool plain, Bytes& file,
                                              std::size_t& written) {
  return ffi::encode_pnm_u8(shape_of(image), samples_of(image), plain, {file.data(), file.size()},
                            written);
}
inline ffi::KernelStatus rust_encode_pnm_into(const Image16& image, bool plain, Bytes& file,
                                              std::size_t& written) {
  return ffi::encode_pnm_u16(shape_of(image), samples_of(image), plain, {file.data(), file.size()},
                             written);
}

template <class SampleType>
RustResult<Bytes> rust_encode_pnm(const Raster<SampleType>& image, bool plain) {
  constexpr bool kSixteenBit = sizeof(SampleType) == 2;
  // A bound of 0 (more than fits in memory) leaves an empty buffer, which Rust refuses.
  Bytes file(ffi::pnm_encoded_len_bound(shape_of(image), kSixteenBit, plain));
  std::size_t written = 0;
  const ffi::KernelStatus status = rust_encode_pnm_into(image, plain, file, written);
  file.resize(written);
  // Plain text is shorter than its bound by up to half; give the rest back.
  if (plain) file.shrink_to_fit();
  return answer_or_error(status, std::move(file));
}

// PNG: compressed, so its length is known only at the end; Rust returns the file.
inline ffi::KernelStatus rust_encode_png_into(const Image& image, rust::Vec<std::uint8_t>& file) {
  return ffi::encode_png_u8(shape_of(image), samples_of(image), file);
}
inline ffi::KernelStatus rust_encode_png_into(const Image16& image, rust::Vec<std::uint8_t>& file) {
  return ffi::encode_png_u16(shape_of(image), samples_of(image), file);
}

template <class SampleType>
RustResult<Bytes> rust_encode_png(const Raster<SampleType>& image) {
  rust::Vec<std::uint8_t> file;
  const ffi::KernelStatus status = rust_encode_png_into(image, file);
  return answer_or_error(status, Bytes(file.begin(), file.end()));
}

// A decoder whose Rust side is the two-step decode of `codec`.
template <FileFormat F, ffi::Codec codec>
struct RustDecoder : Decoder<F> {
  static RustResult<DecodedImage> rust(const Bytes& bytes, const DecodeLimits& limits) {
    return rust_decode(codec, bytes, limits);
  }
};

struct DecodePnm : RustDecoder<FileFormat::kPnm, ffi::Codec::Pnm> {
  static constexpr Declaration declaration{"decode_pnm", kRust, kExact, 0};
  static DecodedImage legacy(const Bytes& bytes, const DecodeLimits& limits) {
    return legacy::decode_pnm(bytes, limits);
  }
  static DecodedImage facade(const Bytes& bytes, const DecodeLimits& limits) {
    return imgkit::decode_pnm(bytes, limits);
  }
};

struct EncodePnm : Encoder<EncodePnm> {
  static constexpr Declaration declaration{"encode_pnm", kRust, kExact, 0};
  template <class SampleType>
  static Bytes legacy(const Raster<SampleType>& image, PnmEncoding encoding) {
    return legacy::encode_pnm(image, encoding);
  }
  template <class SampleType>
  static RustResult<Bytes> rust(const Raster<SampleType>& image, PnmEncoding encoding) {
    return rust_encode_pnm(image, encoding == PnmEncoding::kPlain);
  }
  template <class SampleType>
  static Bytes facade(const Raster<SampleType>& image, PnmEncoding encoding) {
    return imgkit::encode_pnm(image, encoding);
  }
  template <class SampleType, class Run>
  static void parameter_sets(const Raster<SampleType>& /*image*/, Run&& run) {
    run("binary", PnmEncoding::kBinary);
    run("plain", PnmEncoding::kPlain);
  }
};

struct DecodePng : RustDecoder<FileFormat::kPng, ffi::Codec::Png> {
  static constexpr Declaration declaration{"decode_png", kRust, kExact, 0};
  static DecodedImage legacy(const Bytes& bytes, const DecodeLimits& limits) {
    return legacy::decode_png(bytes, limits);
  }
  static DecodedImage facade(const Bytes& bytes, const DecodeLimits& limits) {
    return imgkit::decode_png(bytes, limits);
  }
};

// Two encoders compress differently: their files are equal when they decode to the same
// image (the exact comparison is of those images).
struct EncodePng : Encoder<EncodePng> {
  static constexpr Declaration declaration{"encode_png", kRust, kExact, 0};
  template <class SampleType>
  static Bytes legacy(const Raster<SampleType>& image) {
    return legacy::encode_png(image);
  }
  template <class SampleType>
  static RustResult<Bytes> rust(const Raster<SampleType>& image) {
    return rust_encode_png(image);
  }
  template <class SampleType>
  static Bytes facade(const Raster<SampleType>& image) {
    return imgkit::encode_png(image);
  }
  static std::optional<switchyard::MismatchRecord> compare(const Bytes& legacy, const Bytes& rust,
                                                           std::uint32_t tolerance) {
    return compare_png_files(legacy, rust, tolerance);
  }
  static DecodedImage comparable(const Bytes& file) { return legacy::decode_png(file); }
};

using CodecComponents = Components<DecodePnm, EncodePnm, DecodePng, EncodePng>;

}  // namespace imgkit::routing
