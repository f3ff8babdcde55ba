#include "switchyard/metrics.hpp"

#include <algorithm>
#include <cstddef>
#include <new>
#include <utility>

namespace switchyard {

std::string_view to_string(Route route) noexcept {
  switch (route) {
    case Route::kLegacy:
      return "legacy";
    case Route::kRust:
      return "rust";
    case Route::kShadow:
      return "shadow";
  }
  return "unknown";
}

std::string_view to_string(FallbackCause cause) noexcept {
  switch (cause) {
    case FallbackCause::kError:
      return "error";
    case FallbackCause::kPanic:
      return "panic";
    case FallbackCause::kMismatch:
      return "mismatch";
    case FallbackCause::kBreakerOpen:
      return "breaker_open";
  }
  return "unknown";
}

std::string_view to_string(MismatchKind kind) noexcept {
  return kind == MismatchKind::kError ? "error" : "value";
}

namespace {

using FiniteBounds = std::array<std::int64_t, kLatencyBucketCount - 1>;

// Computed at compile time so that finding a bucket is a binary search over a table
// with no initialization guard in front of it.
constexpr FiniteBounds make_finite_bounds() {
  constexpr double kSqrt2 = 1.4142135623730951;
  constexpr double kFirstBoundNs = 1000.0;
  FiniteBounds bounds{};
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    // Even steps are exact powers of two; only odd ones carry sqrt(2)'s rounding.
    const double exact = kFirstBoundNs * static_cast<double>(std::uint64_t{1} << (i / 2)) *
                         (i % 2 == 0 ? 1.0 : kSqrt2);
    bounds[i] = static_cast<std::int64_t>(exact + 0.5);
  }
  return bounds;
}

constexpr FiniteBounds kFiniteBounds = make_finite_bounds();

std::atomic<std::uint64_t> next_metrics_id{0};

}  // namespace

Duration latency_bucket_bound(std::size_t index) noexcept {
  if (index >= kFiniteBounds.size()) return Duration::max();
  return Duration(kFiniteBounds[index]);
}

std::size_t latency_bucket_index(Duration latency) noexcept {
  const auto* first = std::lower_bound(kFiniteBounds.begin(), kFiniteBounds.end(), latency.count());
  return static_cast<std::size_t>(first - kFiniteBounds.begin());
}

namespace {

// The q-quantile from the buckets alone, interpolated inside its bucket.
Duration bucket_quantile(const LatencyHistogram& histogram, double q) noexcept {
  const auto& buckets = histogram.buckets;
  std::uint64_t total = 0;
  for (std::uint64_t bucket : buckets) total += bucket;
  if (total == 0) return Duration(0);
  const double rank = std::clamp(q, 0.0, 1.0) * static_cast<double>(total);

  std::uint64_t below = 0;
  for (std::size_t i = 0; i < kLatencyBucketCount; ++i) {
    if (buckets[i] == 0) continue;
    const std::uint64_t through = below + buckets[i];
    if (static_cast<double>(through) >= rank) {
      const double lower = i == 0 ? 0.0 : static_cast<double>(kFiniteBounds[i - 1]);
      // Nothing is known about how far past its lower bound a +Inf sample went.
      if (i + 1 == kLatencyBucketCount) return Duration(static_cast<std::int64_t>(lower));
      const double upper = static_cast<double>(kFiniteBounds[i]);
      const double fraction = std::clamp(
          (rank - static_cast<double>(below)) / static_cast<double>(buckets[i]), 0.0, 1.0);
      return Duration(static_cast<std::int64_t>(lower + (upper - lower) * fraction + 0.5));
    }
    below = through;
  }
  return Duration(0);  // not reached: rank <= total, which the last non-empty bucket reaches
}

}  // namespace

Duration LatencyHistogram::quantile(double q) const noexcept {
  const Duration estimate = bucket_quantile(*this, q);
  // A histogram summed from counts alone (no recorded extremes) keeps the estimate.
  if (count == 0 || max <= Duration(0) || max < min) return estimate;
  return std::clamp(estimate, min, max);
}

void LatencyHistogram::merge(const LatencyHistogram& other) noexcept {
  if (other.count == 0) return;
  min = count == 0 ? other.min : std::min(min, other.min);
  max = count == 0 ? other.max : std::max(max, other.max);
  for (std::size_t i = 0; i < kLatencyBucketCount; ++i) buckets[i] += other.buckets[i];
  count += other.count;
  sum += other.sum;
}

void Metrics::CacheLineArrayDelete::operator()(
    std::atomic<std::uint64_t>* counters) const noexcept {
  // std::atomic<std::uint64_t> is trivially destructible: only the storage is freed.
  ::operator delete[](counters, std::align_val_t{64});
}

