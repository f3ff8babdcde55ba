#include "switchyard/metrics.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace switchyard {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr ComponentId kBlur = 0;
constexpr ComponentId kPng = 1;

std::size_t route_index(Route route) { return static_cast<std::size_t>(route); }
std::size_t cause_index(FallbackCause cause) { return static_cast<std::size_t>(cause); }
std::size_t state_index(BreakerState state) { return static_cast<std::size_t>(state); }

MismatchRecord mismatch_at(std::uint32_t x) {
  MismatchRecord record;
  record.input_digest = "00000000000000ff";
  record.x = x;
  return record;
}

TEST(MetricsNames, RoutesAndCausesHaveTheirExportNames) {
  EXPECT_EQ(to_string(Route::kLegacy), "legacy");
  EXPECT_EQ(to_string(Route::kRust), "rust");
  EXPECT_EQ(to_string(Route::kShadow), "shadow");
  EXPECT_EQ(to_string(FallbackCause::kError), "error");
  EXPECT_EQ(to_string(FallbackCause::kPanic), "panic");
  EXPECT_EQ(to_string(FallbackCause::kMismatch), "mismatch");
  EXPECT_EQ(to_string(FallbackCause::kBreakerOpen), "breaker_open");
}

TEST(MetricsCounts, CallsFallbacksAndSlowCallsAreCountedPerComponentRouteAndCause) {
  Metrics metrics(2, 8);
  for (int i = 0; i < 3; ++i) metrics.count_call(kBlur, Route::kLegacy);
  for (int i = 0; i < 5; ++i) metrics.count_call(kBlur, Route::kRust);
  metrics.count_call(kPng, Route::kShadow);
  metrics.count_fallback(kBlur, FallbackCause::kPanic);
  metrics.count_fallback(kBlur, FallbackCause::kPanic);
  metrics.count_fallback(kPng, FallbackCause::kBreakerOpen);
  for (int i = 0; i < 3; ++i) metrics.count_slow_call(kPng);

  const std::vector<ComponentCounts> counts = metrics.components();
  ASSERT_EQ(counts.size(), 2u);
  EXPECT_EQ(counts[kBlur].calls, (std::array<std::uint64_t, kRouteCount>{3, 5, 0}));
  EXPECT_EQ(counts[kPng].calls, (std::array<std::uint64_t, kRouteCount>{0, 0, 1}));
  EXPECT_EQ(counts[kBlur].fallbacks, (std::array<std::uint64_t, kFallbackCauseCount>{0, 2, 0, 0}));
  EXPECT_EQ(counts[kPng].fallbacks, (std::array<std::uint64_t, kFallbackCauseCount>{0, 0, 0, 1}));
  EXPECT_EQ(counts[kBlur].slow_calls, 0u);
  EXPECT_EQ(counts[kPng].slow_calls, 3u);
  // Counted apart: no latency, call or fallback slot takes them.
  EXPECT_EQ(counts[kPng].latency[route_index(Route::kShadow)].count, 0u);
}

