// `imgkit process --config/--metrics-json` and `imgkit status`, as an operator uses them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/cli_fixture.hpp"
#include "components.hpp"
#include "imgkit/legacy/codecs.hpp"
#include "support/failpoints_required.hpp"

namespace {

using imgkit::testing::CliTest;
using imgkit::testing::quoted;
using imgkit::testing::read_text;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kRustGaussian = R"([components.gaussian_blur]
mode = "rust"
)";

class RoutingCliTest : public CliTest {
 protected:
  std::string blur_with(const std::string& options) const {
    return "process " + quoted(sample("rose.ppm")) + " " + quoted(path("out.png")) +
           " --op gaussian_blur:sigma=2 " + options;
  }
  nlohmann::json metrics() const { return nlohmann::json::parse(read_text(path("m.json"))); }
};

TEST_F(RoutingCliTest, MetricsJsonCountsTheRouteEachComponentTook) {
  write("rust.toml", kRustGaussian);
  const auto r = run(blur_with("--config " + quoted(path("rust.toml")) + " --metrics-json " +
                               quoted(path("m.json"))));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json m = metrics();
  const auto& blur = m["components"]["gaussian_blur"];
  EXPECT_EQ(blur["mode"], "rust");
  EXPECT_EQ(blur["calls"]["rust"], 1);
  EXPECT_EQ(blur["calls"]["legacy"], 0);
  EXPECT_EQ(blur["fallbacks"]["panic"], 0);
  EXPECT_EQ(blur["mismatches"], 0);
  EXPECT_EQ(blur["breaker"]["state"], "closed");
  EXPECT_EQ(m["components"]["decode_pnm"]["calls"]["legacy"], 1);
  EXPECT_EQ(m["components"]["encode_png"]["calls"]["legacy"], 1);
}

TEST_F(RoutingCliTest, RustAndLegacyRoutesWriteTheSameImage) {
  write("rust.toml", kRustGaussian);
  write("legacy.toml", "[components.gaussian_blur]\nmode = \"legacy\"\n");
  ASSERT_EQ(run(blur_with("--config " + quoted(path("legacy.toml")))).exit_code, 0);
  const std::string legacy_png = read_text(path("out.png"));
  ASSERT_EQ(run(blur_with("--config " + quoted(path("rust.toml")))).exit_code, 0);
  EXPECT_EQ(read_text(path("out.png")), legacy_png);
}

TEST_F(RoutingCliTest, ConfigFromTheEnvironmentWhenNoOptionIsGiven) {
  write("rust.toml", kRustGaussian);
  const auto r = run_with_env("IMGKIT_CONFIG=" + quoted(path("rust.toml")),
                              blur_with("--metrics-json " + quoted(path("m.json"))));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(metrics()["components"]["gaussian_blur"]["calls"]["rust"], 1);
}

TEST_F(RoutingCliTest, KillSwitchRoutesEverythingToLegacy) {
  write("rust.toml", kRustGaussian);
  const auto r =
      run_with_env("IMGKIT_FORCE_LEGACY=1", blur_with("--config " + quoted(path("rust.toml")) +
                                                      " --metrics-json " + quoted(path("m.json"))));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json m = metrics();
  EXPECT_EQ(m["config"]["force_legacy"], true);
  EXPECT_EQ(m["components"]["gaussian_blur"]["calls"]["legacy"], 1);
  EXPECT_EQ(m["components"]["gaussian_blur"]["calls"]["rust"], 0);
}

TEST_F(RoutingCliTest, KillSwitchReadsTheWordsOperatorsWrite) {
  write("rust.toml", kRustGaussian);
  const auto route_with = [&](const std::string& value) {
    const auto r = run_with_env("IMGKIT_FORCE_LEGACY=" + quoted(value),
                                blur_with("--config " + quoted(path("rust.toml")) +
                                          " --metrics-json " + quoted(path("m.json"))));
    EXPECT_EQ(r.exit_code, 0) << value << ": " << r.err;
    const nlohmann::json m = metrics();
    const bool legacy = m["components"]["gaussian_blur"]["calls"]["legacy"] == 1;
    EXPECT_EQ(m["config"]["force_legacy"], legacy) << value;
    EXPECT_NE(legacy, m["components"]["gaussian_blur"]["calls"]["rust"] == 1) << value;
    return legacy ? "legacy" : "rust";
  };
  for (const char* on : {"1", "true", "TRUE", " yes ", "On"}) {
    EXPECT_STREQ(route_with(on), "legacy") << '"' << on << '"';
  }
  for (const char* off : {"0", "false", "No", "off", ""}) {
    EXPECT_STREQ(route_with(off), "rust") << '"' << off << '"';
  }
}

