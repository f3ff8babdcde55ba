// The promotion rules: every rule fires on the evidence it names, and the thresholds
// are boundaries (at least N calls; a fallback rate strictly under the limit; a p99
// ratio at most the limit).
#include "switchyard/promotion.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "switchyard/config.hpp"

namespace switchyard {
namespace {

using std::chrono::microseconds;
using ::testing::HasSubstr;

std::size_t route_index(Route route) { return static_cast<std::size_t>(route); }
std::size_t cause_index(FallbackCause cause) { return static_cast<std::size_t>(cause); }
std::size_t state_index(BreakerState state) { return static_cast<std::size_t>(state); }

ComponentReport component_in(Mode mode) {
  ComponentReport component;
  component.name = "gaussian_blur";
  component.rust_port = RustPort::kAvailable;
  component.settings.mode = mode;
  component.settings.requested_mode = mode;
  return component;
}

// `calls` calls of `latency` each on `route`.
void time_route(ComponentReport& component, Route route, std::uint64_t calls, Duration latency) {
  LatencyHistogram& histogram = component.counts.latency[route_index(route)];
  histogram.buckets[latency_bucket_index(latency)] += calls;
  histogram.count += calls;
  histogram.sum += latency * static_cast<std::int64_t>(calls);
  histogram.min = latency;
  histogram.max = latency;
}

ComponentReport shadow_with(std::uint64_t calls) {
  ComponentReport component = component_in(Mode::kShadow);
  component.counts.calls[route_index(Route::kShadow)] = calls;
  return component;
}

ComponentReport canary_with(std::uint64_t rust_calls, std::uint64_t error_fallbacks) {
  ComponentReport component = component_in(Mode::kCanary);
  component.counts.calls[route_index(Route::kRust)] = rust_calls;
  component.counts.calls[route_index(Route::kLegacy)] = rust_calls * 9;
  component.counts.fallbacks[cause_index(FallbackCause::kError)] = error_fallbacks;
  return component;
}

TEST(Promotion, NoRustPortHoldsOnLegacy) {
  ComponentReport component = component_in(Mode::kLegacy);
  component.rust_port = RustPort::kNone;
  const Recommendation advice = recommend(component, PromotionRules{});
  EXPECT_EQ(advice.action, PromotionAction::kHold);
  EXPECT_EQ(advice.mode, Mode::kLegacy);
  EXPECT_EQ(advice.rule, "no_rust_port");
  EXPECT_THAT(advice.reason, HasSubstr("no Rust port"));
}

TEST(Promotion, LegacyWithAPortStartsGatheringEvidenceInShadow) {
  const Recommendation advice = recommend(component_in(Mode::kLegacy), PromotionRules{});
  EXPECT_EQ(advice.action, PromotionAction::kPromote);
  EXPECT_EQ(advice.mode, Mode::kShadow);
  EXPECT_EQ(advice.rule, "legacy_to_shadow");
  EXPECT_THAT(advice.reason, HasSubstr("start gathering evidence"));
}

TEST(Promotion, ShadowHoldsUntilEnoughCallsAndSaysHowMany) {
  const Recommendation advice = recommend(shadow_with(312), PromotionRules{});
  EXPECT_EQ(advice.action, PromotionAction::kHold);
  EXPECT_EQ(advice.mode, Mode::kShadow);
  EXPECT_EQ(advice.rule, "shadow_needs_calls");
  EXPECT_THAT(advice.reason, HasSubstr("312 of 1000 shadow calls"));
}

TEST(Promotion, ShadowPromotesAtExactlyTheMinimumCalls) {
  EXPECT_EQ(recommend(shadow_with(999), PromotionRules{}).rule, "shadow_needs_calls");
  const Recommendation advice = recommend(shadow_with(1000), PromotionRules{});
  EXPECT_EQ(advice.action, PromotionAction::kPromote);
  EXPECT_EQ(advice.mode, Mode::kCanary);
  EXPECT_EQ(advice.rule, "shadow_to_canary");
  EXPECT_THAT(advice.reason, HasSubstr("1000 shadow calls"));
  // No latency recorded on either side here: the sentence says latency was not judged.
  EXPECT_THAT(advice.reason, HasSubstr("latency not judged"));
}

TEST(Promotion, TheMinimumShadowCallsAreSettable) {
  PromotionRules rules;
  rules.min_shadow_calls = 50;
  EXPECT_EQ(recommend(shadow_with(50), rules).rule, "shadow_to_canary");
  EXPECT_THAT(recommend(shadow_with(49), rules).reason, HasSubstr("49 of 50 shadow calls"));
}

TEST(Promotion, OneValueMismatchInShadowDemotesToLegacy) {
  ComponentReport component = shadow_with(100000);
  component.counts.mismatches = 1;
  const Recommendation advice = recommend(component, PromotionRules{});
  EXPECT_EQ(advice.action, PromotionAction::kDemote);
  EXPECT_EQ(advice.mode, Mode::kLegacy);
  EXPECT_EQ(advice.rule, "demote_on_mismatch");
  EXPECT_THAT(advice.reason, HasSubstr("1 value and 0 error mismatches"));
}

TEST(Promotion, OneErrorMismatchDemotesToo) {
  ComponentReport component = shadow_with(100000);
  component.counts.error_mismatches = 1;
  const Recommendation advice = recommend(component, PromotionRules{});
  EXPECT_EQ(advice.action, PromotionAction::kDemote);
  EXPECT_EQ(advice.rule, "demote_on_mismatch");
  EXPECT_THAT(advice.reason, HasSubstr("0 value and 1 error mismatches"));
}

TEST(Promotion, AMismatchInCanaryOrRustGoesBackToShadow) {
  for (Mode mode : {Mode::kCanary, Mode::kRust}) {
    ComponentReport component = component_in(mode);
    component.counts.calls[route_index(Route::kRust)] = 50000;
    component.counts.mismatches = 2;
    const Recommendation advice = recommend(component, PromotionRules{});
    EXPECT_EQ(advice.action, PromotionAction::kDemote) << to_string(mode);
    EXPECT_EQ(advice.mode, Mode::kShadow) << to_string(mode);
    EXPECT_EQ(advice.rule, "demote_on_mismatch") << to_string(mode);
  }
}

TEST(Promotion, AnOpenedBreakerDemotesOneStage) {
  const std::pair<Mode, Mode> stages[] = {
      {Mode::kShadow, Mode::kLegacy}, {Mode::kCanary, Mode::kShadow}, {Mode::kRust, Mode::kCanary}};
  for (const auto& [mode, previous] : stages) {
    ComponentReport component = component_in(mode);
    component.counts.calls[route_index(Route::kRust)] = 50000;
    component.counts
        .transitions[state_index(BreakerState::kClosed)][state_index(BreakerState::kOpen)] = 1;
    const Recommendation advice = recommend(component, PromotionRules{});
    EXPECT_EQ(advice.action, PromotionAction::kDemote) << to_string(mode);
    EXPECT_EQ(advice.mode, previous) << to_string(mode);
    EXPECT_EQ(advice.rule, "demote_on_open_breaker") << to_string(mode);
    EXPECT_THAT(advice.reason, HasSubstr("opened 1 time and is closed now")) << to_string(mode);
  }
}

TEST(Promotion, ABreakerOpenNowDemotesEvenWithoutACountedTransition) {
  ComponentReport component = canary_with(20000, 0);
  component.breaker_state = BreakerState::kOpen;
  EXPECT_EQ(recommend(component, PromotionRules{}).rule, "demote_on_open_breaker");
  // A half-open breaker re-opened: that is a transition into open as well.
  component = canary_with(20000, 0);
  component.counts
      .transitions[state_index(BreakerState::kHalfOpen)][state_index(BreakerState::kOpen)] = 1;
  EXPECT_EQ(recommend(component, PromotionRules{}).rule, "demote_on_open_breaker");
}

TEST(Promotion, AForcedOpenBreakerHolds) {
  ComponentReport component = canary_with(20000, 0);
  component.breaker_state = BreakerState::kForcedOpen;
  const Recommendation advice = recommend(component, PromotionRules{});
  EXPECT_EQ(advice.action, PromotionAction::kHold);
  EXPECT_EQ(advice.mode, Mode::kCanary);
  EXPECT_EQ(advice.rule, "breaker_forced_open");
}

TEST(Promotion, RustFailuresBesideLegacyHoldShadow) {
  ComponentReport component = shadow_with(1000);
  component.counts.fallbacks[cause_index(FallbackCause::kPanic)] = 1;  // 0.1%: not under it
  Recommendation advice = recommend(component, PromotionRules{});
  EXPECT_EQ(advice.action, PromotionAction::kHold);
  EXPECT_EQ(advice.rule, "shadow_rust_failures");
  EXPECT_THAT(advice.reason, HasSubstr("1 of 1000"));
  component.counts.calls[route_index(Route::kShadow)] = 1001;  // just under 0.1%
  EXPECT_EQ(recommend(component, PromotionRules{}).rule, "shadow_to_canary");
}

TEST(Promotion, ShadowComparesP99WhereBothRoutesWereTimed) {
  ComponentReport component = shadow_with(2000);
  time_route(component, Route::kLegacy, 100, microseconds(1000));
  time_route(component, Route::kRust, 100, microseconds(1500));
  Recommendation advice = recommend(component, PromotionRules{});
  EXPECT_EQ(advice.action, PromotionAction::kHold);
  EXPECT_EQ(advice.rule, "shadow_latency");
  EXPECT_THAT(advice.reason, HasSubstr("1.5x"));
  PromotionRules lenient;
  lenient.max_p99_ratio = 1.5;  // at most: equal passes
  advice = recommend(component, lenient);
  EXPECT_EQ(advice.rule, "shadow_to_canary");
  EXPECT_THAT(advice.reason, HasSubstr("legacy p99 1.000 ms (100 timed calls)"));
}

TEST(Promotion, CanaryHoldsUntilEnoughRustCalls) {
  const Recommendation advice = recommend(canary_with(9999, 0), PromotionRules{});
  EXPECT_EQ(advice.action, PromotionAction::kHold);
  EXPECT_EQ(advice.mode, Mode::kCanary);
  EXPECT_EQ(advice.rule, "canary_needs_calls");
  EXPECT_THAT(advice.reason, HasSubstr("9999 of 10000"));
}

TEST(Promotion, CanaryPromotesToRustWithFallbacksUnderTheRate) {
  // 9 in 10000 is 0.09%: under 0.1%.
  const Recommendation advice = recommend(canary_with(10000, 9), PromotionRules{});
  EXPECT_EQ(advice.action, PromotionAction::kPromote);
  EXPECT_EQ(advice.mode, Mode::kRust);
  EXPECT_EQ(advice.rule, "canary_to_rust");
  EXPECT_THAT(advice.reason, HasSubstr("9 fallbacks (0.09%"));
}

TEST(Promotion, CanaryHoldsAtTheFallbackRateItself) {
  // 10 in 10000 is 0.1%: the rate must stay under it.
  const Recommendation advice = recommend(canary_with(10000, 10), PromotionRules{});
  EXPECT_EQ(advice.action, PromotionAction::kHold);
  EXPECT_EQ(advice.rule, "canary_fallback_rate");
  EXPECT_THAT(advice.reason, HasSubstr("10 fallbacks in 10000"));
  PromotionRules rules;
  rules.max_fallback_rate = 0.01;
  EXPECT_EQ(recommend(canary_with(10000, 10), rules).rule, "canary_to_rust");
}

TEST(Promotion, BreakerOpenFallbacksCountAgainstCanary) {
  ComponentReport component = canary_with(10000, 0);
  component.counts.fallbacks[cause_index(FallbackCause::kBreakerOpen)] = 20;
  EXPECT_EQ(recommend(component, PromotionRules{}).rule, "canary_fallback_rate");
}

TEST(Promotion, CanaryHoldsWhenRustIsSlowerAtP99) {
  ComponentReport component = canary_with(10000, 0);
  time_route(component, Route::kLegacy, 1400, microseconds(400));
  time_route(component, Route::kRust, 10000, microseconds(800));
  const Recommendation advice = recommend(component, PromotionRules{});
  EXPECT_EQ(advice.action, PromotionAction::kHold);
  EXPECT_EQ(advice.rule, "canary_latency");
  EXPECT_THAT(advice.reason, HasSubstr("2x"));
}

TEST(Promotion, RustIsTheLastStage) {
  ComponentReport component = component_in(Mode::kRust);
  component.counts.calls[route_index(Route::kRust)] = 500;
  const Recommendation advice = recommend(component, PromotionRules{});
  EXPECT_EQ(advice.action, PromotionAction::kHold);
  EXPECT_EQ(advice.mode, Mode::kRust);
  EXPECT_EQ(advice.rule, "rust_is_final");
}

TEST(Promotion, ActionsHaveStableNames) {
  EXPECT_EQ(to_string(PromotionAction::kPromote), "promote");
  EXPECT_EQ(to_string(PromotionAction::kHold), "hold");
  EXPECT_EQ(to_string(PromotionAction::kDemote), "demote");
}

TEST(Promotion, TheRulesInForceAreDescribedWithTheirKeys) {
  PromotionRules rules;
  rules.min_shadow_calls = 250;
  std::string text;
  for (const std::string& line : describe(rules)) text += line + "\n";
  EXPECT_THAT(text, HasSubstr("at least 250 shadow calls (min_shadow_calls)"));
  EXPECT_THAT(text, HasSubstr("10000 rust-route calls (min_canary_calls)"));
  EXPECT_THAT(text, HasSubstr("0.1% (max_fallback_rate)"));
  EXPECT_THAT(text, HasSubstr("(max_p99_ratio)"));
}

// [promotion] in the config file.
Catalog one_component() {
  return Catalog({{"gaussian_blur", RustPort::kAvailable, Comparison::kTolerance, 1}});
}

TEST(PromotionConfig, DefaultsWithoutATable) {
  const Config config = parse_config("", "p.toml", one_component());
  EXPECT_EQ(config.promotion, PromotionRules{});
  EXPECT_EQ(config.promotion.min_shadow_calls, 1000u);
  EXPECT_EQ(config.promotion.min_canary_calls, 10000u);
  EXPECT_DOUBLE_EQ(config.promotion.max_fallback_rate, 0.001);
  EXPECT_DOUBLE_EQ(config.promotion.max_p99_ratio, 1.0);
}

TEST(PromotionConfig, ReadsEveryKey) {
  const Config config = parse_config(
      "[promotion]\nmin_shadow_calls = 5\nmin_canary_calls = 7\nmax_fallback_rate = 0.02\n"
      "max_p99_ratio = 1\n",
      "p.toml", one_component());
  EXPECT_EQ(config.promotion.min_shadow_calls, 5u);
  EXPECT_EQ(config.promotion.min_canary_calls, 7u);
  EXPECT_DOUBLE_EQ(config.promotion.max_fallback_rate, 0.02);
  EXPECT_DOUBLE_EQ(config.promotion.max_p99_ratio, 1.0);
  // A reload that changes only the rules is a different config.
  EXPECT_NE(config, parse_config("", "p.toml", one_component()));
}

std::string error_of(const std::string& text) {
  try {
    parse_config(text, "p.toml", one_component());
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "(no error)";
}

TEST(PromotionConfig, MistakesNameFileLineAndKey) {
  EXPECT_EQ(error_of("[promotion]\nmin_shadow_calls = 0\n"),
            "p.toml:2:20: promotion.min_shadow_calls: must be between 1 and 1000000000000, got 0");
  EXPECT_EQ(
      error_of("[promotion]\nmax_fallback_rate = 0\n"),
      "p.toml:2:21: promotion.max_fallback_rate: must be greater than 0 and at most 1, got 0");
  EXPECT_THAT(error_of("[promotion]\nmax_p99_ratio = \"fast\"\n"),
              HasSubstr("p.toml:2:17: promotion.max_p99_ratio: expected a number, got a string"));
  EXPECT_THAT(error_of("[promotion]\nmin_canary_calls = 1.5\n"),
              HasSubstr("promotion.min_canary_calls: expected an integer, got a float"));
  EXPECT_EQ(error_of("[promotion]\nmin_calls = 3\n"),
            "p.toml:2:1: promotion.min_calls: unknown key 'min_calls'; expected one of "
            "min_shadow_calls, min_canary_calls, max_fallback_rate, max_p99_ratio");
  EXPECT_THAT(error_of("promotion = 3\n"), HasSubstr("promotion: expected a table"));
}

}  // namespace
}  // namespace switchyard
