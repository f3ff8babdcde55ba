// The config loader as an operator meets it: what a file turns into, and where each
// mistake is reported (file, line, column, dotted key, readable problem).
#include "switchyard/config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "switchyard/catalog.hpp"

namespace {

namespace fs = std::filesystem;
using switchyard::BreakerOverride;
using switchyard::BreakerSettings;
using switchyard::Catalog;
using switchyard::Comparison;
using switchyard::ComponentSettings;
using switchyard::Config;
using switchyard::ConfigError;
using switchyard::Mode;
using switchyard::RustPort;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr switchyard::ComponentId kBlur = 0;    // ported, compared with a tolerance
constexpr switchyard::ComponentId kDecode = 1;  // ported, compared exactly
constexpr switchyard::ComponentId kEncode = 2;  // no Rust port yet

const Catalog& test_catalog() {
  static const Catalog catalog({
      {"gaussian_blur", RustPort::kAvailable, Comparison::kTolerance, 2},
      {"decode_png", RustPort::kAvailable, Comparison::kExact, 0},
      {"encode_png", RustPort::kNone, Comparison::kExact, 0},
  });
  return catalog;
}

Config parse(const std::string& text) {
  return switchyard::parse_config(text, "test.toml", test_catalog());
}

ConfigError error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const ConfigError& error) {
    return error;
  }
  ADD_FAILURE() << "no ConfigError for:\n" << text;
  return ConfigError("", 0, 0, "", "");
}

// --- Catalog ----------------------------------------------------------------------------

TEST(ConfigCatalog, RejectsDuplicateAndEmptyNames) {
  const switchyard::ComponentInfo flip{"flip", RustPort::kNone, Comparison::kExact, 0};
  const switchyard::ComponentInfo rotate{"rotate90", RustPort::kNone, Comparison::kExact, 0};
  const switchyard::ComponentInfo unnamed{"", RustPort::kNone, Comparison::kExact, 0};
  EXPECT_THROW(Catalog({flip, rotate, flip}), std::invalid_argument);
  EXPECT_THROW(Catalog({flip, unnamed}), std::invalid_argument);
}

TEST(ConfigCatalog, FindsComponentsAndListsTheirNames) {
  EXPECT_EQ(test_catalog().find("decode_png"), kDecode);
  EXPECT_EQ(test_catalog().find("resize"), std::nullopt);
  EXPECT_EQ(test_catalog().names(), "gaussian_blur, decode_png, encode_png");
}

// --- Names ------------------------------------------------------------------------------

TEST(ConfigNames, ModesAndBreakerStatesRoundTrip) {
  for (Mode mode : {Mode::kLegacy, Mode::kShadow, Mode::kCanary, Mode::kRust}) {
    EXPECT_EQ(switchyard::parse_mode(switchyard::to_string(mode)), mode);
  }
  EXPECT_EQ(switchyard::to_string(Mode::kCanary), "canary");
  EXPECT_EQ(switchyard::parse_mode("Rust"), std::nullopt);
  EXPECT_EQ(switchyard::to_string(BreakerOverride::kForcedOpen), "forced_open");
  EXPECT_EQ(switchyard::parse_breaker_override("disabled"), BreakerOverride::kDisabled);
  EXPECT_EQ(switchyard::parse_breaker_override("open"), std::nullopt);
}

// --- Valid files ------------------------------------------------------------------------

TEST(ConfigDefaults, EveryComponentOnLegacyWithItsCatalogTolerance) {
  const Config config = switchyard::default_config(test_catalog());
  EXPECT_EQ(config.source, "<defaults>");
  EXPECT_EQ(config.reload_interval, std::chrono::milliseconds(500));
  EXPECT_EQ(config.mismatch_log_size, 64u);
  ASSERT_EQ(config.components.size(), 3u);
  for (const ComponentSettings& settings : config.components) {
    EXPECT_EQ(settings.mode, Mode::kLegacy);
    EXPECT_EQ(settings.breaker, BreakerSettings{});
  }
  EXPECT_EQ(config.components[kBlur].tolerance, 2u);
  EXPECT_EQ(config.components[kDecode].tolerance, 0u);
}