// A damaged file both decoders reject: the message names the decoder the route ran.
TEST_F(RoutingCliTest, ADecodingErrorNamesTheDecoderThatRan) {
  const std::string png = read_text(sample("wizard.png"));
  std::string damaged = png;
  damaged[png.find("IDAT") + 10] ^= '\xff';  // a data byte: the chunk's CRC no longer fits
  write("damaged.png", damaged);
  write("rust.toml", "[defaults]\nmode = \"rust\"\n");
  const std::string args = "process " + quoted(path("damaged.png")) + " " + quoted(path("o.png"));
  const auto legacy = run(args);
  EXPECT_EQ(legacy.exit_code, 1);
  EXPECT_THAT(legacy.err, HasSubstr("libpng"));
  const auto rust = run(args + " --config " + quoted(path("rust.toml")));
  EXPECT_EQ(rust.exit_code, 1);
  EXPECT_THAT(rust.err, HasSubstr("(Rust decoder)"));
  EXPECT_THAT(rust.err, Not(HasSubstr("libpng")));
}

TEST_F(RoutingCliTest, AKillSwitchValueNoOneCanReadIsAUsageError) {
  write("rust.toml", kRustGaussian);
  const auto r =
      run_with_env("IMGKIT_FORCE_LEGACY=maybe", blur_with("--config " + quoted(path("rust.toml"))));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("IMGKIT_FORCE_LEGACY=maybe: not a switch value; accepted: 1, true"));
  EXPECT_FALSE(std::filesystem::exists(path("out.png")));
}

// The operator's rehearsal from the README: a Rust panic injected into the shipped
// binary is answered by legacy, and the metrics say so.
TEST_F(RoutingCliTest, AnInjectedRustPanicIsAnsweredByLegacyAndCounted) {
  IMGKIT_SKIP_WITHOUT_FAILPOINTS();
  write("rust.toml", kRustGaussian);
  write("legacy.toml", "[components.gaussian_blur]\nmode = \"legacy\"\n");
  ASSERT_EQ(run(blur_with("--config " + quoted(path("legacy.toml")))).exit_code, 0);
  const std::string legacy_png = read_text(path("out.png"));

  const auto r = run_with_env("FAILPOINTS='imgkit::gaussian_blur=panic'",
                              blur_with("--config " + quoted(path("rust.toml")) +
                                        " --metrics-json " + quoted(path("m.json"))));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_text(path("out.png")), legacy_png);
  const nlohmann::json m = metrics();
  EXPECT_EQ(m["components"]["gaussian_blur"]["calls"]["rust"], 1);
  EXPECT_EQ(m["components"]["gaussian_blur"]["fallbacks"]["panic"], 1);
  EXPECT_EQ(m["failpoints"]["imgkit::gaussian_blur"], "panic");
}

TEST_F(RoutingCliTest, ALegacyFailpointFailsTheRunWithAClearError) {
  IMGKIT_SKIP_WITHOUT_FAILPOINTS();
  const auto r =
      run_with_env("FAILPOINTS='imgkit::legacy::gaussian_blur=return(rehearsal)'", blur_with(""));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("imgkit::legacy::gaussian_blur: injected fault: rehearsal"));
  EXPECT_FALSE(std::filesystem::exists(path("out.png")));
}

TEST_F(RoutingCliTest, ABadFailpointsSpecIsAUsageErrorNamingTheProblem) {
  IMGKIT_SKIP_WITHOUT_FAILPOINTS();
  auto r = run_with_env("FAILPOINTS='imgkit::gaussian_blur=explode'", blur_with(""));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("FAILPOINTS: imgkit::gaussian_blur: failpoint action \"explode\""));
  r = run_with_env("FAILPOINTS='imgkit::gausian_blur=panic'", blur_with(""));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("unknown failpoint \"imgkit::gausian_blur\""));
  EXPECT_FALSE(std::filesystem::exists(path("out.png")));
}

