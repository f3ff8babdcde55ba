// libFuzzer target: the legacy PNM and PNG decoders (imgkit::legacy, libpng for PNG) on
// every input. Built with ASan + UBSan, so a crash, an out-of-bounds access, undefined
// behaviour or a leak (LeakSanitizer, on by default) is a finding. An imgkit::Error is a
// correct outcome; any other exception escapes and is reported as a crash.
//
// On success it checks the decoded image: 1 to 4 channels as documented (1 or 3 for
// PNM), width and height >= 1, width * height within the limit, and on small images that
// the legacy encoder's file decodes back to the same image.
//
//   build/fuzz/fuzz/legacy_decoders_fuzzer CORPUS_DIR SEED_DIR -max_total_time=60
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <variant>

#include "fuzz_limits.hpp"
#include "imgkit/error.hpp"
#include "imgkit/image.hpp"
#include "imgkit/legacy/codecs.hpp"

namespace imgkit::fuzz {
namespace {

[[noreturn]] void fail(const char* format_name, const char* what) {
  std::fprintf(stderr, "legacy_decoders_fuzzer: %s: %s\n", format_name, what);
  std::abort();
}

enum class Format { kPnm, kPng };

template <class Sample>
void check_image(Format format, const Raster<Sample>& image) {
  const char* name = format == Format::kPng ? "PNG" : "PNM";
  const std::uint32_t channels = image.channels();
  const bool known_channels =
      channels == 1 || channels == 3 || (channels == 4 && format == Format::kPng);
  if (!known_channels) fail(name, "decoded an undocumented channel count");
  if (image.width() == 0 || image.height() == 0) fail(name, "decoded an empty image");
  if (image.pixel_count() > kFuzzLimits.max_pixels) fail(name, "decoded past the pixel limit");
  if (image.size() * sizeof(Sample) > kFuzzLimits.max_bytes) {
    fail(name, "decoded past the byte limit");
  }
  if (image.size() != image.pixel_count() * channels) fail(name, "sample count != w*h*c");
  if (image.size() > kRoundTripSamples) return;

  // The legacy encoders are the decoders' inverse for every image they can write.
  legacy::Bytes encoded;
  if (format == Format::kPng) {
    encoded = legacy::encode_png(image);
  } else {
    encoded = legacy::encode_pnm(image);
  }
  const DecodedImage again =
      format == Format::kPng ? legacy::decode_png(encoded) : legacy::decode_pnm(encoded);
  const auto* same_depth = std::get_if<Raster<Sample>>(&again);
  if (same_depth == nullptr || *same_depth != image) {
    fail(name, "the encode / decode round trip changed the image");
  }
}

void decode(Format format, const legacy::Bytes& bytes) {
  DecodedImage image{Image(1, 1, 1)};
  try {
    image = format == Format::kPng ? legacy::decode_png(bytes, kFuzzLimits)
                                   : legacy::decode_pnm(bytes, kFuzzLimits);
  } catch (const Error&) {
    return;  // a rejection is a fine answer to arbitrary bytes
  }
  std::visit([format](const auto& raster) { check_image(format, raster); }, image);
}

}  // namespace
}  // namespace imgkit::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // SAFETY: libFuzzer passes `size` readable bytes at `data` (data may be null when
  // size is 0, which the range constructor accepts).
  const imgkit::legacy::Bytes bytes(data, data + size);
  imgkit::fuzz::decode(imgkit::fuzz::Format::kPnm, bytes);
  imgkit::fuzz::decode(imgkit::fuzz::Format::kPng, bytes);
  return 0;
}
