// switchyard::Metrics — what each component's calls did, counted without contention.
//
// Per component: calls by route, fallbacks by cause, slow Rust calls, shadow mismatches
// (with a bounded log of the most recent ones), breaker transitions and latency
// histograms per route; plus config reloads. Reports (report.hpp) export them as Prometheus text
// and JSON.
//
// The call path never takes a lock and never writes a cache line another thread
// writes: every thread owns a shard of counters, which only it writes (a relaxed load
// and store, no read-modify-write) and which readers sum. A thread's shard outlives
// the thread and is handed to the next new thread, so no count is ever lost.
//
//   metrics.count_call(id, Route::kRust);
//   metrics.record_latency(id, Route::kRust, elapsed);
//   std::vector<ComponentCounts> now = metrics.components();
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "switchyard/breaker.hpp"
#include "switchyard/catalog.hpp"
#include "switchyard/clock.hpp"

namespace switchyard {

// The route a call took.
enum class Route : std::uint8_t {
  kLegacy,  // legacy answered, Rust was not asked
  kRust,    // Rust was asked to answer (a fallback may still have answered)
  kShadow,  // legacy answered; Rust may have run beside it to be compared
};
inline constexpr std::size_t kRouteCount = 3;
std::string_view to_string(Route route) noexcept;  // "legacy", "rust", "shadow"

// Why legacy answered a call that wanted Rust's answer. A slow Rust call is not one of
// them: its answer is kept (it is counted apart, and feeds the breaker's slow-call rate).
enum class FallbackCause : std::uint8_t { kError, kPanic, kMismatch, kBreakerOpen };
inline constexpr std::size_t kFallbackCauseCount = 4;
std::string_view to_string(FallbackCause cause) noexcept;  // "error", ..., "breaker_open"

// What disagreed in a mismatch.
enum class MismatchKind : std::uint8_t {
  kValue,  // both answered, and the answers differ beyond the tolerance
  kError,  // legacy rejected the input and Rust answered it, or rejected it differently
};
std::string_view to_string(MismatchKind kind) noexcept;  // "value", "error"

// One shadow comparison that failed.
struct MismatchRecord {
  MismatchKind kind = MismatchKind::kValue;
  std::string input_digest;  // 16 hex digits: a 64-bit hash of the input's bytes
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::uint32_t channels = 0;
  // The first differing sample, in row-major order.
  std::uint32_t x = 0;
  std::uint32_t y = 0;
  std::uint32_t channel = 0;
  std::uint32_t max_difference = 0;  // over every sample
  std::string detail;                // e.g. why outputs could not be compared at all
  // For an error mismatch: each side's error category (the caller's error kinds, e.g.
  // "invalid_argument"; "answered" when that side answered; "failed" when Rust failed
  // without naming a category) and legacy's message.
  std::string legacy_error;
  std::string rust_error;
  // The file the call's input was captured to (capture.hpp), empty when not captured.
  std::string capture;
  std::chrono::system_clock::time_point when{};
};

// Latency buckets: upper bounds grow by sqrt(2) from 1 microsecond; the last is +Inf.
inline constexpr std::size_t kLatencyBucketCount = 48;
// The upper bound of bucket `index`; Duration::max() for the last.
Duration latency_bucket_bound(std::size_t index) noexcept;
std::size_t latency_bucket_index(Duration latency) noexcept;

struct LatencyHistogram {
  std::array<std::uint64_t, kLatencyBucketCount> buckets{};
  std::uint64_t count = 0;
  Duration sum{0};
  Duration min{0};  // the fastest and slowest call recorded; zero when empty
  Duration max{0};

