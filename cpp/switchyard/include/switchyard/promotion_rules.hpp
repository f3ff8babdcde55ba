// switchyard::PromotionRules — how much evidence moves a component to its next mode.
//
// The thresholds of the rules in promotion.hpp, set in the config file's [promotion]
// table (config.cpp validates every key; README.md "Deciding when to promote" documents
// them). Kept apart from promotion.hpp so that Config can hold them without the rules
// depending on the report they judge.
//
//   [promotion]
//   min_shadow_calls = 1000
//   min_canary_calls = 10000
//   max_fallback_rate = 0.001
//   max_p99_ratio = 1.0
#pragma once

#include <cstdint>

namespace switchyard {

// The defaults follow LaunchDarkly's migration metrics (consistency, errors and latency
// judged per stage) and Flagger's analysis (a minimum of requests, a success rate, a
// latency threshold; roll back on a failed check).
struct PromotionRules {
  // shadow -> canary: at least this many shadow-route calls, with no mismatch of either
  // kind.
  std::uint64_t min_shadow_calls = 1000;
  // canary -> rust: at least this many rust-route calls, the breaker never opened, and
  // a fallback rate under max_fallback_rate.
  std::uint64_t min_canary_calls = 10000;
  // Fallbacks (error, panic, breaker_open) per Rust call must stay under this: 0.001 is
  // 0.1%. Shadow mode holds Rust's failures beside legacy's answers to the same bound.
  double max_fallback_rate = 0.001;
  // Rust's p99 may be at most this times legacy's (1.0: no slower), wherever both routes
  // have been timed.
  double max_p99_ratio = 1.0;

  friend bool operator==(const PromotionRules& a, const PromotionRules& b) noexcept {
    return a.min_shadow_calls == b.min_shadow_calls && a.min_canary_calls == b.min_canary_calls &&
           a.max_fallback_rate == b.max_fallback_rate && a.max_p99_ratio == b.max_p99_ratio;
  }
  friend bool operator!=(const PromotionRules& a, const PromotionRules& b) noexcept {
    return !(a == b);
  }
};

}  // namespace switchyard
