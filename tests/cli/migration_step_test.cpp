// One migration step end to end, as a team would take it: a workload runs in shadow mode
// while a defect corrupts a tenth of Rust's answers; the mismatches are captured, `imgkit
// report` says demote and why, and `imgkit parity --replay` reproduces every captured
// mismatch. With the defect fixed and enough clean calls, the report says promote.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/cli_fixture.hpp"
#include "support/failpoints_required.hpp"

namespace {

namespace fs = std::filesystem;
using imgkit::testing::CliTest;
using imgkit::testing::quoted;
using imgkit::testing::read_text;
using ::testing::HasSubstr;

constexpr int kCalls = 300;           // shadow calls per workload run
constexpr int kMinShadowCalls = 250;  // the promotion rule's threshold in this test

class MigrationStepTest : public CliTest {
 protected:
  // A 24x16 RGB image with some texture, as binary PPM.
  void write_input() const {
    std::string ppm = "P6\n24 16\n255\n";
    for (int y = 0; y < 16; ++y) {
      for (int x = 0; x < 24; ++x) {
        ppm += static_cast<char>((x * 11 + y * 3) & 0xff);
        ppm += static_cast<char>((x * y * 7) & 0xff);
        ppm += static_cast<char>((255 - x * 9) & 0xff);
      }
    }
    write("in.ppm", ppm);
  }

  // gaussian_blur in shadow mode, capturing, with `failpoint` (may be empty).
  void write_config(const std::string& name, const std::string& failpoint) const {
    std::string text = "[switchyard]\ncapture_dir = \"" + path("captures") +
                       "\"\ncapture_max_files = 1000\n\n[promotion]\nmin_shadow_calls = " +
                       std::to_string(kMinShadowCalls) +
                       "\n\n[components.gaussian_blur]\nmode = \"shadow\"\n";
    if (!failpoint.empty())
      text += "\n[failpoints]\n\"imgkit::gaussian_blur\" = \"" + failpoint + "\"\n";
    write(name, text);
  }

  // kCalls blurs of the input, chained, under `config`; metrics to `metrics`.
  void run_workload(const std::string& config, const std::string& metrics) const {
    std::string ops;
    for (int i = 0; i < kCalls; ++i) ops += " --op gaussian_blur:sigma=1";
    const auto r =
        run("process " + quoted(path("in.ppm")) + " " + quoted(path("out.ppm")) + ops +
            " --config " + quoted(path(config)) + " --metrics-json " + quoted(path(metrics)));
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  // gaussian_blur's recommendation in `imgkit report --json` over `metrics`.
  nlohmann::json recommendation(const std::string& config, const std::string& metrics) const {
    const auto r = run("report --json --config " + quoted(path(config)) + " --metrics-json " +
                       quoted(path(metrics)));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const nlohmann::json report = nlohmann::json::parse(r.out);
    for (const nlohmann::json& component : report["components"]) {
      if (component["name"] == "gaussian_blur") return component["recommendation"];
    }
    ADD_FAILURE() << "gaussian_blur is not in the report: " << r.out;
    return {};
  }

  std::size_t capture_count() const {
    std::size_t count = 0;
    for (const auto& entry : fs::directory_iterator(path("captures"))) {
      count += entry.path().extension() == ".capture";
    }
    return count;
  }
};

TEST_F(MigrationStepTest, ADefectIsCaughtCapturedReplayedAndThenTheFixPromotes) {
  IMGKIT_SKIP_WITHOUT_FAILPOINTS();
  write_input();
  fs::create_directories(path("captures"));

  // 1. Shadow with a defect on a tenth of Rust's answers.
  write_config("defect.toml", "10%return(corrupt)");
  run_workload("defect.toml", "defect.json");
  const nlohmann::json blur =
      nlohmann::json::parse(read_text(path("defect.json")))["components"]["gaussian_blur"];
  const std::uint64_t mismatches = blur["mismatches"];
  EXPECT_EQ(blur["calls"]["shadow"], kCalls);
  EXPECT_GE(mismatches, 10u) << "about 30 of 300 expected";
  EXPECT_LE(mismatches, 60u);
  // Captures are written off the call path through a bounded queue: a burst faster than
  // the disk may drop some, and each is counted.
  const std::uint64_t captured = blur["captures"]["written"];
  EXPECT_GE(captured, 1u);
  EXPECT_EQ(captured + blur["captures"]["dropped"].get<std::uint64_t>(), mismatches)
      << "every mismatch captured or counted as dropped";
  EXPECT_EQ(capture_count(), captured);

  // 2. The report demotes, naming the rule and the numbers.
  const nlohmann::json demote = recommendation("defect.toml", "defect.json");
  EXPECT_EQ(demote["action"], "demote");
  EXPECT_EQ(demote["mode"], "legacy");
  EXPECT_EQ(demote["rule"], "demote_on_mismatch");
  EXPECT_THAT(demote["reason"].get<std::string>(), HasSubstr(std::to_string(mismatches)));

  // 3. Every capture replays its mismatch while the defect is there (deterministic now).
  write_config("always.toml", "return(corrupt)");
  const auto replay = run("parity --replay " + quoted(path("captures")) + " --config " +
                          quoted(path("always.toml")));
  EXPECT_EQ(replay.exit_code, 1) << replay.err;
  const std::string all = std::to_string(captured);
  EXPECT_THAT(replay.out, HasSubstr(all + " captures replayed: " + all +
                                    " reproduce a disagreement, 0 agree now"));

  // 4. The defect fixed: a clean run's evidence promotes to canary.
  write_config("fixed.toml", "");
  run_workload("fixed.toml", "fixed.json");
  const nlohmann::json promote = recommendation("fixed.toml", "fixed.json");
  EXPECT_EQ(promote["action"], "promote") << promote;
  EXPECT_EQ(promote["mode"], "canary");
  EXPECT_EQ(promote["rule"], "shadow_to_canary");
  EXPECT_THAT(promote["reason"].get<std::string>(),
              HasSubstr(std::to_string(kCalls) + " shadow calls"));
}

}  // namespace
