#include "imgkit/bridge/kernels.hpp"

#include "imgkit/error.hpp"
#include "imgkit_ffi_cxx/filters.h"
#include "imgkit_ffi_cxx/status.h"
#include "rust/cxx.h"

namespace imgkit::bridge {
namespace {

StatusCode from_ffi(ffi::StatusCode code) {
  switch (code) {
    case ffi::StatusCode::Ok:
      return StatusCode::kOk;
    case ffi::StatusCode::InvalidInput:
      return StatusCode::kInvalidInput;
    case ffi::StatusCode::Panic:
      return StatusCode::kPanic;
    case ffi::StatusCode::InjectedFault:
      return StatusCode::kInjectedFault;
    case ffi::StatusCode::Internal:
      return StatusCode::kInternal;
  }
  // A code this build does not know means the two sides were built from different
  // sources; report it rather than guess.
  return StatusCode::kInternal;
}

Status from_ffi(const ffi::KernelStatus& status) {
  return Status{from_ffi(status.code), std::string(status.message)};
}

ffi::ImageShape shape_of(const Image& image) {
  return ffi::ImageShape{image.width(), image.height(), image.channels()};
}

// SAFETY: the slices borrow the images' sample vectors for the duration of one bridged
// call only; Rust checks their lengths against the shape before touching them.
rust::Slice<const std::uint8_t> samples_of(const Image& image) {
  return {image.data(), image.size()};
}
rust::Slice<std::uint8_t> samples_of(Image& image) { return {image.data(), image.size()}; }

rust::Str str_of(std::string_view text) { return rust::Str(text.data(), text.size()); }

// dst must have src's shape; a mismatch is the caller's bug, reported like legacy would.
void require_same_shape(const Image& src, const Image& dst, const char* operation) {
  if (src.width() != dst.width() || src.height() != dst.height() ||
      src.channels() != dst.channels()) {
    throw Error(ErrorCategory::kInvalidArgument,
                std::string(operation) + ": output image has a different shape than the input");
  }
}

}  // namespace

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
    throw Error(ErrorCategory::kInvalidArgument, status.message);
  }
  return status;
}

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

Status configure_failpoint(std::string_view name, std::string_view actions) {
  return from_ffi(ffi::configure_failpoint(str_of(name), str_of(actions)));
}

void remove_failpoint(std::string_view name) { ffi::remove_failpoint(str_of(name)); }

}  // namespace imgkit::bridge
