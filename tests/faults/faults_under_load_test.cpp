// Faults changing under load: two threads call facades while the main thread flips the
// routing mode (config file, hot-reloaded) and the failpoints (the config's [failpoints]
// table and the test API) underneath them. Every call must return the right answer and
// nothing may race — this is the suite ci/tsan.sh exists for.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "imgkit/failpoints.hpp"
#include "imgkit/imgkit.hpp"
#include "imgkit/legacy/filters.hpp"
#include "imgkit/legacy/tone.hpp"
#include "support/component_calls.hpp"
#include "support/routing_config.hpp"
#include "support/test_images.hpp"

namespace {

using imgkit::Image;

std::string config_for(const std::string& mode, const std::string& failpoint) {
  std::string toml = "[switchyard]\nreload_interval_ms = 10\n\n[defaults]\nmode = \"" + mode +
                     "\"\ncanary_percent = 50.0\nshadow_sample = 1.0\n"
                     "breaker = { window = 4, min_calls = 4, open_ms = 5, half_open_calls = 1 }\n";
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
  std::atomic<int> calls{0};
  const auto caller = [&] {
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
      ++calls;
    }
  };
  std::thread first(caller);
  std::thread second(caller);

  for (int flip = 1; flip <= kFlips; ++flip) {
    const std::uint64_t before = router.version();
    file.write(config_for(modes[flip % modes.size()], table_faults[flip % table_faults.size()]));
    imgkit::failpoints::configure("imgkit::histogram", api_faults[flip % api_faults.size()]);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (router.version() == before && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    // EXPECT and break, not ASSERT: returning now would leave the callers joinable.
    EXPECT_GT(router.version(), before) << "flip " << flip << " was not picked up";
    if (router.version() == before) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  stop = true;
  first.join();
  second.join();
  imgkit::routing::start(file.path(), /*watch=*/false);  // stops the reload thread
  imgkit::failpoints::remove_all();

  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(thrown.load(), 0);
  EXPECT_GT(calls.load(), 200);
}

}  // namespace
