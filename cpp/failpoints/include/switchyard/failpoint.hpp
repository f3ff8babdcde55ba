// switchyard failpoints — named places in C++ code where a test or an operator can
// inject a fault, configured with the same spec as Rust's fail-rs.
//
// A failpoint is a static Failpoint object and one call where the fault belongs:
//
//   const switchyard::Failpoint kDecodeFailpoint("imgkit::legacy::decode_png");
//
//   Image decode_png(const Bytes& bytes) {
//     if (auto argument = kDecodeFailpoint.fire()) throw Error(kInternal, *argument);
//     ...
//   }
//
// and is configured by name, from code or from an operator's spec:
//
//   switchyard::failpoints::configure("imgkit::legacy::decode_png", "50%return(disk)");
//   switchyard::failpoints::apply_spec(std::getenv("FAILPOINTS"));
//
// The spec syntax is fail-rs's, so one string configures both languages
// (switchyard/failpoint_spec.hpp has the grammar and the parser).
//
// What a task does at a C++ failpoint: `return(arg)` makes fire() return `arg` (empty
// when omitted) for the code at the point to turn into its failure; `panic(msg)`
// throws FailpointPanic (C++ has no panic; an exception the code never throws itself is
// the nearest thing); `sleep(ms)` sleeps; `delay(ms)` busy-waits; `print(msg)` writes to
// stderr; `yield` yields the thread; `pause` blocks until the failpoint is reconfigured
// or removed; `off` does nothing.
//
// Cost: until some failpoint is configured, fire() is one relaxed atomic load, and no
// two threads ever write the same cache line. Built with SWITCHYARD_FAILPOINTS=0 (CMake
// option IMGKIT_FAILPOINTS=OFF), fire() is constant "no fault" and configuring fails.
//
// Failpoints in another language (imgkit's Rust kernels) join through add_domain(), so
// configure() and apply_spec() reach every failpoint of the process by name.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "switchyard/failpoint_spec.hpp"

#ifndef SWITCHYARD_FAILPOINTS
#define SWITCHYARD_FAILPOINTS 1
#endif

namespace switchyard {

namespace failpoints {
namespace detail {
// True while any C++ failpoint is configured. Only configure/remove write it.
inline std::atomic<bool> g_armed{false};
}  // namespace detail

// Whether this build has failpoints at all.
constexpr bool compiled_in() noexcept { return SWITCHYARD_FAILPOINTS != 0; }

// The gate every C++ failpoint checks first.
inline bool armed() noexcept {
  if constexpr (!compiled_in()) return false;
  return detail::g_armed.load(std::memory_order_relaxed);
}
}  // namespace failpoints

// A named failpoint in C++ code. Define it at namespace scope (its name is then known
// from program start, so configuring a misspelt name can be refused) and fire() it.
class Failpoint {
 public:
  explicit Failpoint(const char* name);
  ~Failpoint();
  Failpoint(const Failpoint&) = delete;
  Failpoint& operator=(const Failpoint&) = delete;

  const char* name() const noexcept { return name_; }

  // Runs the configured actions: nullopt when no `return` fired, else its argument.
  // Throws FailpointPanic for `panic`.
  std::optional<std::string> fire() const {
    if (!failpoints::armed()) return std::nullopt;
    return evaluate();
  }

 private:
  std::optional<std::string> evaluate() const;

  const char* name_;
};

// Failpoints that live elsewhere, for instance in another language, configured through
// the same names and specs as the C++ ones.
class FailpointDomain {
 public:
  virtual ~FailpointDomain() = default;
  // Every failpoint name the domain has.
  virtual std::vector<std::string> names() const = 0;
  // Throws FailpointError when the domain refuses the actions.
  virtual void configure(const std::string& name, const std::string& actions) = 0;
  virtual void remove(const std::string& name) = 0;
};

namespace failpoints {

// Adds a domain (once per process; a domain whose names are already known is ignored).
void add_domain(std::shared_ptr<FailpointDomain> domain);

// Every failpoint name of the process (C++ and every domain), sorted.
std::vector<std::string> names();
bool is_known(std::string_view name);

// Configures one failpoint, wherever it lives. Throws FailpointError for an unknown
// name, actions that do not parse, or a build without failpoints.
void configure(const std::string& name, const std::string& actions);
// Makes a C++ failpoint run `callback` each time it fires, in the firing thread, until it
// is reconfigured or removed: fail-rs's cfg_callback, for code a test wants to run at an
// exact place (advancing a test's clock inside a call, say). Throws FailpointError for
// an unknown name, a name of another language's domain (its points cannot run C++), or a
// build without failpoints. configured() lists it as "callback".
void configure_callback(const std::string& name, std::function<void()> callback);
// Removes one failpoint's configuration (no-op if unset).
void remove(const std::string& name);
// Removes every configuration, whatever set it.
void remove_all();

// Applies a whole spec: every entry is checked first, so a bad spec changes nothing.
void apply_spec(std::string_view spec);

// The layers operators use. The environment's spec (FAILPOINTS, read once at start) is
// the base; a config file's [failpoints] table is applied over it, and a name that
// leaves the table goes back to its environment setting, or off.
void set_environment_layer(std::string_view spec);
void set_config_layer(const std::vector<FailpointSetting>& settings);

// What is configured now, by name (for status output and tests).
std::map<std::string, std::string> configured();

// The longest a failpoint may block a thread, for a process nothing reconfigures: a
// one-shot command reads its failpoints once and never watches its config, so `pause`
// there blocks forever. While a limit is set, configuring `pause`, or a `sleep` or `delay`
// longer than the limit, is refused with FailpointError by every path: configure,
// apply_spec, both layers, and a config file's [failpoints] table (parse_config). What
// is already configured stays. nullopt (the default) lifts the limit.
//
//   switchyard::failpoints::set_blocking_limit(std::chrono::seconds(60));
void set_blocking_limit(std::optional<std::chrono::milliseconds> max_block);
std::optional<std::chrono::milliseconds> blocking_limit();

// Throws FailpointError, naming `name` and the action, when `actions` could block a thread
// past the blocking limit (never while none is set), or when they do not parse.
void check_blocking_limit(std::string_view name, std::string_view actions);

}  // namespace failpoints
}  // namespace switchyard
