// switchyard::Report — everything an operator can ask a router, and its two exports.
//
//   switchyard::Report report = router.report();
//   std::cout << switchyard::to_prometheus(report);   // Prometheus text exposition format
//   std::cout << switchyard::to_json(report, 2);      // the JSON `--metrics-json` writes
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
#include <string>
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

}  // namespace switchyard