Metrics::Shard::Shard(std::size_t slot_count) {
  constexpr std::size_t kPerLine = 64 / sizeof(std::atomic<std::uint64_t>);
  const std::size_t padded = (slot_count + kPerLine - 1) / kPerLine * kPerLine;
  void* storage =
      ::operator new[](padded * sizeof(std::atomic<std::uint64_t>), std::align_val_t{64});
  auto* first = static_cast<std::atomic<std::uint64_t>*>(storage);
  for (std::size_t i = 0; i < padded; ++i) new (first + i) std::atomic<std::uint64_t>(0);
  counters.reset(first);
}

// One per thread. When the thread exits, its shards are handed on (in_use = false) to
// the next thread that attaches; the shared_ptrs keep a shard alive when its Metrics
// died first.
struct Metrics::ThreadShards {
  struct Held {
    std::uint64_t owner;  // Metrics::id_
    std::shared_ptr<Shard> shard;
  };
  std::vector<Held> held;

  // Set once the thread's ThreadShards is destroyed, so that a count made later during
  // the thread's exit (from another thread_local's destructor) does not touch it.
  static inline thread_local bool gone = false;

  ThreadShards() = default;
  ThreadShards(const ThreadShards&) = delete;
  ThreadShards& operator=(const ThreadShards&) = delete;
  ~ThreadShards() {
    gone = true;
    tls_shard_cache_ = {};
    for (Held& entry : held) entry.shard->in_use.store(false, std::memory_order_release);
  }

  Shard* find(std::uint64_t owner) const noexcept {
    for (const Held& entry : held) {
      if (entry.owner == owner) return entry.shard.get();
    }
    return nullptr;
  }

  // Drops the shards of destroyed Metrics: once its Metrics is gone, this thread holds
  // the only reference to a shard it is using, and nobody can take another.
  void forget_dead() {
    held.erase(std::remove_if(held.begin(), held.end(),
                              [](const Held& entry) { return entry.shard.use_count() == 1; }),
               held.end());
  }
};

Metrics::Metrics(std::size_t component_count, std::size_t mismatch_log_size)
    // Never reused, so a thread's cached shard of a destroyed Metrics cannot match a new
    // Metrics that happens to live at the same address.
    : id_(next_metrics_id.fetch_add(1, std::memory_order_relaxed) + 1),
      component_count_(component_count),
      transitions_(std::make_unique<std::atomic<std::uint64_t>[]>(
          component_count * kBreakerStateCount * kBreakerStateCount)),
      mismatch_log_size_(mismatch_log_size),
      mismatch_totals_(component_count),
      mismatch_logs_(component_count) {}

Metrics::~Metrics() = default;

// noexcept: failing to allocate a shard or its bookkeeping terminates the program. The
// call path has no way to report an error, and a process that cannot allocate a few
// kilobytes has bigger problems than its metrics.
Metrics::Shard& Metrics::attach_shard() noexcept {
  if (ThreadShards::gone) {
    // This thread is exiting and can no longer hand a shard on: it gets one of its own
    // that is never reused, so its last counts are neither lost nor raced.
    auto shard = std::make_shared<Shard>(component_count_ * kSlotsPerComponent);
    {
      std::lock_guard<std::mutex> lock(shards_mutex_);
      shards_.push_back(shard);
    }
    tls_shard_cache_ = {id_, shard->counters.get()};
    return *shard;
  }

  static thread_local ThreadShards thread_shards;
  Shard* shard = thread_shards.find(id_);
  if (shard == nullptr) {
    thread_shards.forget_dead();
    std::shared_ptr<Shard> attached;
    {
      std::lock_guard<std::mutex> lock(shards_mutex_);
      for (const std::shared_ptr<Shard>& candidate : shards_) {
        bool in_use = false;
        // Acquire: see every count the exited owner stored before letting go.
        if (candidate->in_use.compare_exchange_strong(in_use, true, std::memory_order_acquire,
                                                      std::memory_order_relaxed)) {
          attached = candidate;
          break;
        }
      }
      if (!attached) {
        attached = std::make_shared<Shard>(component_count_ * kSlotsPerComponent);
        shards_.push_back(attached);
      }
    }
    shard = attached.get();
    thread_shards.held.push_back({id_, std::move(attached)});
  }
  tls_shard_cache_ = {id_, shard->counters.get()};
  return *shard;
}

void Metrics::record_latency(ComponentId id, Route route, Duration latency) noexcept {
  bump(local_counter(id, latency_slot(route, latency_bucket_index(latency))));
  const auto nanoseconds = static_cast<std::uint64_t>(std::max<Duration::rep>(latency.count(), 0));
  bump(local_counter(id, latency_slot(route, kSumSlot)), nanoseconds);
  raise(local_counter(id, latency_slot(route, kMaxSlot)), nanoseconds);
  raise(local_counter(id, latency_slot(route, kMinComplementSlot)), ~nanoseconds);
}

