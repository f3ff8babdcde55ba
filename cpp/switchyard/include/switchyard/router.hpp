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
// Error parity: an input legacy rejects is evidence too. In shadow mode, and on canary's
// legacy route, a sampled call that legacy rejects also runs Rust on the same input; in
// rust mode an input both reject has both errors at hand. When Rust answers what legacy
// rejected, or rejects it with another error category (RouterOptions::error_category),
// the call is an error mismatch (ComponentCounts::error_mismatches, recorded like a value
// mismatch); the caller still gets legacy's error.
//
// Captures: with [switchyard] capture_dir set, the input of every mismatching call (value
// or error) is written to that folder (switchyard/capture.hpp), as the facade describes
// it through the call's CallInput (below), off the call path and within the folder's
// bounds.
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
#include "switchyard/capture.hpp"
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

// What a facade tells the router of a call's input, passed as call()'s last argument: an
// object with
//   void describe(MismatchRecord&) const;   // fills the input's digest and shape
//   std::optional<CapturedCall> capture(std::uint64_t max_payload_bytes) const;
//                                          // the call for a capture file; nullopt when
//                                          // its input is larger than max_payload_bytes
// A call without one (the five-argument call()) is described by its comparator alone and
// cannot be captured.
struct NoCallInput {
  void describe(MismatchRecord& /*record*/) const noexcept {}
  std::optional<CapturedCall> capture(std::uint64_t /*max_payload_bytes*/) const {
    return std::nullopt;
  }
};

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
  // Called from every thread that calls the router and from its capture writer's thread,
  // so it must be safe to call concurrently.
  std::function<void(const std::string&)> log;
  // Apply each config's [failpoints] table to the process's failpoints when it is
  // published (switchyard::failpoints::set_config_layer). Only the program's one main
  // router should; tests of routing alone leave it off.
  bool owns_failpoints = false;
  // Names the category of a caller's error: an exception legacy threw, or a Rust input
  // error's RustError::caller_error. Error parity compares these names. nullptr: every
  // exception is "error" (then only answering what legacy rejects is a mismatch).
  std::function<std::string(const std::exception_ptr&)> error_category;
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
  // Blocks until every queued capture is written or dropped (a program about to exit).
  void flush_captures() { captures_->flush(); }

  // The calling thread's last decision (component, mode, route, fallback).
  static Decision last_decision() noexcept { return tls_last_decision_; }

  // Routes one call. `legacy` returns T (or throws the caller's error); `rust` returns
  // RustResult<T>; `compare(legacy_answer, rust_answer, tolerance)` returns a
  // MismatchRecord when they differ beyond the tolerance; `pixels(rust_answer)` returns
  // the call's size for the slow-call limit, the pixels it reads plus those it writes
  // (asked only of a Rust answer that took longer than slow_call_ms; must not throw).
  template <class T, class Legacy, class Rust, class Compare, class Pixels>
  T call(ComponentId id, Legacy&& legacy, Rust&& rust, Compare&& compare, Pixels&& pixels) {
    return call<T>(id, legacy, rust, compare, pixels, NoCallInput{});
  }
  // The same, with the call's input described for mismatch records and captures.
  template <class T, class Legacy, class Rust, class Compare, class Pixels, class Input>
  T call(ComponentId id, Legacy&& legacy, Rust&& rust, Compare&& compare, Pixels&& pixels,
         const Input& input);

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
  std::string category_of(const std::exception_ptr& error) const;
  // Legacy rejected an input (legacy_error) and Rust answered it (rust_error nullptr) or
  // failed on it: the error mismatch, if the two do not agree. A Rust failure that is not
  // an input error is counted as a fallback of `route` as well.
  std::optional<MismatchRecord> compare_rejections(ComponentId id, Mode mode, Route route,
                                                   const std::exception_ptr& legacy_error,
                                                   const RustError* rust_error);
  // Counts a mismatch and keeps it, capturing the call's input when capture_dir is set.
  template <class Input>
  void keep_mismatch(ComponentId id, const Input& input, MismatchRecord record) noexcept;
  // Legacy's answer; when legacy rejects the input, a sampled call asks Rust too (error
  // parity) before legacy's error reaches the caller.
  template <class T, class Legacy, class Rust, class Input>
  T legacy_checked(ComponentId id, const RoutePlan& plan, Legacy& legacy, Rust& rust,
                   const Input& input);
  template <class T, class Rust, class Input>
  void check_rejection(ComponentId id, const RoutePlan& plan, Rust& rust, const Input& input,
                       const std::exception_ptr& legacy_error) noexcept;
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
  template <class T, class Legacy, class Rust, class Compare, class Pixels, class Input>
  [[gnu::noinline]] T run_routed(ComponentId id, const RoutePlan& plan, Legacy& legacy, Rust& rust,
                                 Compare& compare, Pixels& pixels, const Input& input);
  template <class T, class Legacy>
  [[gnu::noinline]] T timed_legacy(ComponentId id, Legacy& legacy);
  template <class T, class Legacy, class Rust, class Pixels, class Input>
  T run_rust(ComponentId id, const RoutePlan& plan, Legacy& legacy, Rust& rust, Pixels& pixels,
             const Input& input);
  template <class T, class Legacy, class Rust, class Compare, class Pixels, class Input>
  T run_shadow(ComponentId id, const RoutePlan& plan, Legacy& legacy, Rust& rust, Compare& compare,
               Pixels& pixels, const Input& input);

  static inline thread_local Decision tls_last_decision_{};

  const Catalog catalog_;
  const Clock* clock_;
  const bool force_legacy_;
  const bool owns_failpoints_;
  std::function<void(const std::string&)> log_;
  std::function<std::string(const std::exception_ptr&)> error_category_;
  Metrics metrics_;
  std::unique_ptr<CaptureWriter> captures_;
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

