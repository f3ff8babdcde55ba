// libFuzzer target: the same bytes to the legacy decoder and to the Rust decoder (as its
// port calls it, through the bridge), for PNM and for PNG (every input goes to both formats), and
// abort() when the answers disagree beyond the error-category rule:
//
//   both accept   the same width, height, channels and depth, and identical samples;
//   both reject   the same imgkit::ErrorCategory;
//   otherwise     a disagreement, and so is any Rust failure but an input error (a
//                 panic caught at the bridge, an internal error).
//
// Both get the same limits, chosen by the input's size (limits_for): the fuzz limits for
// 14 sizes in 32, else 2^k - 1 pixels (k = size % 32 < 18) with 2^(k + 1) - 1 bytes when
// size / 32 is odd (the byte limit then bites at 3 or 4 channels, or 16 bits), so that
// both limit checks meet every other check whose order decides a category.
//
// Coverage feedback comes from the C++ side only (legacy, libpng's callers, the bridge
// and the cxx glue): the Rust staticlib is built by Corrosion without sanitizer-coverage
// instrumentation. The cargo-fuzz targets (fuzz/fuzz_targets/) cover the Rust decoders'
// own branches.
//
//   build/fuzz/fuzz/differential_fuzzer CORPUS_DIR SEED_DIR -max_total_time=60
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <variant>

#include "components.hpp"
#include "fuzz_limits.hpp"
#include "imgkit/error.hpp"
#include "imgkit/image.hpp"
#include "imgkit/legacy/codecs.hpp"

namespace imgkit::fuzz {
namespace {

enum class Format { kPnm, kPng };

DecodeLimits limits_for(std::size_t size) {
  const std::size_t shift = size % 32;
  if (shift >= 18) return kFuzzLimits;
  DecodeLimits limits{(std::uint64_t{1} << shift) - 1, kFuzzLimits.max_bytes};
  if ((size / 32) % 2 == 1) limits.max_bytes = (std::uint64_t{1} << (shift + 1)) - 1;
  return limits;
}

const char* name_of(Format format) { return format == Format::kPng ? "PNG" : "PNM"; }

[[noreturn]] void disagree(Format format, const std::string& what) {
  std::fprintf(stderr, "differential_fuzzer: %s decoders disagree: %s\n", name_of(format),
               what.c_str());
  std::abort();
}

std::string shape_of(const DecodedImage& decoded) {
  return std::visit(
      [](const auto& image) {
        using Sample = typename std::decay_t<decltype(image)>::sample_type;
        return std::to_string(image.width()) + "x" + std::to_string(image.height()) + "x" +
               std::to_string(image.channels()) + " " + std::to_string(sizeof(Sample) * 8) + "-bit";
      },
      decoded);
}

template <class Sample>
void compare_samples(Format format, const Raster<Sample>& legacy, const Raster<Sample>& rust) {
  const auto first = std::mismatch(legacy.samples().begin(), legacy.samples().end(),
                                   rust.samples().begin(), rust.samples().end());
  if (first.first == legacy.samples().end()) return;
  const auto index = static_cast<std::size_t>(first.first - legacy.samples().begin());
  disagree(format, "sample " + std::to_string(index) + " of " + std::to_string(legacy.size()) +
                       ": legacy " + std::to_string(*first.first) + ", rust " +
                       std::to_string(*first.second));
}

void compare_images(Format format, const DecodedImage& legacy, const DecodedImage& rust) {
  if (shape_of(legacy) != shape_of(rust)) {
    disagree(format, "legacy decoded " + shape_of(legacy) + ", rust " + shape_of(rust));
  }
  if (const auto* eight = std::get_if<Image>(&legacy)) {
    compare_samples(format, *eight, std::get<Image>(rust));
  } else {
    compare_samples(format, std::get<Image16>(legacy), std::get<Image16>(rust));
  }
}

void compare_decoders(Format format, const legacy::Bytes& bytes) {
  const DecodeLimits limits = limits_for(bytes.size());
  DecodedImage legacy_image{Image(1, 1, 1)};
  bool legacy_ok = true;
  ErrorCategory legacy_category = ErrorCategory::kInternal;
  std::string legacy_message;
  try {
    legacy_image = format == Format::kPng ? legacy::decode_png(bytes, limits)
                                          : legacy::decode_pnm(bytes, limits);
  } catch (const Error& error) {
    legacy_ok = false;
    legacy_category = error.category();
    legacy_message = error.what();
  }

  const routing::RustResult<DecodedImage> rust = format == Format::kPng
                                                     ? routing::DecodePng::rust(bytes, limits)
                                                     : routing::DecodePnm::rust(bytes, limits);
  const auto* rust_image = std::get_if<DecodedImage>(&rust);
  ErrorCategory rust_category = ErrorCategory::kInternal;
  std::string rust_message;
  if (const auto* error = std::get_if<switchyard::RustError>(&rust)) {
    rust_message = error->message;
    if (error->kind != switchyard::RustFailure::kInputError) {
      disagree(format, "rust failed: " + rust_message);
    }
    try {
      std::rethrow_exception(error->caller_error);
    } catch (const Error& caller_error) {
      rust_category = caller_error.category();
    }
  }
  const std::string legacy_said = legacy_ok ? "legacy decoded " + shape_of(legacy_image)
                                            : "legacy rejected it (" +
                                                  std::string(to_string(legacy_category)) + ": " +
                                                  legacy_message + ")";
  const std::string rust_said = rust_image != nullptr
                                    ? "rust decoded " + shape_of(*rust_image)
                                    : "rust rejected it (" + std::string(to_string(rust_category)) +
                                          ": " + rust_message + ")";
  if (legacy_ok != (rust_image != nullptr)) disagree(format, legacy_said + "; " + rust_said);
  if (legacy_ok) {
    compare_images(format, legacy_image, *rust_image);
  } else if (legacy_category != rust_category) {
    disagree(format, "different categories: " + legacy_said + "; " + rust_said);
  }
}

}  // namespace
}  // namespace imgkit::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // SAFETY: libFuzzer passes `size` readable bytes at `data` (data may be null when
  // size is 0, which the range constructor accepts).
  const imgkit::legacy::Bytes bytes(data, data + size);
  imgkit::fuzz::compare_decoders(imgkit::fuzz::Format::kPnm, bytes);
  imgkit::fuzz::compare_decoders(imgkit::fuzz::Format::kPng, bytes);
  return 0;
}