  // The q-quantile (0 < q < 1), interpolated inside its bucket and kept within the
  // observed [min, max] (a bucket spans a factor of sqrt(2): one call of 70 ms is reported
  // as 70 ms, not as its bucket's midpoint); zero when empty.
  Duration quantile(double q) const noexcept;
  // Adds another histogram's calls (runs summed into one report).
  void merge(const LatencyHistogram& other) noexcept;
};

struct ComponentCounts {
  std::array<std::uint64_t, kRouteCount> calls{};
  std::array<std::uint64_t, kFallbackCauseCount> fallbacks{};
  // Rust calls (rust or shadow route) slower than the component's slow-call limit;
  // their answers were kept.
  std::uint64_t slow_calls = 0;
  std::uint64_t mismatches = 0;        // value mismatches
  std::uint64_t error_mismatches = 0;  // legacy rejected the input; Rust did not agree
  // Mismatching inputs written to the capture folder, and those not written (folder
  // full, over its size cap, unwritable, or the writer's queue full).
  std::uint64_t captures_written = 0;
  std::uint64_t captures_dropped = 0;
  // By route. kShadow times whole shadow calls; kLegacy and kRust time each
  // implementation's own work: its route's calls and its half of each shadow call (so
  // a histogram's count may exceed its route's calls).
  std::array<LatencyHistogram, kRouteCount> latency{};
  // transitions[from][to], indexed by BreakerState.
  std::array<std::array<std::uint64_t, kBreakerStateCount>, kBreakerStateCount> transitions{};
  std::vector<MismatchRecord> recent_mismatches;  // oldest first
};

class Metrics {
 public:
  // Legacy-route latency is timed on one call in this many per thread: reading a clock
  // costs ~20 ns, twenty times the legacy route's routing budget. Rust and shadow
  // routes are timed on every call (slow-call detection needs it).
  static constexpr std::uint32_t kLegacyLatencySampleEvery = 64;

  Metrics(std::size_t component_count, std::size_t mismatch_log_size);
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  void count_call(ComponentId id, Route route) noexcept {
    bump(local_counter(id, route_slot(route)));
  }
  // Counts a legacy-route call; true when this one should be timed too: this thread's
  // first legacy call of the component, then one in kLegacyLatencySampleEvery. The
  // decision reuses the count, so the legacy route updates one word per call.
  bool count_legacy_call(ComponentId id) noexcept {
    std::atomic<std::uint64_t>& counter = local_counter(id, route_slot(Route::kLegacy));
    const std::uint64_t count = counter.load(std::memory_order_relaxed) + 1;
    counter.store(count, std::memory_order_relaxed);
    return count % kLegacyLatencySampleEvery == 1;
  }
  void record_latency(ComponentId id, Route route, Duration latency) noexcept;
  void count_fallback(ComponentId id, FallbackCause cause) noexcept {
    bump(local_counter(id, fallback_slot(cause)));
  }
  void count_slow_call(ComponentId id) noexcept { bump(local_counter(id, kSlowCallSlot)); }
  // Counts a mismatch of either kind and keeps it in the component's recent log.
  void record_mismatch(ComponentId id, MismatchRecord record);
  void count_capture(ComponentId id, bool written) noexcept;
  void count_transition(ComponentId id, BreakerState from, BreakerState to) noexcept;
  void count_reload(bool ok) noexcept;
  void set_mismatch_log_size(std::size_t size);

  // Sums over every thread's shard. Counts a thread is writing at the same moment may
  // or may not be included; none is ever lost.
  std::vector<ComponentCounts> components() const;
  struct Reloads {
    std::uint64_t ok = 0;
    std::uint64_t failed = 0;
  };
  Reloads reloads() const noexcept;

