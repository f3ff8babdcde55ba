// switchyard::Clock — the one clock abstraction of the runtime.
//
// Everything in switchyard that measures time (slow calls, how long a breaker stays
// open, latency histograms) asks a Clock, so tests drive time by hand instead of
// sleeping:
//
//   switchyard::ManualClock clock;
//   switchyard::CircuitBreaker breaker(settings, clock);
//   clock.advance(std::chrono::seconds(30));  // the open period is over
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace switchyard {

using Duration = std::chrono::nanoseconds;
using TimePoint = std::chrono::time_point<std::chrono::steady_clock, Duration>;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const noexcept = 0;
};

// std::chrono::steady_clock.
class SteadyClock final : public Clock {
 public:
  TimePoint now() const noexcept override { return std::chrono::steady_clock::now(); }
};

// The process-wide SteadyClock.
const Clock& steady_clock() noexcept;

// A clock that moves only when told to; safe to read and advance from any thread.
class ManualClock final : public Clock {
 public:
  TimePoint now() const noexcept override {
    return TimePoint(Duration(nanoseconds_.load(std::memory_order_acquire)));
  }
  void advance(Duration by) noexcept {
    nanoseconds_.fetch_add(by.count(), std::memory_order_acq_rel);
  }

 private:
  std::atomic<std::int64_t> nanoseconds_{0};
};

}  // namespace switchyard
