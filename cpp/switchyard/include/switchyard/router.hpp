// switchyard::Router — sends each call of a component to legacy or to Rust.
//
// A facade hands the router both implementations, a comparator and the call's size; the
// router reads the published config snapshot (one atomic load), picks a route for the
// component's mode, guards the Rust side with the component's circuit breaker and counts
// what happened:
//
//   Image gaussian_blur(const Image& src, float sigma) {
//     return router.call<Image>(
//         kGaussianBlur,
//         [&] { return legacy::gaussian_blur(src, sigma); },            // T()
//         [&]() -> RustResult<Image> { ... bridge call ... },           // RustResult<T>()
//         [&](const Image& a, const Image& b, std::uint32_t tolerance)  // optional<Mismatch>
//         { return compare_answers(a, b, tolerance); },
//         [&](const Image& out)                                         // std::uint64_t
//         { return src.pixel_count() + out.pixel_count(); });
//   }
//
// Modes: legacy (legacy answers), shadow (legacy answers; a sampled share of calls also
// runs Rust and compares), canary (canary_percent of calls take the rust route, sticky
// per RouteKeyScope key), rust (Rust answers; an error, a panic or an open breaker is
// answered by legacy instead and counted as a fallback by cause).
//
// A slow Rust call — longer than slow_call_ms + slow_call_ns_per_pixel x the pixels it
// reads and writes (slow_call.hpp) — keeps its answer: legacy never runs after Rust has
// answered, since that would only make the caller wait longer. It is counted
// (ComponentCounts::slow_calls) and recorded to the breaker as slow, so a consistently
// slow Rust side opens the breaker through slow_call_rate and calls then go to legacy
// (as resilience4j's slow-call threshold does). There is no per-call deadline. A failed
// Rust call is recorded as a failure only: with no answer its size is unknown, and the
// failure is already the evidence.
//
// An input error (RustFailure::kInputError: the caller's bad argument) is not a Rust
// failure: legacy is asked, so the caller gets exactly legacy's error.
//
// The failpoint switchyard::rust_call fires on the C++ side of every Rust call the router
// makes, inside the window it times: `return(msg)` fails the call as a Rust error would,
// `panic` throws there (an exception around the Rust call: legacy answers), and
// `sleep`/`delay` make it slow. A callback on it (failpoints::configure_callback) runs
// between the router's two readings of its clock, which is how a test on a ManualClock
// makes a Rust call slow without sleeping.
//
// Thread-safe. The legacy route costs one acquire load of the snapshot pointer (a plain
// load on x86), a predictable branch and a thread-local counter bump.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "switchyard/breaker.hpp"
#include "switchyard/catalog.hpp"
#include "switchyard/clock.hpp"
#include "switchyard/config.hpp"
#include "switchyard/failpoint.hpp"
#include "switchyard/metrics.hpp"
#include "switchyard/report.hpp"
#include "switchyard/route_key.hpp"
#include "switchyard/slow_call.hpp"

