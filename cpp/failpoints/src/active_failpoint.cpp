#include "active_failpoint.hpp"

#include <algorithm>
#include <charconv>
#include <random>
#include <utility>

namespace switchyard::failpoints::detail {

ActiveFailpoint::ActiveFailpoint(std::string text, std::vector<FailAction> parsed)
    : actions_text_(std::move(text)), actions_(std::move(parsed)), remaining_(actions_.size()) {
  for (std::size_t i = 0; i < actions_.size(); ++i) {
    remaining_[i].store(actions_[i].max_count.value_or(0), std::memory_order_relaxed);
  }
}

ActiveFailpoint::ActiveFailpoint(std::function<void()> callback)
    : actions_text_("callback"), callback_(std::move(callback)) {}

const FailAction* ActiveFailpoint::choose(const char* name) {
  thread_local std::mt19937_64 random{std::random_device{}()};
  for (std::size_t i = 0; i < actions_.size(); ++i) {
    const FailAction& action = actions_[i];
    if (action.max_count && remaining_[i].load(std::memory_order_acquire) == 0) continue;
    // fail-rs draws only below 1, so 1 or more, and NaN, always fire.
    if (action.probability < 1.0f) {
      if (!(action.probability >= 0.0f)) {
        char text[32];
        const auto written = std::to_chars(text, text + sizeof text, action.probability);
        throw FailpointPanic("failpoint " + std::string(name) + " panicked: frequency " +
                             std::string(text, written.ptr) +
                             " is below 0 (fail-rs's random draw panics on it too)");
      }
      if (!(std::uniform_real_distribution<double>(0.0, 1.0)(random) <
            static_cast<double>(action.probability))) {
        continue;
      }
    }
    if (action.max_count) {
      std::uint64_t left = remaining_[i].load(std::memory_order_acquire);
      while (left != 0 && !remaining_[i].compare_exchange_weak(left, left - 1)) {
      }
      if (left == 0) continue;
    }
    return &action;
  }
  return nullptr;
}

std::chrono::milliseconds waitable(FailAction::Milliseconds duration) noexcept {
  constexpr std::uint64_t kLongest =
      static_cast<std::uint64_t>(std::chrono::nanoseconds::max().count() / 1000000);
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::min(duration.count(), kLongest)));
}

}  // namespace switchyard::failpoints::detail