TEST(MetricsCounts, CountsFromConcurrentThreadsAddUpExactly) {
  constexpr std::uint64_t kPerThread = 100'000;
  Metrics metrics(1, 8);
  std::atomic<bool> done{false};
  // A reader summing while the writers count must never see a count go backwards.
  std::thread reader([&] {
    std::uint64_t previous = 0;
    while (!done.load()) {
      const std::uint64_t now = metrics.components()[kBlur].calls[route_index(Route::kRust)];
      EXPECT_GE(now, previous);
      previous = now;
    }
  });
  std::vector<std::thread> writers;
  for (int t = 0; t < 2; ++t) {
    writers.emplace_back([&] {
      for (std::uint64_t i = 0; i < kPerThread; ++i) {
        metrics.count_call(kBlur, Route::kRust);
        metrics.count_fallback(kBlur, FallbackCause::kMismatch);
        metrics.count_slow_call(kBlur);
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  done = true;
  reader.join();

  const ComponentCounts counts = metrics.components()[kBlur];
  EXPECT_EQ(counts.calls[route_index(Route::kRust)], 2 * kPerThread);
  EXPECT_EQ(counts.fallbacks[cause_index(FallbackCause::kMismatch)], 2 * kPerThread);
  EXPECT_EQ(counts.slow_calls, 2 * kPerThread);
}

TEST(MetricsCounts, CountsOfExitedThreadsAreKeptAndLaterThreadsAddToThem) {
  Metrics metrics(1, 8);
  std::thread([&] {
    for (int i = 0; i < 5; ++i) metrics.count_call(kBlur, Route::kShadow);
  }).join();
  EXPECT_EQ(metrics.components()[kBlur].calls[route_index(Route::kShadow)], 5u);

  // Each of these threads starts after the last one exited, so it takes over a shard
  // that already holds counts.
  for (int t = 0; t < 20; ++t) {
    std::thread([&] {
      for (int i = 0; i < 7; ++i) metrics.count_call(kBlur, Route::kShadow);
    }).join();
  }
  metrics.count_call(kBlur, Route::kShadow);
  EXPECT_EQ(metrics.components()[kBlur].calls[route_index(Route::kShadow)], 5u + 20 * 7 + 1);
}

// Counts from another thread_local's destructor, which runs after the thread has given
// its shards back.
struct CountsOnThreadExit {
  Metrics* metrics = nullptr;
  ~CountsOnThreadExit() {
    if (metrics != nullptr) metrics->count_call(kBlur, Route::kRust);
  }
};

TEST(MetricsCounts, CountsMadeWhileAThreadExitsAreKept) {
  Metrics metrics(1, 8);
  std::thread([&] {
    thread_local CountsOnThreadExit on_exit;  // constructed first, so destroyed last
    on_exit.metrics = &metrics;
    metrics.count_call(kBlur, Route::kRust);
  }).join();
  std::thread([&] { metrics.count_call(kBlur, Route::kRust); }).join();
  EXPECT_EQ(metrics.components()[kBlur].calls[route_index(Route::kRust)], 3u);
}

TEST(MetricsCounts, TwoMetricsAlternatingOnOneThreadKeepTheirCountsApart) {
  Metrics first(1, 8);
  Metrics second(1, 8);
  for (int i = 0; i < 10; ++i) {
    first.count_call(kBlur, Route::kLegacy);
    second.count_call(kBlur, Route::kRust);
    second.count_call(kBlur, Route::kRust);
  }
  EXPECT_EQ(first.components()[kBlur].calls, (std::array<std::uint64_t, kRouteCount>{10, 0, 0}));
  EXPECT_EQ(second.components()[kBlur].calls, (std::array<std::uint64_t, kRouteCount>{0, 20, 0}));
}

TEST(MetricsCounts, ANewMetricsStartsFromZeroEvenWhereAnOldOneLived) {
  // The same storage, so the same address: only the Metrics' identity tells them apart.
  std::optional<Metrics> metrics;
  metrics.emplace(1, 8);
  metrics->count_call(kBlur, Route::kLegacy);
  metrics.reset();
  metrics.emplace(1, 8);
  metrics->count_call(kBlur, Route::kRust);
  EXPECT_EQ(metrics->components()[kBlur].calls, (std::array<std::uint64_t, kRouteCount>{0, 1, 0}));
}

TEST(MetricsCounts, LegacyCallsAreAllCountedAndTheFirstThenEveryFewIsTimed) {
  Metrics metrics(2, 8);
  std::vector<std::uint32_t> timed;
  for (std::uint32_t call = 1; call <= 10 * Metrics::kLegacyLatencySampleEvery; ++call) {
    if (metrics.count_legacy_call(kPng)) timed.push_back(call);
  }
  ASSERT_EQ(timed.size(), 10u);
  EXPECT_EQ(timed[0], 1u);  // a short run still reports a legacy latency
  EXPECT_EQ(timed[1], 1u + Metrics::kLegacyLatencySampleEvery);
  EXPECT_EQ(metrics.components()[kPng].calls[0], 10u * Metrics::kLegacyLatencySampleEvery);
  EXPECT_TRUE(metrics.count_legacy_call(kBlur));  // each component's first call is timed
}

TEST(MetricsCounts, ReloadsAreCountedByResult) {
  Metrics metrics(1, 8);
  metrics.count_reload(true);
  metrics.count_reload(true);
  metrics.count_reload(false);
  EXPECT_EQ(metrics.reloads().ok, 2u);
  EXPECT_EQ(metrics.reloads().failed, 1u);
}

TEST(MetricsCounts, BreakerTransitionsAreCountedPerComponentFromAndTo) {
  Metrics metrics(2, 8);
  metrics.count_transition(kPng, BreakerState::kClosed, BreakerState::kOpen);
  metrics.count_transition(kPng, BreakerState::kClosed, BreakerState::kOpen);
  metrics.count_transition(kPng, BreakerState::kOpen, BreakerState::kHalfOpen);

  const std::vector<ComponentCounts> counts = metrics.components();
  const auto& png = counts[kPng].transitions;
  EXPECT_EQ(png[state_index(BreakerState::kClosed)][state_index(BreakerState::kOpen)], 2u);
  EXPECT_EQ(png[state_index(BreakerState::kOpen)][state_index(BreakerState::kHalfOpen)], 1u);
  EXPECT_EQ(png[state_index(BreakerState::kOpen)][state_index(BreakerState::kClosed)], 0u);
  for (const auto& row : counts[kBlur].transitions) {
    for (std::uint64_t n : row) EXPECT_EQ(n, 0u);
  }
}

TEST(MetricsMismatches, LogKeepsTheMostRecentOldestFirstAndTotalsKeepCounting) {
  Metrics metrics(2, 3);
  for (std::uint32_t x = 0; x < 5; ++x) metrics.record_mismatch(kPng, mismatch_at(x));

  const ComponentCounts png = metrics.components()[kPng];
  EXPECT_EQ(png.mismatches, 5u);
  ASSERT_EQ(png.recent_mismatches.size(), 3u);
  EXPECT_EQ(png.recent_mismatches[0].x, 2u);
  EXPECT_EQ(png.recent_mismatches[1].x, 3u);
  EXPECT_EQ(png.recent_mismatches[2].x, 4u);
  EXPECT_EQ(png.recent_mismatches[2].input_digest, "00000000000000ff");
  EXPECT_EQ(metrics.components()[kBlur].mismatches, 0u);
}

TEST(MetricsMismatches, ShrinkingTheLogDropsTheOldest) {
  Metrics metrics(1, 4);
  for (std::uint32_t x = 0; x < 4; ++x) metrics.record_mismatch(kBlur, mismatch_at(x));
  metrics.set_mismatch_log_size(1);
  ComponentCounts blur = metrics.components()[kBlur];
  ASSERT_EQ(blur.recent_mismatches.size(), 1u);
  EXPECT_EQ(blur.recent_mismatches[0].x, 3u);

  metrics.set_mismatch_log_size(0);
  metrics.record_mismatch(kBlur, mismatch_at(9));
  blur = metrics.components()[kBlur];
  EXPECT_TRUE(blur.recent_mismatches.empty());
  EXPECT_EQ(blur.mismatches, 5u);
}

TEST(LatencyBuckets, BoundsGrowBySqrt2FromOneMicrosecondAndEndInInfinity) {
  EXPECT_EQ(latency_bucket_bound(0), microseconds(1));
  EXPECT_EQ(latency_bucket_bound(1).count(), 1414);
  EXPECT_EQ(latency_bucket_bound(2), microseconds(2));
  EXPECT_EQ(latency_bucket_bound(20), microseconds(1024));
  EXPECT_EQ(latency_bucket_bound(kLatencyBucketCount - 1), Duration::max());
  for (std::size_t i = 1; i < kLatencyBucketCount; ++i) {
    EXPECT_LT(latency_bucket_bound(i - 1), latency_bucket_bound(i)) << "bucket " << i;
  }
}

TEST(LatencyBuckets, EachLatencyGoesToTheFirstBucketWhoseBoundHoldsIt) {
  EXPECT_EQ(latency_bucket_index(Duration(0)), 0u);
  EXPECT_EQ(latency_bucket_index(Duration(-5)), 0u);
  for (std::size_t i = 0; i + 1 < kLatencyBucketCount; ++i) {
    const Duration bound = latency_bucket_bound(i);
    EXPECT_EQ(latency_bucket_index(bound), i) << "bucket " << i;
    EXPECT_EQ(latency_bucket_index(bound + Duration(1)), i + 1) << "bucket " << i;
  }
  EXPECT_EQ(latency_bucket_index(seconds(3600)), kLatencyBucketCount - 1);
  EXPECT_EQ(latency_bucket_index(Duration::max()), kLatencyBucketCount - 1);
}

TEST(LatencyHistogram, QuantilesOfAKnownDistributionFallInTheRightBuckets) {
  Metrics metrics(1, 8);
  for (int i = 0; i < 100; ++i) metrics.record_latency(kBlur, Route::kRust, microseconds(10));
  metrics.record_latency(kBlur, Route::kRust, seconds(1));

  const LatencyHistogram h = metrics.components()[kBlur].latency[route_index(Route::kRust)];
  EXPECT_EQ(h.count, 101u);
  EXPECT_EQ(h.sum, seconds(1) + 100 * microseconds(10));
  const std::size_t ten_us = latency_bucket_index(microseconds(10));
  const std::size_t one_s = latency_bucket_index(seconds(1));
  // p50 interpolates to about half-way through the 10 us bucket, (8 us, 11.3 us].
  EXPECT_GT(h.quantile(0.5), latency_bucket_bound(ten_us - 1));
  EXPECT_LT(h.quantile(0.5), latency_bucket_bound(ten_us));
  EXPECT_NEAR(static_cast<double>(h.quantile(0.5).count()), 10'000.0, 1'000.0);
  EXPECT_GT(h.quantile(0.99), latency_bucket_bound(ten_us - 1));
  EXPECT_LE(h.quantile(0.99), latency_bucket_bound(ten_us));
  EXPECT_GT(h.quantile(0.999), latency_bucket_bound(one_s - 1));
  EXPECT_LE(h.quantile(0.999), latency_bucket_bound(one_s));
}

TEST(LatencyHistogram, EmptyIsZeroAndBeyondTheLastBoundIsTheObservedValue) {
  EXPECT_EQ(LatencyHistogram{}.quantile(0.5), Duration(0));

  Metrics metrics(1, 8);
  metrics.record_latency(kBlur, Route::kShadow, seconds(60));
  const LatencyHistogram h = metrics.components()[kBlur].latency[route_index(Route::kShadow)];
  EXPECT_EQ(h.buckets[kLatencyBucketCount - 1], 1u);
  // The +Inf bucket says nothing of how far past its lower bound a call went; the
  // recorded extremes do.
  EXPECT_EQ(h.quantile(0.5), seconds(60));
  LatencyHistogram counts_only = h;
  counts_only.min = counts_only.max = Duration(0);  // as summed from an older report
  EXPECT_EQ(counts_only.quantile(0.5), latency_bucket_bound(kLatencyBucketCount - 2));
}

TEST(LatencyHistogram, LatencyIsRecordedPerRouteAndComponent) {
  Metrics metrics(2, 8);
  metrics.record_latency(kPng, Route::kLegacy, milliseconds(3));
  metrics.record_latency(kPng, Route::kLegacy, milliseconds(5));

  const std::vector<ComponentCounts> counts = metrics.components();
  const LatencyHistogram& legacy = counts[kPng].latency[route_index(Route::kLegacy)];
  EXPECT_EQ(legacy.count, 2u);
  EXPECT_EQ(legacy.sum, milliseconds(8));
  EXPECT_EQ(legacy.buckets[latency_bucket_index(milliseconds(3))], 1u);
  EXPECT_EQ(legacy.buckets[latency_bucket_index(milliseconds(5))], 1u);
  EXPECT_EQ(counts[kPng].latency[route_index(Route::kRust)].count, 0u);
  EXPECT_EQ(counts[kBlur].latency[route_index(Route::kLegacy)].count, 0u);
}

TEST(LatencyHistogram, QuantilesStayWithinTheObservedMinAndMax) {
  Metrics metrics(2, 8);
  // One call of 69.7 ms: its bucket spans 65.5..92.7 ms, and interpolating inside it
  // would report a p50 of 79 ms and a p99 of 92 ms, slower than any call made.
  metrics.record_latency(kPng, Route::kRust, microseconds(69'700));
  const LatencyHistogram one = metrics.components()[kPng].latency[route_index(Route::kRust)];
  EXPECT_EQ(one.min, microseconds(69'700));
  EXPECT_EQ(one.max, microseconds(69'700));
  EXPECT_EQ(one.quantile(0.50), microseconds(69'700));
  EXPECT_EQ(one.quantile(0.99), microseconds(69'700));

  metrics.record_latency(kPng, Route::kRust, microseconds(70'000));
  const LatencyHistogram two = metrics.components()[kPng].latency[route_index(Route::kRust)];
  EXPECT_GE(two.quantile(0.01), microseconds(69'700));
  EXPECT_LE(two.quantile(0.99), microseconds(70'000));
}

TEST(LatencyHistogram, MinAndMaxAreKeptAcrossThreadsAndMergeSums) {
  Metrics metrics(2, 8);
  metrics.record_latency(kPng, Route::kRust, milliseconds(4));
  std::thread([&] { metrics.record_latency(kPng, Route::kRust, milliseconds(1)); }).join();
  std::thread([&] { metrics.record_latency(kPng, Route::kRust, milliseconds(9)); }).join();
  const LatencyHistogram h = metrics.components()[kPng].latency[route_index(Route::kRust)];
  EXPECT_EQ(h.count, 3u);
  EXPECT_EQ(h.min, milliseconds(1));
  EXPECT_EQ(h.max, milliseconds(9));

  LatencyHistogram summed = h;
  summed.merge(h);
  EXPECT_EQ(summed.count, 6u);
  EXPECT_EQ(summed.sum, milliseconds(28));
  EXPECT_EQ(summed.min, milliseconds(1));
  EXPECT_EQ(summed.max, milliseconds(9));
}

}  // namespace
}  // namespace switchyard
