// switchyard::SlowCallLimit — when a Rust call counts as slow, relative to its work.
//
// A call is slow when it takes longer than
//
//   slow_call_ms + slow_call_ns_per_pixel x pixels
//
// where `pixels` is the size of the call as the facade states it: pixels read plus pixels
// written (imgkit: a decoder, the decoded image's; an encoder, the input image's;
// histogram and otsu_level, the input's; a filter, resize or rotation, input plus
// output). The fixed part covers what every call costs whatever its size; the scaled
// part lets one setting judge a thumbnail and a 4K frame fairly. slow_call_ms = 0 leaves
// only the scaled part, slow_call_ns_per_pixel = 0 only the fixed one (an absolute
// limit); both 0 turns slow-call detection off.
//
//   const SlowCallLimit limit(settings.breaker);
//   if (auto exceeded = limit.exceeded(elapsed, [&] { return pixels_of(answer); })) {
//     ... the call took longer than *exceeded ...
//   }
#pragma once

#include <cstdint>
#include <optional>

#include "switchyard/clock.hpp"
#include "switchyard/config.hpp"

namespace switchyard {

class SlowCallLimit {
 public:
  SlowCallLimit() = default;  // off: no call is slow
  explicit SlowCallLimit(const BreakerSettings& settings) noexcept;

  bool enabled() const noexcept { return enabled_; }

  // The limit for a call of `pixels` (Duration::max() past what a Duration holds).
  Duration for_pixels(std::uint64_t pixels) const noexcept;

  // The limit a call that took `elapsed` went over, or nullopt when it was not slow.
  // `pixels()` returns the call's size; it is asked only when `elapsed` is past the fixed
  // part, so a fast call never computes it.
  template <class Pixels>
  std::optional<Duration> exceeded(Duration elapsed, Pixels&& pixels) const {
    if (!enabled_ || elapsed <= fixed_) return std::nullopt;
    const Duration limit = per_pixel_ns_ == 0.0 ? fixed_ : for_pixels(pixels());
    if (elapsed <= limit) return std::nullopt;
    return limit;
  }

 private:
  Duration fixed_{0};
  double per_pixel_ns_ = 0.0;
  bool enabled_ = false;
};

}  // namespace switchyard
