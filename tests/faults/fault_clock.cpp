#include "faults/fault_clock.hpp"

#include <gtest/gtest.h>

#include "imgkit/routing.hpp"
#include "imgkit/routing_testing.hpp"
#include "switchyard/failpoint.hpp"
#include "switchyard/router.hpp"

namespace imgkit::testing {
namespace {

// Installs the clock before any test can start routing: gtest sets global environments
// up before the first test, and this one is registered while statics are initialised.
class FaultClockEnvironment final : public ::testing::Environment {
 public:
  void SetUp() override { imgkit::routing::testing::use_clock(fault_clock()); }
};

[[maybe_unused]] ::testing::Environment* const kFaultClockEnvironment =
    ::testing::AddGlobalTestEnvironment(new FaultClockEnvironment);

}  // namespace

switchyard::ManualClock& fault_clock() {
  // Never destroyed: the router holds it for the rest of the process.
  static auto* const clock = new switchyard::ManualClock;
  return *clock;
}

SlowRustCalls::SlowRustCalls(const std::string& component, switchyard::Duration duration) {
  const switchyard::ComponentId id = *imgkit::routing::router().catalog().find(component);
  // The router notes the call's component before it calls Rust, on the calling thread.
  switchyard::failpoints::configure_callback(switchyard::kRustCallFailpoint.name(), [id, duration] {
    if (switchyard::Router::last_decision().component == id) fault_clock().advance(duration);
  });
}

SlowRustCalls::~SlowRustCalls() {
  switchyard::failpoints::remove(switchyard::kRustCallFailpoint.name());
}

}  // namespace imgkit::testing
