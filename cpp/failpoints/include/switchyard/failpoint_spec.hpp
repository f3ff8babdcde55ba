// The failpoint spec: fail-rs's syntax, parsed in C++ so that one string configures the
// failpoints of both languages and is checked whole before either side changes.
//
//   spec    = entry[;entry...]           e.g. "a=panic;b=1*sleep(50)->return"
//   entry   = name=actions
//   actions = action[->action...]        the first action that fires wins
//   action  = [p%][cnt*]task[(arg)]      fires with probability p%, at most cnt times
//   task    = off | return | panic | print | sleep | delay | yield | pause
//
//   auto actions = switchyard::parse_failpoint_actions("50%2*return(disk)->panic");
//   actions[0].max_count;  // 2
//
// What a task does at a point is the registry's business (switchyard/failpoint.hpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard {

// A spec, an action list or a name that cannot be used; what() names the problem.
class FailpointError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// What a `panic` action throws at a C++ failpoint.
class FailpointPanic : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

enum class FailTask : std::uint8_t {
  kOff,
  kReturn,
  kPanic,
  kPrint,
  kSleep,
  kDelay,
  kYield,
  kPause
};

// One parsed `[p%][cnt*]task[(arg)]`, with fail-rs's types.
struct FailAction {
  using Milliseconds = std::chrono::duration<std::uint64_t, std::milli>;

  FailTask task = FailTask::kOff;
  // p / 100 as an f32, whatever p was: 1 or more (or NaN) always fires, and a negative
  // one panics when the action is drawn, as in fail-rs (its random draw refuses it).
  float probability = 1.0f;
  std::optional<std::uint64_t> max_count;  // fires at most this many times
  std::optional<std::string> argument;     // what the parentheses held
  Milliseconds duration{0};                // sleep and delay
};

// Parses `actions` as fail-rs 0.5 does: what it accepts is accepted with the same values,
// what it refuses is refused (tests/data/failpoint_specs.txt lists both). Throws
// FailpointError naming the bad action and why: parentheses, frequency, count, timeout
// or an unknown task, the same reason fail-rs gives.
std::vector<FailAction> parse_failpoint_actions(std::string_view actions);

// One `name=actions` entry of a spec.
struct FailpointSetting {
  std::string name;
  std::string actions;

  friend bool operator==(const FailpointSetting& a, const FailpointSetting& b) noexcept {
    return a.name == b.name && a.actions == b.actions;
  }
};

// Parses a spec ("name=actions;name=actions"; blank entries are skipped). Checks the
// syntax of every entry's actions, not whether the names exist.
std::vector<FailpointSetting> parse_failpoint_spec(std::string_view spec);

}  // namespace switchyard
