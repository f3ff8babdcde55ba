// `imgkit report`: the evidence each component has gathered, and whether it is enough to
// move the component to its next mode (switchyard/promotion.hpp).
//
//   imgkit report [--config FILE] [--metrics-json FILE ...] [--json] [--html FILE]
//
// With --metrics-json files (what `imgkit process --metrics-json` writes), their runs are
// summed; without, this process's own routing report is shown. The rules come from the
// routing config in force (--config, else the usual lookup).
#pragma once

#include <string>
#include <vector>

#include "switchyard/promotion_rules.hpp"
#include "switchyard/report.hpp"

namespace imgkit::cli {

struct ReportOptions {
  std::vector<std::string> metrics_files;
  bool json = false;  // print JSON instead of text
  std::string html;   // also write a self-contained HTML page here
};

// The most bytes a metrics file may hold: one is tens of KB (18 components, 48 latency
// buckets each at most); the bound keeps a wrong path from being read into memory.
inline constexpr std::uint64_t kMaxMetricsFileBytes = std::uint64_t{64} << 20;

// Prints the report; UsageError naming the file when a metrics file cannot be read or is
// not a switchyard report. `current` is used when there are no metrics files.
int run_report(const ReportOptions& options, const switchyard::Report& current,
               const switchyard::PromotionRules& rules, const std::string& rules_source);

}  // namespace imgkit::cli