TEST(ConfigDefaults, AnEmptyFileMeansTheDefaults) {
  const Config config = parse("# nothing here yet\n");
  EXPECT_EQ(config, switchyard::default_config(test_catalog()));
  EXPECT_EQ(config.source, "test.toml");
  EXPECT_TRUE(config.warnings.empty());
}

TEST(ConfigParse, ReadsTheCaptureSettings) {
  const Config config = parse(R"(
[switchyard]
capture_dir = "/var/lib/imgkit/captures"
capture_max_files = 7
capture_max_mb = 3
)");
  EXPECT_EQ(config.capture.dir, "/var/lib/imgkit/captures");
  EXPECT_EQ(config.capture.max_files, 7u);
  EXPECT_EQ(config.capture.max_bytes, std::uint64_t{3} << 20);
  EXPECT_TRUE(switchyard::default_config(test_catalog()).capture.dir.empty())
      << "captures are off by default";
  EXPECT_NE(config, switchyard::default_config(test_catalog()));
  EXPECT_EQ(error_of("[switchyard]\ncapture_max_files = 0\n").key(),
            "switchyard.capture_max_files");
  EXPECT_EQ(error_of("[switchyard]\ncapture_dir = 5\n").key(), "switchyard.capture_dir");
}

TEST(ConfigParse, ReadsEveryKey) {
  const Config config = parse(R"(
[switchyard]
reload_interval_ms = 250
mismatch_log = 8

[components.gaussian_blur]
mode = "canary"
canary_percent = 12.5
shadow_sample = 0.25
tolerance = 3

[components.gaussian_blur.breaker]
window = 50
min_calls = 10
failure_rate = 0.2
slow_call_ms = 40
slow_call_ns_per_pixel = 25.5
slow_call_rate = 0.75
open_ms = 1000
half_open_calls = 3
mismatch_is_failure = true
state = "forced_open"

[components.decode_png]
mode = "rust"
)");
  EXPECT_EQ(config.reload_interval, std::chrono::milliseconds(250));
  EXPECT_EQ(config.mismatch_log_size, 8u);

  const ComponentSettings& blur = config.components[kBlur];
  EXPECT_EQ(blur.mode, Mode::kCanary);
  EXPECT_EQ(blur.requested_mode, Mode::kCanary);
  EXPECT_EQ(blur.canary_percent, 12.5);
  EXPECT_EQ(blur.shadow_sample, 0.25);
  EXPECT_EQ(blur.tolerance, 3u);
  EXPECT_EQ(blur.breaker.window, 50u);
  EXPECT_EQ(blur.breaker.min_calls, 10u);
  EXPECT_EQ(blur.breaker.failure_rate, 0.2);
  EXPECT_EQ(blur.breaker.slow_call, std::chrono::milliseconds(40));
  EXPECT_EQ(blur.breaker.slow_call_ns_per_pixel, 25.5);
  EXPECT_EQ(blur.breaker.slow_call_rate, 0.75);
  EXPECT_EQ(blur.breaker.open, std::chrono::milliseconds(1000));
  EXPECT_EQ(blur.breaker.half_open_calls, 3u);
  EXPECT_TRUE(blur.breaker.mismatch_is_failure);
  EXPECT_EQ(blur.breaker.state, BreakerOverride::kForcedOpen);

  EXPECT_EQ(config.components[kDecode].mode, Mode::kRust);
  EXPECT_EQ(config.components[kDecode].breaker, BreakerSettings{});
  EXPECT_EQ(config.components[kEncode], ComponentSettings{});
  EXPECT_TRUE(config.warnings.empty());
}

TEST(ConfigParse, DefaultsApplyToEveryComponentAndComponentsOverrideKeyByKey) {
  const Config config = parse(R"(
[components.gaussian_blur]
shadow_sample = 0.5
breaker = { open_ms = 5 }

[defaults]
mode = "shadow"
shadow_sample = 0.1

[defaults.breaker]
window = 40
open_ms = 9000
)");
  const ComponentSettings& blur = config.components[kBlur];
  EXPECT_EQ(blur.mode, Mode::kShadow);
  EXPECT_EQ(blur.shadow_sample, 0.5);
  EXPECT_EQ(blur.breaker.window, 40u);
  EXPECT_EQ(blur.breaker.open, std::chrono::milliseconds(5));

  const ComponentSettings& decode = config.components[kDecode];
  EXPECT_EQ(decode.mode, Mode::kShadow);
  EXPECT_EQ(decode.shadow_sample, 0.1);
  EXPECT_EQ(decode.breaker.window, 40u);
  EXPECT_EQ(decode.breaker.open, std::chrono::milliseconds(9000));
  EXPECT_EQ(decode.breaker.min_calls, 20u);

  // No Rust port: [defaults] cannot move it, and that is not worth a warning.
  EXPECT_EQ(config.components[kEncode].mode, Mode::kLegacy);
  EXPECT_EQ(config.components[kEncode].requested_mode, Mode::kShadow);
  EXPECT_TRUE(config.warnings.empty());
}

