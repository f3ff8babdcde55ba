// switchyard::recommend — whether a component's evidence moves it to its next mode.
//
// The life cycle is legacy -> shadow -> canary -> rust (README.md "The migration life
// cycle"). recommend() reads one component's report (one run, or several summed with
// sum_reports) and answers promote, hold or demote, with the mode to set, the rule that
// decided (a stable id) and a sentence carrying the numbers it decided on:
//
//   const switchyard::Report report = switchyard::sum_reports(runs);
//   for (const switchyard::ComponentReport& component : report.components) {
//     const switchyard::Recommendation advice = switchyard::recommend(component, rules);
//     std::cout << component.name << ": " << to_string(advice.action) << " -> "
//               << to_string(advice.mode) << " (" << advice.rule << "): " << advice.reason;
//   }
//
// The rules, first match wins:
//   no_rust_port            hold on legacy: nothing to route to
//   legacy_to_shadow        promote legacy -> shadow: start gathering evidence
//   demote_on_mismatch      any value or error mismatch: shadow -> legacy; canary or rust
//                           -> shadow (Rust's answers stop reaching callers, comparison goes on)
//   demote_on_open_breaker  the breaker opened (a transition into open, or open now):
//                           back one stage
//   breaker_forced_open     hold: the config keeps the breaker open, Rust runs no calls
//   shadow_needs_calls      hold: fewer than min_shadow_calls shadow calls
//   shadow_rust_failures    hold: Rust failed beside legacy at max_fallback_rate or more
//   shadow_latency          hold: Rust's p99 over max_p99_ratio x legacy's
//   shadow_to_canary        promote shadow -> canary
//   canary_needs_calls      hold: fewer than min_canary_calls rust-route calls
//   canary_fallback_rate    hold: fallbacks / rust-route calls at max_fallback_rate or more
//   canary_latency          hold: Rust's p99 over max_p99_ratio x legacy's
//   canary_to_rust          promote canary -> rust
//   rust_is_final           hold: the last stage; retiring legacy is a code change
//
// Latency: the rule compares legacy's p99 with Rust's, and only where both were timed.
// The legacy and rust histograms hold each implementation's own time, shadow calls'
// halves included, so shadow mode measures both while legacy answers; in canary mode
// the rust route's time includes any fallback legacy answered. With only one side timed
// (a shadow_sample of 0, say) the decision rests on parity alone, and the sentence says
// so.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "switchyard/config.hpp"
#include "switchyard/metrics.hpp"
#include "switchyard/promotion_rules.hpp"
#include "switchyard/report.hpp"

namespace switchyard {

enum class PromotionAction : std::uint8_t { kPromote, kHold, kDemote };
std::string_view to_string(PromotionAction action) noexcept;  // "promote", "hold", "demote"

struct Recommendation {
  PromotionAction action = PromotionAction::kHold;
  Mode mode = Mode::kLegacy;  // the mode to set; the current one when holding
  std::string rule;           // a stable id from the list above
  std::string reason;         // one sentence with the numbers the rule decided on
};

Recommendation recommend(const ComponentReport& component, const PromotionRules& rules);

// The figures the rules read, one definition each (the report prints them too).

// Transitions into the open state, from closed or half-open.
std::uint64_t breaker_opens(const ComponentCounts& counts) noexcept;
// Calls legacy answered because Rust failed or its breaker was open: the error, panic
// and breaker_open causes. A mismatch fallback is not one: shadow mode's mismatches have
// their own rule.
std::uint64_t rust_failures(const ComponentCounts& counts) noexcept;

// Rust's p99 against legacy's, where both routes were timed.
struct LatencyComparison {
  bool available = false;  // both the legacy and the rust route have timed calls
  Duration legacy_p99{0};
  Duration rust_p99{0};
  std::uint64_t legacy_samples = 0;
  std::uint64_t rust_samples = 0;
  double ratio = 0.0;  // rust_p99 / legacy_p99; 0 when not available
};
LatencyComparison compare_p99(const ComponentCounts& counts) noexcept;

// The rules in force, one line each ("shadow -> canary: at least 1000 shadow calls, ...").
std::vector<std::string> describe(const PromotionRules& rules);

}  // namespace switchyard