namespace switchyard {

// How a Rust call failed, as the facade reads the bridge's status.
enum class RustFailure : std::uint8_t {
  kInputError,  // rejected the caller's arguments (legacy will say how)
  kError,       // an error status, an injected fault, an internal error
  kPanic,       // a panic caught at the boundary
};

struct RustError {
  RustFailure kind = RustFailure::kError;
  std::string message;
  // For kInputError: the caller's error in Rust's words (and category), as the exception
  // the facade throws for it. When legacy rejects the input too, this is what the caller
  // gets, so the message names the implementation that answered; empty: legacy's error
  // is thrown.
  std::exception_ptr caller_error;
};

// What a facade's Rust callable returns: Rust's answer, or why there is none.
template <class T>
using RustResult = std::variant<T, RustError>;

// The failpoint switchyard::rust_call (see above).
extern const Failpoint kRustCallFailpoint;

// The route the calling thread's last routed call took (for tests, tracing and logs).
struct Decision {
  ComponentId component = 0;
  Mode mode = Mode::kLegacy;  // the component's mode in the snapshot the call used
  Route route = Route::kLegacy;
  std::optional<FallbackCause> fallback;  // set when legacy answered in Rust's place
  bool slow = false;  // Rust ran slower than its slow-call limit (its answer was kept)
};

struct RouterOptions {
  const Clock* clock = nullptr;  // nullptr: steady_clock()
  // The kill switch: route every component to legacy whatever the config says.
  bool force_legacy = false;
  // Where warnings, reload errors and breaker transitions are reported; nullptr: stderr.
  std::function<void(const std::string&)> log;
  // Apply each config's [failpoints] table to the process's failpoints when it is
  // published (switchyard::failpoints::set_config_layer). Only the program's one main
  // router should; tests of routing alone leave it off.
  bool owns_failpoints = false;
};

class Router {
 public:
  Router(Catalog catalog, Config config, RouterOptions options = {});
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  const Catalog& catalog() const noexcept { return catalog_; }

  // Publishes `config` as one immutable snapshot: calls that already loaded the old one
  // finish on it, every later call sees the new one. Never blocks a call.
  void publish(Config config);
  // A reload that failed: counted, reported, and the running config stays.
  void reject(const std::string& error);

  // The config calls are routed by now. Stays valid for the router's lifetime.
  const Config& config() const noexcept { return current().config; }
  std::uint64_t version() const noexcept { return version_.load(std::memory_order_acquire); }
  BreakerState breaker_state(ComponentId id) const { return breakers_.at(id)->state(); }

  Metrics& metrics() noexcept { return metrics_; }
  Report report() const;

  // The calling thread's last decision (component, mode, route, fallback).
  static Decision last_decision() noexcept { return tls_last_decision_; }

  // Routes one call. `legacy` returns T (or throws the caller's error); `rust` returns
  // RustResult<T>; `compare(legacy_answer, rust_answer, tolerance)` returns a
  // MismatchRecord when they differ beyond the tolerance; `pixels(rust_answer)` returns
  // the call's size for the slow-call limit, the pixels it reads plus those it writes
  // (asked only of a Rust answer that took longer than slow_call_ms; must not throw).
  template <class T, class Legacy, class Rust, class Compare, class Pixels>
  T call(ComponentId id, Legacy&& legacy, Rust&& rust, Compare&& compare, Pixels&& pixels);

  // Routes a call of a component with no Rust port: always legacy, still counted.
  template <class T, class Legacy>
  T call_legacy(ComponentId id, Legacy&& legacy);

 private:
  // Per component, what routing needs from the config, precomputed.
  struct RoutePlan {
    Mode mode = Mode::kLegacy;
    std::uint64_t salt = 0;              // from the name: each component hashes keys apart
    std::uint64_t canary_threshold = 0;  // take Rust when a call's 53-bit hash < this
    std::uint64_t shadow_threshold = 0;  // run the shadow when a call's 53-bit hash < this
    std::uint32_t tolerance = 0;
    SlowCallLimit slow_call;
    bool mismatch_is_failure = false;
  };
  struct Snapshot {
    Config config;
    std::vector<RoutePlan> plans;  // by ComponentId
  };

