// Calling the Rust side from a port: the cxx functions of bridge/imgkit-ffi take an
// image as its shape plus a slice of its samples, write into an output the caller
// allocated (C++ owns the buffers), and answer with an ffi::KernelStatus. This header
// turns imgkit's images into those arguments and a status into the RustResult the
// router reads; rust_error() is the one translation of a failed status.
//
//   static RustResult<Image> rust(const Image& image, std::uint32_t radius) {
//     return rust_filter(ffi::box_blur, image, radius);  // ffi::box_blur(shape, src, radius, dst)
//   }
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>

#include "imgkit/image.hpp"
#include "imgkit_ffi_cxx/status.h"
#include "rust/cxx.h"
#include "switchyard/router.hpp"

namespace imgkit::routing {

template <class T>
using RustResult = switchyard::RustResult<T>;

// A failed status as the router reads it, mapped by an exhaustive switch on the code
// (never by the message):
//   InputError              -> kInputError, with the caller's imgkit::Error in Rust's
//                              category and words (`note` appended to the message);
//   Panic                   -> kPanic;
//   InjectedFault, Internal -> kError, the message prefixed with the code's name.
// Not for an Ok status (read as an internal error: nothing answered).
switchyard::RustError rust_error(const ffi::KernelStatus& status, std::string_view note = {});

inline bool ok(const ffi::KernelStatus& status) noexcept {
  return status.code == ffi::StatusCode::Ok;
}

// `answer` when the status is Ok, else why there is none.
template <class T>
RustResult<T> answer_or_error(const ffi::KernelStatus& status, T&& answer) {
  if (!ok(status)) return rust_error(status);
  return std::forward<T>(answer);
}

template <class Sample>
ffi::ImageShape shape_of(const Raster<Sample>& image) {
  return ffi::ImageShape{image.width(), image.height(), image.channels()};
}

// SAFETY: the slices borrow an image's samples for one bridged call only; Rust checks
// their lengths against the shape passed beside them before it reads or writes.
template <class Sample>
rust::Slice<const Sample> samples_of(const Raster<Sample>& image) {
  return {image.data(), image.size()};
}
template <class Sample>
rust::Slice<Sample> samples_of(Raster<Sample>& image) {
  return {image.data(), image.size()};
}

inline rust::Str str_of(std::string_view text) { return rust::Str(text.data(), text.size()); }

// A new width x height x channels image (C++ allocates it), filled by `call(image)`,
// which returns the bridged call's status.
template <class Call>
RustResult<Image> into_image(std::uint32_t width, std::uint32_t height, std::uint32_t channels,
                             Call&& call) {
  Image out(width, height, channels);
  const ffi::KernelStatus status = call(out);
  return answer_or_error(status, std::move(out));
}

// The shape most kernels share, `entry(shape, src, params..., dst)`, with dst of src's
// shape (rust_filter) or one channel of its size (rust_to_gray).
template <class Entry, class... Params>
RustResult<Image> rust_filter(Entry entry, const Image& src, const Params&... params) {
  return into_image(src.width(), src.height(), src.channels(), [&](Image& dst) {
    return entry(shape_of(src), samples_of(src), params..., samples_of(dst));
  });
}

template <class Entry, class... Params>
RustResult<Image> rust_to_gray(Entry entry, const Image& src, const Params&... params) {
  return into_image(src.width(), src.height(), 1, [&](Image& dst) {
    return entry(shape_of(src), samples_of(src), params..., samples_of(dst));
  });
}

}  // namespace imgkit::routing
