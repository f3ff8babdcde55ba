#include "switchyard/promotion.hpp"

#include <cstdio>
#include <string>
#include <utility>

namespace switchyard {
namespace {

std::size_t state_index(BreakerState state) { return static_cast<std::size_t>(state); }
std::size_t route_index(Route route) { return static_cast<std::size_t>(route); }

// "0.25%": rates are read by people, three significant digits are plenty.
std::string percent(double rate) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g%%", rate * 100.0);
  return text;
}

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", value);
  return text;
}

std::string milliseconds(Duration duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f ms", static_cast<double>(duration.count()) / 1e6);
  return text;
}

double rate(std::uint64_t part, std::uint64_t whole) {
  return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

Recommendation decide(PromotionAction action, Mode mode, std::string_view rule,
                      std::string reason) {
  return {action, mode, std::string(rule), std::move(reason)};
}

// "legacy p99 1.200 ms (40 timed calls), rust p99 0.300 ms (900): 0.25x".
std::string describe_latency(const LatencyComparison& latency) {
  return "legacy p99 " + milliseconds(latency.legacy_p99) + " (" +
         std::to_string(latency.legacy_samples) + " timed calls), rust p99 " +
         milliseconds(latency.rust_p99) + " (" + std::to_string(latency.rust_samples) +
         "): " + number(latency.ratio) + "x";
}

// Both the shadow and the canary stage hold a Rust slower than the rules allow.
bool too_slow(const LatencyComparison& latency, const PromotionRules& rules) {
  return latency.available && latency.ratio > rules.max_p99_ratio;
}

Recommendation judge_shadow(const ComponentReport& component, const PromotionRules& rules) {
  const ComponentCounts& counts = component.counts;
  const std::uint64_t calls = counts.calls[route_index(Route::kShadow)];
  if (calls < rules.min_shadow_calls) {
    return decide(PromotionAction::kHold, Mode::kShadow, "shadow_needs_calls",
                  std::to_string(calls) + " of " + std::to_string(rules.min_shadow_calls) +
                      " shadow calls; no mismatch so far");
  }
  const std::uint64_t failures = rust_failures(counts);
  const double failure_rate = rate(failures, calls);
  if (failure_rate >= rules.max_fallback_rate) {
    return decide(PromotionAction::kHold, Mode::kShadow, "shadow_rust_failures",
                  "Rust failed on " + std::to_string(failures) + " of " + std::to_string(calls) +
                      " shadow calls (" + percent(failure_rate) + ", must stay under " +
                      percent(rules.max_fallback_rate) + ")");
  }
  const LatencyComparison latency = compare_p99(counts);
  if (too_slow(latency, rules)) {
    return decide(PromotionAction::kHold, Mode::kShadow, "shadow_latency",
                  "Rust is slower than allowed: " + describe_latency(latency) + " (at most " +
                      number(rules.max_p99_ratio) + "x)");
  }
  std::string reason =
      std::to_string(calls) + " shadow calls (at least " + std::to_string(rules.min_shadow_calls) +
      "), 0 value and 0 error mismatches, Rust failed on " + std::to_string(failures) + "; ";
  if (component.settings.shadow_sample < 1.0) {
    reason += "Rust ran on a share of " + number(component.settings.shadow_sample) + " of them; ";
  }
  reason += latency.available ? describe_latency(latency)
                              : "latency not judged: legacy's and Rust's own times were not "
                                "both measured";
  return decide(PromotionAction::kPromote, Mode::kCanary, "shadow_to_canary", reason);
}

Recommendation judge_canary(const ComponentReport& component, const PromotionRules& rules) {
  const ComponentCounts& counts = component.counts;
  const std::uint64_t calls = counts.calls[route_index(Route::kRust)];
  const std::uint64_t fallbacks = rust_failures(counts);
  const double fallback_rate = rate(fallbacks, calls);
  if (calls < rules.min_canary_calls) {
    return decide(PromotionAction::kHold, Mode::kCanary, "canary_needs_calls",
                  std::to_string(calls) + " of " + std::to_string(rules.min_canary_calls) +
                      " canary (rust-route) calls; fallback rate so far " + percent(fallback_rate));
  }
  if (fallback_rate >= rules.max_fallback_rate) {
    return decide(PromotionAction::kHold, Mode::kCanary, "canary_fallback_rate",
                  std::to_string(fallbacks) + " fallbacks in " + std::to_string(calls) +
                      " rust-route calls (" + percent(fallback_rate) + ", must stay under " +
                      percent(rules.max_fallback_rate) + ")");
  }
  const LatencyComparison latency = compare_p99(counts);
  if (too_slow(latency, rules)) {
    return decide(PromotionAction::kHold, Mode::kCanary, "canary_latency",
                  "Rust is slower than allowed: " + describe_latency(latency) + " (at most " +
                      number(rules.max_p99_ratio) + "x)");
  }
  return decide(PromotionAction::kPromote, Mode::kRust, "canary_to_rust",
                std::to_string(calls) + " rust-route calls (at least " +
                    std::to_string(rules.min_canary_calls) + "), " + std::to_string(fallbacks) +
                    " fallbacks (" + percent(fallback_rate) + ", under " +
                    percent(rules.max_fallback_rate) + "), the breaker never opened; " +
                    (latency.available ? describe_latency(latency)
                                       : "latency not judged: only one route was timed"));
}

// Back one stage: where the evidence last looked good.
Mode previous_stage(Mode mode) {
  switch (mode) {
    case Mode::kRust:
      return Mode::kCanary;
    case Mode::kCanary:
      return Mode::kShadow;
    case Mode::kShadow:
    case Mode::kLegacy:
      break;
  }
  return Mode::kLegacy;
}

}  // namespace

