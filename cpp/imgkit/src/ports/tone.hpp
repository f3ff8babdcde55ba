// The tone ports: grayscale, histograms, equalisation, Otsu thresholding.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "component_list.hpp"
#include "imgkit/imgkit.hpp"
#include "imgkit/legacy/tone.hpp"
#include "imgkit_ffi_cxx/tone.h"
#include "port.hpp"
#include "rust_call.hpp"

namespace imgkit::routing {

struct ToGrayscale : Operation<ToGrayscale, Image> {
  static constexpr Declaration declaration{"to_grayscale", kRust, kExact, 0};
  static Image legacy(const Image& image) { return legacy::to_grayscale(image); }
  static RustResult<Image> rust(const Image& image) {
    return rust_to_gray(ffi::to_grayscale, image);
  }
  static Image facade(const Image& image) { return imgkit::to_grayscale(image); }
};

struct HistogramPort : Operation<HistogramPort, std::vector<Histogram>> {
  static constexpr Declaration declaration{"histogram", kRust, kExact, 0};
  static std::vector<Histogram> legacy(const Image& image) { return legacy::histogram(image); }
  static RustResult<std::vector<Histogram>> rust(const Image& image) {
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
  static std::vector<Histogram> facade(const Image& image) { return imgkit::histogram(image); }
};

struct Equalize : Operation<Equalize, Image> {
  static constexpr Declaration declaration{"equalize", kRust, kExact, 0};
  static Image legacy(const Image& image) { return legacy::equalize(image); }
  static RustResult<Image> rust(const Image& image) { return rust_filter(ffi::equalize, image); }
  static Image facade(const Image& image) { return imgkit::equalize(image); }
};

struct OtsuLevel : Operation<OtsuLevel, std::uint8_t> {
  static constexpr Declaration declaration{"otsu_level", kRust, kExact, 0};
  static std::uint8_t legacy(const Image& image) { return legacy::otsu_level(image); }
  static RustResult<std::uint8_t> rust(const Image& image) {
    std::uint8_t level = 0;
    const ffi::KernelStatus status = ffi::otsu_level(shape_of(image), samples_of(image), level);
    return answer_or_error(status, std::move(level));
  }
  static std::uint8_t facade(const Image& image) { return imgkit::otsu_level(image); }
};

struct OtsuThreshold : Operation<OtsuThreshold, Image> {
  static constexpr Declaration declaration{"otsu_threshold", kRust, kExact, 0};
  static Image legacy(const Image& image) { return legacy::otsu_threshold(image); }
  static RustResult<Image> rust(const Image& image) {
    return rust_to_gray(ffi::otsu_threshold, image);
  }
  static Image facade(const Image& image) { return imgkit::otsu_threshold(image); }
};

using ToneComponents = Components<ToGrayscale, HistogramPort, Equalize, OtsuLevel, OtsuThreshold>;

}  // namespace imgkit::routing