TEST(ConfigParse, ToleranceFromDefaultsReachesOnlyToleranceComponents) {
  EXPECT_EQ(parse("").components[kBlur].tolerance, 2u);  // the catalog's default
  const Config config = parse("[defaults]\ntolerance = 7\n[components.gaussian_blur]\n");
  EXPECT_EQ(config.components[kBlur].tolerance, 7u);
  EXPECT_EQ(config.components[kDecode].tolerance, 0u);
  EXPECT_EQ(config.components[kEncode].tolerance, 0u);
}

TEST(ConfigParse, InlineBreakerTableEqualsSubTable) {
  const Config inline_table = parse(
      "[components.gaussian_blur]\n"
      "breaker = { failure_rate = 0.2, state = \"disabled\" }\n");
  const Config sub_table = parse(
      "[components.gaussian_blur.breaker]\n"
      "failure_rate = 0.2\n"
      "state = \"disabled\"\n");
  EXPECT_EQ(inline_table, sub_table);
  EXPECT_EQ(inline_table.components[kBlur].breaker.state, BreakerOverride::kDisabled);
  EXPECT_NE(inline_table, parse(""));
}

TEST(ConfigParse, IntegersAreAcceptedWhereANumberIsExpected) {
  const Config config =
      parse("[components.gaussian_blur]\ncanary_percent = 100\nbreaker.failure_rate = 1\n");
  EXPECT_EQ(config.components[kBlur].canary_percent, 100.0);
  EXPECT_EQ(config.components[kBlur].breaker.failure_rate, 1.0);
}

TEST(ConfigParse, EitherPartOfTheSlowCallLimitMayBeZero) {
  const Config config = parse(
      "[defaults.breaker]\nslow_call_ms = 0\nslow_call_ns_per_pixel = 250\n"
      "[components.gaussian_blur]\nbreaker = { slow_call_ms = 5, slow_call_ns_per_pixel = 0 }\n");
  EXPECT_EQ(config.components[kDecode].breaker.slow_call, std::chrono::milliseconds(0));
  EXPECT_EQ(config.components[kDecode].breaker.slow_call_ns_per_pixel, 250.0);
  EXPECT_EQ(config.components[kBlur].breaker.slow_call, std::chrono::milliseconds(5));
  EXPECT_EQ(config.components[kBlur].breaker.slow_call_ns_per_pixel, 0.0);
  // Both 0 turns slow-call detection off; that is a choice, not a mistake.
  EXPECT_NO_THROW(parse("[defaults.breaker]\nslow_call_ms = 0\nslow_call_ns_per_pixel = 0\n"));
}

TEST(ConfigParse, RustModeWithoutAPortStaysOnLegacyWithAWarning) {
  const Config config = parse(
      "[components.encode_png]\n"
      "mode = \"rust\"\n");
  EXPECT_EQ(config.components[kEncode].mode, Mode::kLegacy);
  EXPECT_EQ(config.components[kEncode].requested_mode, Mode::kRust);
  ASSERT_EQ(config.warnings.size(), 1u);
  EXPECT_EQ(config.warnings[0],
            "test.toml:2:8: components.encode_png.mode: \"rust\" requested but encode_png has "
            "no Rust port yet; it stays on legacy");
}

// --- Errors -----------------------------------------------------------------------------

TEST(ConfigErrors, SyntaxErrorNamesLineAndColumn) {
  const ConfigError error = error_of("[switchyard]\nreload_interval_ms = = 5\n");
  EXPECT_EQ(error.line(), 2u);
  EXPECT_EQ(error.column(), 22u);
  EXPECT_EQ(error.key(), "");
  EXPECT_THAT(error.what(), StartsWith("test.toml:2:22: "));
}

