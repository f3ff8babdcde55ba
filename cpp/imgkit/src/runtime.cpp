// The process-wide router behind the facades, and its reload thread.
#include <atomic>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "components.hpp"
#include "imgkit/error.hpp"
#include "imgkit/failpoints.hpp"
#include "imgkit/routing.hpp"
#include "imgkit/routing_testing.hpp"
#include "switchyard/config_watcher.hpp"

namespace imgkit::routing {
namespace {

// The clock the router is built with: nullptr (the steady clock) unless a test chose one
// (routing_testing.hpp). Guarded by g_start_mutex.
const switchyard::Clock* g_clock = nullptr;

struct Runtime {
  explicit Runtime(switchyard::Config config) : router(catalog(), std::move(config), options()) {}

  static switchyard::RouterOptions options() {
    switchyard::RouterOptions options;
    options.clock = g_clock;
    options.force_legacy = force_legacy_requested();
    options.owns_failpoints = true;
    options.log = [](const std::string& line) {
      std::cerr << "imgkit: switchyard: " << line << '\n';
    };
    // Error parity compares imgkit's error categories ("invalid_argument", ...).
    options.error_category = [](const std::exception_ptr& error) -> std::string {
      try {
        std::rethrow_exception(error);
      } catch (const Error& e) {
        return std::string(to_string(e.category()));
      } catch (const std::bad_alloc&) {
        return "internal";
      } catch (...) {
        return "internal";
      }
    };
    return options;
  }

