// The size every facade states for the slow-call limit: the pixels a call reads plus
// those it writes. With a limit that is all per pixel and generous (1 ms a pixel), a Rust
// call that takes 20 ms is slow on a 1x1 image (a few pixels: a few ms) and not on a
// 64x64 one (4096 pixels or more: 4 s or more) — unless the facade stated no size, or a
// wrong one. The 20 ms pass on the suite's manual clock, inside the call.
#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "faults/fault_clock.hpp"
#include "imgkit/failpoints.hpp"
#include "support/component_calls.hpp"
#include "support/routing_config.hpp"
#include "support/test_images.hpp"

namespace {

using imgkit::testing::component_calls;
using imgkit::testing::ComponentCall;
using imgkit::testing::ConfigFile;
using imgkit::testing::generated_image;
using imgkit::testing::route_by;

class CallSizeTest : public ::testing::TestWithParam<std::size_t> {
 protected:
  void TearDown() override { imgkit::failpoints::remove_all(); }
  const ComponentCall& component() const { return component_calls()[GetParam()]; }

  // Whether a call of the component on a width x width image counted as slow.
  bool slow_on(std::uint32_t width) const {
    component().facade(generated_image(width, width, 3));
    EXPECT_EQ(switchyard::Router::last_decision().route, switchyard::Route::kRust);
    EXPECT_FALSE(switchyard::Router::last_decision().fallback.has_value());
    return switchyard::Router::last_decision().slow;
  }

  ConfigFile config_;
};

TEST_P(CallSizeTest, TheLimitScalesWithThePixelsTheFacadeStates) {
  const std::string& name = component().name;
  route_by(config_, "[components." + name +
                        "]\nmode = \"rust\"\nbreaker = { slow_call_ms = 0, "
                        "slow_call_ns_per_pixel = 1000000, state = \"disabled\" }\n");
  const imgkit::testing::SlowRustCalls stall(name, std::chrono::milliseconds(20));
  EXPECT_TRUE(slow_on(1));
  EXPECT_FALSE(slow_on(64));
}

// Every call of every component: each variant states its own size (an encoder of 16-bit
// samples, a resize up and down).
std::vector<std::size_t> every_call() {
  std::vector<std::size_t> all(component_calls().size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  return all;
}

std::string call_name(const ::testing::TestParamInfo<std::size_t>& info) {
  const ComponentCall& call = component_calls()[info.param];
  return call.variant.empty() ? call.name : call.name + "_" + call.variant;
}

INSTANTIATE_TEST_SUITE_P(EveryComponent, CallSizeTest, ::testing::ValuesIn(every_call()),
                         call_name);

}  // namespace
