#include "imgkit/bridge/kernels.hpp"

#include <algorithm>
#include <cstddef>

#include "bridge_support.hpp"
#include "imgkit/error.hpp"
#include "imgkit_ffi_cxx/filters.h"
#include "imgkit_ffi_cxx/geometry.h"
#include "imgkit_ffi_cxx/status.h"
#include "imgkit_ffi_cxx/tone.h"
#include "rust/cxx.h"

namespace imgkit::bridge {

using detail::from_ffi;
using detail::require_gray_of;
using detail::require_same_shape;
using detail::samples_of;
using detail::shape_of;
using detail::str_of;

std::string_view to_string(StatusCode code) noexcept {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidInput:
      return "invalid_input";
    case StatusCode::kPanic:
      return "panic";
    case StatusCode::kInjectedFault:
      return "injected_fault";
    case StatusCode::kInternal:
      return "internal";
  }
  return "internal";
}

const Status& throw_if_invalid_input(const Status& status) {
  if (status.code == StatusCode::kInvalidInput) {
    throw Error(status.category, status.message);
  }
  return status;
}

// ---- Filters -------------------------------------------------------------------------

Status convolve(const Image& src, const Kernel& kernel, Image& dst) {
  require_same_shape(src, dst, "convolve");
  const rust::Slice<const float> weights{kernel.weights.data(), kernel.weights.size()};
  return from_ffi(ffi::convolve(shape_of(src), samples_of(src), kernel.width, kernel.height,
                                weights, samples_of(dst)));
}

Status gaussian_blur(const Image& src, float sigma, Image& dst) {
  require_same_shape(src, dst, "gaussian_blur");
  return from_ffi(ffi::gaussian_blur(shape_of(src), samples_of(src), sigma, samples_of(dst)));
}

Status box_blur(const Image& src, std::uint32_t radius, Image& dst) {
  require_same_shape(src, dst, "box_blur");
  return from_ffi(ffi::box_blur(shape_of(src), samples_of(src), radius, samples_of(dst)));
}

Status sobel(const Image& src, Image& dst) {
  require_gray_of(src, dst, "sobel");
  return from_ffi(ffi::sobel(shape_of(src), samples_of(src), samples_of(dst)));
}

Status unsharp_mask(const Image& src, float sigma, float amount, Image& dst) {
  require_same_shape(src, dst, "unsharp_mask");
  return from_ffi(
      ffi::unsharp_mask(shape_of(src), samples_of(src), sigma, amount, samples_of(dst)));
}

// ---- Geometry ------------------------------------------------------------------------

Status check_resize_target(std::uint32_t width, std::uint32_t height) {
  return from_ffi(ffi::check_resize_target(width, height));
}

Status resize(const Image& src, ResizeFilter filter, Image& dst) {
  detail::require_shape(dst, dst.width(), dst.height(), src.channels(), "resize");
  const ffi::ResizeFilter rust_filter =
      filter == ResizeFilter::kNearest ? ffi::ResizeFilter::Nearest : ffi::ResizeFilter::Bilinear;
  return from_ffi(
      ffi::resize(shape_of(src), samples_of(src), rust_filter, shape_of(dst), samples_of(dst)));
}

Status flip(const Image& src, FlipAxis axis, Image& dst) {
  require_same_shape(src, dst, "flip");
  const ffi::FlipAxis rust_axis =
      axis == FlipAxis::kHorizontal ? ffi::FlipAxis::Horizontal : ffi::FlipAxis::Vertical;
  return from_ffi(ffi::flip(shape_of(src), samples_of(src), rust_axis, samples_of(dst)));
}

Status rotate90(const Image& src, Image& dst) {
  detail::require_shape(dst, src.height(), src.width(), src.channels(), "rotate90");
  return from_ffi(ffi::rotate90(shape_of(src), samples_of(src), samples_of(dst)));
}

// ---- Tone ----------------------------------------------------------------------------

Status to_grayscale(const Image& src, Image& gray) {
  require_gray_of(src, gray, "to_grayscale");
  return from_ffi(ffi::to_grayscale(shape_of(src), samples_of(src), samples_of(gray)));
}

Status histogram(const Image& src, std::vector<std::array<std::uint64_t, 256>>& counts) {
  // Rust fills one flat run of channels * 256 counts; 2 KiB per channel to copy.
  std::vector<std::uint64_t> flat(static_cast<std::size_t>(src.channels()) * 256);
  Status status = from_ffi(ffi::histogram(shape_of(src), samples_of(src),
                                          rust::Slice<std::uint64_t>{flat.data(), flat.size()}));
  if (!status.ok()) return status;
  counts.assign(src.channels(), {});
  for (std::size_t c = 0; c < counts.size(); ++c) {
    std::copy_n(flat.begin() + static_cast<std::ptrdiff_t>(c * 256), 256, counts[c].begin());
  }
  return status;
}

Status equalize(const Image& src, Image& dst) {
  require_same_shape(src, dst, "equalize");
  return from_ffi(ffi::equalize(shape_of(src), samples_of(src), samples_of(dst)));
}

Status otsu_level(const Image& src, std::uint8_t& level) {
  return from_ffi(ffi::otsu_level(shape_of(src), samples_of(src), level));
}

Status otsu_threshold(const Image& src, Image& gray) {
  require_gray_of(src, gray, "otsu_threshold");
  return from_ffi(ffi::otsu_threshold(shape_of(src), samples_of(src), samples_of(gray)));
}

// ---- Failpoints ----------------------------------------------------------------------

Status configure_failpoint(std::string_view name, std::string_view actions) {
  return from_ffi(ffi::configure_failpoint(str_of(name), str_of(actions)));
}

void remove_failpoint(std::string_view name) { ffi::remove_failpoint(str_of(name)); }

void remove_all_failpoints() { ffi::remove_all_failpoints(); }

std::vector<std::string> failpoint_names() {
  std::vector<std::string> names;
  for (const rust::String& name : ffi::failpoint_names()) names.emplace_back(name);
  return names;
}

bool failpoints_compiled_in() { return ffi::failpoints_compiled_in(); }

}  // namespace imgkit::bridge
