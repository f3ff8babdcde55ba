// A configured C++ failpoint: its parsed actions and what is left of their counts, and
// fail-rs's rule for which action fires; or a callback. Internal to the failpoint library.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "switchyard/failpoint_spec.hpp"

namespace switchyard::failpoints::detail {

// Immutable but for the remaining counts, so threads firing the same point share it.
class ActiveFailpoint {
 public:
  ActiveFailpoint(std::string text, std::vector<FailAction> parsed);
  // A point that runs `callback` each time it fires, and nothing else.
  explicit ActiveFailpoint(std::function<void()> callback);

  // Set for a callback point (then there are no actions).
  const std::function<void()>& callback() const noexcept { return callback_; }

  // The action that fires now: the first one not used up that wins its draw, as
  // fail-rs's FailPoint::eval picks (nullptr: none). Throws FailpointPanic for an action
  // whose probability is negative, where fail-rs's draw panics.
  const FailAction* choose(const char* name);

  const std::string& actions_text() const noexcept { return actions_text_; }

 private:
  std::string actions_text_;
  std::vector<FailAction> actions_;
  std::vector<std::atomic<std::uint64_t>> remaining_;
  std::function<void()> callback_;
};

// A sleep or delay as std::chrono can wait it: at most ~292 years (its nanoseconds'
// range), where fail-rs takes any u64 of milliseconds.
std::chrono::milliseconds waitable(FailAction::Milliseconds duration) noexcept;

}  // namespace switchyard::failpoints::detail