  const Snapshot& current() const noexcept {
    // Acquire pairs with publish()'s release: the snapshot's contents are visible.
    return *snapshot_.load(std::memory_order_acquire);
  }
  const Snapshot* install(Config config);
  // Applies config.failpoints if this router owns failpoints. Caller holds publish_mutex_.
  void apply_failpoints(const Config& config);
  static bool takes_canary(const RoutePlan& plan) noexcept;
  static bool takes_shadow_sample(const RoutePlan& plan) noexcept;
  static void note(ComponentId id, Mode mode, Route route,
                   std::optional<FallbackCause> fallback = std::nullopt) noexcept {
    tls_last_decision_ = Decision{id, mode, route, fallback};
  }
  void count_fallback(ComponentId id, Mode mode, Route route, FallbackCause cause,
                      const std::string& message);
  // Counts a Rust call slower than `limit` (after note(): it marks the decision slow).
  void count_slow_call(ComponentId id, Duration elapsed, Duration limit);
  Duration since(TimePoint start) const noexcept { return clock_->now() - start; }
  // Runs one step of a call the breaker permitted (the Rust call, or comparing answers).
  // A C++ exception there is the facade's own (std::bad_alloc for an output buffer, say)
  // and says nothing about the Rust kernel: the permit is given back — a half-open trial
  // never recorded would keep the breaker half-open, rejecting Rust, forever — `failure`
  // says what happened, and the caller is answered by legacy.
  template <class Step>
  static auto attempt(CircuitBreaker& breaker, Step&& step, std::string& failure)
      -> std::optional<decltype(step())> {
    try {
      return step();
    } catch (const std::exception& e) {
      failure = e.what();
    } catch (...) {
      failure = "an exception that is not a std::exception";
    }
    breaker.release();
    return std::nullopt;
  }

  // The Rust call, behind switchyard::rust_call.
  template <class T, class Rust>
  static RustResult<T> call_rust(Rust& rust) {
    if (std::optional<std::string> injected = kRustCallFailpoint.fire()) {
      return RustError{RustFailure::kError,
                       std::string(kRustCallFailpoint.name()) + ": injected fault" +
                           (injected->empty() ? std::string() : ": " + *injected),
                       {}};
    }
    return rust();
  }

  template <class T, class Legacy>
  T run_legacy(ComponentId id, Mode mode, Legacy& legacy);
  template <class T, class Legacy, class Rust, class Compare, class Pixels>
  [[gnu::noinline]] T run_routed(ComponentId id, const RoutePlan& plan, Legacy& legacy, Rust& rust,
                                 Compare& compare, Pixels& pixels);
  template <class T, class Legacy>
  [[gnu::noinline]] T timed_legacy(ComponentId id, Legacy& legacy);
  template <class T, class Legacy, class Rust, class Pixels>
  T run_rust(ComponentId id, const RoutePlan& plan, Legacy& legacy, Rust& rust, Pixels& pixels);
  template <class T, class Legacy, class Rust, class Compare, class Pixels>
  T run_shadow(ComponentId id, const RoutePlan& plan, Legacy& legacy, Rust& rust, Compare& compare,
               Pixels& pixels);

  static inline thread_local Decision tls_last_decision_{};

  const Catalog catalog_;
  const Clock* clock_;
  const bool force_legacy_;
  const bool owns_failpoints_;
  std::function<void(const std::string&)> log_;
  Metrics metrics_;
  std::vector<std::unique_ptr<CircuitBreaker>> breakers_;  // by ComponentId
  // The first fallback of each (component, cause) and the first slow call of each
  // component are logged with their message; later ones are only counted, so a failing
  // kernel cannot flood the log.
  std::unique_ptr<std::array<std::atomic<bool>, kFallbackCauseCount>[]> fallback_logged_;
  std::unique_ptr<std::atomic<bool>[]> slow_call_logged_;