TEST(ConfigErrors, UnknownSectionListsTheKnownOnes) {
  const ConfigError error = error_of("[switchyard]\nreload_interval_ms = 500\n\n[routing]\n");
  EXPECT_EQ(error.line(), 4u);
  EXPECT_EQ(error.column(), 2u);
  EXPECT_EQ(error.key(), "routing");
  EXPECT_STREQ(error.what(),
               "test.toml:4:2: routing: unknown section 'routing'; expected one of switchyard, "
               "defaults, components, failpoints, promotion");
}

TEST(ConfigErrors, UnknownKeyListsTheAcceptedKeys) {
  const ConfigError in_component = error_of("[components.gaussian_blur]\nmdoe = \"rust\"\n");
  EXPECT_EQ(in_component.line(), 2u);
  EXPECT_EQ(in_component.column(), 1u);
  EXPECT_EQ(in_component.key(), "components.gaussian_blur.mdoe");
  EXPECT_EQ(in_component.problem(),
            "unknown key 'mdoe'; expected one of mode, canary_percent, shadow_sample, "
            "tolerance, breaker");

  const ConfigError in_breaker = error_of("[defaults.breaker]\nwindow = 10\n  open = 5\n");
  EXPECT_EQ(in_breaker.line(), 3u);
  EXPECT_EQ(in_breaker.column(), 3u);
  EXPECT_EQ(in_breaker.key(), "defaults.breaker.open");
  EXPECT_THAT(in_breaker.problem(), HasSubstr("open_ms"));

  const ConfigError in_switchyard = error_of("[switchyard]\nreload_ms = 5\n");
  EXPECT_EQ(in_switchyard.key(), "switchyard.reload_ms");
  EXPECT_THAT(in_switchyard.problem(), HasSubstr("reload_interval_ms, mismatch_log"));
}

TEST(ConfigErrors, WrongTypeNamesWhatWasExpectedAndFound) {
  const ConfigError error = error_of("[switchyard]\nreload_interval_ms = \"500\"\n");
  EXPECT_EQ(error.line(), 2u);
  EXPECT_EQ(error.column(), 22u);
  EXPECT_EQ(error.key(), "switchyard.reload_interval_ms");
  EXPECT_STREQ(error.what(),
               "test.toml:2:22: switchyard.reload_interval_ms: expected an integer, got a "
               "string");

  const ConfigError section = error_of("defaults = 3\n");
  EXPECT_EQ(section.key(), "defaults");
  EXPECT_EQ(section.problem(), "expected a table, got an integer");
}

TEST(ConfigErrors, FloatForAnIntegerKeyIsATypeError) {
  const ConfigError error = error_of("[defaults.breaker]\nwindow = 10.5\n");
  EXPECT_EQ(error.line(), 2u);
  EXPECT_EQ(error.column(), 10u);
  EXPECT_EQ(error.key(), "defaults.breaker.window");
  EXPECT_EQ(error.problem(), "expected an integer, got a float");
}

TEST(ConfigErrors, NonFiniteNumbersAreRejected) {
  const ConfigError error = error_of("[defaults]\nshadow_sample = nan\n");
  EXPECT_EQ(error.line(), 2u);
  EXPECT_EQ(error.key(), "defaults.shadow_sample");
  EXPECT_EQ(error.problem(), "must be a finite number, got nan");
  EXPECT_EQ(error_of("[defaults]\ncanary_percent = -inf\n").key(), "defaults.canary_percent");
}

