// The evidence a migration step rests on, as an operator gathers it with the CLI: inputs
// of mismatching calls captured in production and replayed as regression cases, and
// errors compared as well as answers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/cli_fixture.hpp"
#include "support/failpoints_required.hpp"

namespace {

namespace fs = std::filesystem;
using imgkit::testing::CliTest;
using imgkit::testing::quoted;
using imgkit::testing::read_text;
using ::testing::HasSubstr;

class EvidenceCliTest : public CliTest {
 protected:
  // gaussian_blur in shadow mode, capturing into captures/, with `failpoint` injected.
  void write_shadow_config(const std::string& name, const std::string& failpoint) const {
    fs::create_directories(path("captures"));
    std::string text = "[switchyard]\ncapture_dir = " + quoted_toml(path("captures")) +
                       "\n\n[components.gaussian_blur]\nmode = \"shadow\"\n";
    if (!failpoint.empty()) text += "\n[failpoints]\n" + failpoint + "\n";
    write(name, text);
  }
  static std::string quoted_toml(const std::string& text) { return "\"" + text + "\""; }

  imgkit::testing::RunResult blur(const std::string& config, const std::string& input) const {
    return run("process " + quoted(input) + " " + quoted(path("out.png")) +
               " --op gaussian_blur:sigma=2 --config " + quoted(path(config)) + " --metrics-json " +
               quoted(path("m.json")));
  }
  nlohmann::json blur_metrics() const {
    return nlohmann::json::parse(read_text(path("m.json")))["components"]["gaussian_blur"];
  }
  std::vector<fs::path> captures() const {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(path("captures"))) {
      files.push_back(entry.path());
    }
    return files;
  }
};

TEST_F(EvidenceCliTest, AMismatchIsCapturedAndItsReplayReproducesIt) {
  IMGKIT_SKIP_WITHOUT_FAILPOINTS();
  write_shadow_config("corrupt.toml", R"toml("imgkit::gaussian_blur" = "return(corrupt)")toml");
  const auto r = blur("corrupt.toml", sample("rose.ppm"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json m = blur_metrics();
  EXPECT_EQ(m["mismatches"], 1);
  EXPECT_EQ(m["captures"]["written"], 1) << "written before the metrics were";
  const std::vector<fs::path> files = captures();
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(m["recent_mismatches"][0]["capture"], files[0].filename().string());

  // The defect still there: the replay reproduces the mismatch, and says so by its status.
  auto replay = run("parity --replay " + quoted(path("captures")) + " --config " +
                    quoted(path("corrupt.toml")));
  EXPECT_EQ(replay.exit_code, 1) << replay.err;
  EXPECT_THAT(replay.out, HasSubstr("gaussian_blur: reproduced (mismatch"));
  EXPECT_THAT(replay.out, HasSubstr("1 captures replayed: 1 reproduce a disagreement"));

  // The defect fixed: the same capture agrees.
  write_shadow_config("fixed.toml", "");
  replay = run("parity --replay " + quoted(path("captures")) + " --config " +
               quoted(path("fixed.toml")));
  EXPECT_EQ(replay.exit_code, 0) << replay.err;
  EXPECT_THAT(replay.out, HasSubstr("gaussian_blur: agrees now (match)"));
}

TEST_F(EvidenceCliTest, ACapturedPngDecodeIsReplayedFromTheFileBytes) {
  IMGKIT_SKIP_WITHOUT_FAILPOINTS();
  fs::create_directories(path("captures"));
  write("decode.toml", "[switchyard]\ncapture_dir = " + quoted_toml(path("captures")) +
                           "\n[components.decode_png]\nmode = \"shadow\"\n[failpoints]\n"
                           "\"imgkit::decode_png\" = \"return(corrupt)\"\n");
  const auto r = run("process " + quoted(sample("logo-rgba.png")) + " " + quoted(path("o.png")) +
                     " --config " + quoted(path("decode.toml")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(captures().size(), 1u);
  const std::string file = read_text(captures()[0]);
  EXPECT_THAT(file, HasSubstr(R"("input":{"bytes":)"));
  EXPECT_THAT(file, HasSubstr(R"("decode_limits")"));
  const auto replay = run("parity --replay " + quoted(path("captures")) + " --config " +
                          quoted(path("decode.toml")));
  EXPECT_EQ(replay.exit_code, 1) << replay.err;
  EXPECT_THAT(replay.out, HasSubstr("decode_png: reproduced"));
}

TEST_F(EvidenceCliTest, AnInputLegacyRejectsAndRustAnswersIsAnErrorMismatch) {
  IMGKIT_SKIP_WITHOUT_FAILPOINTS();
  // Legacy rejects (an injected fault at its entry); Rust answers the same input.
  write_shadow_config("legacy-fails.toml",
                      R"toml("imgkit::legacy::gaussian_blur" = "return(rehearsal)")toml");
  const auto r = blur("legacy-fails.toml", sample("rose.ppm"));
  EXPECT_EQ(r.exit_code, 1) << "the caller gets legacy's error in shadow mode";
  EXPECT_THAT(r.err, HasSubstr("imgkit::legacy::gaussian_blur: injected fault: rehearsal"));
  // The run failed, so no metrics file: the capture is the evidence left behind.
  const std::vector<fs::path> files = captures();
  ASSERT_EQ(files.size(), 1u) << r.err;
  const std::string capture = read_text(files[0]);
  EXPECT_THAT(capture, HasSubstr(R"("kind":"error")"));
  EXPECT_THAT(capture, HasSubstr(R"("rust_error":"answered")"));
}

TEST_F(EvidenceCliTest, ReplayRefusesAFolderWithoutCapturesAndNamesABrokenOne) {
  fs::create_directories(path("empty"));
  auto r = run("parity --replay " + quoted(path("empty")));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("no capture files (*.capture)"));

  fs::create_directories(path("broken"));
  write("broken/x.capture", "switchyard-capture 1\n{\"component\":\"gaussian_blur\"}\n");
  r = run("parity --replay " + quoted(path("broken")));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("x.capture"));

  r = run("parity");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("give a CORPUS_DIR, or --replay CAPTURE_DIR"));
}

}  // namespace
