#include "switchyard/router.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <stdexcept>
#include <utility>

namespace switchyard {
namespace {

// splitmix64's finalizer: turns a key hash plus a salt into a uniform 64-bit value.
std::uint64_t mix(std::uint64_t value) noexcept {
  value ^= value >> 30;
  value *= 0xbf58476d1ce4e5b9ULL;
  value ^= value >> 27;
  value *= 0x94d049bb133111ebULL;
  value ^= value >> 31;
  return value;
}

// Calls are compared as 53-bit fractions: exact in a double, so a share of 1.0 takes
// every call and 0.0 takes none.
constexpr int kShareBits = 53;

std::uint64_t share_threshold(double share) noexcept {
  const double clamped = std::clamp(share, 0.0, 1.0);
  return static_cast<std::uint64_t>(clamped * static_cast<double>(std::uint64_t{1} << kShareBits));
}

std::uint64_t share_point(std::uint64_t hash) noexcept { return hash >> (64 - kShareBits); }

// A keyless call's hash: this thread's call sequence, seeded apart per thread. The
// sequence is the thread's own, so drawing one writes no shared cache line.
std::uint64_t next_keyless_hash() noexcept {
  static std::atomic<std::uint64_t> next_thread_seed{0x9e3779b97f4a7c15ULL};
  thread_local std::uint64_t sequence =
      next_thread_seed.fetch_add(0x9e3779b97f4a7c15ULL, std::memory_order_relaxed);
  return mix(++sequence);
}

// "12.3 ms": a slow call and its limit, told apart even when they round to the same
// whole millisecond.
std::string milliseconds_text(Duration duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f ms", static_cast<double>(duration.count()) / 1e6);
  return text;
}

}  // namespace

const Failpoint kRustCallFailpoint("switchyard::rust_call");

Router::Router(Catalog catalog, Config config, RouterOptions options)
    : catalog_(std::move(catalog)),
      clock_(options.clock != nullptr ? options.clock : &steady_clock()),
      force_legacy_(options.force_legacy),
      owns_failpoints_(options.owns_failpoints),
      log_(std::move(options.log)),
      error_category_(std::move(options.error_category)),
      metrics_(catalog_.size(), config.mismatch_log_size),
      fallback_logged_(
          std::make_unique<std::array<std::atomic<bool>, kFallbackCauseCount>[]>(catalog_.size())),
      slow_call_logged_(std::make_unique<std::atomic<bool>[]>(catalog_.size())) {
  if (!log_) {
    log_ = [](const std::string& line) { std::cerr << "switchyard: " << line << '\n'; };
  }
  if (config.components.size() != catalog_.size()) {
    throw std::invalid_argument("switchyard::Router: the config has " +
                                std::to_string(config.components.size()) +
                                " components, the catalog " + std::to_string(catalog_.size()));
  }
  captures_ = std::make_unique<CaptureWriter>(metrics_, log_);
  breakers_.reserve(catalog_.size());
  for (ComponentId id = 0; id < catalog_.size(); ++id) {
    breakers_.push_back(std::make_unique<CircuitBreaker>(
        config.components[id].breaker, *clock_, [this, id](BreakerState from, BreakerState to) {
          metrics_.count_transition(id, from, to);
          log_(catalog_.info(id).name + ": circuit breaker " + std::string(to_string(from)) +
               " -> " + std::string(to_string(to)));
        }));
  }
  for (const std::string& warning : config.warnings) log_("warning: " + warning);
  const std::lock_guard lock(publish_mutex_);
  apply_failpoints(config);
  snapshot_.store(install(std::move(config)), std::memory_order_release);
  version_.store(1, std::memory_order_release);
}

void Router::apply_failpoints(const Config& config) {
  if (!owns_failpoints_ || !failpoints::compiled_in()) return;
  try {
    failpoints::set_config_layer(config.failpoints);
  } catch (const FailpointError& e) {
    // parse_config checked every entry; this is a name that went away since.
    log_(config.source + ": failpoints: " + e.what());
  }
}

Router::~Router() = default;

const Router::Snapshot* Router::install(Config config) {
  for (const auto& existing : snapshots_) {
    // Equal routing from the same file with the same warnings: report the same too.
    if (existing->config == config && existing->config.source == config.source &&
        existing->config.warnings == config.warnings) {
      return existing.get();
    }
  }
  auto snapshot = std::make_unique<Snapshot>();
  snapshot->plans.reserve(catalog_.size());
  for (ComponentId id = 0; id < catalog_.size(); ++id) {
    const ComponentSettings& settings = config.components[id];
    RoutePlan plan;
    const bool routable = !force_legacy_ && catalog_.info(id).rust_port == RustPort::kAvailable;
    plan.mode = routable ? settings.mode : Mode::kLegacy;
    plan.salt = stable_hash(catalog_.info(id).name);
    plan.canary_threshold = share_threshold(settings.canary_percent / 100.0);
    plan.shadow_threshold = share_threshold(settings.shadow_sample);
    plan.tolerance = settings.tolerance;
    plan.slow_call = SlowCallLimit(settings.breaker);
    plan.mismatch_is_failure = settings.breaker.mismatch_is_failure;
    snapshot->plans.push_back(plan);
  }
  snapshot->config = std::move(config);
  snapshots_.push_back(std::move(snapshot));
  return snapshots_.back().get();
}

void Router::publish(Config config) {
  for (const std::string& warning : config.warnings) log_("warning: " + warning);
  const std::string source = config.source;
  {
    const std::lock_guard lock(publish_mutex_);
    // Breakers first: a component moved to rust with a forced-open breaker never sends
    // a call to Rust in between.
    for (ComponentId id = 0; id < catalog_.size(); ++id) {
      breakers_[id]->reconfigure(config.components.at(id).breaker);
    }
    metrics_.set_mismatch_log_size(config.mismatch_log_size);
    apply_failpoints(config);
    snapshot_.store(install(std::move(config)), std::memory_order_release);
    version_.fetch_add(1, std::memory_order_acq_rel);
    last_reload_error_.clear();
  }
  metrics_.count_reload(true);
  log_("config reloaded from " + source);
}

void Router::reject(const std::string& error) {
  {
    const std::lock_guard lock(publish_mutex_);
    last_reload_error_ = error;
  }
  metrics_.count_reload(false);
  log_("config reload failed, keeping the running config: " + error);
}

Report Router::report() const {
  Report report;
  const Snapshot& snapshot = current();  // one snapshot for the whole report
  const Config& config = snapshot.config;
  report.config_source = config.source;
  report.config_version = version();
  report.force_legacy = force_legacy_;
  report.reloads = metrics_.reloads();
  report.warnings = config.warnings;
  report.program_table = catalog_.program().table;
  report.program_settings = config.program_settings;
  if (owns_failpoints_) report.failpoints = failpoints::configured();
  {
    const std::lock_guard lock(publish_mutex_);
    report.last_reload_error = last_reload_error_;
  }
  std::vector<ComponentCounts> counts = metrics_.components();
  for (ComponentId id = 0; id < catalog_.size(); ++id) {
    ComponentReport component;
    component.name = catalog_.info(id).name;
    component.rust_port = catalog_.info(id).rust_port;
    component.settings = config.components[id];
    component.settings.mode = snapshot.plans[id].mode;
    component.breaker_state = breakers_[id]->state();
    component.counts = std::move(counts[id]);
    report.components.push_back(std::move(component));
  }
  return report;
}

bool Router::takes_canary(const RoutePlan& plan) noexcept {
  const std::uint64_t hash = RouteKeyScope::active()
                                 ? mix(RouteKeyScope::current_hash() ^ plan.salt)
                                 : next_keyless_hash();
  return share_point(hash) < plan.canary_threshold;
}

bool Router::takes_shadow_sample(const RoutePlan& plan) noexcept {
  return share_point(next_keyless_hash()) < plan.shadow_threshold;
}

void Router::count_fallback(ComponentId id, Mode mode, Route route, FallbackCause cause,
                            const std::string& message) {
  metrics_.count_fallback(id, cause);
  note(id, mode, route, cause);
  std::atomic<bool>& logged = fallback_logged_[id][static_cast<std::size_t>(cause)];
  if (!message.empty() && !logged.exchange(true, std::memory_order_relaxed)) {
    log_(catalog_.info(id).name + ": legacy answered in place of Rust (" +
         std::string(to_string(cause)) + "): " + message +
         " [further ones are counted, not logged]");
  }
}

std::string Router::category_of(const std::exception_ptr& error) const {
  if (!error_category_ || !error) return "error";
  try {
    return error_category_(error);
  } catch (...) {
    return "error";
  }
}

namespace {

std::string message_of(const std::exception_ptr& error) {
  try {
    if (error) std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
  }
  return "an exception that is not a std::exception";
}

}  // namespace

std::optional<MismatchRecord> Router::compare_rejections(ComponentId id, Mode mode, Route route,
                                                         const std::exception_ptr& legacy_error,
                                                         const RustError* rust_error) {
  const std::string legacy_category = category_of(legacy_error);
  std::string rust_category = "answered";
  std::string rust_said = "answered it";
  if (rust_error != nullptr) {
    switch (rust_error->kind) {
      case RustFailure::kInputError:
        rust_category = rust_error->caller_error ? category_of(rust_error->caller_error) : "error";
        rust_said =
            "rejected it as " + rust_category + ": " +
            (rust_error->caller_error ? message_of(rust_error->caller_error) : rust_error->message);
        break;
      case RustFailure::kError:
      case RustFailure::kPanic: {
        const bool panic = rust_error->kind == RustFailure::kPanic;
        rust_category = panic ? "panic" : "failed";
        rust_said = std::string(panic ? "panicked" : "failed") + ": " + rust_error->message;
        // A Rust failure on the shadow route is a fallback there, as on an input legacy
        // accepts; on canary's legacy route nobody waited for Rust.
        if (route == Route::kShadow) {
          count_fallback(id, mode, route, panic ? FallbackCause::kPanic : FallbackCause::kError,
                         rust_error->message);
        }
        break;
      }
    }
  }
  if (rust_category == legacy_category) return std::nullopt;
  MismatchRecord record;
  record.kind = MismatchKind::kError;
  record.legacy_error = legacy_category;
  record.rust_error = rust_category;
  record.detail = "legacy rejected the input as " + legacy_category + " (" +
                  message_of(legacy_error) + "); Rust " + rust_said;
  record.when = std::chrono::system_clock::now();
  return record;
}

void Router::count_slow_call(ComponentId id, Duration elapsed, Duration limit) {
  metrics_.count_slow_call(id);
  tls_last_decision_.slow = true;
  if (!slow_call_logged_[id].exchange(true, std::memory_order_relaxed)) {
    log_(catalog_.info(id).name + ": a Rust call took " + milliseconds_text(elapsed) +
         ", over its slow-call limit of " + milliseconds_text(limit) +
         "; its answer was kept [further slow calls are counted, not logged]");
  }
}

}  // namespace switchyard
