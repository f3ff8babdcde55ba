// switchyard::Config — the routing configuration, parsed and validated from TOML.
//
// An operator edits one file; parse_config turns it into a Config or throws a
// ConfigError that names the file, line, column and key. The config reference is in
// README.md ("Configuring switchyard"); config/switchyard.toml is the bundled default.
//
//   [components.gaussian_blur]
//   mode = "shadow"            # legacy | shadow | canary | rust
//
//   switchyard::Config config = switchyard::load_config_file("switchyard.toml", catalog);
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "switchyard/catalog.hpp"
#include "switchyard/failpoint.hpp"
#include "switchyard/promotion_rules.hpp"

namespace switchyard {

// Where a component's calls go. The migration life cycle walks this list in order.
enum class Mode : std::uint8_t {
  kLegacy,  // the C++ implementation answers
  kShadow,  // legacy answers; a sampled share of calls also runs Rust and compares
  kCanary,  // canary_percent of calls (sticky per key) take the kRust route
  kRust,    // Rust answers; any failure is answered by legacy instead
};

std::string_view to_string(Mode mode) noexcept;
std::optional<Mode> parse_mode(std::string_view name) noexcept;

// The operator's override of the automatic breaker.
enum class BreakerOverride : std::uint8_t {
  kAuto,        // CLOSED / OPEN / HALF_OPEN, driven by failure and slow-call rates
  kForcedOpen,  // every Rust call rejected: the component runs on legacy
  kDisabled,    // every Rust call permitted, nothing recorded
};

std::string_view to_string(BreakerOverride value) noexcept;
std::optional<BreakerOverride> parse_breaker_override(std::string_view name) noexcept;

// An on/off switch as operators write it (a kill switch in the environment): 1, true,
// yes, on are true; 0, false, no, off and the empty string are false; any case, with
// surrounding whitespace ignored. Anything else is nullopt: a value the operator meant
// something by, which the caller must not guess at.
std::optional<bool> parse_switch(std::string_view text) noexcept;

// A count-based circuit breaker, as resilience4j's. A Rust call is slow when it takes
// longer than slow_call + slow_call_ns_per_pixel x the pixels it reads and writes
// (switchyard/slow_call.hpp); both 0 turns slow-call detection off. The defaults leave
// about twice the time of the heaviest healthy call per pixel measured (a PNG encode of
// a smooth 8K image, ~165 ns a pixel), so only a call several times slower than a
// healthy one counts; README.md "The circuit breaker" has the numbers.
struct BreakerSettings {
  std::uint32_t window = 100;                // recent Rust calls the rates are computed over
  std::uint32_t min_calls = 20;              // no decision before this many calls in the window
  double failure_rate = 0.5;                 // open when failures / calls >= this
  std::chrono::milliseconds slow_call{100};  // slow_call_ms: the slow-call limit's fixed part
  double slow_call_ns_per_pixel = 300.0;     // its part per pixel of the call
  double slow_call_rate = 1.0;               // open when slow calls / calls >= this
  std::chrono::milliseconds open{30000};     // stay open this long, then half-open
  std::uint32_t half_open_calls = 5;         // trial calls in half-open
  bool mismatch_is_failure = false;          // a shadow mismatch counts as a failure
  BreakerOverride state = BreakerOverride::kAuto;

  friend bool operator==(const BreakerSettings& a, const BreakerSettings& b) noexcept;
  friend bool operator!=(const BreakerSettings& a, const BreakerSettings& b) noexcept {
    return !(a == b);
  }
};

struct ComponentSettings {
  Mode mode = Mode::kLegacy;            // what routing does (kLegacy when no Rust port)
  Mode requested_mode = Mode::kLegacy;  // what the file asked for
  double canary_percent = 0.0;          // [0, 100]
  double shadow_sample = 1.0;           // [0, 1]
  std::uint32_t tolerance = 0;          // max |legacy - rust| per sample that matches
  BreakerSettings breaker;

