// imgkit::bridge — the Rust kernels, called in imgkit's own C++ types.
//
// Each function mirrors the imgkit::legacy function of the same name, writes into an
// output image the caller allocated with the right shape (C++ owns the buffers), and
// returns a Status instead of throwing: a Rust failure is a value the facade decides
// about (fall back, count, trip a breaker), never an exception or an abort.
//
//   imgkit::Image out(in.width(), in.height(), in.channels());
//   imgkit::bridge::Status s = imgkit::bridge::gaussian_blur(in, 2.0f, out);
//   if (!s.ok()) { /* s.code says why; out is unspecified */ }
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "imgkit/error.hpp"
#include "imgkit/image.hpp"
#include "imgkit/params.hpp"

namespace imgkit::bridge {

enum class StatusCode {
  kOk,
  kInvalidInput,   // rejected the arguments as legacy would: the caller's error
  kPanic,          // the Rust side panicked; caught at the boundary
  kInjectedFault,  // a failpoint made the call fail
  kInternal,       // any other Rust-side failure
};

std::string_view to_string(StatusCode code) noexcept;

struct Status {
  StatusCode code = StatusCode::kOk;
  // For kInvalidInput: the category legacy uses for the same rejection.
  ErrorCategory category = ErrorCategory::kInvalidArgument;
  std::string message;

  bool ok() const noexcept { return code == StatusCode::kOk; }
};

// Throws imgkit::Error(status.category) with the status message when the status is
// kInvalidInput — the caller's error surfaces in the category legacy reports — and
// returns the status unchanged otherwise.
const Status& throw_if_invalid_input(const Status& status);

// ---- Filters: dst has src's shape, except sobel's (1 channel) ----------------------
Status convolve(const Image& src, const Kernel& kernel, Image& dst);
Status gaussian_blur(const Image& src, float sigma, Image& dst);
Status box_blur(const Image& src, std::uint32_t radius, Image& dst);
Status sobel(const Image& src, Image& dst);
Status unsharp_mask(const Image& src, float sigma, float amount, Image& dst);

// ---- Geometry ------------------------------------------------------------------------
// kOk when width x height is a target resize accepts: ask before allocating dst.
Status check_resize_target(std::uint32_t width, std::uint32_t height);
// dst's size is the target; it has src's channels.
Status resize(const Image& src, ResizeFilter filter, Image& dst);
Status flip(const Image& src, FlipAxis axis, Image& dst);
// dst is src.height() x src.width().
Status rotate90(const Image& src, Image& dst);

// ---- Tone: gray outputs are 1 channel of src's size -----------------------------------
Status to_grayscale(const Image& src, Image& gray);
// counts must hold src.channels() histograms.
Status histogram(const Image& src, std::vector<std::array<std::uint64_t, 256>>& counts);
Status equalize(const Image& src, Image& dst);
Status otsu_level(const Image& src, std::uint8_t& level);
Status otsu_threshold(const Image& src, Image& gray);

// ---- Rust failpoints -------------------------------------------------------------------
// The named failpoints of the Rust side (imgkit-failpoints): one at every bridged entry,
// `imgkit::<component>`, and a few inside the kernels and codecs. They cost one relaxed
// atomic load until one is configured. Actions use fail-rs syntax, e.g. "panic(msg)",
// "return", "return(msg)", "return(corrupt)" (the call succeeds with a wrong answer),
// "sleep(100)", "50%return", "2*return", "1*return->off".
//
//   if (bridge::failpoints_compiled_in()) {
//     bridge::configure_failpoint("imgkit::sobel", "return(corrupt)");
//     ...
//     bridge::remove_all_failpoints();
//   }

// kInvalidInput (kInvalidArgument) for a name not in failpoint_names() or actions that do
// not parse, kInternal when this build has no failpoints; the message says which.
Status configure_failpoint(std::string_view name, std::string_view actions);
// A no-op for a point that is not configured.
void remove_failpoint(std::string_view name);
void remove_all_failpoints();
// Every Rust failpoint's name, whether or not this build has failpoints.
std::vector<std::string> failpoint_names();
// Whether the Rust library was built with failpoints (Cargo feature `failpoints`).
bool failpoints_compiled_in();

}  // namespace imgkit::bridge
