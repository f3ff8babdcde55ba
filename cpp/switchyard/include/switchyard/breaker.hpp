// switchyard::CircuitBreaker — stops routing to a failing Rust kernel, and tries again.
//
// Count-based, with resilience4j's semantics: CLOSED lets calls through and keeps the
// outcomes of the last `window` of them; once at least `min_calls` are in, a failure rate
// or slow-call rate at or over its threshold opens it. OPEN rejects calls for `open`,
// then HALF_OPEN lets `half_open_calls` trial calls through: they close it again, or
// re-open it when their own rates are over the thresholds. FORCED_OPEN and DISABLED are
// the operator's overrides from the config.
//
//   if (breaker.try_acquire()) {
//     ... call Rust, time it ...
//     breaker.record(CallResult{!ok, slow});  // slow: past the slow-call limit (slow_call.hpp)
//   } else {
//     ... answer from legacy: fallback cause "breaker_open" ...
//   }
//
// Every permitted call must end in exactly one record() or release().
// Thread-safe. In a healthy CLOSED breaker (a full window of successes) try_acquire() and
// record() of a success are atomic loads: no lock, and no shared cache line written.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>  // std::lock_guard
#include <string_view>
#include <utility>
#include <vector>

#include "switchyard/clock.hpp"
#include "switchyard/config.hpp"
#include "switchyard/spin_lock.hpp"

namespace switchyard {

enum class BreakerState : std::uint8_t { kClosed, kOpen, kHalfOpen, kForcedOpen, kDisabled };
inline constexpr std::size_t kBreakerStateCount = 5;

std::string_view to_string(BreakerState state) noexcept;  // "closed", "half_open", ...

// What one permitted call did. A call can be both failed and slow.
struct CallResult {
  bool failure = false;
  bool slow = false;
};

class CircuitBreaker {
 public:
  // Called after every state change, outside the breaker's lock.
  using TransitionListener = std::function<void(BreakerState from, BreakerState to)>;

  CircuitBreaker(const BreakerSettings& settings, const Clock& clock,
                 TransitionListener on_transition = {});

  // Whether the next Rust call may go ahead. In OPEN, the first call after `open` has
  // passed moves the breaker to HALF_OPEN and is its first trial call.
  bool try_acquire();
  // The outcome of a call try_acquire() permitted.
  void record(CallResult result);
  // A permitted call whose outcome says nothing about the Rust side (the caller's own
  // bad input): it is not counted, and a half-open trial slot is given back.
  void release();

  // New settings from a reloaded config. Unchanged settings leave the breaker alone;
  // changed ones start a fresh window (an override moves straight to its state, and
  // going back to kAuto starts CLOSED).
  void reconfigure(const BreakerSettings& settings);

  BreakerState state() const noexcept { return state_.load(std::memory_order_acquire); }

  struct WindowCounts {
    std::uint32_t calls = 0;
    std::uint32_t failures = 0;
    std::uint32_t slow = 0;
  };
  WindowCounts window_counts() const;

 private:
  void transition_locked(BreakerState to, std::vector<std::pair<BreakerState, BreakerState>>& out);
  void reset_window_locked(std::uint32_t size);
  bool over_threshold_locked() const;
  void notify(const std::vector<std::pair<BreakerState, BreakerState>>& transitions) const;

  const Clock& clock_;
  TransitionListener on_transition_;
  // On a cache line of its own: every Rust call reads it, and the lock's line below is
  // written by every Rust call.
  alignas(64) std::atomic<BreakerState> state_{BreakerState::kClosed};
  // CLOSED with a full window of successes and nothing else: record() of another
  // success has nothing to change. Written under the lock, read without it.
  std::atomic<bool> window_all_successes_{false};

  alignas(64) mutable SpinLock mutex_;
  BreakerSettings settings_;
  // Ring of the last outcomes; in HALF_OPEN it holds only the trial calls.
  std::vector<CallResult> ring_;
  std::size_t next_ = 0;
  WindowCounts counts_;
  TimePoint opened_at_{};
  std::uint32_t trials_permitted_ = 0;
};

}  // namespace switchyard