  friend bool operator==(const ComponentSettings& a, const ComponentSettings& b) noexcept;
  friend bool operator!=(const ComponentSettings& a, const ComponentSettings& b) noexcept {
    return !(a == b);
  }
};

// Where the inputs of mismatching calls are kept (switchyard/capture.hpp). Off when `dir`
// is empty.
struct CaptureSettings {
  std::string dir;                                     // capture_dir (relative: to the working dir)
  std::uint32_t max_files = 100;                       // capture_max_files: files in the folder
  std::uint64_t max_bytes = std::uint64_t{256} << 20;  // capture_max_mb: bytes in the folder

  friend bool operator==(const CaptureSettings& a, const CaptureSettings& b) noexcept {
    return a.dir == b.dir && a.max_files == b.max_files && a.max_bytes == b.max_bytes;
  }
};

struct Config {
  std::string source;  // the file it came from, or "<defaults>"
  std::chrono::milliseconds reload_interval{500};
  std::size_t mismatch_log_size = 64;  // how many recent mismatches are kept per component
  CaptureSettings capture;
  // One entry per catalog component, indexed by ComponentId.
  std::vector<ComponentSettings> components;
  // The [failpoints] table: faults to inject while this config is in force, applied
  // over the FAILPOINTS environment variable by the router that owns failpoints.
  std::vector<FailpointSetting> failpoints;
  // The program's own settings (Catalog::program()), every one present: the file's
  // value, else its default.
  std::map<std::string, std::int64_t> program_settings;
  // The [promotion] table: how much evidence `imgkit report` asks for before it
  // recommends the next mode (promotion.hpp). Routing ignores it.
  PromotionRules promotion;
  // Accepted but worth telling the operator, e.g. a Rust mode for a component that has
  // no Rust port yet. Each names the file, line and key like an error does.
  std::vector<std::string> warnings;

  // Equal when routing would be the same (source and warnings are not compared), and the
  // promotion rules too: the router keeps the config it publishes, and a reload that only
  // changes [promotion] must still reach a reader of Router::config().
  friend bool operator==(const Config& a, const Config& b) noexcept;
  friend bool operator!=(const Config& a, const Config& b) noexcept { return !(a == b); }
};

// A config that cannot be used. what() is "FILE:LINE:COLUMN: KEY: PROBLEM" (line and
// column omitted when the problem is the file itself, e.g. it cannot be read).
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string source, std::uint32_t line, std::uint32_t column, std::string key,
              std::string problem);

  const std::string& source() const noexcept { return source_; }
  std::uint32_t line() const noexcept { return line_; }      // 1-based; 0 when not about a line
  std::uint32_t column() const noexcept { return column_; }  // 1-based; 0 likewise
  const std::string& key() const noexcept { return key_; }   // dotted, e.g. "components.x.mode"
  const std::string& problem() const noexcept { return problem_; }

 private:
  std::string source_;
  std::uint32_t line_;
  std::uint32_t column_;
  std::string key_;
  std::string problem_;
};

// Every component on legacy, every setting at its default.
Config default_config(const Catalog& catalog);

// Parses and validates `text`; `source` names it in errors and warnings. Unknown
// sections or keys, wrong types, out-of-range values and unknown component names throw
// ConfigError.
Config parse_config(std::string_view text, std::string_view source, const Catalog& catalog);

// The most bytes a config file may hold. A routing config is a few KB; the bound keeps a
// wrong path (a log file, a device that never ends) from being read into memory.
inline constexpr std::size_t kMaxConfigFileBytes = std::size_t{4} << 20;  // 4 MiB

// The bytes of the config file at `path`. Throws ConfigError naming the file when it is
// not a regular file (a directory, FIFO, socket or device is refused by its type, before
// it is read), cannot be read, or holds more than kMaxConfigFileBytes (reading stops
// there, however large the file claims to be or grows while it is read).
std::string read_config_file(const std::string& path);

// Reads (read_config_file) and parses the file at `path`.
Config load_config_file(const std::string& path, const Catalog& catalog);

}  // namespace switchyard
