// `imgkit report`, as an operator uses it: metrics files written by runs, summed, judged
// by the promotion rules, printed as text, JSON or an HTML page.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/cli_fixture.hpp"
#include "switchyard/report.hpp"

namespace {

using imgkit::testing::CliTest;
using imgkit::testing::quoted;
using imgkit::testing::read_text;
using switchyard::ComponentReport;
using switchyard::Mode;
using switchyard::Route;
using ::testing::HasSubstr;
using ::testing::Not;

std::size_t route_index(Route route) { return static_cast<std::size_t>(route); }

ComponentReport component(const std::string& name, Mode mode) {
  ComponentReport c;
  c.name = name;
  c.rust_port = switchyard::RustPort::kAvailable;
  c.settings.mode = mode;
  c.settings.requested_mode = mode;
  return c;
}

// `calls` calls on `route`, `timed` of them timed at `latency` each.
void add_calls(ComponentReport& c, Route route, std::uint64_t calls, std::uint64_t timed,
               switchyard::Duration latency) {
  c.counts.calls[route_index(route)] += calls;
  switchyard::LatencyHistogram& histogram = c.counts.latency[route_index(route)];
  histogram.buckets[switchyard::latency_bucket_index(latency)] += timed;
  histogram.count += timed;
  histogram.sum += latency * static_cast<std::int64_t>(timed);
  histogram.min = latency;
  histogram.max = latency;
}

ComponentReport shadow_component(const std::string& name, std::uint64_t calls) {
  ComponentReport c = component(name, Mode::kShadow);
  add_calls(c, Route::kShadow, calls, calls, std::chrono::microseconds(900));
  return c;
}

switchyard::Report report_of(std::vector<ComponentReport> components) {
  switchyard::Report report;
  report.config_source = "prod.toml";
  report.components = std::move(components);
  return report;
}

class ReportCliTest : public CliTest {
 protected:
  void write_report(const std::string& name, const switchyard::Report& report) const {
    write(name, switchyard::to_json(report));
  }
  // One file with a component for each answer: promote, hold, demote.
  void write_mixed(const std::string& name) const {
    ComponentReport mismatching = component("resize", Mode::kCanary);
    add_calls(mismatching, Route::kRust, 4000, 4000, std::chrono::microseconds(200));
    mismatching.counts.mismatches = 3;
    write_report(name, report_of({shadow_component("gaussian_blur", 1500),
                                  shadow_component("sobel", 312), mismatching}));
  }
  std::string report(const std::string& options) const {
    return "report --config " + quoted(config()) + " " + options;
  }
  // An empty config: the rules at their defaults, and no note about a missing config.
  std::string config() const {
    if (!std::filesystem::exists(path("empty.toml"))) write("empty.toml", "");
    return path("empty.toml");
  }
};

// The line of the recommendations section that starts with `name`.
std::string recommendation_line(const std::string& text, const std::string& name) {
  const std::size_t section = text.find("\nRecommendations\n");
  if (section == std::string::npos) return "";
  const std::size_t start = text.find("\n" + name + " ", section);
  if (start == std::string::npos) return "";
  return text.substr(start + 1, text.find('\n', start + 1) - start - 1);
}

TEST_F(ReportCliTest, RecommendsPromoteHoldOrDemoteNamingTheRule) {
  write_mixed("m.json");
  const auto r = run(report("--metrics-json " + quoted(path("m.json"))));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(recommendation_line(r.out, "gaussian_blur"),
              HasSubstr("promote -> canary  [shadow_to_canary] 1500 shadow calls"));
  EXPECT_THAT(recommendation_line(r.out, "sobel"),
              HasSubstr("hold               [shadow_needs_calls] 312 of 1000 shadow calls"));
  EXPECT_THAT(recommendation_line(r.out, "resize"),
              HasSubstr("demote -> shadow   [demote_on_mismatch] 3 value and 0 error mismatches"));
  // The rules in force are printed with their config keys.
  EXPECT_THAT(r.out, HasSubstr("at least 1000 shadow calls (min_shadow_calls)"));
}

TEST_F(ReportCliTest, TwoFilesAreSummed) {
  write_report("a.json", report_of({shadow_component("gaussian_blur", 600)}));
  write_report("b.json", report_of({shadow_component("gaussian_blur", 500)}));
  const auto one = run(report("--metrics-json " + quoted(path("a.json"))));
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_THAT(recommendation_line(one.out, "gaussian_blur"), HasSubstr("600 of 1000"));
  const auto both =
      run(report("--metrics-json " + quoted(path("a.json")) + " " + quoted(path("b.json"))));
  ASSERT_EQ(both.exit_code, 0) << both.err;
  EXPECT_THAT(recommendation_line(both.out, "gaussian_blur"),
              HasSubstr("[shadow_to_canary] 1100 shadow calls"));
  EXPECT_THAT(both.out, HasSubstr("2 metrics file(s) summed"));
  // The option may be repeated, too.
  const auto repeated = run(report("--metrics-json " + quoted(path("a.json")) + " --metrics-json " +
                                   quoted(path("b.json"))));
  EXPECT_EQ(repeated.out, both.out);
}

TEST_F(ReportCliTest, AMalformedFileExitsTwoNamingIt) {
  write_mixed("good.json");
  write("broken.json", "{\"components\": {\"gaussian_blur\": ");
  const auto broken = run(
      report("--metrics-json " + quoted(path("good.json")) + " " + quoted(path("broken.json"))));
  EXPECT_EQ(broken.exit_code, 2);
  EXPECT_THAT(broken.err, HasSubstr(path("broken.json") + ": not JSON"));
  EXPECT_EQ(broken.out, "");

  write("shape.json", R"({"components": {"sobel": {"mode": "shadow", "rust_port": "yes"}}})");
  const auto shape = run(report("--metrics-json " + quoted(path("shape.json"))));
  EXPECT_EQ(shape.exit_code, 2);
  EXPECT_THAT(shape.err, HasSubstr(path("shape.json") +
                                   ": components.sobel.rust_port: expected true or false"));

  const auto missing = run(report("--metrics-json " + quoted(path("nowhere.json"))));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr(path("nowhere.json")));
}

