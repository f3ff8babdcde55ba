// switchyard::Report — everything an operator can ask a router, and its two exports.
//
//   switchyard::Report report = router.report();
//   std::cout << switchyard::to_prometheus(report);   // Prometheus text exposition format
//   std::cout << switchyard::to_json(report, 2);      // the JSON `--metrics-json` writes
//
// and its way back: runs saved as JSON, read and summed into one report.
//   switchyard::Report total = switchyard::sum_reports(
//       {switchyard::report_from_json(text_a, "a.json"), switchyard::report_from_json(text_b,
//       "b.json")});
//
// JSON shape (keys are stable; README.md "Metrics" documents every one):
//   { "config": { "source", "version", "force_legacy", "reloads": {"ok","failed"},
//                 "last_reload_error", "warnings": [...] },
//     "components": { "<name>": {
//         "mode", "requested_mode", "rust_port", "canary_percent", "shadow_sample",
//         "tolerance",
//         "calls": {"legacy","rust","shadow"},
//         "fallbacks": {"error","panic","mismatch","breaker_open"}, "slow_calls",
//         "mismatches", "error_mismatches", "captures": {"written","dropped"},
//         "recent_mismatches": [{...}],
//         "breaker": { "state", "settings": {...}, "transitions": {"closed->open": n, ...} },
//         "latency": { "<route>": {"count", "p50_ms", "p90_ms", "p99_ms", "min_ms",
//                                   "max_ms", "sum_ms", "buckets": [[le_ms, n], ...]} } } } }
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "switchyard/breaker.hpp"
#include "switchyard/catalog.hpp"
#include "switchyard/config.hpp"
#include "switchyard/metrics.hpp"

namespace switchyard {

struct ComponentReport {
  std::string name;
  RustPort rust_port = RustPort::kNone;
  ComponentSettings settings;  // as routing applies them
  BreakerState breaker_state = BreakerState::kClosed;
  ComponentCounts counts;
};

struct Report {
  std::string config_source;
  std::uint64_t config_version = 0;  // 1 for the first config, +1 per published reload
  bool force_legacy = false;         // IMGKIT_FORCE_LEGACY-style kill switch in effect
  Metrics::Reloads reloads;
  std::string last_reload_error;  // empty when the last reload attempt succeeded
  std::vector<std::string> warnings;
  // Failpoints configured in the process, name -> actions (reported by the router that
  // owns failpoints; a rehearsal's metrics then say which faults were injected).
  std::map<std::string, std::string> failpoints;
  // The program's own settings in force (Config::program_settings), under their table.
  std::string program_table;
  std::map<std::string, std::int64_t> program_settings;
  std::vector<ComponentReport> components;  // catalog order
};

std::string to_prometheus(const Report& report);

// "2024-05-01T12:34:56.789Z": how reports and capture files write a time.
std::string iso8601_utc(std::chrono::system_clock::time_point when);
std::string to_json(const Report& report, int indent = 2);

// A metrics file that cannot be read back. what() is "SOURCE: KEY: PROBLEM", the key
// dotted from the top (e.g. "components.gaussian_blur.calls.rust"), or "SOURCE: PROBLEM"
// when the text is not JSON at all.
class ReportError : public std::runtime_error {
 public:
  ReportError(std::string source, std::string key, std::string problem);
  const std::string& source() const noexcept { return source_; }
  const std::string& key() const noexcept { return key_; }

 private:
  std::string source_;
  std::string key_;
};

// Reads what to_json wrote; `source` names it in errors. The keys a decision rests on
// are required: "components", and in each component "mode", "rust_port", "calls",
// "fallbacks", "mismatches" and "breaker"."state". Any other may be missing (a key a newer
// to_json added, e.g. error_mismatches, captures, a latency's min_ms, max_ms and buckets)
// and reads as its default, zero or empty; unknown keys are ignored. A key present with
// the wrong type or an impossible value throws ReportError. Latency histograms come back
// exactly from their buckets (the quantiles written beside them are not read); a file
// without buckets keeps each route's count and sum only.
Report report_from_json(std::string_view text, std::string_view source);

// Several runs as one, in the order given: counts added, latency histograms merged
// exactly (LatencyHistogram::merge), breaker transitions and config reloads summed, the
// recent mismatches of every run kept in order. Mode, settings, breaker state, config
// source and version, warnings, failpoints and program settings are the last run's that
// has them: the latest word on what is in force. Components keep the order they first
// appear in.
Report sum_reports(const std::vector<Report>& runs);

}  // namespace switchyard
