// Faults changing under load: two threads call facades while the main thread flips the
// routing mode (config file, reloaded) and the failpoints (the config's [failpoints]
// table and the test API) underneath them, and lets each breaker's open period pass on
// the suite's clock. Every call must return the right answer and nothing may race — this
// is the suite ci/tsan.sh exists for. After each flip the main thread waits until both
// callers have made calls under it (a count they bump, never a sleep).
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "faults/fault_clock.hpp"
#include "imgkit/failpoints.hpp"
#include "imgkit/imgkit.hpp"
#include "imgkit/legacy/filters.hpp"
#include "imgkit/legacy/tone.hpp"
#include "imgkit/routing_testing.hpp"
#include "support/component_calls.hpp"
#include "support/progress.hpp"
#include "support/routing_config.hpp"
#include "support/test_images.hpp"

namespace {

using imgkit::Image;
using imgkit::testing::Progress;

constexpr std::chrono::milliseconds kOpen{5};

std::string config_for(const std::string& mode, const std::string& failpoint) {
  std::string toml = "[defaults]\nmode = \"" + mode +
                     "\"\ncanary_percent = 50.0\nshadow_sample = 1.0\n"
                     "breaker = { window = 4, min_calls = 4, open_ms = " +
                     std::to_string(kOpen.count()) + ", half_open_calls = 1 }\n";
  if (!failpoint.empty())
    toml += "\n[failpoints]\n\"imgkit::gaussian_blur\" = \"" + failpoint + "\"\n";
  return toml;
}

TEST(FaultsUnderLoad, EveryAnswerIsRightWhileModesAndFaultsChange) {
  constexpr int kFlips = 40;
  const std::array<const char*, 4> modes = {"rust", "shadow", "canary", "legacy"};
  const std::array<const char*, 4> table_faults = {"panic", "", "return", "50%sleep(1)"};
  const std::array<const char*, 3> api_faults = {"panic", "return", "off"};

  imgkit::testing::ConfigFile file;
  file.write(config_for(modes[0], table_faults[0]));
  imgkit::routing::start(file.path(), /*watch=*/true);
  switchyard::Router& router = imgkit::routing::router();

  const Image input = imgkit::testing::generated_image(24, 16, 3);
  const Image blurred = imgkit::legacy::gaussian_blur(input, 2.0f);
  const std::vector<imgkit::Histogram> counts = imgkit::legacy::histogram(input);

  std::atomic<bool> stop{false};
  std::atomic<int> wrong{0};
  std::atomic<int> thrown{0};
  std::array<Progress, 2> rounds;
  const auto caller = [&](Progress& done) {
    while (!stop.load(std::memory_order_relaxed)) {
      try {
        const Image answer = imgkit::gaussian_blur(input, 2.0f);
        if (imgkit::testing::max_difference(imgkit::testing::answer_of(answer),
                                            imgkit::testing::answer_of(blurred)) > 1) {
          ++wrong;
        }
        if (imgkit::histogram(input) != counts) ++wrong;
      } catch (...) {
        ++thrown;
      }
      done.bump();
    }
  };
  std::thread first(caller, std::ref(rounds[0]));
  std::thread second(caller, std::ref(rounds[1]));

  for (int flip = 1; flip <= kFlips; ++flip) {
    const std::uint64_t before = router.version();
    file.write(config_for(modes[flip % modes.size()], table_faults[flip % table_faults.size()]));
    imgkit::failpoints::configure("imgkit::histogram", api_faults[flip % api_faults.size()]);
    imgkit::routing::testing::reload_now();
    // A breaker the last flip's faults opened may half-open and close under this one.
    imgkit::testing::fault_clock().advance(kOpen);
    // Two more rounds each: at least one ran wholly under this flip.
    const bool both_called = rounds[0].wait_for_count(rounds[0].count() + 2) &&
                             rounds[1].wait_for_count(rounds[1].count() + 2);
    // EXPECT and break, not ASSERT: returning now would leave the callers joinable.
    EXPECT_EQ(router.version(), before + 1) << "flip " << flip << " was not published";
    EXPECT_TRUE(both_called) << "flip " << flip << ": a caller stopped making calls";
    if (router.version() != before + 1 || !both_called) break;
  }
  stop = true;
  first.join();
  second.join();
  imgkit::routing::start(file.path(), /*watch=*/false);  // stops the reload thread
  imgkit::failpoints::remove_all();

  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(thrown.load(), 0);
}

}  // namespace