 private:
  // Per component: calls by route, fallbacks by cause, slow calls, then per route the
  // latency buckets, the latency sum in nanoseconds, the largest latency and the
  // smallest one stored as its complement (~ns), so that both keep the larger value and
  // an untouched slot (0) means "none".
  static constexpr std::size_t kSumSlot = kLatencyBucketCount;
  static constexpr std::size_t kMaxSlot = kLatencyBucketCount + 1;
  static constexpr std::size_t kMinComplementSlot = kLatencyBucketCount + 2;
  static constexpr std::size_t kLatencySlots = kLatencyBucketCount + 3;
  static constexpr std::size_t kSlowCallSlot = kRouteCount + kFallbackCauseCount;
  static constexpr std::size_t kFirstLatencySlot = kSlowCallSlot + 1;
  static constexpr std::size_t kSlotsPerComponent = kFirstLatencySlot + kRouteCount * kLatencySlots;
  static constexpr std::size_t route_slot(Route route) { return static_cast<std::size_t>(route); }
  static constexpr std::size_t fallback_slot(FallbackCause cause) {
    return kRouteCount + static_cast<std::size_t>(cause);
  }
  static constexpr std::size_t latency_slot(Route route, std::size_t bucket) {
    return kFirstLatencySlot + static_cast<std::size_t>(route) * kLatencySlots + bucket;
  }

  // Frees a shard's counters, which are allocated on whole cache lines of their own so
  // that no other shard's counters share a line with them.
  struct CacheLineArrayDelete {
    void operator()(std::atomic<std::uint64_t>* counters) const noexcept;
  };

  struct alignas(64) Shard {
    explicit Shard(std::size_t slot_count);
    std::atomic<std::uint64_t>& counter(ComponentId id, std::size_t slot) noexcept {
      return counters[id * kSlotsPerComponent + slot];
    }
    std::unique_ptr<std::atomic<std::uint64_t>[], CacheLineArrayDelete> counters;
    std::atomic<bool> in_use{true};
  };
  // The shards a thread holds, one per Metrics it has counted into (metrics.cpp).
  struct ThreadShards;

  // Which shard this thread writes for which Metrics. Constant-initialized, so reading
  // it is a plain thread-local load with no initialization guard. An aggregate without
  // default member initializers: a nested class's are not usable in its enclosing class's
  // own static member initializer, and `{}` zeroes both members anyway.
  struct ShardCache {
    std::uint64_t owner;                   // Metrics::id_; 0 never names a Metrics
    std::atomic<std::uint64_t>* counters;  // the shard's, cached: one load fewer per count
  };
  static inline thread_local ShardCache tls_shard_cache_{};

  // Only the owning thread writes a shard's counters, so an increment is a load and a
  // store; atomics keep the concurrent readers well-defined.
  static void bump(std::atomic<std::uint64_t>& counter, std::uint64_t by = 1) noexcept {
    counter.store(counter.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
  }
  static void raise(std::atomic<std::uint64_t>& counter, std::uint64_t to) noexcept {
    if (to > counter.load(std::memory_order_relaxed)) counter.store(to, std::memory_order_relaxed);
  }
  std::atomic<std::uint64_t>& local_counter(ComponentId id, std::size_t slot) noexcept {
    const ShardCache& cache = tls_shard_cache_;
    if (__builtin_expect(cache.owner == id_, 1)) {
      return cache.counters[id * kSlotsPerComponent + slot];
    }
    return attach_shard().counter(id, slot);
  }
  Shard& attach_shard() noexcept;

  const std::uint64_t id_;
  const std::size_t component_count_;

  mutable std::mutex shards_mutex_;
  std::vector<std::shared_ptr<Shard>> shards_;

  // Rare events: plain atomics and a lock.
  std::unique_ptr<std::atomic<std::uint64_t>[]> transitions_;
  std::atomic<std::uint64_t> reloads_ok_{0};
  std::atomic<std::uint64_t> reloads_failed_{0};
  mutable std::mutex mismatch_mutex_;
  std::size_t mismatch_log_size_;
  struct MismatchTotals {
    std::uint64_t value = 0;
    std::uint64_t error = 0;
    std::uint64_t captures_written = 0;
    std::uint64_t captures_dropped = 0;
  };
  std::vector<MismatchTotals> mismatch_totals_;
  std::vector<std::deque<MismatchRecord>> mismatch_logs_;
};

}  // namespace switchyard