  switchyard::Router router;
  std::unique_ptr<switchyard::ConfigWatcher> watcher;  // guarded by g_start_mutex
};

std::mutex g_start_mutex;
// Created once and never destroyed: a facade may be called from another static
// object's destructor, after this file's statics are gone.
std::atomic<Runtime*> g_runtime{nullptr};

// Stops the reload thread at exit, so it is not cut off halfway through a reload, and
// writes the captures still queued (a run that ends on an error keeps its evidence).
struct StopWatcherAtExit {
  ~StopWatcherAtExit() {
    const std::lock_guard lock(g_start_mutex);
    if (Runtime* runtime = g_runtime.load(std::memory_order_acquire)) {
      runtime->watcher.reset();
      runtime->router.flush_captures();
    }
  }
} g_stop_watcher_at_exit;

void log_line(const std::string& line) { std::cerr << "imgkit: " << line << '\n'; }

// Applies $FAILPOINTS as the base layer of failpoints. Throws switchyard::FailpointError
// ("FAILPOINTS: ...") when it does not parse or names an unknown failpoint; nothing
// changes then.
void apply_environment_failpoints() {
  const char* value = std::getenv("FAILPOINTS");
  const std::string_view spec = value != nullptr ? value : "";
  if (!failpoints::compiled_in()) {
    if (!spec.empty()) log_line("warning: FAILPOINTS ignored: this build has no failpoints");
    return;
  }
  try {
    switchyard::failpoints::set_environment_layer(spec);
  } catch (const switchyard::FailpointError& e) {
    throw switchyard::FailpointError(std::string("FAILPOINTS: ") + e.what());
  }
}

// Caller holds g_start_mutex.
Runtime& create_runtime_locked(switchyard::Config config) {
  auto* runtime = new Runtime(std::move(config));
  g_runtime.store(runtime, std::memory_order_release);
  return *runtime;
}

Runtime& start_from_environment() {
  const std::lock_guard lock(g_start_mutex);
  if (Runtime* runtime = g_runtime.load(std::memory_order_acquire)) return *runtime;
  failpoints::install();
  try {
    apply_environment_failpoints();
  } catch (const switchyard::FailpointError& e) {
    // No caller to hand the error to: the program runs without injected faults.
    log_line(std::string(e.what()) + " (no failpoint configured)");
  }
  const std::optional<std::string> path = config_path();
  if (!path) {
    // An installed program without its bundled file: everything on legacy.
    return create_runtime_locked(switchyard::default_config(catalog()));
  }
  switchyard::Config config = switchyard::default_config(catalog());
  std::string error;
  try {
    config = switchyard::load_config_file(*path, catalog());
  } catch (const switchyard::ConfigError& e) {
    error = e.what();
  }
  Runtime& runtime = create_runtime_locked(std::move(config));
  if (!error.empty()) runtime.router.reject(error);
  runtime.watcher = std::make_unique<switchyard::ConfigWatcher>(runtime.router, *path);
  return runtime;
}

// Routes by `config` from now on: the first runtime, or a new config for the running one.
void install_config(switchyard::Config config, const std::optional<std::string>& watched_path) {
  const std::lock_guard lock(g_start_mutex);
  Runtime* runtime = g_runtime.load(std::memory_order_acquire);
  if (runtime == nullptr) {
    runtime = &create_runtime_locked(std::move(config));
  } else {
    runtime->router.publish(std::move(config));
  }
  runtime->watcher.reset();
  if (watched_path) {
    runtime->watcher = std::make_unique<switchyard::ConfigWatcher>(runtime->router, *watched_path);
  }
}

}  // namespace

std::optional<std::string> bundled_config_path() {
  namespace fs = std::filesystem;
  std::vector<fs::path> candidates;
  std::error_code error;
  // The running program's own install tree first, so a moved or relocated install (or
  // the build tree, laid out the same way) finds its own file.
  const fs::path program = fs::read_symlink("/proc/self/exe", error);
  if (!error) {
    candidates.push_back(program.parent_path().parent_path() / "share" / "imgkit" /
                         IMGKIT_CONFIG_NAME);
  }
  candidates.push_back(fs::path(IMGKIT_INSTALL_DATADIR) / IMGKIT_CONFIG_NAME);
  for (const fs::path& candidate : candidates) {
    if (fs::is_regular_file(candidate, error)) return candidate.string();
  }
  return std::nullopt;
}

std::optional<std::string> config_path(const std::optional<std::string>& explicit_path) {
  if (explicit_path) return *explicit_path;
  if (const char* from_environment = std::getenv("IMGKIT_CONFIG");
      from_environment != nullptr && *from_environment != '\0') {
    return std::string(from_environment);
  }
  return bundled_config_path();
}

void start(const std::string& path, bool watch) {
  failpoints::install();
  switchyard::Config config = switchyard::load_config_file(path, catalog());
  apply_environment_failpoints();
  install_config(std::move(config), watch ? std::optional<std::string>(path) : std::nullopt);
}

void start_with_defaults() {
  failpoints::install();
  apply_environment_failpoints();
  install_config(switchyard::default_config(catalog()), std::nullopt);
}

Limits configured_limits() {
  const auto& settings = router().config().program_settings;
  const auto mib = [&](const char* key) {
    return static_cast<std::uint64_t>(settings.at(key)) << 20;
  };
  return Limits{mib("max_input_mb"), mib("max_image_mb")};
}

switchyard::Router& router() {
  if (Runtime* runtime = g_runtime.load(std::memory_order_acquire)) return runtime->router;
  return start_from_environment().router;
}

namespace testing {

void use_clock(const switchyard::Clock& clock) {
  const std::lock_guard lock(g_start_mutex);
  if (g_runtime.load(std::memory_order_acquire) != nullptr) {
    throw std::logic_error(
        "imgkit::routing::testing::use_clock: routing has started, on the clock it keeps");
  }
  g_clock = &clock;
}

switchyard::ConfigWatcher::CheckResult reload_now() {
  const std::lock_guard lock(g_start_mutex);
  Runtime* runtime = g_runtime.load(std::memory_order_acquire);
  if (runtime == nullptr || !runtime->watcher) {
    throw std::logic_error("imgkit::routing::testing::reload_now: routing watches no file");
  }
  return runtime->watcher->check_now();
}

}  // namespace testing

std::optional<bool> force_legacy_from_environment() {
  const char* value = std::getenv("IMGKIT_FORCE_LEGACY");
  if (value == nullptr) return false;
  return switchyard::parse_switch(value);
}

bool force_legacy_requested() {
  // One read of the variable: the value judged is the value named in the message.
  const char* value = std::getenv("IMGKIT_FORCE_LEGACY");
  if (value == nullptr) return false;
  if (const std::optional<bool> requested = switchyard::parse_switch(value)) return *requested;
  log_line("IMGKIT_FORCE_LEGACY=\"" + std::string(value) + "\" is not a value it accepts (" +
           std::string(kForceLegacyAccepted) +
           "); every component is routed to legacy, as if it were on");
  return true;
}

}  // namespace imgkit::routing
