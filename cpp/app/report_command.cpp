#include "report_command.hpp"

#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "imgkit/error.hpp"
#include "input_file.hpp"
#include "report_view.hpp"
#include "staged_file.hpp"
#include "usage_error.hpp"

namespace imgkit::cli {
namespace {

using Json = nlohmann::ordered_json;
using switchyard::Route;

// A metrics file that cannot be read is a mistake in what the command was given, as a
// config file that cannot be read is: exit 2, naming the file.
switchyard::Report read_metrics_file(const std::string& path) {
  std::vector<std::uint8_t> bytes;
  try {
    bytes = read_input_file(path, kMaxMetricsFileBytes, "the metrics file limit (64 MiB)");
  } catch (const imgkit::Error& error) {
    throw UsageError(std::string("--metrics-json: ") + error.what());
  }
  try {
    return switchyard::report_from_json(
        std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), path);
  } catch (const switchyard::ReportError& error) {
    throw UsageError(std::string("not a switchyard metrics file: ") + error.what());
  }
}

Json route_json(const RouteView& route) {
  return Json{{"calls", route.calls},     {"timed", route.timed},
              {"p50_ms", route.p50_ms},   {"p99_ms", route.p99_ms},
              {"mean_ms", route.mean_ms}, {"estimated_ms", route.estimated_ms}};
}

Json component_json(const ComponentView& component) {
  const switchyard::ComponentReport& report = *component.report;
  const switchyard::ComponentCounts& counts = report.counts;
  Json latency = Json::object();
  for (std::size_t r = 0; r < switchyard::kRouteCount; ++r) {
    latency[std::string(to_string(static_cast<Route>(r)))] = route_json(component.routes[r]);
  }
  Json fallbacks = Json::object();
  for (std::size_t c = 0; c < switchyard::kFallbackCauseCount; ++c) {
    fallbacks[std::string(to_string(static_cast<switchyard::FallbackCause>(c)))] =
        counts.fallbacks[c];
  }
  const switchyard::Recommendation& advice = component.recommendation;
  return Json{
      {"name", report.name},
      {"mode", to_string(report.settings.mode)},
      {"rust_port", report.rust_port == switchyard::RustPort::kAvailable},
      {"breaker", {{"state", to_string(report.breaker_state)}, {"opens", component.breaker_opens}}},
      {"parity",
       {{"shadow_calls", counts.calls[static_cast<std::size_t>(Route::kShadow)]},
        {"value_mismatches", counts.mismatches},
        {"error_mismatches", counts.error_mismatches},
        {"captures_written", counts.captures_written},
        {"captures_dropped", counts.captures_dropped}}},
      {"fallbacks", std::move(fallbacks)},
      {"slow_calls", counts.slow_calls},
      {"latency", std::move(latency)},
      {"speedup",
       {{"basis", kSpeedupBasis},
        {"ratio", component.speedup ? Json(*component.speedup) : Json(nullptr)},
        {"note", component.speedup_note}}},
      {"time", {{"estimated_ms", component.estimated_ms}, {"share", component.time_share}}},
      {"recommendation",
       {{"action", to_string(advice.action)},
        {"mode", to_string(advice.mode)},
        {"rule", advice.rule},
        {"reason", advice.reason}}}};
}

}  // namespace

std::string format_report_json(const ReportView& view) {
  Json components = Json::array();
  for (const ComponentView& component : view.components) {
    components.push_back(component_json(component));
  }
  Json hotspots = Json::array();
  for (std::size_t index : view.hotspots) {
    const ComponentView& component = view.components[index];
    hotspots.push_back({{"component", component.report->name},
                        {"estimated_ms", component.estimated_ms},
                        {"share", component.time_share}});
  }
  const switchyard::PromotionRules& rules = view.rules;
  const Json json{{"sources", view.sources},
                  {"force_legacy", view.report.force_legacy},
                  {"rules",
                   {{"source", view.rules_source},
                    {"min_shadow_calls", rules.min_shadow_calls},
                    {"min_canary_calls", rules.min_canary_calls},
                    {"max_fallback_rate", rules.max_fallback_rate},
                    {"max_p99_ratio", rules.max_p99_ratio},
                    {"description", switchyard::describe(rules)}}},
                  {"time_share_basis", kTimeShareBasis},
                  {"components", std::move(components)},
                  {"hotspots", std::move(hotspots)}};
  // Component names and file paths may not be UTF-8; a report must not throw over that.
  return json.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

int run_report(const ReportOptions& options, const switchyard::Report& current,
               const switchyard::PromotionRules& rules, const std::string& rules_source) {
  for (const std::string& path : options.metrics_files) {
    // Checked before anything is written: the page would replace the evidence it shows.
    if (!options.html.empty() && same_file(options.html, path)) {
      throw UsageError("--html " + options.html + " names the metrics file " + path);
    }
  }
  switchyard::Report report = current;
  if (!options.metrics_files.empty()) {
    std::vector<switchyard::Report> runs;
    for (const std::string& path : options.metrics_files) runs.push_back(read_metrics_file(path));
    report = switchyard::sum_reports(runs);
  }
  const ReportView view =
      build_report_view(std::move(report), options.metrics_files, rules_source, rules);
  if (!options.html.empty()) {
    const std::string page = render_report_html(view);
    write_atomically(options.html, std::vector<std::uint8_t>(page.begin(), page.end()));
  }
  std::cout << (options.json ? format_report_json(view) : format_report_text(view));
  return 0;
}

}  // namespace imgkit::cli