TEST(ConfigErrors, OutOfRangeGivesTheRangeAndTheValue) {
  const ConfigError error = error_of("[components.gaussian_blur]\ncanary_percent = 150\n");
  EXPECT_EQ(error.line(), 2u);
  EXPECT_EQ(error.column(), 18u);
  EXPECT_EQ(error.key(), "components.gaussian_blur.canary_percent");
  EXPECT_EQ(error.problem(), "must be between 0 and 100, got 150");

  const ConfigError zero_rate = error_of("[defaults.breaker]\nfailure_rate = 0\n");
  EXPECT_EQ(zero_rate.problem(), "must be greater than 0 and at most 1, got 0");

  const ConfigError big_tolerance = error_of("[defaults]\ntolerance = 65536\n");
  EXPECT_EQ(big_tolerance.problem(), "must be between 0 and 65535, got 65536");

  const ConfigError per_pixel = error_of("[defaults.breaker]\nslow_call_ns_per_pixel = -1\n");
  EXPECT_EQ(per_pixel.key(), "defaults.breaker.slow_call_ns_per_pixel");
  EXPECT_EQ(per_pixel.problem(), "must be between 0 and 1e+09, got -1");
  EXPECT_EQ(error_of("[defaults.breaker]\nslow_call_ns_per_pixel = 2e9\n").problem(),
            "must be between 0 and 1e+09, got 2e+09");
  EXPECT_EQ(error_of("[defaults.breaker]\nslow_call_ns_per_pixel = \"fast\"\n").problem(),
            "expected a number, got a string");
  EXPECT_EQ(error_of("[defaults.breaker]\nslow_call_ms = -1\n").problem(),
            "must be between 0 and 3600000, got -1");
}

TEST(ConfigErrors, UnknownModeAndStateListTheValidOnes) {
  const ConfigError mode = error_of("\n[components.decode_png]\nmode = \"rusty\"\n");
  EXPECT_EQ(mode.line(), 3u);
  EXPECT_EQ(mode.column(), 8u);
  EXPECT_EQ(mode.key(), "components.decode_png.mode");
  EXPECT_EQ(mode.problem(), "unknown mode \"rusty\"; expected one of legacy, shadow, canary, rust");

  const ConfigError state = error_of("[components.decode_png]\nbreaker = { state = \"open\" }\n");
  EXPECT_EQ(state.line(), 2u);
  EXPECT_EQ(state.column(), 21u);
  EXPECT_EQ(state.key(), "components.decode_png.breaker.state");
  EXPECT_EQ(state.problem(), "unknown state \"open\"; expected one of auto, forced_open, disabled");
}

TEST(ConfigErrors, UnknownComponentListsTheCatalog) {
  const ConfigError error = error_of("[components.gausian_blur]\nmode = \"shadow\"\n");
  EXPECT_EQ(error.line(), 1u);
  EXPECT_EQ(error.column(), 13u);
  EXPECT_EQ(error.key(), "components.gausian_blur");
  EXPECT_EQ(error.problem(),
            "unknown component 'gausian_blur'; expected one of gaussian_blur, decode_png, "
            "encode_png");

  EXPECT_EQ(error_of("[components]\ngaussian_blur = \"shadow\"\n").problem(),
            "expected a table, got a string");
}

TEST(ConfigErrors, ToleranceOnAnExactComponent) {
  const ConfigError error = error_of("[components.decode_png]\nmode = \"shadow\"\ntolerance = 1\n");
  EXPECT_EQ(error.line(), 3u);
  EXPECT_EQ(error.column(), 1u);
  EXPECT_EQ(error.key(), "components.decode_png.tolerance");
  EXPECT_EQ(error.problem(), "decode_png is compared exactly; tolerance does not apply");
}

TEST(ConfigErrors, MinCallsOverTheWindowNamesMinCalls) {
  const ConfigError error = error_of(
      "[defaults.breaker]\nwindow = 10\nmin_calls = 5\n"
      "[components.gaussian_blur.breaker]\nmin_calls = 11\n");
  EXPECT_EQ(error.line(), 5u);
  EXPECT_EQ(error.column(), 13u);
  EXPECT_EQ(error.key(), "components.gaussian_blur.breaker.min_calls");
  EXPECT_EQ(error.problem(), "must be between 1 and window (10), got 11");
}

TEST(ConfigErrors, WindowUnderTheInheritedMinCallsNamesBoth) {
  // The built-in min_calls is 20.
  const ConfigError error = error_of("[components.gaussian_blur]\nbreaker = { window = 5 }\n");
  EXPECT_EQ(error.line(), 2u);
  EXPECT_EQ(error.column(), 22u);
  EXPECT_EQ(error.key(), "components.gaussian_blur.breaker.window");
  EXPECT_THAT(error.problem(), HasSubstr("min_calls (20"));
}

