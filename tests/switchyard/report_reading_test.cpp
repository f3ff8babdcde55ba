// Reports read back from their JSON (report_from_json) and runs summed (sum_reports): what
// `imgkit report` rests on.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>  // header-only: editing the JSON needs no link
#include <string>

#include "switchyard/report.hpp"

namespace switchyard {
namespace {

using std::chrono::microseconds;
using ::testing::HasSubstr;

std::size_t route_index(Route route) { return static_cast<std::size_t>(route); }
std::size_t state_index(BreakerState state) { return static_cast<std::size_t>(state); }

void record(LatencyHistogram& histogram, Duration latency) {
  histogram.buckets[latency_bucket_index(latency)] += 1;
  histogram.min = histogram.count == 0 ? latency : std::min(histogram.min, latency);
  histogram.max = std::max(histogram.max, latency);
  histogram.count += 1;
  histogram.sum += latency;
}

// A run with a bit of everything: every route timed, a transition, a mismatch.
Report run(Mode mode, std::uint64_t scale) {
  Report report;
  report.config_source = "run" + std::to_string(scale) + ".toml";
  report.config_version = scale;
  report.reloads = {scale, 1};
  report.failpoints = {{"imgkit::sobel", "1%panic"}};
  report.program_table = "imgkit";
  report.program_settings = {{"max_image_mb", 512}, {"max_input_mb", 256}};

  ComponentReport blur;
  blur.name = "gaussian_blur";
  blur.rust_port = RustPort::kAvailable;
  blur.settings.mode = mode;
  blur.settings.requested_mode = mode;
  blur.settings.canary_percent = 12.5;
  blur.settings.tolerance = 1;
  blur.settings.breaker.window = static_cast<std::uint32_t>(50 * scale);
  blur.breaker_state = scale == 1 ? BreakerState::kClosed : BreakerState::kHalfOpen;
  ComponentCounts& counts = blur.counts;
  counts.calls = {10 * scale, 20 * scale, 30 * scale};
  counts.fallbacks = {1 * scale, 2, 0, 3};
  counts.slow_calls = scale;
  counts.mismatches = scale;
  counts.error_mismatches = 2 * scale;
  counts.captures_written = scale;
  counts.captures_dropped = 1;
  counts.transitions[state_index(BreakerState::kClosed)][state_index(BreakerState::kOpen)] = scale;
  for (std::uint64_t i = 1; i <= 20 * scale; ++i) {
    record(counts.latency[route_index(Route::kRust)], microseconds(37 * i));
    record(counts.latency[route_index(Route::kLegacy)], microseconds(101 * i + 3));
  }
  record(counts.latency[route_index(Route::kShadow)], std::chrono::seconds(5000));  // +Inf
  MismatchRecord mismatch;
  mismatch.kind = MismatchKind::kError;
  mismatch.input_digest = "00112233445566" + std::to_string(10 + scale);
  mismatch.width = 3;
  mismatch.legacy_error = "invalid_argument";
  mismatch.rust_error = "answered";
  mismatch.capture = "captures/x.bin";
  mismatch.when = std::chrono::system_clock::time_point(std::chrono::milliseconds(1234567));
  counts.recent_mismatches = {mismatch};

  ComponentReport png;
  png.name = "encode_png";
  png.counts.calls = {scale, 0, 0};
  report.components = {blur, png};
  return report;
}

std::string error_of(const std::string& text) {
  try {
    report_from_json(text, "runs/a.json");
  } catch (const ReportError& error) {
    return error.what();
  }
  return "(no error)";
}

TEST(ReportFromJson, ReadsBackEverythingToJsonWrote) {
  const std::string written = to_json(run(Mode::kCanary, 2));
  const Report read = report_from_json(written, "m.json");
  EXPECT_EQ(to_json(read), written);
  const LatencyHistogram& rust = read.components[0].counts.latency[route_index(Route::kRust)];
  EXPECT_EQ(rust.quantile(0.99),
            run(Mode::kCanary, 2).components[0].counts.latency[1].quantile(0.99));
}

TEST(ReportFromJson, KeysANewerWriterAddedMayBeMissing) {
  nlohmann::ordered_json json = nlohmann::ordered_json::parse(to_json(run(Mode::kShadow, 1)));
  nlohmann::ordered_json& blur = json["components"]["gaussian_blur"];
  blur.erase("error_mismatches");
  blur.erase("captures");
  blur.erase("slow_calls");
  for (auto& [route, latency] : blur["latency"].items()) {
    latency.erase("buckets");
    latency.erase("min_ms");
    latency.erase("max_ms");
  }
  json.erase("failpoints");
  json.erase("config");
  const Report read = report_from_json(json.dump(), "old.json");
  const ComponentCounts& counts = read.components.at(0).counts;
  EXPECT_EQ(counts.error_mismatches, 0u);
  EXPECT_EQ(counts.captures_written, 0u);
  EXPECT_EQ(counts.mismatches, 1u);
  EXPECT_EQ(counts.calls[route_index(Route::kRust)], 20u);
  // Without buckets the count and the sum remain: a mean, but no quantiles.
  const LatencyHistogram& rust = counts.latency[route_index(Route::kRust)];
  EXPECT_EQ(rust.count, 20u);
  EXPECT_EQ(rust.sum, microseconds(37 * 210));
  EXPECT_EQ(rust.quantile(0.5), Duration(0));
}

TEST(ReportFromJson, TextThatIsNotJsonNamesTheFile) {
  EXPECT_THAT(error_of("{\"components\": "), HasSubstr("runs/a.json: not JSON: parse error"));
  EXPECT_THAT(error_of(""), HasSubstr("runs/a.json: not JSON"));
}

TEST(ReportFromJson, WrongShapesNameTheKey) {
  EXPECT_EQ(error_of("[]"), "runs/a.json: (the document): expected an object, got array");
  EXPECT_EQ(error_of("{}"), "runs/a.json: components: missing");
  nlohmann::ordered_json json = nlohmann::ordered_json::parse(to_json(run(Mode::kShadow, 1)));
  const auto with = [&](const std::function<void(nlohmann::ordered_json&)>& edit) {
    nlohmann::ordered_json copy = json;
    edit(copy["components"]["gaussian_blur"]);
    return error_of(copy.dump());
  };
  EXPECT_EQ(with([](nlohmann::ordered_json& c) { c["calls"]["rust"] = "many"; }),
            "runs/a.json: components.gaussian_blur.calls.rust: expected a count (a whole "
            "number), got string");
  EXPECT_EQ(with([](nlohmann::ordered_json& c) { c["mismatches"] = -1; }),
            "runs/a.json: components.gaussian_blur.mismatches: must not be negative, got -1");
  EXPECT_EQ(with([](nlohmann::ordered_json& c) { c.erase("mode"); }),
            "runs/a.json: components.gaussian_blur.mode: missing");
  EXPECT_EQ(with([](nlohmann::ordered_json& c) { c["mode"] = "turbo"; }),
            "runs/a.json: components.gaussian_blur.mode: unknown mode \"turbo\"; expected "
            "legacy, shadow, canary or rust");
  EXPECT_EQ(with([](nlohmann::ordered_json& c) { c["fallbacks"].erase("panic"); }),
            "runs/a.json: components.gaussian_blur.fallbacks.panic: missing");
  EXPECT_THAT(with([](nlohmann::ordered_json& c) { c["latency"]["rust"]["buckets"][0][0] = 0.5; }),
              HasSubstr("components.gaussian_blur.latency.rust.buckets.0: upper bound 0.5 ms "
                        "is not one of switchyard's latency bucket bounds"));
  EXPECT_THAT(with([](nlohmann::ordered_json& c) {
                c["latency"]["fast"] = nlohmann::ordered_json::object();
              }),
              HasSubstr("components.gaussian_blur.latency.fast: unknown route"));
  EXPECT_THAT(
      with([](nlohmann::ordered_json& c) { c["breaker"]["transitions"]["closed->ajar"] = 1; }),
      HasSubstr("components.gaussian_blur.breaker.transitions.closed->ajar: not a "
                "transition"));
  EXPECT_THAT(with([](nlohmann::ordered_json& c) { c["breaker"]["state"] = 3; }),
              HasSubstr("components.gaussian_blur.breaker.state: expected a string, got number"));
}

TEST(SumReports, CountsAddAndHistogramsMergeExactly) {
  const Report first = run(Mode::kShadow, 1);
  const Report second = run(Mode::kCanary, 3);
  const Report total = sum_reports({first, second});
  ASSERT_EQ(total.components.size(), 2u);
  const ComponentCounts& counts = total.components[0].counts;
  EXPECT_EQ(counts.calls[route_index(Route::kLegacy)], 40u);
  EXPECT_EQ(counts.calls[route_index(Route::kRust)], 80u);
  EXPECT_EQ(counts.fallbacks[0], 4u);
  EXPECT_EQ(counts.fallbacks[1], 4u);
  EXPECT_EQ(counts.mismatches, 4u);
  EXPECT_EQ(counts.error_mismatches, 8u);
  EXPECT_EQ(counts.captures_written, 4u);
  EXPECT_EQ(counts.captures_dropped, 2u);
  EXPECT_EQ(counts.slow_calls, 4u);
  EXPECT_EQ(
      counts.transitions[state_index(BreakerState::kClosed)][state_index(BreakerState::kOpen)], 4u);
  EXPECT_EQ(counts.recent_mismatches.size(), 2u);

  LatencyHistogram expected = first.components[0].counts.latency[route_index(Route::kRust)];
  expected.merge(second.components[0].counts.latency[route_index(Route::kRust)]);
  const LatencyHistogram& rust = counts.latency[route_index(Route::kRust)];
  EXPECT_EQ(rust.buckets, expected.buckets);
  EXPECT_EQ(rust.count, 80u);
  EXPECT_EQ(rust.sum, expected.sum);
  EXPECT_EQ(rust.min, microseconds(37));
  EXPECT_EQ(rust.max, microseconds(37 * 60));
  EXPECT_EQ(rust.quantile(0.99), expected.quantile(0.99));
  EXPECT_EQ(total.components[1].counts.calls[route_index(Route::kLegacy)], 4u);
  EXPECT_EQ(total.reloads.ok, 4u);
  EXPECT_EQ(total.reloads.failed, 2u);
}

TEST(SumReports, TheLastRunsModeStateAndSettingsAreKept) {
  const Report total = sum_reports({run(Mode::kShadow, 1), run(Mode::kCanary, 3)});
  const ComponentReport& blur = total.components[0];
  EXPECT_EQ(blur.settings.mode, Mode::kCanary);
  EXPECT_EQ(blur.breaker_state, BreakerState::kHalfOpen);
  EXPECT_EQ(blur.settings.breaker.window, 150u);
  EXPECT_EQ(total.config_source, "run3.toml");
  EXPECT_EQ(total.config_version, 3u);
}

TEST(SumReports, SummingFilesEqualsSummingTheRuns) {
  const Report first = run(Mode::kShadow, 1);
  const Report second = run(Mode::kCanary, 2);
  const Report from_files = sum_reports(
      {report_from_json(to_json(first), "1.json"), report_from_json(to_json(second), "2.json")});
  EXPECT_EQ(to_json(from_files), to_json(sum_reports({first, second})));
}

TEST(SumReports, ComponentsKeepTheOrderTheyFirstAppearIn) {
  Report only_png = run(Mode::kShadow, 1);
  only_png.components.erase(only_png.components.begin());
  Report extra = run(Mode::kShadow, 1);
  extra.components[0].name = "sobel";
  const Report total = sum_reports({only_png, extra});
  ASSERT_EQ(total.components.size(), 2u);
  EXPECT_EQ(total.components[0].name, "encode_png");
  EXPECT_EQ(total.components[0].counts.calls[route_index(Route::kLegacy)], 2u);
  EXPECT_EQ(total.components[1].name, "sobel");
}

}  // namespace
}  // namespace switchyard
