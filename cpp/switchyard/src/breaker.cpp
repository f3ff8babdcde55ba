// The circuit breaker's state machine. Everything but the CLOSED / DISABLED fast path of
// try_acquire() runs under mutex_; state_ is atomic only so that fast path needs no lock.
// Listeners are told after the lock is dropped, so one may call back into the breaker.
#include "switchyard/breaker.hpp"

#include <algorithm>
#include <utility>

namespace switchyard {

namespace {

using Transitions = std::vector<std::pair<BreakerState, BreakerState>>;

BreakerState state_for(BreakerOverride value) noexcept {
  switch (value) {
    case BreakerOverride::kAuto:
      return BreakerState::kClosed;
    case BreakerOverride::kForcedOpen:
      return BreakerState::kForcedOpen;
    case BreakerOverride::kDisabled:
      return BreakerState::kDisabled;
  }
  return BreakerState::kClosed;
}

bool rate_reached(std::uint32_t count, std::uint32_t calls, double threshold) noexcept {
  // Divide rather than compare count with threshold * calls: the quotient is correctly
  // rounded, so 7 of 25 is exactly at a threshold of 0.28, where 0.28 * 25 is over 7.
  return static_cast<double>(count) / static_cast<double>(calls) >= threshold;
}

}  // namespace

std::string_view to_string(BreakerState state) noexcept {
  switch (state) {
    case BreakerState::kClosed:
      return "closed";
    case BreakerState::kOpen:
      return "open";
    case BreakerState::kHalfOpen:
      return "half_open";
    case BreakerState::kForcedOpen:
      return "forced_open";
    case BreakerState::kDisabled:
      return "disabled";
  }
  return "unknown";
}

CircuitBreaker::CircuitBreaker(const BreakerSettings& settings, const Clock& clock,
                               TransitionListener on_transition)
    : clock_(clock), on_transition_(std::move(on_transition)), settings_(settings) {
  // The starting state is not a transition: nobody is told about it.
  state_.store(state_for(settings.state), std::memory_order_release);
  reset_window_locked(settings.window);
}

bool CircuitBreaker::try_acquire() {
  const BreakerState fast = state_.load(std::memory_order_acquire);
  if (fast == BreakerState::kClosed || fast == BreakerState::kDisabled) return true;
  if (fast == BreakerState::kForcedOpen) return false;

  Transitions transitions;
  bool permitted = false;
  {
    std::lock_guard<SpinLock> lock(mutex_);
    // Re-read: another thread may have moved the state since the unlocked load.
    switch (state_.load(std::memory_order_relaxed)) {
      case BreakerState::kClosed:
      case BreakerState::kDisabled:
        permitted = true;
        break;
      case BreakerState::kForcedOpen:
        break;
      case BreakerState::kOpen:
        if (clock_.now() - opened_at_ >= settings_.open) {
          transition_locked(BreakerState::kHalfOpen, transitions);
          trials_permitted_ = 1;  // this call is the first trial
          permitted = true;
        }
        break;
      case BreakerState::kHalfOpen:
        if (trials_permitted_ < ring_.size()) {
          ++trials_permitted_;
          permitted = true;
        }
        break;
    }
  }
  notify(transitions);
  return permitted;
}

void CircuitBreaker::record(CallResult result) {
  // A healthy breaker's window is full of successes, and one more success evicting one
  // leaves it exactly as it was: nothing to write, so no lock and no shared line written.
  // A success racing a failure's record is as if it had come just before it.
  if (!result.failure && !result.slow &&
      state_.load(std::memory_order_acquire) == BreakerState::kClosed &&
      window_all_successes_.load(std::memory_order_acquire)) {
    return;
  }
  Transitions transitions;
  {
    std::lock_guard<SpinLock> lock(mutex_);
    const BreakerState state = state_.load(std::memory_order_relaxed);
    // A call permitted in an earlier state can finish after the state moved on. OPEN,
    // FORCED_OPEN and DISABLED keep no outcomes; HALF_OPEN takes one only for a trial
    // still outstanding, so its bookkeeping never runs past the permits it gave.
    const bool counted = state == BreakerState::kClosed ||
                         (state == BreakerState::kHalfOpen && trials_permitted_ > counts_.calls);
    if (!counted) return;

    CallResult& slot = ring_[next_];
    if (counts_.calls == ring_.size()) {  // full: the oldest outcome leaves the window
      counts_.failures -= slot.failure ? 1u : 0u;
      counts_.slow -= slot.slow ? 1u : 0u;
    } else {
      ++counts_.calls;
    }
    slot = result;
    counts_.failures += result.failure ? 1u : 0u;
    counts_.slow += result.slow ? 1u : 0u;
    next_ = (next_ + 1) % ring_.size();

    if (state == BreakerState::kClosed) {
      window_all_successes_.store(
          counts_.calls == ring_.size() && counts_.failures == 0 && counts_.slow == 0,
          std::memory_order_release);
      // As resilience4j's count-based window: min_calls larger than the window would
      // otherwise never be reached, and the breaker could never open.
      const std::uint32_t min_calls =
          std::min<std::uint32_t>(settings_.min_calls, static_cast<std::uint32_t>(ring_.size()));
      if (counts_.calls >= min_calls && over_threshold_locked()) {
        transition_locked(BreakerState::kOpen, transitions);
      }
    } else if (counts_.calls == ring_.size()) {  // every trial is in
      transition_locked(over_threshold_locked() ? BreakerState::kOpen : BreakerState::kClosed,
                        transitions);
    }
  }
  notify(transitions);
}

void CircuitBreaker::release() {
  std::lock_guard<SpinLock> lock(mutex_);
  // Only a trial slot is worth giving back; in other states a permit is not counted.
  if (state_.load(std::memory_order_relaxed) == BreakerState::kHalfOpen &&
      trials_permitted_ > counts_.calls) {
    --trials_permitted_;
  }
}

void CircuitBreaker::reconfigure(const BreakerSettings& settings) {
  Transitions transitions;
  {
    std::lock_guard<SpinLock> lock(mutex_);
    // A config reload re-sends every component's settings; only a real change may
    // throw away the window the breaker has built up.
    if (settings == settings_) return;
    settings_ = settings;
    // Every state_for() target starts a fresh window of `window` calls, including
    // when the state stays what it was (then nobody is told).
    transition_locked(state_for(settings.state), transitions);
  }
  notify(transitions);
}

CircuitBreaker::WindowCounts CircuitBreaker::window_counts() const {
  std::lock_guard<SpinLock> lock(mutex_);
  return counts_;
}

void CircuitBreaker::transition_locked(BreakerState to, Transitions& out) {
  const BreakerState from = state_.load(std::memory_order_relaxed);
  switch (to) {
    case BreakerState::kOpen:
      // The window that opened the breaker is kept, so window_counts() shows why.
      opened_at_ = clock_.now();
      break;
    case BreakerState::kHalfOpen:
      reset_window_locked(settings_.half_open_calls);
      break;
    case BreakerState::kClosed:
    case BreakerState::kForcedOpen:
    case BreakerState::kDisabled:
      reset_window_locked(settings_.window);
      break;
  }
  trials_permitted_ = 0;
  state_.store(to, std::memory_order_release);
  if (from != to) out.emplace_back(from, to);
}

void CircuitBreaker::reset_window_locked(std::uint32_t size) {
  // A zero-size ring has no room for an outcome; one slot keeps the breaker deciding
  // whatever the settings say.
  ring_.assign(std::max<std::uint32_t>(size, 1), CallResult{});
  next_ = 0;
  counts_ = WindowCounts{};
  window_all_successes_.store(false, std::memory_order_release);
}

bool CircuitBreaker::over_threshold_locked() const {
  if (counts_.calls == 0) return false;
  return rate_reached(counts_.failures, counts_.calls, settings_.failure_rate) ||
         rate_reached(counts_.slow, counts_.calls, settings_.slow_call_rate);
}

void CircuitBreaker::notify(const Transitions& transitions) const {
  if (!on_transition_) return;
  for (const auto& [from, to] : transitions) on_transition_(from, to);
}

}  // namespace switchyard