TEST(ConfigErrors, WhatLeavesOutWhatIsNotKnown) {
  EXPECT_STREQ(ConfigError("a.toml", 0, 0, "", "cannot read the file: x").what(),
               "a.toml: cannot read the file: x");
  EXPECT_STREQ(ConfigError("a.toml", 0, 0, "defaults", "p").what(), "a.toml: defaults: p");
  EXPECT_STREQ(ConfigError("a.toml", 3, 7, "k", "p").what(), "a.toml:3:7: k: p");
}

// --- Files ------------------------------------------------------------------------------

TEST(ConfigFile, LoadsAFileAndNamesItInErrors) {
  const std::string path = ::testing::TempDir() + "switchyard_config_test.toml";
  {
    std::ofstream file(path, std::ios::binary);
    file << "[components.gaussian_blur]\nmode = \"shadow\"\n";
  }
  const Config config = switchyard::load_config_file(path, test_catalog());
  EXPECT_EQ(config.source, path);
  EXPECT_EQ(config.components[kBlur].mode, Mode::kShadow);

  {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << "[components.gaussian_blur]\nmode = 1\n";
  }
  try {
    switchyard::load_config_file(path, test_catalog());
    ADD_FAILURE() << "expected a ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.source(), path);
    EXPECT_THAT(error.what(), StartsWith(path + ":2:8: components.gaussian_blur.mode: "));
  }
  std::remove(path.c_str());
}

TEST(ConfigFile, UnreadableFileIsAConfigError) {
  const std::string missing = ::testing::TempDir() + "no_such_switchyard.toml";
  try {
    switchyard::load_config_file(missing, test_catalog());
    ADD_FAILURE() << "expected a ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.line(), 0u);
    EXPECT_EQ(error.key(), "");
    EXPECT_STREQ(error.what(),
                 (missing + ": cannot read the file: No such file or directory").c_str());
  }
}

// The problem load_config_file reports for `path` ("" when it loads).
std::string load_problem(const std::string& path) {
  try {
    switchyard::load_config_file(path, test_catalog());
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.source(), path);
    EXPECT_EQ(error.line(), 0u);
    return error.problem();
  }
  return "";
}

// A scratch directory of its own for each test, removed afterwards.
class ConfigFileKinds : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    dir_ = fs::temp_directory_path() /
           ("switchyard_config_" + std::to_string(::getpid()) + "_" + test);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