// A one-shot run never reconfigures its failpoints, so `pause` would hang it: refused up
// front. `timeout` turns a hang into a failure instead of a stuck suite.
TEST_F(RoutingCliTest, APauseFailpointIsAUsageErrorNotAHang) {
  IMGKIT_SKIP_WITHOUT_FAILPOINTS();
  write("rust.toml", kRustGaussian);
  auto r = run_with_env("FAILPOINTS='imgkit::gaussian_blur=pause' timeout 60",
                        blur_with("--config " + quoted(path("rust.toml"))));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("FAILPOINTS: imgkit::gaussian_blur=pause: pause would block"));
  EXPECT_THAT(r.err, HasSubstr("use sleep(ms) up to 60000"));

  r = run_with_env("FAILPOINTS='imgkit::gaussian_blur=sleep(600000)' timeout 60",
                   blur_with("--config " + quoted(path("rust.toml"))));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("sleep(600000) would block 600000 ms"));

  write("paused.toml",
        std::string(kRustGaussian) + "\n[failpoints]\n\"imgkit::gaussian_blur\" = \"pause\"\n");
  r = run_with_env("timeout 60", blur_with("--config " + quoted(path("paused.toml"))));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr(path("paused.toml") + ":5:27: failpoints."));
  EXPECT_THAT(r.err, HasSubstr("imgkit::gaussian_blur=pause: pause would block"));
  EXPECT_FALSE(std::filesystem::exists(path("out.png")));
}

TEST_F(RoutingCliTest, InvalidConfigIsAUsageErrorNamingFileLineAndKey) {
  write("bad.toml", "[components.gaussian_blur]\nmode = \"fast\"\n");
  const auto r = run(blur_with("--config " + quoted(path("bad.toml"))));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(path("bad.toml") + ":2:8: components.gaussian_blur.mode"));
  EXPECT_THAT(r.err, HasSubstr("fast"));
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(image_files(), 1u);  // only bad.toml: no output image was written
}

TEST_F(RoutingCliTest, MissingConfigIsAUsageError) {
  const auto r = run(blur_with("--config " + quoted(path("nope.toml"))));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(path("nope.toml")));
}

TEST_F(RoutingCliTest, EveryStepOfAPipelineRunsOnRustWhenTheDefaultsSaySo) {
  write("rust.toml", "[defaults]\nmode = \"rust\"\n");
  write("legacy.toml", "[defaults]\nmode = \"legacy\"\n");
  const std::string ops = " --op sobel --op resize:width=50 --op equalize --op flip";
  const auto rust =
      run("process " + quoted(sample("rose.ppm")) + " " + quoted(path("rust.png")) + ops +
          " --config " + quoted(path("rust.toml")) + " --metrics-json " + quoted(path("m.json")));
  ASSERT_EQ(rust.exit_code, 0) << rust.err;
  const nlohmann::json counts = metrics();
  for (const char* component :
       {"decode_pnm", "sobel", "resize", "equalize", "flip", "encode_png"}) {
    EXPECT_EQ(counts["components"][component]["calls"]["rust"], 1) << component;
    EXPECT_EQ(counts["components"][component]["calls"]["legacy"], 0) << component;
  }
  const auto legacy =
      run("process " + quoted(sample("rose.ppm")) + " " + quoted(path("legacy.png")) + ops +
          " --config " + quoted(path("legacy.toml")));
  ASSERT_EQ(legacy.exit_code, 0) << legacy.err;
  // The PNG bytes differ (two encoders); the pixels must not.
  const auto pixels = [&](const std::string& name) {
    const std::string bytes = read_text(path(name));
    return imgkit::legacy::decode_png(std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
  };
  EXPECT_TRUE(pixels("rust.png") == pixels("legacy.png"));
}

TEST_F(RoutingCliTest, MetricsAreWrittenWhenTheRunFails) {
  write("broken.png", std::string("\x89PNG\r\n\x1a\n", 8) + "then not a png");
  const auto r = run("process " + quoted(path("broken.png")) + " " + quoted(path("out.png")) +
                     " --metrics-json " + quoted(path("m.json")));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(metrics()["components"]["decode_png"]["calls"]["legacy"], 1);
}

TEST_F(RoutingCliTest, UnwritableMetricsFileFailsTheRunNamingIt) {
  const std::string metrics = path("no-such-dir") + "/m.json";
  const auto r = run(blur_with("--metrics-json " + quoted(metrics)));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr(metrics));
  EXPECT_EQ(r.out, "");  // a failed run says nothing on stdout
}

