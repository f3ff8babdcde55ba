// The fault suite's clock. The process-wide router runs on one ManualClock, installed
// before the first test (fault_clock.cpp), so a test makes a Rust call slow, or a
// breaker's open period pass, by advancing it: nothing in the suite sleeps or reads the
// wall clock, and a run under valgrind, 50 times slower, judges every call the same way.
#pragma once

#include <string>

#include "switchyard/clock.hpp"

namespace imgkit::testing {

// The clock imgkit's router runs on in this suite.
switchyard::ManualClock& fault_clock();

// While it lives, every Rust call of `component` takes `duration` on the fault clock: a
// callback on the failpoint switchyard::rust_call advances the clock inside the call,
// between the router's two readings of it. The Rust side then answers as usual; it is
// the router that finds the call slow.
class SlowRustCalls {
 public:
  SlowRustCalls(const std::string& component, switchyard::Duration duration);
  ~SlowRustCalls();
  SlowRustCalls(const SlowRustCalls&) = delete;
  SlowRustCalls& operator=(const SlowRustCalls&) = delete;
};

}  // namespace imgkit::testing
