#include "report_view.hpp"

#include <algorithm>
#include <numeric>
#include <utility>

namespace imgkit::cli {
namespace {

using switchyard::Route;

double milliseconds(switchyard::Duration duration) {
  return static_cast<double>(duration.count()) / 1e6;
}

RouteView route_view(std::uint64_t calls, const switchyard::LatencyHistogram& histogram) {
  RouteView view;
  view.calls = calls;
  view.timed = histogram.count;
  if (histogram.count == 0) return view;
  view.p50_ms = milliseconds(histogram.quantile(0.50));
  view.p99_ms = milliseconds(histogram.quantile(0.99));
  view.mean_ms = milliseconds(histogram.sum) / static_cast<double>(histogram.count);
  view.estimated_ms = view.mean_ms * static_cast<double>(calls);
  return view;
}

void set_speedup(ComponentView& view) {
  const RouteView& legacy = view.routes[static_cast<std::size_t>(Route::kLegacy)];
  const RouteView& rust = view.routes[static_cast<std::size_t>(Route::kRust)];
  const RouteView& shadow = view.routes[static_cast<std::size_t>(Route::kShadow)];
  if (legacy.timed != 0 && rust.timed != 0 && legacy.p50_ms > 0 && rust.p50_ms > 0) {
    view.speedup = legacy.p50_ms / rust.p50_ms;
    return;
  }
  if (shadow.timed != 0 && rust.timed == 0) {
    view.speedup_note = "not measured: Rust ran on no shadow call";
  } else if (rust.calls == 0 && rust.timed == 0) {
    view.speedup_note = "Rust not called";
  } else if (legacy.calls == 0) {
    view.speedup_note = "legacy not called";
  } else {
    view.speedup_note = rust.timed == 0 ? "Rust not timed" : "legacy not timed";
  }
}

}  // namespace

ReportView build_report_view(switchyard::Report report, std::vector<std::string> sources,
                             std::string rules_source, const switchyard::PromotionRules& rules) {
  ReportView view;
  view.sources = std::move(sources);
  view.rules_source = std::move(rules_source);
  view.rules = rules;
  view.report = std::move(report);
  for (const switchyard::ComponentReport& component : view.report.components) {
    ComponentView each;
    each.report = &component;
    for (std::size_t r = 0; r < switchyard::kRouteCount; ++r) {
      each.routes[r] = route_view(component.counts.calls[r], component.counts.latency[r]);
      each.estimated_ms += each.routes[r].estimated_ms;
    }
    each.breaker_opens = switchyard::breaker_opens(component.counts);
    each.rust_failures = switchyard::rust_failures(component.counts);
    set_speedup(each);
    each.recommendation = switchyard::recommend(component, rules);
    view.total_estimated_ms += each.estimated_ms;
    view.components.push_back(std::move(each));
  }
  for (ComponentView& each : view.components) {
    each.time_share = view.total_estimated_ms > 0 ? each.estimated_ms / view.total_estimated_ms : 0;
  }
  view.hotspots.resize(view.components.size());
  std::iota(view.hotspots.begin(), view.hotspots.end(), std::size_t{0});
  // Stable: components that took no time keep the catalog order.
  std::stable_sort(view.hotspots.begin(), view.hotspots.end(), [&](std::size_t a, std::size_t b) {
    return view.components[a].estimated_ms > view.components[b].estimated_ms;
  });
  return view;
}

}  // namespace imgkit::cli
