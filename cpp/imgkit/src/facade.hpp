// The plumbing every facade shares: a Rust kernel's answer as a switchyard RustResult,
// a comparison of two images that describes the first difference, and the two routing
// shapes (a component with a Rust port, a component without one).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "imgkit/bridge/kernels.hpp"
#include "imgkit/image.hpp"
#include "imgkit/routing.hpp"
#include "switchyard/route_key.hpp"
#include "switchyard/router.hpp"

namespace imgkit::routing {

inline switchyard::RustError rust_error(bridge::Status status) {
  switch (status.code) {
    case bridge::StatusCode::kInvalidInput:
      return {switchyard::RustFailure::kInputError, std::move(status.message)};
    case bridge::StatusCode::kPanic:
      return {switchyard::RustFailure::kPanic, std::move(status.message)};
    case bridge::StatusCode::kOk:  // not a failure; listed so the switch stays exhaustive
    case bridge::StatusCode::kInjectedFault:
    case bridge::StatusCode::kInternal:
      break;
  }
  return {switchyard::RustFailure::kError,
          std::string(bridge::to_string(status.code)) + ": " + status.message};
}

// Runs a bridge kernel that writes an image of `input`'s shape (C++ owns the buffer).
template <class Sample, class Kernel>
switchyard::RustResult<Raster<Sample>> rust_image(const Raster<Sample>& input, Kernel&& kernel) {
  Raster<Sample> output(input.width(), input.height(), input.channels());
  bridge::Status status = kernel(output);
  if (!status.ok()) return rust_error(std::move(status));
  return output;
}

// A digest of the input's shape and samples, to find the input again from a log.
template <class Sample>
std::string digest(const Raster<Sample>& image) {
  // SAFETY: reads the sample vector's bytes; the view does not outlive `image`.
  const std::string_view bytes(reinterpret_cast<const char*>(image.data()),
                               image.size() * sizeof(Sample));
  const std::string shape = std::to_string(image.width()) + "x" + std::to_string(image.height()) +
                            "x" + std::to_string(image.channels());
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx",
                static_cast<unsigned long long>(switchyard::stable_hash(bytes) ^
                                                switchyard::stable_hash(shape)));
  return hex;
}

// nullopt when every sample of `rust` is within `tolerance` of `legacy`.
template <class Sample>
std::optional<switchyard::MismatchRecord> compare_images(const Raster<Sample>& input,
                                                         const Raster<Sample>& legacy,
                                                         const Raster<Sample>& rust,
                                                         std::uint32_t tolerance) {
  switchyard::MismatchRecord record;
  record.width = input.width();
  record.height = input.height();
  record.channels = input.channels();
  if (legacy.width() != rust.width() || legacy.height() != rust.height() ||
      legacy.channels() != rust.channels()) {
    record.input_digest = digest(input);
    record.detail = "output shapes differ";
    return record;
  }
  bool differs = false;
  std::size_t first = 0;
  std::uint32_t max_difference = 0;
  for (std::size_t i = 0; i < legacy.size(); ++i) {
    const auto a = legacy.data()[i];
    const auto b = rust.data()[i];
    const std::uint32_t difference = a > b ? a - b : b - a;
    if (difference > tolerance && !differs) {
      differs = true;
      first = i;
    }
    max_difference = std::max(max_difference, difference);
  }
  if (!differs) return std::nullopt;
  const std::size_t stride = legacy.row_stride();
  record.input_digest = digest(input);
  record.y = static_cast<std::uint32_t>(first / stride);
  record.x = static_cast<std::uint32_t>((first % stride) / legacy.channels());
  record.channel = static_cast<std::uint32_t>(first % legacy.channels());
  record.max_difference = max_difference;
  return record;
}

// Routes a component whose Rust port writes an image of the input's shape.
template <class Sample, class Legacy, class Kernel>
Raster<Sample> route_image(switchyard::ComponentId component, const Raster<Sample>& input,
                           Legacy&& legacy, Kernel&& kernel) {
  return router().call<Raster<Sample>>(
      component, legacy, [&] { return rust_image(input, kernel); },
      [&](const Raster<Sample>& legacy_answer, const Raster<Sample>& rust_answer,
          std::uint32_t tolerance) {
        return compare_images(input, legacy_answer, rust_answer, tolerance);
      });
}

// Routes a component that has no Rust port yet: always legacy, still counted.
template <class T, class Legacy>
T route_legacy(switchyard::ComponentId component, Legacy&& legacy) {
  return router().call_legacy<T>(component, legacy);
}

}  // namespace imgkit::routing
