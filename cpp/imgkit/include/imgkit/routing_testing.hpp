// imgkit::routing::testing — what a test needs from the process-wide router and a program
// never does: its clock, and a reload on demand. Tests own their clock: instead of
// sleeping, a fault suite routes on a ManualClock and advances it, so slow calls, a
// breaker's open period and its half-open trial happen when the test says.
//
//   switchyard::ManualClock clock;                    // outlives routing
//   imgkit::routing::testing::use_clock(clock);       // before routing starts
//   imgkit::routing::start(path);
//   ...                                               // the breaker opens
//   clock.advance(std::chrono::seconds(30));          // its open period is over
//
//   file.write(new_toml);
//   imgkit::routing::testing::reload_now();           // published (or refused) now
#pragma once

#include "switchyard/clock.hpp"
#include "switchyard/config_watcher.hpp"

namespace imgkit::routing::testing {

// Routes every call by `clock` (slow calls, breaker open periods, latencies) instead of
// the steady clock programs use. `clock` must outlive routing, which is the process.
// Call it before routing starts (the first start(), start_with_defaults() or facade
// call): a running router keeps the clock it was built with, so a later call throws
// std::logic_error.
void use_clock(const switchyard::Clock& clock);

// Reads the watched config file now and publishes or refuses it, as the reload thread
// does every reload_interval_ms. When it returns, the file's bytes as they were when it
// was called have been acted on, by this call or by the thread just before it (then the
// result is kUnchanged). Throws std::logic_error when routing watches no file (started
// with watch = false, or not started from a file).
switchyard::ConfigWatcher::CheckResult reload_now();

}  // namespace imgkit::routing::testing