template <class T, class Legacy, class Rust, class Compare, class Pixels, class Input>
T Router::call(ComponentId id, Legacy&& legacy, Rust&& rust, Compare&& compare, Pixels&& pixels,
               const Input& input) {
  const RoutePlan& plan = current().plans[id];
  // Legacy first and alone: the route most calls take costs one compare.
  if (__builtin_expect(plan.mode == Mode::kLegacy, 1)) {
    return run_legacy<T>(id, Mode::kLegacy, legacy);
  }
  return run_routed<T>(id, plan, legacy, rust, compare, pixels, input);
}

template <class T, class Legacy, class Rust, class Compare, class Pixels, class Input>
T Router::run_routed(ComponentId id, const RoutePlan& plan, Legacy& legacy, Rust& rust,
                     Compare& compare, Pixels& pixels, const Input& input) {
  switch (plan.mode) {
    case Mode::kShadow:
      return run_shadow<T>(id, plan, legacy, rust, compare, pixels, input);
    case Mode::kCanary: {
      if (takes_canary(plan)) return run_rust<T>(id, plan, legacy, rust, pixels, input);
      auto checked = [&]() -> T { return legacy_checked<T>(id, plan, legacy, rust, input); };
      return run_legacy<T>(id, Mode::kCanary, checked);
    }
    case Mode::kRust:
      return run_rust<T>(id, plan, legacy, rust, pixels, input);
    case Mode::kLegacy:
      break;
  }
  return run_legacy<T>(id, plan.mode, legacy);
}

template <class T, class Legacy, class Rust, class Input>
T Router::legacy_checked(ComponentId id, const RoutePlan& plan, Legacy& legacy, Rust& rust,
                         const Input& input) {
  try {
    return legacy();
  } catch (...) {
    check_rejection<T>(id, plan, rust, input, std::current_exception());
    throw;
  }
}

template <class T, class Rust, class Input>
void Router::check_rejection(ComponentId id, const RoutePlan& plan, Rust& rust, const Input& input,
                             const std::exception_ptr& legacy_error) noexcept {
  if (!takes_shadow_sample(plan)) return;
  try {
    CircuitBreaker& breaker = *breakers_[id];
    if (!breaker.try_acquire()) return;
    std::string exception;
    std::optional<RustResult<T>> attempted = attempt(
        breaker, [&] { return call_rust<T>(rust); }, exception);
    if (!attempted) return;  // the facade's own exception: nothing learnt of Rust
    const RustError* error = std::get_if<RustError>(&*attempted);
    const Route route = plan.mode == Mode::kShadow ? Route::kShadow : Route::kLegacy;
    std::optional<MismatchRecord> mismatch =
        compare_rejections(id, plan.mode, route, legacy_error, error);
    const bool rust_failed = error != nullptr && error->kind != RustFailure::kInputError;
    breaker.record(
        CallResult{rust_failed || (mismatch.has_value() && plan.mismatch_is_failure), false});
    if (mismatch) {
      input.describe(*mismatch);
      keep_mismatch(id, input, std::move(*mismatch));
    }
  } catch (...) {
    // Error parity is evidence gathering: it never changes what the caller gets.
  }
}

template <class Input>
void Router::keep_mismatch(ComponentId id, const Input& input, MismatchRecord record) noexcept {
  try {
    const CaptureSettings& settings = current().config.capture;
    if (!settings.dir.empty()) {
      std::optional<CapturedCall> call = input.capture(CaptureWriter::payload_limit(settings));
      std::optional<std::string> name;
      if (call)
        name = captures_->submit(id, catalog_.info(id).name, settings, record, std::move(*call));
      if (!call) captures_->drop(id);
      if (name) record.capture = std::move(*name);
    }
  } catch (...) {
    captures_->drop(id);  // e.g. no memory for the copy: the capture is lost, not the call
  }
  try {
    metrics_.record_mismatch(id, std::move(record));
  } catch (...) {
  }
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

template <class T, class Legacy, class Rust, class Pixels, class Input>
T Router::run_rust(ComponentId id, const RoutePlan& plan, Legacy& legacy, Rust& rust,
                   Pixels& pixels, const Input& input) {
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
      // Both rejected it: in the same category, or an error mismatch.
      try {
        if (std::optional<MismatchRecord> mismatch =
                compare_rejections(id, plan.mode, Route::kRust, std::current_exception(), &error)) {
          input.describe(*mismatch);
          keep_mismatch(id, input, std::move(*mismatch));
        }
      } catch (...) {
      }
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

template <class T, class Legacy, class Rust, class Compare, class Pixels, class Input>
T Router::run_shadow(ComponentId id, const RoutePlan& plan, Legacy& legacy, Rust& rust,
                     Compare& compare, Pixels& pixels, const Input& input) {
  const TimePoint start = clock_->now();
  metrics_.count_call(id, Route::kShadow);
  note(id, Mode::kShadow, Route::kShadow);
  T answer = legacy_checked<T>(id, plan, legacy, rust, input);
  // Each side's own time goes to its route's histogram too (not its call count): the
  // live speed-up of Rust over legacy is measured while legacy still answers.
  const TimePoint legacy_end = clock_->now();
  metrics_.record_latency(id, Route::kLegacy, legacy_end - start);
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
  const TimePoint rust_start = legacy_end;  // no clock read more: Rust starts now
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
    metrics_.record_latency(id, Route::kRust, rust_elapsed);
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
      input.describe(*mismatch);
      const std::string message = "output differs from legacy's by up to " +
                                  std::to_string(mismatch->max_difference) + " (input " +
                                  mismatch->input_digest + ")";
      keep_mismatch(id, input, std::move(*mismatch));
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