TEST_F(ConfigFileKinds, WhatIsNotARegularFileIsRefusedByItsTypeBeforeItIsRead) {
  EXPECT_EQ(load_problem(dir_.string()), "is a directory, not a file");

  // Reading a FIFO would wait for a writer forever.
  ASSERT_EQ(::mkfifo(path("fifo.toml").c_str(), 0600), 0);
  EXPECT_EQ(load_problem(path("fifo.toml")), "is a FIFO (named pipe), not a file");

  const int listener = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string socket_path = path("socket.toml");
  ASSERT_LT(socket_path.size(), sizeof address.sun_path);
  socket_path.copy(address.sun_path, socket_path.size());
  ASSERT_EQ(::bind(listener, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
  EXPECT_EQ(load_problem(socket_path), "is a socket, not a file");
  ::close(listener);

  // /dev/zero never ends: read, it would fill memory.
  EXPECT_EQ(load_problem("/dev/zero"), "is a character device, not a file");

  // A link to a regular file is that file.
  { std::ofstream(path("real.toml"), std::ios::binary) << "[components.gaussian_blur]\n"; }
  fs::create_symlink(path("real.toml"), path("link.toml"));
  EXPECT_EQ(load_problem(path("link.toml")), "");
}

TEST_F(ConfigFileKinds, AFileOverTheLimitIsRefusedNamingTheLimit) {
  // Exactly the limit loads: comment lines are a valid config of any length.
  std::string text;
  const std::string line = "# " + std::string(61, 'x') + "\n";
  while (text.size() + line.size() < switchyard::kMaxConfigFileBytes) text += line;
  text.append(switchyard::kMaxConfigFileBytes - text.size() - 1, '#').push_back('\n');
  ASSERT_EQ(text.size(), switchyard::kMaxConfigFileBytes);
  { std::ofstream(path("at_limit.toml"), std::ios::binary) << text; }
  EXPECT_EQ(load_problem(path("at_limit.toml")), "");

  { std::ofstream(path("over_limit.toml"), std::ios::binary) << text << '\n'; }
  EXPECT_EQ(load_problem(path("over_limit.toml")),
            "is larger than 4 MiB (4194304 bytes), the most a config file may hold");

  // A sparse gigabyte: refused once the limit is passed, not read whole.
  { std::ofstream(path("huge.toml"), std::ios::binary); }
  fs::resize_file(path("huge.toml"), std::uintmax_t{1} << 30);
  EXPECT_THAT(load_problem(path("huge.toml")), HasSubstr("the most a config file may hold"));
}

TEST(ConfigFile, ReadsToTheEndWhateverSizeTheFileClaims) {
  // /proc files claim a size of 0 and hold more: the bytes read count, not st_size.
  if (!fs::exists("/proc/self/status")) GTEST_SKIP() << "no /proc here";
  ASSERT_EQ(fs::file_size("/proc/self/status"), 0u);
  EXPECT_THAT(switchyard::read_config_file("/proc/self/status"), HasSubstr("Name:"));
}

// --- Switches ---------------------------------------------------------------------------

TEST(ParseSwitch, ReadsTheWordsOperatorsWrite) {
  struct Case {
    const char* text;
    std::optional<bool> expected;
  };
  const Case cases[] = {
      {"1", true},
      {"true", true},
      {"yes", true},
      {"on", true},
      {"TRUE", true},
      {"Yes", true},
      {"oN", true},
      {" on\n", true},
      {"\ttrue ", true},
      {"0", false},
      {"false", false},
      {"no", false},
      {"off", false},
      {"OFF", false},
      {" No ", false},
      {"", false},
      {"   ", false},
      {"2", std::nullopt},
      {"y", std::nullopt},
      {"enable", std::nullopt},
      {"01", std::nullopt},
      {"t rue", std::nullopt},
      {"true!", std::nullopt},
      {"-1", std::nullopt},
      {"\xc3\xbcon", std::nullopt},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(switchyard::parse_switch(c.text), c.expected) << '"' << c.text << '"';
  }
}

// --- Equality ---------------------------------------------------------------------------

TEST(ConfigEquality, ComparesRoutingNotSourceOrWarnings) {
  Config a = switchyard::default_config(test_catalog());
  Config b = a;
  b.source = "elsewhere.toml";
  b.warnings.push_back("a warning");
  EXPECT_EQ(a, b);

  b.reload_interval = std::chrono::milliseconds(501);
  EXPECT_NE(a, b);
  b = a;
  b.mismatch_log_size = 1;
  EXPECT_NE(a, b);
  b = a;
  b.components[kDecode].requested_mode = Mode::kRust;
  EXPECT_NE(a, b);
  b = a;
  b.components[kBlur].shadow_sample = 0.5;
  EXPECT_NE(a, b);
}

TEST(ConfigEquality, EveryBreakerFieldCounts) {
  const BreakerSettings base;
  auto differs = [&base](void (*change)(BreakerSettings&)) {
    BreakerSettings changed = base;
    change(changed);
    return changed != base && !(changed == base);
  };
  EXPECT_TRUE(differs([](BreakerSettings& s) { s.window = 1; }));
  EXPECT_TRUE(differs([](BreakerSettings& s) { s.min_calls = 1; }));
  EXPECT_TRUE(differs([](BreakerSettings& s) { s.failure_rate = 0.1; }));
  EXPECT_TRUE(differs([](BreakerSettings& s) { s.slow_call = std::chrono::milliseconds(1); }));
  EXPECT_TRUE(differs([](BreakerSettings& s) { s.slow_call_ns_per_pixel = 0.5; }));
  EXPECT_TRUE(differs([](BreakerSettings& s) { s.slow_call_rate = 0.1; }));
  EXPECT_TRUE(differs([](BreakerSettings& s) { s.open = std::chrono::milliseconds(1); }));
  EXPECT_TRUE(differs([](BreakerSettings& s) { s.half_open_calls = 1; }));
  EXPECT_TRUE(differs([](BreakerSettings& s) { s.mismatch_is_failure = true; }));
  EXPECT_TRUE(differs([](BreakerSettings& s) { s.state = BreakerOverride::kDisabled; }));
}

}  // namespace
