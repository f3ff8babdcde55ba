// The blocking limit: how long a failpoint may hold a thread in a process that nothing
// reconfigures (switchyard/failpoint.hpp, set_blocking_limit).
#include "blocking_limit.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <string>

#include "switchyard/failpoint.hpp"

namespace switchyard::failpoints {
namespace {

// The blocking limit in milliseconds, negative while none is set. Read when failpoints
// are configured, never when one fires.
std::atomic<std::int64_t> g_blocking_limit_ms{-1};

}  // namespace

namespace detail {

// Refuses `actions` (parsed) that could block a thread past the blocking limit.
void check_blocking(std::string_view name, std::string_view actions,
                    const std::vector<FailAction>& parsed) {
  const std::int64_t limit = g_blocking_limit_ms.load(std::memory_order_relaxed);
  if (limit < 0) return;
  const std::string entry = std::string(name) + "=" + std::string(actions) + ": ";
  const std::string instead = "; use sleep(ms) up to " + std::to_string(limit);
  for (const FailAction& action : parsed) {
    if (action.task == FailTask::kPause) {
      throw FailpointError(entry +
                           "pause would block this run forever (its failpoints are set once, "
                           "never reconfigured)" +
                           instead);
    }
    const bool waits = action.task == FailTask::kSleep || action.task == FailTask::kDelay;
    if (waits && action.duration.count() > static_cast<std::uint64_t>(limit)) {
      const std::string ms = std::to_string(action.duration.count());
      throw FailpointError(entry + (action.task == FailTask::kSleep ? "sleep(" : "delay(") + ms +
                           ") would block " + ms + " ms, over this run's limit of " +
                           std::to_string(limit) + " ms" + instead);
    }
  }
}

}  // namespace detail

void set_blocking_limit(std::optional<std::chrono::milliseconds> max_block) {
  g_blocking_limit_ms.store(max_block ? std::max<std::int64_t>(max_block->count(), 0) : -1,
                            std::memory_order_relaxed);
}

std::optional<std::chrono::milliseconds> blocking_limit() {
  const std::int64_t limit = g_blocking_limit_ms.load(std::memory_order_relaxed);
  if (limit < 0) return std::nullopt;
  return std::chrono::milliseconds(limit);
}

void check_blocking_limit(std::string_view name, std::string_view actions) {
  detail::check_blocking(name, actions, parse_failpoint_actions(actions));
}

}  // namespace switchyard::failpoints