TEST_F(ReportCliTest, JsonParsesAndCarriesTheRecommendation) {
  write_mixed("m.json");
  const auto r = run(report("--json --metrics-json " + quoted(path("m.json"))));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json json = nlohmann::json::parse(r.out);
  ASSERT_EQ(json["components"].size(), 3u);
  const nlohmann::json& blur = json["components"][0];
  EXPECT_EQ(blur["name"], "gaussian_blur");
  EXPECT_EQ(blur["recommendation"]["action"], "promote");
  EXPECT_EQ(blur["recommendation"]["mode"], "canary");
  EXPECT_EQ(blur["recommendation"]["rule"], "shadow_to_canary");
  EXPECT_EQ(json["components"][2]["recommendation"]["rule"], "demote_on_mismatch");
  EXPECT_EQ(blur["parity"]["shadow_calls"], 1500);
  EXPECT_EQ(json["rules"]["min_shadow_calls"], 1000);
  EXPECT_EQ(json["sources"][0], path("m.json"));
}

TEST_F(ReportCliTest, HtmlIsOneSelfContainedPageWithCharts) {
  write_mixed("m.json");
  const auto r = run(report("--metrics-json " + quoted(path("m.json")) + " --html " +
                            quoted(path("report.html"))));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = read_text(path("report.html"));
  EXPECT_THAT(html, HasSubstr("<svg"));
  EXPECT_THAT(html, HasSubstr("latency distribution of gaussian_blur"));
  EXPECT_THAT(html, HasSubstr("value mismatch: 3"));
  EXPECT_THAT(html, HasSubstr("<code>demote_on_mismatch</code>"));
  EXPECT_THAT(html, Not(HasSubstr("http://")));
  EXPECT_THAT(html, Not(HasSubstr("https://")));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("<link")));
}

TEST_F(ReportCliTest, AnHtmlPageNamingAMetricsFileIsRefused) {
  write_mixed("m.json");
  const std::string before = read_text(path("m.json"));
  const auto r =
      run(report("--metrics-json " + quoted(path("m.json")) + " --html " + quoted(path("m.json"))));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("names the metrics file " + path("m.json")));
  EXPECT_EQ(read_text(path("m.json")), before);
}

TEST_F(ReportCliTest, RulesComeFromThePromotionTableOfTheConfig) {
  write_mixed("m.json");
  write("lenient.toml", "[promotion]\nmin_shadow_calls = 300\n");
  const auto r = run("report --config " + quoted(path("lenient.toml")) + " --metrics-json " +
                     quoted(path("m.json")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(recommendation_line(r.out, "sobel"), HasSubstr("[shadow_to_canary] 312 shadow"));
  EXPECT_THAT(r.out, HasSubstr("rules (from " + path("lenient.toml")));

  write("bad.toml", "[promotion]\nmin_shadow_calls = -1\n");
  const auto bad = run("report --config " + quoted(path("bad.toml")) + " --metrics-json " +
                       quoted(path("m.json")));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("bad.toml:2:20: promotion.min_shadow_calls"));
}

TEST_F(ReportCliTest, HotspotsListTheMostTimeFirstCountingUntimedLegacyCalls) {
  // Legacy: 6400 calls, 100 of them timed at 1 ms: about 6400 ms. Rust: 1000 calls at
  // 2 ms, all timed: 2000 ms. Summing sum_ms alone would put legacy at 100 ms, last.
  ComponentReport legacy_heavy = component("equalize", Mode::kLegacy);
  add_calls(legacy_heavy, Route::kLegacy, 6400, 100, std::chrono::milliseconds(1));
  ComponentReport rust_heavy = component("resize", Mode::kRust);
  add_calls(rust_heavy, Route::kRust, 1000, 1000, std::chrono::milliseconds(2));
  write_report("m.json", report_of({rust_heavy, legacy_heavy}));
  const auto r = run(report("--metrics-json " + quoted(path("m.json"))));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::size_t section = r.out.find("Where the time went");
  ASSERT_NE(section, std::string::npos) << r.out;
  const std::size_t equalize = r.out.find("equalize", section);
  const std::size_t resize = r.out.find("resize", section);
  EXPECT_LT(equalize, resize) << r.out;
  EXPECT_THAT(r.out.substr(section), HasSubstr("76.2%   76.2%   6400.00  equalize"));
}

TEST_F(ReportCliTest, WithoutFilesItReportsThisProcess) {
  write("shadow.toml", "[components.gaussian_blur]\nmode = \"shadow\"\n");
  const auto r = run("report --config " + quoted(path("shadow.toml")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("evidence: this process's own calls"));
  EXPECT_THAT(recommendation_line(r.out, "gaussian_blur"),
              HasSubstr("[shadow_needs_calls] 0 of 1000 shadow calls"));
  EXPECT_THAT(recommendation_line(r.out, "sobel"), HasSubstr("[legacy_to_shadow]"));
}

}  // namespace
