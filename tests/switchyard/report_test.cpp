#include "switchyard/report.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>  // header-only: parsing the JSON back needs no link
#include <set>
#include <sstream>
#include <string>

namespace switchyard {
namespace {

using std::chrono::microseconds;

std::size_t route_index(Route route) { return static_cast<std::size_t>(route); }
std::size_t state_index(BreakerState state) { return static_cast<std::size_t>(state); }

// One component in shadow mode with a bit of everything, one untouched.
Report small_report() {
  Report report;
  report.config_source = "switchyard.toml";
  report.config_version = 3;
  report.reloads = {2, 1};
  report.warnings = {"switchyard.toml:4:1: components.encode_png.mode: no Rust port"};

  ComponentReport blur;
  blur.name = "gaussian_blur";
  blur.rust_port = RustPort::kAvailable;
  blur.settings.mode = Mode::kShadow;
  blur.settings.requested_mode = Mode::kShadow;
  blur.settings.breaker.slow_call = std::chrono::milliseconds(40);
  blur.settings.breaker.slow_call_ns_per_pixel = 12.5;
  blur.breaker_state = BreakerState::kOpen;
  blur.counts.calls = {3, 5, 7};
  blur.counts.fallbacks = {1, 0, 2, 4};
  blur.counts.slow_calls = 6;
  blur.counts.mismatches = 2;
  blur.counts.transitions[state_index(BreakerState::kClosed)][state_index(BreakerState::kOpen)] = 1;
  LatencyHistogram& rust = blur.counts.latency[route_index(Route::kRust)];
  rust.buckets[0] = 2;  // <= 1 us
  rust.buckets[3] = 1;  // <= 2.828 us
  rust.count = 3;
  rust.sum = microseconds(10);
  MismatchRecord mismatch;
  mismatch.input_digest = "0123456789abcdef";
  mismatch.width = 4;
  mismatch.height = 2;
  mismatch.channels = 3;
  mismatch.x = 1;
  mismatch.y = 1;
  mismatch.channel = 2;
  mismatch.max_difference = 9;
  mismatch.when = std::chrono::system_clock::time_point(std::chrono::milliseconds(1234));
  blur.counts.recent_mismatches = {mismatch};

  ComponentReport png;
  png.name = "encode_png";
  report.components = {blur, png};
  return report;
}

bool has_line(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

TEST(ReportJson, CarriesCountsModesAndBreakerOfEachComponent) {
  const nlohmann::json json = nlohmann::json::parse(to_json(small_report()));

  EXPECT_EQ(json["config"]["source"], "switchyard.toml");
  EXPECT_EQ(json["config"]["version"], 3);
  EXPECT_EQ(json["config"]["reloads"]["ok"], 2);
  EXPECT_EQ(json["config"]["reloads"]["failed"], 1);
  EXPECT_EQ(json["config"]["warnings"].size(), 1u);

  const nlohmann::json& blur = json["components"]["gaussian_blur"];
  EXPECT_EQ(blur["mode"], "shadow");
  EXPECT_EQ(blur["rust_port"], true);
  EXPECT_EQ(blur["calls"]["legacy"], 3);
  EXPECT_EQ(blur["calls"]["rust"], 5);
  EXPECT_EQ(blur["calls"]["shadow"], 7);
  EXPECT_EQ(blur["fallbacks"]["error"], 1);
  EXPECT_EQ(blur["fallbacks"]["mismatch"], 2);
  EXPECT_EQ(blur["fallbacks"]["breaker_open"], 4);
  // A slow call kept its answer: it is not a fallback, and is counted on its own.
  EXPECT_FALSE(blur["fallbacks"].contains("slow"));
  EXPECT_EQ(blur["fallbacks"].size(), kFallbackCauseCount);
  EXPECT_EQ(blur["slow_calls"], 6);
  EXPECT_EQ(blur["mismatches"], 2);
  EXPECT_EQ(blur["breaker"]["state"], "open");
  EXPECT_EQ(blur["breaker"]["settings"]["slow_call_ms"], 40);
  EXPECT_EQ(blur["breaker"]["settings"]["slow_call_ns_per_pixel"], 12.5);
  EXPECT_EQ(blur["breaker"]["settings"]["window"], 100);
  EXPECT_EQ(blur["breaker"]["transitions"], nlohmann::json({{"closed->open", 1}}));
  EXPECT_EQ(blur["latency"]["rust"]["count"], 3);
  EXPECT_GT(blur["latency"]["rust"]["p99_ms"].get<double>(), 0.002);
  EXPECT_LE(blur["latency"]["rust"]["p99_ms"].get<double>(), 0.002828);
  EXPECT_DOUBLE_EQ(blur["latency"]["rust"]["sum_ms"].get<double>(), 0.01);
  EXPECT_EQ(blur["latency"]["legacy"]["count"], 0);

  const nlohmann::json& png = json["components"]["encode_png"];
  EXPECT_EQ(png["rust_port"], false);
  EXPECT_EQ(png["mode"], "legacy");
  EXPECT_EQ(png["breaker"]["state"], "closed");
  EXPECT_TRUE(png["breaker"]["transitions"].empty());
  EXPECT_TRUE(png["recent_mismatches"].empty());
}

TEST(ReportJson, MismatchRecordsCarryWhereAndWhen) {
  const nlohmann::json json = nlohmann::json::parse(to_json(small_report()));
  const nlohmann::json& recent = json["components"]["gaussian_blur"]["recent_mismatches"];
  ASSERT_EQ(recent.size(), 1u);
  EXPECT_EQ(recent[0]["input_digest"], "0123456789abcdef");
  EXPECT_EQ(recent[0]["width"], 4);
  EXPECT_EQ(recent[0]["channel"], 2);
  EXPECT_EQ(recent[0]["max_difference"], 9);
  EXPECT_EQ(recent[0]["time"], "1970-01-01T00:00:01.234Z");
}

TEST(ReportJson, NegativeIndentIsOneLineAndBadUtf8DoesNotThrow) {
  Report report = small_report();
  report.last_reload_error = "cannot read \xff\xfe.toml";
  std::string text;
  ASSERT_NO_THROW(text = to_json(report, -1));
  EXPECT_EQ(text.find('\n'), std::string::npos);
  EXPECT_TRUE(nlohmann::json::accept(text));
}

TEST(ReportPrometheus, HasTheExpectedSamplesForASmallReport) {
  const std::string text = to_prometheus(small_report());
  for (
      const char* line : {
          R"(switchyard_calls_total{component="gaussian_blur",route="rust"} 5)",
          R"(switchyard_calls_total{component="encode_png",route="legacy"} 0)",
          R"(switchyard_fallbacks_total{component="gaussian_blur",cause="breaker_open"} 4)",
          R"(switchyard_slow_calls_total{component="gaussian_blur"} 6)",
          R"(switchyard_slow_calls_total{component="encode_png"} 0)",
          R"(switchyard_mismatches_total{component="gaussian_blur"} 2)",
          R"(switchyard_breaker_state{component="gaussian_blur",state="open"} 1)",
          R"(switchyard_breaker_state{component="gaussian_blur",state="closed"} 0)",
          R"(switchyard_breaker_transitions_total{component="gaussian_blur",from="closed",to="open"} 1)",
          R"(switchyard_mode{component="gaussian_blur",mode="shadow"} 1)",
          R"(switchyard_mode{component="gaussian_blur",mode="legacy"} 0)",
          R"(switchyard_config_reloads_total{result="ok"} 2)",
          R"(switchyard_config_reloads_total{result="failed"} 1)",
          "switchyard_config_version 3",
          "# TYPE switchyard_call_duration_seconds histogram",
          "# TYPE switchyard_breaker_state gauge",
      }) {
    EXPECT_TRUE(has_line(text, line)) << "missing: " << line << "\nin:\n" << text;
  }
  EXPECT_EQ(occurrences(text, R"(cause="slow")"), 0u);
  // Only transitions that happened, only histograms of routes that were taken.
  EXPECT_EQ(occurrences(text, "switchyard_breaker_transitions_total{"), 1u);
  EXPECT_EQ(occurrences(text, R"(route="legacy",le=)"), 0u);
  EXPECT_EQ(occurrences(text, R"(component="encode_png",route="rust",le=)"), 0u);
}

TEST(ReportPrometheus, HistogramBucketsAreCumulativeAndEndInInfEqualToCount) {
  const std::string text = to_prometheus(small_report());
  const std::string series = R"(component="gaussian_blur",route="rust")";
  const std::string bucket = "switchyard_call_duration_seconds_bucket{" + series;
  EXPECT_TRUE(has_line(text, bucket + R"(,le="0.000001"} 2)")) << text;
  EXPECT_TRUE(has_line(text, bucket + R"(,le="0.000001414"} 2)")) << text;
  EXPECT_TRUE(has_line(text, bucket + R"(,le="0.000002828"} 3)")) << text;
  EXPECT_TRUE(has_line(text, bucket + R"(,le="8.388608"} 3)")) << text;
  EXPECT_TRUE(has_line(text, bucket + R"(,le="+Inf"} 3)")) << text;
  EXPECT_TRUE(has_line(text, "switchyard_call_duration_seconds_sum{" + series + "} 0.00001"));
  EXPECT_TRUE(has_line(text, "switchyard_call_duration_seconds_count{" + series + "} 3"));
  EXPECT_EQ(occurrences(text, bucket + ","), kLatencyBucketCount);
}

TEST(ReportPrometheus, EachFamilyIsDescribedOnceBeforeItsSamples) {
  const std::string text = to_prometheus(small_report());
  std::set<std::string> described;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("# TYPE ", 0) == 0) {
      const std::string family = line.substr(7, line.find(' ', 7) - 7);
      EXPECT_TRUE(described.insert(family).second) << "described twice: " << family;
      continue;
    }
    if (line.rfind("#", 0) == 0) continue;
    std::string name = line.substr(0, line.find_first_of("{ "));
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      const std::string s = suffix;
      if (described.count(name) == 0 && name.size() > s.size() &&
          name.compare(name.size() - s.size(), s.size(), s) == 0) {
        name.resize(name.size() - s.size());
      }
    }
    EXPECT_EQ(described.count(name), 1u) << "sample before its # TYPE: " << line;
  }
  EXPECT_EQ(described.size(), 13u);
  EXPECT_EQ(occurrences(text, "# HELP "), 13u);
}

TEST(ReportPrometheus, LabelValuesAreEscaped) {
  Report report;
  ComponentReport odd;
  odd.name = "we\"ird\\name\nx";
  report.components = {odd};
  const std::string text = to_prometheus(report);
  EXPECT_TRUE(has_line(text, R"(switchyard_mismatches_total{component="we\"ird\\name\nx"} 0)"))
      << text;
}

}  // namespace
}  // namespace switchyard