std::string_view to_string(PromotionAction action) noexcept {
  switch (action) {
    case PromotionAction::kPromote:
      return "promote";
    case PromotionAction::kHold:
      return "hold";
    case PromotionAction::kDemote:
      return "demote";
  }
  return "unknown";
}

std::uint64_t breaker_opens(const ComponentCounts& counts) noexcept {
  std::uint64_t opens = 0;
  for (const auto& from : counts.transitions) opens += from[state_index(BreakerState::kOpen)];
  return opens;
}

std::uint64_t rust_failures(const ComponentCounts& counts) noexcept {
  const auto cause = [&](FallbackCause c) { return counts.fallbacks[static_cast<std::size_t>(c)]; };
  return cause(FallbackCause::kError) + cause(FallbackCause::kPanic) +
         cause(FallbackCause::kBreakerOpen);
}

LatencyComparison compare_p99(const ComponentCounts& counts) noexcept {
  const LatencyHistogram& legacy = counts.latency[route_index(Route::kLegacy)];
  const LatencyHistogram& rust = counts.latency[route_index(Route::kRust)];
  LatencyComparison comparison;
  comparison.legacy_samples = legacy.count;
  comparison.rust_samples = rust.count;
  if (legacy.count == 0 || rust.count == 0) return comparison;
  comparison.legacy_p99 = legacy.quantile(0.99);
  comparison.rust_p99 = rust.quantile(0.99);
  // A p99 of zero means the buckets were not kept (an old metrics file): nothing to judge.
  if (comparison.legacy_p99 <= Duration(0) || comparison.rust_p99 <= Duration(0)) {
    return comparison;
  }
  comparison.available = true;
  comparison.ratio = static_cast<double>(comparison.rust_p99.count()) /
                     static_cast<double>(comparison.legacy_p99.count());
  return comparison;
}

Recommendation recommend(const ComponentReport& component, const PromotionRules& rules) {
  const Mode mode = component.settings.mode;
  const ComponentCounts& counts = component.counts;
  if (component.rust_port != RustPort::kAvailable) {
    return decide(PromotionAction::kHold, Mode::kLegacy, "no_rust_port",
                  "no Rust port: nothing to route to");
  }
  if (mode == Mode::kLegacy) {
    return decide(PromotionAction::kPromote, Mode::kShadow, "legacy_to_shadow",
                  "a Rust port exists: start gathering evidence in shadow mode");
  }
  const std::uint64_t mismatches = counts.mismatches + counts.error_mismatches;
  if (mismatches != 0) {
    // Shadow already keeps Rust's answers from callers; later stages go back to it, where
    // the comparison that found the mismatch goes on.
    return decide(PromotionAction::kDemote, mode == Mode::kShadow ? Mode::kLegacy : Mode::kShadow,
                  "demote_on_mismatch",
                  std::to_string(counts.mismatches) + " value and " +
                      std::to_string(counts.error_mismatches) + " error mismatches (any is one " +
                      "too many)");
  }
  const std::uint64_t opens = breaker_opens(counts);
  if (opens != 0 || component.breaker_state == BreakerState::kOpen) {
    return decide(PromotionAction::kDemote, previous_stage(mode), "demote_on_open_breaker",
                  "the breaker opened " + std::to_string(opens) +
                      (opens == 1 ? " time" : " times") + " and is " +
                      std::string(to_string(component.breaker_state)) + " now; " +
                      std::to_string(rust_failures(counts)) + " fallbacks");
  }
  if (component.breaker_state == BreakerState::kForcedOpen) {
    return decide(PromotionAction::kHold, mode, "breaker_forced_open",
                  "the config forces the breaker open: Rust runs no calls, so no evidence "
                  "accrues");
  }
  switch (mode) {
    case Mode::kShadow:
      return judge_shadow(component, rules);
    case Mode::kCanary:
      return judge_canary(component, rules);
    case Mode::kRust:
    case Mode::kLegacy:
      break;
  }
  const std::uint64_t calls = counts.calls[route_index(Route::kRust)];
  return decide(PromotionAction::kHold, Mode::kRust, "rust_is_final",
                "the last stage: " + std::to_string(calls) + " rust-route calls, " +
                    std::to_string(rust_failures(counts)) + " fallbacks (" +
                    percent(rate(rust_failures(counts), calls)) +
                    "); retiring legacy is a code change");
}

std::vector<std::string> describe(const PromotionRules& rules) {
  const std::string p99 = number(rules.max_p99_ratio) + "x legacy's p99";
  return {
      "legacy -> shadow: whenever a Rust port exists",
      "shadow -> canary: at least " + std::to_string(rules.min_shadow_calls) +
          " shadow calls (min_shadow_calls), no value or error mismatch, Rust failures under " +
          percent(rules.max_fallback_rate) + " (max_fallback_rate), Rust p99 at most " + p99 +
          " (max_p99_ratio) where both routes were timed",
      "canary -> rust: at least " + std::to_string(rules.min_canary_calls) +
          " rust-route calls (min_canary_calls), the breaker never opened, fallbacks under " +
          percent(rules.max_fallback_rate) + " of them, Rust p99 at most " + p99,
      "demote: any value or error mismatch (to shadow; from shadow to legacy), or the "
      "breaker opened (back one stage)",
  };
}

}  // namespace switchyard
