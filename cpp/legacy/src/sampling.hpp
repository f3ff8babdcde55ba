// Internal to imgkit_legacy: the sample conversions, border handling and argument checks
// the filter, geometry and tone sources share, so each rule exists exactly once.
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "imgkit/error.hpp"
#include "imgkit/image.hpp"

namespace imgkit::legacy::detail {

// Float or double result -> 8-bit sample: round half away from zero, then clamp to
// 0..255. The comparisons are written so that NaN (only reachable when huge kernel
// weights overflow) lands on 0, as Rust's saturating `as u8` does.
template <typename Real>
inline std::uint8_t round_to_sample(Real value) {
  static_assert(std::is_floating_point_v<Real>);
  const Real rounded = std::round(value);
  if (!(rounded > Real{0})) {
    return 0;
  }
  if (rounded >= Real{255}) {
    return 255;
  }
  return static_cast<std::uint8_t>(rounded);
}

// Alpha (the fourth channel) is carried over by the operations that only touch colour.
inline std::uint32_t colour_channel_count(std::uint32_t channels) {
  return channels == 4 ? 3 : channels;
}

// Clamped-border lookup for one axis: entry k holds clamp(k - radius, 0, size - 1), so
// the coordinate x + d (|d| <= radius) reads entry x + radius + d. Precomputing it keeps
// the branchy clamp out of the inner loops.
inline std::vector<std::uint32_t> clamped_index_table(std::uint32_t size, std::uint32_t radius) {
  std::vector<std::uint32_t> table(static_cast<std::size_t>(size) + 2 * std::size_t{radius});
  const auto last = static_cast<std::int64_t>(size) - 1;
  for (std::size_t k = 0; k < table.size(); ++k) {
    const std::int64_t coordinate = static_cast<std::int64_t>(k) - radius;
    table[k] = static_cast<std::uint32_t>(std::clamp<std::int64_t>(coordinate, 0, last));
  }
  return table;
}

// Row y as floats, extended by `radius` copies of its edge pixel on each side: padded
// sample (x + radius) * channels + c holds in(clamp(x), y, c). With it, a horizontal tap
// at offset i - radius is a plain shift by i pixels, so filters can accumulate whole rows
// tap by tap (which vectorises) while each sample still adds its taps in index order.
inline void pad_row(const Image& image, std::uint32_t y, std::uint32_t radius,
                    std::vector<float>& padded) {
  const std::size_t channels = image.channels();
  const std::size_t stride = image.row_stride();
  const std::uint8_t* row = image.data() + y * stride;
  padded.resize(stride + 2 * std::size_t{radius} * channels);
  float* dst = padded.data();
  for (std::uint32_t i = 0; i < radius; ++i) {
    dst = std::copy(row, row + channels, dst);
  }
  dst = std::copy(row, row + stride, dst);
  for (std::uint32_t i = 0; i < radius; ++i) {
    dst = std::copy(row + stride - channels, row + stride, dst);
  }
}

// Shortest text that reads back as the same float ("nan", "inf", "0.1"), so an error
// message shows exactly the value the caller passed.
inline std::string format_value(float value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

[[noreturn]] inline void throw_invalid_argument(const std::string& message) {
  throw Error(ErrorCategory::kInvalidArgument, message);
}

// The sigma domain shared by every Gaussian entry point; `function` names the public
// function the caller called, so the message points at their call.
inline void check_sigma(const char* function, float sigma) {
  if (!(sigma > 0.0f && sigma <= 64.0f)) {
    throw_invalid_argument(std::string(function) + ": sigma must be in (0, 64], got " +
                           format_value(sigma));
  }
}

}  // namespace imgkit::legacy::detail