void Metrics::record_mismatch(ComponentId id, MismatchRecord record) {
  std::lock_guard<std::mutex> lock(mismatch_mutex_);
  MismatchTotals& totals = mismatch_totals_.at(id);
  ++(record.kind == MismatchKind::kError ? totals.error : totals.value);
  std::deque<MismatchRecord>& log = mismatch_logs_[id];
  log.push_back(std::move(record));
  while (log.size() > mismatch_log_size_) log.pop_front();
}

void Metrics::count_capture(ComponentId id, bool written) noexcept {
  std::lock_guard<std::mutex> lock(mismatch_mutex_);
  MismatchTotals& totals = mismatch_totals_[id];
  ++(written ? totals.captures_written : totals.captures_dropped);
}

void Metrics::set_mismatch_log_size(std::size_t size) {
  std::lock_guard<std::mutex> lock(mismatch_mutex_);
  mismatch_log_size_ = size;
  for (std::deque<MismatchRecord>& log : mismatch_logs_) {
    while (log.size() > mismatch_log_size_) log.pop_front();
  }
}

void Metrics::count_transition(ComponentId id, BreakerState from, BreakerState to) noexcept {
  const std::size_t index =
      (id * kBreakerStateCount + static_cast<std::size_t>(from)) * kBreakerStateCount +
      static_cast<std::size_t>(to);
  transitions_[index].fetch_add(1, std::memory_order_relaxed);
}

void Metrics::count_reload(bool ok) noexcept {
  (ok ? reloads_ok_ : reloads_failed_).fetch_add(1, std::memory_order_relaxed);
}

Metrics::Reloads Metrics::reloads() const noexcept {
  return {reloads_ok_.load(std::memory_order_relaxed),
          reloads_failed_.load(std::memory_order_relaxed)};
}

std::vector<ComponentCounts> Metrics::components() const {
  std::vector<ComponentCounts> result(component_count_);
  {
    std::lock_guard<std::mutex> lock(shards_mutex_);
    for (const std::shared_ptr<Shard>& shard : shards_) {
      for (std::size_t id = 0; id < component_count_; ++id) {
        ComponentCounts& counts = result[id];
        const auto slot = [&](std::size_t index) {
          return shard->counter(static_cast<ComponentId>(id), index)
              .load(std::memory_order_relaxed);
        };
        for (std::size_t r = 0; r < kRouteCount; ++r) {
          counts.calls[r] += slot(route_slot(static_cast<Route>(r)));
          LatencyHistogram& histogram = counts.latency[r];
          LatencyHistogram shard_part;
          for (std::size_t b = 0; b < kLatencyBucketCount; ++b) {
            shard_part.buckets[b] = slot(latency_slot(static_cast<Route>(r), b));
            shard_part.count += shard_part.buckets[b];
          }
          shard_part.sum = Duration(
              static_cast<Duration::rep>(slot(latency_slot(static_cast<Route>(r), kSumSlot))));
          shard_part.max = Duration(
              static_cast<Duration::rep>(slot(latency_slot(static_cast<Route>(r), kMaxSlot))));
          shard_part.min = Duration(static_cast<Duration::rep>(
              ~slot(latency_slot(static_cast<Route>(r), kMinComplementSlot))));
          histogram.merge(shard_part);
        }
        for (std::size_t c = 0; c < kFallbackCauseCount; ++c) {
          counts.fallbacks[c] += slot(fallback_slot(static_cast<FallbackCause>(c)));
        }
        counts.slow_calls += slot(kSlowCallSlot);
      }
    }
  }

  for (std::size_t id = 0; id < component_count_; ++id) {
    for (std::size_t from = 0; from < kBreakerStateCount; ++from) {
      for (std::size_t to = 0; to < kBreakerStateCount; ++to) {
        result[id].transitions[from][to] =
            transitions_[(id * kBreakerStateCount + from) * kBreakerStateCount + to].load(
                std::memory_order_relaxed);
      }
    }
  }

  std::lock_guard<std::mutex> lock(mismatch_mutex_);
  for (std::size_t id = 0; id < component_count_; ++id) {
    const MismatchTotals& totals = mismatch_totals_[id];
    result[id].mismatches = totals.value;
    result[id].error_mismatches = totals.error;
    result[id].captures_written = totals.captures_written;
    result[id].captures_dropped = totals.captures_dropped;
    result[id].recent_mismatches.assign(mismatch_logs_[id].begin(), mismatch_logs_[id].end());
  }
  return result;
}

}  // namespace switchyard
