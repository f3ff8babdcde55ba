// The geometry ports: resize, flip, rotate.
#pragma once

#include <cstdint>

#include "component_list.hpp"
#include "imgkit/imgkit.hpp"
#include "imgkit/legacy/geometry.hpp"
#include "imgkit_ffi_cxx/geometry.h"
#include "port.hpp"
#include "rust_call.hpp"

namespace imgkit::routing {

struct Resize : Operation<Resize, Image> {
  static constexpr Declaration declaration{"resize", kRust, kExact, 0};
  static Image legacy(const Image& image, std::uint32_t width, std::uint32_t height,
                      ResizeFilter filter) {
    return legacy::resize(image, width, height, filter);
  }
  static RustResult<Image> rust(const Image& image, std::uint32_t width, std::uint32_t height,
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
  static Image facade(const Image& image, std::uint32_t width, std::uint32_t height,
                      ResizeFilter filter) {
    return imgkit::resize(image, width, height, filter);
  }
  template <class Run>
  static void parameter_sets(const Image& image, Run&& run) {
    const std::uint32_t w = image.width();
    const std::uint32_t h = image.height();
    run("half bilinear", (w + 1) / 2, (h + 1) / 2, ResizeFilter::kBilinear);
    run("half nearest", (w + 1) / 2, (h + 1) / 2, ResizeFilter::kNearest);
    run("1.5x+1 bilinear", w + w / 2 + 1, h + h / 2 + 1, ResizeFilter::kBilinear);
  }
  template <class Run>
  static void rejected_sets(const Image& image, Run&& run) {
    run("width=0", 0u, image.height(), ResizeFilter::kBilinear);
    run("height=70000", image.width(), 70000u, ResizeFilter::kNearest);
  }
};

struct Flip : Operation<Flip, Image> {
  static constexpr Declaration declaration{"flip", kRust, kExact, 0};
  static Image legacy(const Image& image, FlipAxis axis) { return legacy::flip(image, axis); }
  static RustResult<Image> rust(const Image& image, FlipAxis axis) {
    return rust_filter(
        ffi::flip, image,
        axis == FlipAxis::kHorizontal ? ffi::FlipAxis::Horizontal : ffi::FlipAxis::Vertical);
  }
  static Image facade(const Image& image, FlipAxis axis) { return imgkit::flip(image, axis); }
  template <class Run>
  static void parameter_sets(const Image& /*image*/, Run&& run) {
    run("horizontal", FlipAxis::kHorizontal);
    run("vertical", FlipAxis::kVertical);
  }
};

struct Rotate90 : Operation<Rotate90, Image> {
  static constexpr Declaration declaration{"rotate90", kRust, kExact, 0};
  static Image legacy(const Image& image) { return legacy::rotate90(image); }
  static RustResult<Image> rust(const Image& image) {
    return into_image(image.height(), image.width(), image.channels(), [&](Image& out) {
      return ffi::rotate90(shape_of(image), samples_of(image), samples_of(out));
    });
  }
  static Image facade(const Image& image) { return imgkit::rotate90(image); }
};

using GeometryComponents = Components<Resize, Flip, Rotate90>;

}  // namespace imgkit::routing
