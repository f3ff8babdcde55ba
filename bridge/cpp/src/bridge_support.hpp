// What every bridge source shares: ffi status -> Status, image -> ffi shape and slices.
// Internal to imgkit_bridge.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "imgkit/bridge/kernels.hpp"
#include "imgkit/error.hpp"
#include "imgkit/image.hpp"
#include "imgkit_ffi_cxx/status.h"
#include "rust/cxx.h"

namespace imgkit::bridge::detail {

inline StatusCode from_ffi(ffi::StatusCode code) {
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

inline ErrorCategory category_of(ffi::InputError error) {
  switch (error) {
    case ffi::InputError::MalformedData:
      return ErrorCategory::kMalformedData;
    case ffi::InputError::Unsupported:
      return ErrorCategory::kUnsupported;
    case ffi::InputError::LimitExceeded:
      return ErrorCategory::kLimitExceeded;
    case ffi::InputError::None:
    case ffi::InputError::InvalidArgument:
      break;
  }
  return ErrorCategory::kInvalidArgument;
}

inline Status from_ffi(const ffi::KernelStatus& status) {
  return Status{from_ffi(status.code), category_of(status.input_error),
                std::string(status.message)};
}

template <class Sample>
ffi::ImageShape shape_of(const Raster<Sample>& image) {
  return ffi::ImageShape{image.width(), image.height(), image.channels()};
}

// SAFETY: the slices borrow the images' sample vectors for the duration of one bridged
// call only; Rust checks their lengths against the shape before touching them.
template <class Sample>
rust::Slice<const Sample> samples_of(const Raster<Sample>& image) {
  return {image.data(), image.size()};
}
template <class Sample>
rust::Slice<Sample> samples_of(Raster<Sample>& image) {
  return {image.data(), image.size()};
}

inline rust::Str str_of(std::string_view text) { return rust::Str(text.data(), text.size()); }

// dst must be width x height x channels; a mismatch is the caller's bug, reported like
// legacy would.
inline void require_shape(const Image& dst, std::uint32_t width, std::uint32_t height,
                          std::uint32_t channels, const char* operation) {
  if (dst.width() != width || dst.height() != height || dst.channels() != channels) {
    throw Error(ErrorCategory::kInvalidArgument,
                std::string(operation) + ": output image is " + std::to_string(dst.width()) + "x" +
                    std::to_string(dst.height()) + "x" + std::to_string(dst.channels()) +
                    ", expected " + std::to_string(width) + "x" + std::to_string(height) + "x" +
                    std::to_string(channels));
  }
}

inline void require_same_shape(const Image& src, const Image& dst, const char* operation) {
  require_shape(dst, src.width(), src.height(), src.channels(), operation);
}

inline void require_gray_of(const Image& src, const Image& dst, const char* operation) {
  require_shape(dst, src.width(), src.height(), 1, operation);
}

}  // namespace imgkit::bridge::detail