  std::atomic<const Snapshot*> snapshot_{nullptr};
  std::atomic<std::uint64_t> version_{0};
  mutable std::mutex publish_mutex_;
  // Every distinct snapshot ever published, kept for the router's lifetime: a call may
  // still be reading one after it is replaced, and keeping them is what lets the call
  // path skip reference counting. A new config equal to an earlier one reuses it, so
  // memory grows only with the number of distinct configs (a few KB each).
  std::vector<std::unique_ptr<const Snapshot>> snapshots_;
  std::string last_reload_error_;
};

// ---------------------------------------------------------------------------------------

template <class T, class Legacy, class Rust, class Compare, class Pixels>
T Router::call(ComponentId id, Legacy&& legacy, Rust&& rust, Compare&& compare, Pixels&& pixels) {
  const RoutePlan& plan = current().plans[id];
  // Legacy first and alone: the route most calls take costs one compare.
  if (__builtin_expect(plan.mode == Mode::kLegacy, 1)) {
    return run_legacy<T>(id, Mode::kLegacy, legacy);
  }
  return run_routed<T>(id, plan, legacy, rust, compare, pixels);
}

template <class T, class Legacy, class Rust, class Compare, class Pixels>
T Router::run_routed(ComponentId id, const RoutePlan& plan, Legacy& legacy, Rust& rust,
                     Compare& compare, Pixels& pixels) {
  switch (plan.mode) {
    case Mode::kShadow:
      return run_shadow<T>(id, plan, legacy, rust, compare, pixels);
    case Mode::kCanary:
      if (takes_canary(plan)) return run_rust<T>(id, plan, legacy, rust, pixels);
      return run_legacy<T>(id, Mode::kCanary, legacy);
    case Mode::kRust:
      return run_rust<T>(id, plan, legacy, rust, pixels);
    case Mode::kLegacy:
      break;
  }
  return run_legacy<T>(id, plan.mode, legacy);
}

template <class T, class Legacy>
T Router::call_legacy(ComponentId id, Legacy&& legacy) {
  return run_legacy<T>(id, Mode::kLegacy, legacy);
}

template <class T, class Legacy>
T Router::run_legacy(ComponentId id, Mode mode, Legacy& legacy) {
  note(id, mode, Route::kLegacy);
  if (__builtin_expect(metrics_.count_legacy_call(id), 0)) return timed_legacy<T>(id, legacy);
  return legacy();
}

template <class T, class Legacy>
T Router::timed_legacy(ComponentId id, Legacy& legacy) {
  const TimePoint start = clock_->now();
  T answer = legacy();
  metrics_.record_latency(id, Route::kLegacy, since(start));
  return answer;
}

template <class T, class Legacy, class Rust, class Pixels>
T Router::run_rust(ComponentId id, const RoutePlan& plan, Legacy& legacy, Rust& rust,
                   Pixels& pixels) {
  const TimePoint start = clock_->now();
  metrics_.count_call(id, Route::kRust);
  note(id, plan.mode, Route::kRust);
  // Every exit records the whole call's latency, fallbacks included: that is what the
  // caller waited.
  auto answered = [&](T&& answer) -> T {
    metrics_.record_latency(id, Route::kRust, since(start));
    return std::move(answer);
  };
  auto fall_back = [&](FallbackCause cause, const std::string& message) -> T {
    count_fallback(id, plan.mode, Route::kRust, cause, message);
    return answered(legacy());
  };

  CircuitBreaker& breaker = *breakers_[id];
  if (!breaker.try_acquire()) return fall_back(FallbackCause::kBreakerOpen, {});

  std::string exception;
  std::optional<RustResult<T>> attempted = attempt(
      breaker, [&] { return call_rust<T>(rust); }, exception);
  if (!attempted)
    return fall_back(FallbackCause::kError, "exception around the Rust call: " + exception);
  RustResult<T>& result = *attempted;
  if (auto* answer = std::get_if<T>(&result)) {
    const Duration elapsed = since(start);
    const std::optional<Duration> limit =
        plan.slow_call.exceeded(elapsed, [&] { return pixels(std::as_const(*answer)); });
    // A slow answer is still the answer: asking legacy now would only add its time to
    // what the caller already waited. The breaker gathers the evidence instead.
    breaker.record(CallResult{false, limit.has_value()});
    if (limit) count_slow_call(id, elapsed, *limit);
    metrics_.record_latency(id, Route::kRust, elapsed);  // Rust answered: no clock read more
    return std::move(*answer);
  }
  RustError& error = std::get<RustError>(result);
  if (error.kind == RustFailure::kInputError) {
    // The caller's error, if legacy agrees: legacy is asked, and when it rejects the
    // input too the caller gets Rust's error (Rust answered this call), else legacy's.
    std::optional<T> legacy_answer;
    try {
      legacy_answer.emplace(legacy());
    } catch (...) {
      breaker.release();
      if (error.caller_error) std::rethrow_exception(error.caller_error);
      throw;
    }
    // Legacy accepted what Rust rejected: a Rust defect, not the caller's.
    breaker.record(CallResult{true, false});
    count_fallback(id, plan.mode, Route::kRust, FallbackCause::kError,
                   "Rust rejected an input legacy accepts: " + error.message);
    return answered(std::move(*legacy_answer));
  }
  breaker.record(CallResult{true, false});
  return fall_back(
      error.kind == RustFailure::kPanic ? FallbackCause::kPanic : FallbackCause::kError,
      error.message);
}

template <class T, class Legacy, class Rust, class Compare, class Pixels>
T Router::run_shadow(ComponentId id, const RoutePlan& plan, Legacy& legacy, Rust& rust,
                     Compare& compare, Pixels& pixels) {
  const TimePoint start = clock_->now();
  metrics_.count_call(id, Route::kShadow);
  note(id, Mode::kShadow, Route::kShadow);
  T answer = legacy();
  auto answered = [&]() -> T {
    metrics_.record_latency(id, Route::kShadow, since(start));
    return std::move(answer);
  };
  if (!takes_shadow_sample(plan)) return answered();

  CircuitBreaker& breaker = *breakers_[id];
  if (!breaker.try_acquire()) {
    count_fallback(id, Mode::kShadow, Route::kShadow, FallbackCause::kBreakerOpen, {});
    return answered();
  }
  const TimePoint rust_start = clock_->now();
  std::string exception;
  std::optional<RustResult<T>> attempted = attempt(
      breaker, [&] { return call_rust<T>(rust); }, exception);
  if (!attempted) {
    count_fallback(id, Mode::kShadow, Route::kShadow, FallbackCause::kError,
                   "exception around the Rust call: " + exception);
    return answered();
  }
  RustResult<T>& result = *attempted;
  if (auto* rust_answer = std::get_if<T>(&result)) {
    const Duration rust_elapsed = since(rust_start);
    const std::optional<Duration> limit =
        plan.slow_call.exceeded(rust_elapsed, [&] { return pixels(std::as_const(*rust_answer)); });
    std::optional<std::optional<MismatchRecord>> compared = attempt(
        breaker, [&] { return compare(answer, *rust_answer, plan.tolerance); }, exception);
    if (!compared) {
      count_fallback(id, Mode::kShadow, Route::kShadow, FallbackCause::kError,
                     "comparing the answers failed: " + exception);
      return answered();
    }
    std::optional<MismatchRecord>& mismatch = *compared;
    breaker.record(CallResult{mismatch.has_value() && plan.mismatch_is_failure, limit.has_value()});
    if (mismatch) {
      mismatch->when = std::chrono::system_clock::now();
      const std::string message = "output differs from legacy's by up to " +
                                  std::to_string(mismatch->max_difference) + " (input " +
                                  mismatch->input_digest + ")";
      metrics_.record_mismatch(id, std::move(*mismatch));
      count_fallback(id, Mode::kShadow, Route::kShadow, FallbackCause::kMismatch, message);
    }
    if (limit) count_slow_call(id, rust_elapsed, *limit);
    return answered();
  }
  // Legacy accepted this input, so a Rust rejection of it is a Rust failure too.
  const RustError& error = std::get<RustError>(result);
  breaker.record(CallResult{true, false});
  count_fallback(id, Mode::kShadow, Route::kShadow,
                 error.kind == RustFailure::kPanic ? FallbackCause::kPanic : FallbackCause::kError,
                 error.message);
  return answered();
}

}  // namespace switchyard
