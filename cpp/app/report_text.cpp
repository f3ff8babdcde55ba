// `imgkit report` as text: the rules, then one table per question an operator asks
// (what ran and what disagreed; how fast; where the time went; what to do next).
#include <cstdio>
#include <sstream>
#include <string>
#include <string_view>

#include "report_view.hpp"

namespace imgkit::cli {
namespace {

using switchyard::Route;

std::string fixed(double value, int decimals) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

void pad(std::ostringstream& out, std::string_view text, std::size_t width) {
  out << text;
  for (std::size_t i = text.size(); i < width; ++i) out << ' ';
}

// Right-aligned, for numbers.
void pad_left(std::ostringstream& out, std::string_view text, std::size_t width) {
  for (std::size_t i = text.size(); i < width; ++i) out << ' ';
  out << text;
}

const switchyard::ComponentReport& report_of(const ComponentView& view) { return *view.report; }

void write_header(std::ostringstream& out, const ReportView& view) {
  if (view.sources.empty()) {
    out << "evidence: this process's own calls (no --metrics-json files given)\n";
  } else {
    // A week of runs is hundreds of files: name a few, the JSON lists them all.
    constexpr std::size_t kNamed = 3;
    out << "evidence: " << view.sources.size() << " metrics file(s) summed:";
    for (std::size_t i = 0; i < view.sources.size() && i < kNamed; ++i) {
      out << ' ' << view.sources[i];
    }
    if (view.sources.size() > kNamed) out << " and " << view.sources.size() - kNamed << " more";
    out << '\n';
  }
  if (view.report.force_legacy)
    out << "IMGKIT_FORCE_LEGACY was on: every component ran on legacy\n";
  out << "rules (from " << view.rules_source << ", [promotion]):\n";
  for (const std::string& line : switchyard::describe(view.rules)) out << "  " << line << '\n';
}

void write_evidence(std::ostringstream& out, const ReportView& view) {
  out << "\nParity and health\n";
  const std::size_t widths[] = {16, 8, 6, 11, 7, 8, 10, 10, 10, 8, 0};
  const char* headers[] = {"component", "mode",     "rust",     "breaker", "opens",    "shadow",
                           "value mm",  "error mm", "captured", "rust",    "fallbacks"};
  for (std::size_t i = 0; i < std::size(headers); ++i) pad(out, headers[i], widths[i]);
  out << '\n';
  for (const ComponentView& component : view.components) {
    const switchyard::ComponentReport& report = report_of(component);
    const switchyard::ComponentCounts& counts = report.counts;
    pad(out, report.name, widths[0]);
    pad(out, to_string(report.settings.mode), widths[1]);
    pad(out, report.rust_port == switchyard::RustPort::kAvailable ? "yes" : "no", widths[2]);
    pad(out, to_string(report.breaker_state), widths[3]);
    pad(out, std::to_string(component.breaker_opens), widths[4]);
    pad(out, std::to_string(counts.calls[static_cast<std::size_t>(Route::kShadow)]), widths[5]);
    pad(out, std::to_string(counts.mismatches), widths[6]);
    pad(out, std::to_string(counts.error_mismatches), widths[7]);
    pad(out, std::to_string(counts.captures_written), widths[8]);
    pad(out, std::to_string(counts.calls[static_cast<std::size_t>(Route::kRust)]), widths[9]);
    out << component.rust_failures << '\n';
  }
  out << "(opens: breaker transitions into open; shadow, rust: calls on that route; value mm,\n"
         " error mm: mismatches; captured: mismatching inputs written; fallbacks: error + panic\n"
         " + breaker_open)\n";
}

void write_latency(std::ostringstream& out, const ReportView& view) {
  out << "\nLatency per route (p50 and p99 rest on the 'timed' calls)\n";
  out << "component       route        calls    timed     p50 ms     p99 ms   speed-up\n";
  for (const ComponentView& component : view.components) {
    bool first = true;
    for (std::size_t r = 0; r < switchyard::kRouteCount; ++r) {
      const RouteView& route = component.routes[r];
      if (route.calls == 0 && route.timed == 0) continue;
      pad(out, first ? report_of(component).name : "", 16);
      pad(out, to_string(static_cast<Route>(r)), 8);
      pad_left(out, std::to_string(route.calls), 10);
      pad_left(out, std::to_string(route.timed), 9);
      pad_left(out, route.timed ? fixed(route.p50_ms, 3) : "-", 11);
      pad_left(out, route.timed ? fixed(route.p99_ms, 3) : "-", 11);
      if (first) {
        out << "   "
            << (component.speedup ? fixed(*component.speedup, 2) + "x" : component.speedup_note);
      }
      out << '\n';
      first = false;
    }
  }
  out << "(speed-up: " << kSpeedupBasis << ")\n";
}

void write_hotspots(std::ostringstream& out, const ReportView& view) {
  out << "\nWhere the time went (estimate: " << kTimeShareBasis << ")\n";
  out << "  share  cumul.   est. ms  component\n";
  double cumulative = 0.0;
  for (std::size_t index : view.hotspots) {
    const ComponentView& component = view.components[index];
    if (component.estimated_ms <= 0.0) continue;
    cumulative += component.time_share;
    pad_left(out, fixed(component.time_share * 100.0, 1) + "%", 7);
    pad_left(out, fixed(cumulative * 100.0, 1) + "%", 8);
    pad_left(out, fixed(component.estimated_ms, 2), 10);
    out << "  " << report_of(component).name << '\n';
  }
  if (view.total_estimated_ms <= 0.0) out << "  (no timed calls)\n";
}

void write_recommendations(std::ostringstream& out, const ReportView& view) {
  out << "\nRecommendations\n";
  for (const ComponentView& component : view.components) {
    const switchyard::Recommendation& advice = component.recommendation;
    const switchyard::ComponentReport& report = report_of(component);
    pad(out, report.name, 16);
    std::string action(to_string(advice.action));
    if (advice.action != switchyard::PromotionAction::kHold ||
        advice.mode != report.settings.mode) {
      action += " -> " + std::string(to_string(advice.mode));
    }
    pad(out, action, 19);
    out << '[' << advice.rule << "] " << advice.reason << '\n';
  }
}

}  // namespace

std::string format_report_text(const ReportView& view) {
  std::ostringstream out;
  write_header(out, view);
  write_evidence(out, view);
  write_latency(out, view);
  write_hotspots(out, view);
  write_recommendations(out, view);
  return out.str();
}

}  // namespace imgkit::cli
