// `imgkit report --html`: one self-contained page. Every chart is SVG written here, inline;
// the page loads nothing (no scripts, fonts, images or styles from anywhere else), so it
// opens the same from a CI artifact, an e-mail or a machine with no network.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "report_view.hpp"

namespace imgkit::cli {
namespace {

using switchyard::Route;

// Colours by route and by outcome, the same in every chart and in the legends.
constexpr const char* kRouteColours[switchyard::kRouteCount] = {"#8c8c8c", "#d9622b", "#3b75af"};
constexpr int kChartWidth = 640;

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string fixed(double value, int decimals) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

// "707 µs", "1.41 ms", "2.00 s": a bucket bound as an axis label.
std::string duration_label(switchyard::Duration duration) {
  const double ns = static_cast<double>(duration.count());
  if (ns < 1e6) return fixed(ns / 1e3, ns < 1e4 ? 1 : 0) + " \xC2\xB5s";
  if (ns < 1e9) return fixed(ns / 1e6, ns < 1e7 ? 2 : 0) + " ms";
  return fixed(ns / 1e9, 2) + " s";
}

std::string svg_open(int width, int height, std::string_view label) {
  return "<svg width=\"" + std::to_string(width) + "\" height=\"" + std::to_string(height) +
         "\" viewBox=\"0 0 " + std::to_string(width) + " " + std::to_string(height) +
         "\" role=\"img\" aria-label=\"" + escape(label) + "\">\n";
}

std::string rect(double x, double y, double width, double height, std::string_view fill,
                 std::string_view title) {
  return "<rect x=\"" + fixed(x, 1) + "\" y=\"" + fixed(y, 1) + "\" width=\"" + fixed(width, 1) +
         "\" height=\"" + fixed(height, 1) + "\" fill=\"" + std::string(fill) + "\"><title>" +
         escape(title) + "</title></rect>\n";
}

std::string text_at(double x, double y, std::string_view text, std::string_view anchor = "start") {
  return "<text x=\"" + fixed(x, 1) + "\" y=\"" + fixed(y, 1) + "\" text-anchor=\"" +
         std::string(anchor) + "\">" + escape(text) + "</text>\n";
}

// A row of coloured squares with their names.
std::string legend(const std::vector<std::pair<std::string, std::string>>& entries, double y) {
  std::string out;
  double x = 0;
  for (const auto& [name, colour] : entries) {
    out += rect(x, y - 10, 10, 10, colour, name);
    out += text_at(x + 14, y, name);
    x += 24 + 7.0 * static_cast<double>(name.size());
  }
  return out;
}

const switchyard::ComponentReport& report_of(const ComponentView& view) { return *view.report; }

std::string rules_section(const ReportView& view) {
  std::string out = "<h2>Rules in force</h2>\n<p>From <code>" + escape(view.rules_source) +
                    "</code> (<code>[promotion]</code>). Evidence: ";
  if (view.sources.empty()) {
    out += "this process's own calls.";
  } else {
    for (std::size_t i = 0; i < view.sources.size(); ++i) {
      out += (i ? ", " : "") + std::string("<code>") + escape(view.sources[i]) + "</code>";
    }
    out += " (summed).";
  }
  out += "</p>\n<ul>\n";
  for (const std::string& line : switchyard::describe(view.rules)) {
    out += "<li>" + escape(line) + "</li>\n";
  }
  return out + "</ul>\n";
}

std::string recommendation_table(const ReportView& view) {
  std::string out =
      "<h2>Recommendations</h2>\n<table>\n<tr><th>component</th><th>mode</th><th>action</th>"
      "<th>to</th><th>rule</th><th>because</th></tr>\n";
  for (const ComponentView& component : view.components) {
    const switchyard::Recommendation& advice = component.recommendation;
    const std::string action(to_string(advice.action));
    out += "<tr><td>" + escape(report_of(component).name) + "</td><td>" +
           std::string(to_string(report_of(component).settings.mode)) + "</td><td class=\"" +
           action + "\">" + action + "</td><td>" + std::string(to_string(advice.mode)) +
           "</td><td><code>" + escape(advice.rule) + "</code></td><td>" + escape(advice.reason) +
           "</td></tr>\n";
  }
  return out + "</table>\n";
}

// Horizontal bars, the largest share first: a profiler's flat profile.
std::string time_share_chart(const ReportView& view) {
  std::string out = "<h2>Where the time went</h2>\n<p>Estimated per route as " +
                    escape(kTimeShareBasis) + ".</p>\n";
  std::vector<std::size_t> shown;
  for (std::size_t index : view.hotspots) {
    if (view.components[index].estimated_ms > 0.0) shown.push_back(index);
  }
  if (shown.empty()) return out + "<p>No timed calls.</p>\n";
  constexpr double kRow = 22;
  constexpr double kLabel = 130;
  const double bar_space = kChartWidth - kLabel - 150;
  const int height = static_cast<int>(kRow * static_cast<double>(shown.size()) + 8);
  out += svg_open(kChartWidth, height, "share of estimated time per component");
  const double largest = view.components[shown.front()].time_share;
  for (std::size_t row = 0; row < shown.size(); ++row) {
    const ComponentView& component = view.components[shown[row]];
    const double y = kRow * static_cast<double>(row) + 4;
    const double width = std::max(1.0, bar_space * component.time_share / largest);
    const std::string label =
        fixed(component.time_share * 100.0, 1) + "%  " + fixed(component.estimated_ms, 2) + " ms";
    out += text_at(0, y + 14, report_of(component).name);
    out += rect(kLabel, y + 2, width, kRow - 6, "#3b75af", label);
    out += text_at(kLabel + width + 6, y + 14, label);
  }
  return out + "</svg>\n";
}

// Per component with any: value and error mismatches, and the fallbacks by cause (the
// "mismatch" cause is left out: it counts the value mismatches a second time).
std::string outcomes_chart(const ReportView& view) {
  struct Segment {
    const char* name;
    const char* colour;
  };
  const Segment segments[] = {{"value mismatch", "#b2182b"},
                              {"error mismatch", "#ef8a62"},
                              {"fallback: error", "#7b3294"},
                              {"fallback: panic", "#c2a5cf"},
                              {"fallback: breaker_open", "#4d4d4d"}};
  const auto counts_of = [](const ComponentView& component) {
    const switchyard::ComponentCounts& c = report_of(component).counts;
    const auto cause = [&](switchyard::FallbackCause f) {
      return c.fallbacks[static_cast<std::size_t>(f)];
    };
    return std::vector<std::uint64_t>{
        c.mismatches, c.error_mismatches, cause(switchyard::FallbackCause::kError),
        cause(switchyard::FallbackCause::kPanic), cause(switchyard::FallbackCause::kBreakerOpen)};
  };
  std::string out = "<h2>Mismatches and fallbacks by cause</h2>\n";
  std::vector<std::pair<const ComponentView*, std::vector<std::uint64_t>>> rows;
  std::uint64_t largest = 0;
  for (const ComponentView& component : view.components) {
    std::vector<std::uint64_t> counts = counts_of(component);
    std::uint64_t total = 0;
    for (std::uint64_t n : counts) total += n;
    if (total == 0) continue;
    largest = std::max(largest, total);
    rows.emplace_back(&component, std::move(counts));
  }
  if (rows.empty()) return out + "<p>No mismatches and no fallbacks.</p>\n";
  constexpr double kRow = 22;
  constexpr double kLabel = 130;
  const double bar_space = kChartWidth - kLabel - 60;
  const int height = static_cast<int>(kRow * static_cast<double>(rows.size()) + 30);
  out += svg_open(kChartWidth, height, "mismatches and fallbacks per component, by cause");
  for (std::size_t row = 0; row < rows.size(); ++row) {
    const double y = kRow * static_cast<double>(row) + 4;
    out += text_at(0, y + 14, report_of(*rows[row].first).name);
    double x = kLabel;
    std::uint64_t total = 0;
    for (std::size_t s = 0; s < std::size(segments); ++s) {
      const std::uint64_t n = rows[row].second[s];
      if (n == 0) continue;
      const double width = bar_space * static_cast<double>(n) / static_cast<double>(largest);
      out += rect(x, y + 2, std::max(1.0, width), kRow - 6, segments[s].colour,
                  std::string(segments[s].name) + ": " + std::to_string(n));
      x += width;
      total += n;
    }
    out += text_at(x + 6, y + 14, std::to_string(total));
  }
  std::vector<std::pair<std::string, std::string>> entries;
  for (const Segment& segment : segments) entries.emplace_back(segment.name, segment.colour);
  out += legend(entries, height - 6);
  return out + "</svg>\n";
}

// One component's latency histograms, each route as the share of its own timed calls per
// bucket (legacy's are a 1-in-64 sample; shares compare routes of different sizes).
std::string latency_chart(const ComponentView& component) {
  const switchyard::ComponentCounts& counts = report_of(component).counts;
  std::size_t first = switchyard::kLatencyBucketCount;
  std::size_t last = 0;
  for (const switchyard::LatencyHistogram& histogram : counts.latency) {
    for (std::size_t b = 0; b < switchyard::kLatencyBucketCount; ++b) {
      if (histogram.buckets[b] == 0) continue;
      first = std::min(first, b);
      last = std::max(last, b);
    }
  }
  if (first > last) return "";
  first = first == 0 ? 0 : first - 1;  // one empty bucket either side shows the edges
  last = std::min(last + 1, switchyard::kLatencyBucketCount - 1);

  constexpr double kTop = 8;
  constexpr double kPlotHeight = 110;
  constexpr double kLeft = 40;
  const double plot_width = kChartWidth - kLeft - 10;
  const double slot = plot_width / static_cast<double>(last - first + 1);
  const double bar = slot / static_cast<double>(switchyard::kRouteCount + 1);
  std::string out = "<h3>" + escape(report_of(component).name) + "</h3>\n";
  out += svg_open(kChartWidth, 170, "latency distribution of " + report_of(component).name);
  out += text_at(kLeft - 4, kTop + 8, "100%", "end");
  out += text_at(kLeft - 4, kTop + kPlotHeight, "0", "end");
  out += "<line x1=\"" + fixed(kLeft, 1) + "\" y1=\"" + fixed(kTop + kPlotHeight, 1) + "\" x2=\"" +
         fixed(kLeft + plot_width, 1) + "\" y2=\"" + fixed(kTop + kPlotHeight, 1) +
         "\" stroke=\"#444\"/>\n";
  std::vector<std::pair<std::string, std::string>> entries;
  for (std::size_t r = 0; r < switchyard::kRouteCount; ++r) {
    const switchyard::LatencyHistogram& histogram = counts.latency[r];
    std::uint64_t total = 0;
    for (std::uint64_t n : histogram.buckets) total += n;
    if (total == 0) continue;
    const std::string route(to_string(static_cast<Route>(r)));
    entries.emplace_back(route + " (" + std::to_string(total) + " timed)", kRouteColours[r]);
    for (std::size_t b = first; b <= last; ++b) {
      if (histogram.buckets[b] == 0) continue;
      const double share = static_cast<double>(histogram.buckets[b]) / static_cast<double>(total);
      const double x =
          kLeft + slot * static_cast<double>(b - first) + bar * (static_cast<double>(r) + 0.5);
      const double height = std::max(1.0, kPlotHeight * share);
      const std::string upper = b + 1 == switchyard::kLatencyBucketCount
                                    ? "+Inf"
                                    : duration_label(switchyard::latency_bucket_bound(b));
      out += rect(x, kTop + kPlotHeight - height, bar, height, kRouteColours[r],
                  route + ": " + std::to_string(histogram.buckets[b]) + " calls up to " + upper +
                      " (" + fixed(share * 100.0, 1) + "%)");
    }
  }
  // A label every few buckets: the bounds grow by sqrt(2), so every other one is a doubling.
  const std::size_t step = std::max<std::size_t>(2, (last - first + 1) / 8 * 2);
  for (std::size_t b = first; b <= last && b + 1 < switchyard::kLatencyBucketCount; b += step) {
    const double x = kLeft + slot * (static_cast<double>(b - first) + 1);
    if (x > kChartWidth - 30) break;  // a label centred there would be cut at the edge
    out += text_at(x, kTop + kPlotHeight + 16, duration_label(switchyard::latency_bucket_bound(b)),
                   "middle");
  }
  out += legend(entries, 164);
  return out + "</svg>\n";
}

std::string latency_section(const ReportView& view) {
  std::string out =
      "<h2>Latency distributions, legacy vs Rust</h2>\n<p>Each bar is the share of a route's "
      "timed calls in one bucket (bounds grow by &radic;2). Legacy and Rust are each "
      "implementation's own time, their halves of shadow calls included; the shadow route "
      "times whole shadow calls.</p>\n";
  bool any = false;
  for (const ComponentView& component : view.components) {
    const std::string chart = latency_chart(component);
    any = any || !chart.empty();
    out += chart;
  }
  return any ? out : out + "<p>No timed calls.</p>\n";
}

constexpr std::string_view kStyle = R"(<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 1000px; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; } h3 { font-size: 1em; }
table { border-collapse: collapse; } td, th { padding: 3px 8px; border-bottom: 1px solid #ddd;
text-align: left; vertical-align: top; } code { font-size: 0.95em; }
td.promote { color: #1a7f37; font-weight: bold; } td.demote { color: #b2182b; font-weight: bold; }
td.hold { color: #6e6e6e; } svg text { font: 11px system-ui, sans-serif; fill: #333; }
</style>
)";

}  // namespace

std::string render_report_html(const ReportView& view) {
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<title>imgkit report</title>\n" + std::string(kStyle) + "</head>\n<body>\n";
  html += "<h1>imgkit report: evidence before promotion</h1>\n";
  if (view.report.force_legacy) {
    html += "<p><strong>IMGKIT_FORCE_LEGACY was on: every component ran on legacy.</strong></p>\n";
  }
  html += recommendation_table(view);
  html += time_share_chart(view);
  html += outcomes_chart(view);
  html += latency_section(view);
  html += rules_section(view);
  return html + "</body>\n</html>\n";
}

}  // namespace imgkit::cli
