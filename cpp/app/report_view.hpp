// What `imgkit report` shows, computed once from a switchyard::Report: per component its
// evidence, latency per route, share of the time spent and the promotion advice. The text,
// JSON and HTML renderings (report_command.cpp, report_html.cpp) only lay these figures out.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "switchyard/promotion.hpp"
#include "switchyard/report.hpp"

namespace imgkit::cli {

struct RouteView {
  std::uint64_t calls = 0;
  std::uint64_t timed = 0;  // the calls the latency figures rest on (legacy: a sample)
  double p50_ms = 0.0;
  double p99_ms = 0.0;
  double mean_ms = 0.0;
  // mean x calls: the route's time, the untimed legacy calls included at the mean.
  double estimated_ms = 0.0;
};

struct ComponentView {
  const switchyard::ComponentReport* report = nullptr;  // the figures' source
  std::array<RouteView, switchyard::kRouteCount> routes{};
  std::uint64_t breaker_opens = 0;
  std::uint64_t rust_failures = 0;
  // legacy p50 / rust p50 where both routes were timed; nullopt otherwise, and
  // speedup_note says why.
  std::optional<double> speedup;
  std::string speedup_note;
  double estimated_ms = 0.0;  // over every route
  double time_share = 0.0;    // of every component's estimated time, 0..1
  switchyard::Recommendation recommendation;
};

// Move-only: each ComponentView points into `report`, which a move keeps in place.
struct ReportView {
  ReportView() = default;
  ReportView(ReportView&&) = default;
  ReportView& operator=(ReportView&&) = default;
  ReportView(const ReportView&) = delete;
  ReportView& operator=(const ReportView&) = delete;

  std::vector<std::string> sources;  // the metrics files summed; empty: this process
  std::string rules_source;          // the config the rules came from
  switchyard::PromotionRules rules;
  switchyard::Report report;
  std::vector<ComponentView> components;  // the report's order
  std::vector<std::size_t> hotspots;      // indices into components, most time first
  double total_estimated_ms = 0.0;
};

ReportView build_report_view(switchyard::Report report, std::vector<std::string> sources,
                             std::string rules_source, const switchyard::PromotionRules& rules);

// The three renderings of a view.
std::string format_report_text(const ReportView& view);  // report_text.cpp
std::string format_report_json(const ReportView& view);  // report_command.cpp
std::string render_report_html(const ReportView& view);  // report_html.cpp

// How the speed-up is measured, for every rendering to say the same.
inline constexpr const char* kSpeedupBasis = "legacy p50 / rust p50";
// How the time share is estimated, likewise.
inline constexpr const char* kTimeShareBasis =
    "mean latency x calls, per route: legacy calls are timed 1 in 64, so the legacy route's "
    "sum_ms covers only the timed ones";

}  // namespace imgkit::cli