TEST_F(RoutingCliTest, StatusShowsModePortAndBreakerOfEveryComponent) {
  write("rust.toml", kRustGaussian);
  const auto r = run("status --config " + quoted(path("rust.toml")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("config: " + path("rust.toml")));
  EXPECT_THAT(r.out, ::testing::ContainsRegex("gaussian_blur +rust +yes"));
  EXPECT_THAT(r.out, ::testing::ContainsRegex("sobel +legacy +yes"));
  EXPECT_THAT(r.out, HasSubstr("window 100, min_calls 20, failure_rate 0.5"));
}

TEST_F(RoutingCliTest, StatusJsonHasEveryComponent) {
  write("rust.toml", kRustGaussian);
  const auto r = run("status --json --config " + quoted(path("rust.toml")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json status = nlohmann::json::parse(r.out);
  EXPECT_EQ(status["components"]["gaussian_blur"]["mode"], "rust");
  EXPECT_EQ(status["components"]["gaussian_blur"]["rust_port"], true);
  EXPECT_EQ(status["components"]["flip"]["mode"], "legacy");
  EXPECT_EQ(status["components"]["flip"]["rust_port"], true);
  EXPECT_EQ(status["components"]["convolve"]["breaker"]["settings"]["window"], 100);
  EXPECT_EQ(status["components"].size(), imgkit::routing::AllComponents::size);
}

TEST_F(RoutingCliTest, StatusWithABrokenConfigExitsTwo) {
  write("bad.toml", "[switchyard]\nreload_interval_ms = \"soon\"\n");
  const auto r = run("status --config " + quoted(path("bad.toml")));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("bad.toml:2:"));
  EXPECT_THAT(r.out, Not(HasSubstr("gaussian_blur")));
}

TEST_F(RoutingCliTest, ParityOverTheSamplesAgreesAndWritesJson) {
  const auto r =
      run("parity " + quoted(IMGKIT_SAMPLES_DIR) + " --json " + quoted(path("parity.json")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, ::testing::ContainsRegex("gaussian_blur +[0-9]+ +[0-9]+ +0 +0 "));
  EXPECT_THAT(r.out, HasSubstr("4 files"));
  const nlohmann::json report = nlohmann::json::parse(read_text(path("parity.json")));
  EXPECT_EQ(report["agree"], true);
  EXPECT_EQ(report["files"], 4);
  // Every component, both decoders included: the samples hold PNM and PNG.
  EXPECT_EQ(report["components"].size(), imgkit::routing::AllComponents::size);
  EXPECT_EQ(report["components"]["decode_png"]["cases"], 2);
  EXPECT_EQ(report["components"]["decode_png"]["mismatches"], 0);
  EXPECT_TRUE(report["disagreements"].empty());
}

TEST_F(RoutingCliTest, ParityOverADamagedFileCountsTheRejectionBothMade) {
  std::filesystem::create_directories(path("corpus"));
  write("corpus/broken.png", "\x89PNG\r\n\x1a\nnot really");
  const auto r = run("parity " + quoted(path("corpus")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, ::testing::ContainsRegex("decode_png +1 +0 +1 +0"));
}

TEST_F(RoutingCliTest, ParityWithoutImagesIsAUsageError) {
  std::filesystem::create_directories(path("corpus"));
  write("corpus/readme.txt", "no images here");
  const auto r = run("parity " + quoted(path("corpus")));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("no PNM or PNG files"));
  EXPECT_EQ(run("parity " + quoted(path("missing"))).exit_code, 2);
}

}  // namespace
