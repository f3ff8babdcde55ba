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

#include <string>
#include <string_view>

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
  std::string message;

  bool ok() const noexcept { return code == StatusCode::kOk; }
};

// Throws imgkit::Error(kInvalidArgument) with the status message when the status is
// kInvalidInput — the caller's error surfaces exactly as legacy reports it — and
// returns the status unchanged otherwise.
const Status& throw_if_invalid_input(const Status& status);

Status convolve(const Image& src, const Kernel& kernel, Image& dst);
Status gaussian_blur(const Image& src, float sigma, Image& dst);

// Failpoints inside the Rust library (fail-rs action syntax, e.g. "panic", "return",
// "50%return", "off"). kInvalidInput when the actions do not parse.
Status configure_failpoint(std::string_view name, std::string_view actions);
void remove_failpoint(std::string_view name);

}  // namespace imgkit::bridge
