#include "switchyard/slow_call.hpp"

#include <limits>

namespace switchyard {

SlowCallLimit::SlowCallLimit(const BreakerSettings& settings) noexcept
    : fixed_(settings.slow_call),
      per_pixel_ns_(settings.slow_call_ns_per_pixel),
      enabled_(settings.slow_call.count() > 0 || settings.slow_call_ns_per_pixel > 0.0) {}

Duration SlowCallLimit::for_pixels(std::uint64_t pixels) const noexcept {
  // In double: 1e9 ns per pixel times a 64-bit pixel count overflows any integer, and
  // a limit is never needed closer than a nanosecond in 2^53.
  const double limit_ns =
      static_cast<double>(fixed_.count()) + per_pixel_ns_ * static_cast<double>(pixels);
  constexpr auto kMaxNs = static_cast<double>(std::numeric_limits<Duration::rep>::max());
  if (limit_ns >= kMaxNs) return Duration::max();
  return Duration(static_cast<Duration::rep>(limit_ns));
}

}  // namespace switchyard
