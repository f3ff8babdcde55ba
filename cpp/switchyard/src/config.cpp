#include "switchyard/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <utility>

#include "switchyard/failpoint.hpp"

namespace switchyard {
namespace {

// What each table accepts, for "unknown key" messages. The if-chains in ConfigReader are
// the acceptors; keep these lists in step with them.
constexpr std::string_view kSectionNames =
    "switchyard, defaults, components, failpoints, promotion";
constexpr std::string_view kSwitchyardKeys =
    "reload_interval_ms, mismatch_log, capture_dir, capture_max_files, capture_max_mb";
constexpr std::string_view kPromotionKeys =
    "min_shadow_calls, min_canary_calls, max_fallback_rate, max_p99_ratio";
constexpr std::string_view kComponentKeys =
    "mode, canary_percent, shadow_sample, tolerance, breaker";
constexpr std::string_view kBreakerKeys =
    "window, min_calls, failure_rate, slow_call_ms, slow_call_ns_per_pixel, slow_call_rate, "
    "open_ms, half_open_calls, mismatch_is_failure, state";
constexpr std::string_view kModeNames = "legacy, shadow, canary, rust";
constexpr std::string_view kOverrideNames = "auto, forced_open, disabled";

// Errors and warnings share one shape so an operator's editor can jump to either.
std::string locate(std::string_view source, std::uint32_t line, std::uint32_t column,
                   std::string_view key, std::string_view problem) {
  std::string out(source);
  if (line != 0) {
    out += ':' + std::to_string(line);
    if (column != 0) out += ':' + std::to_string(column);
  }
  out += ": ";
  if (!key.empty()) {
    out += key;
    out += ": ";
  }
  out += problem;
  return out;
}

std::string describe(toml::node_type type) {
  switch (type) {
    case toml::node_type::none:
      return "nothing";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
  }
  return "an unknown value";
}

std::string format_number(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

// Walks a parsed document into a Config. Stops at the first problem, naming the file,
// line, column and dotted key of the offending key (unknown names) or value (bad values).
class ConfigReader {
 public:
  ConfigReader(std::string_view source, const Catalog& catalog)
      : source_(source), catalog_(catalog) {}

  Config read(const toml::table& root);

 private:
  [[noreturn]] void fail(const toml::source_region& where, const std::string& key,
                         const std::string& problem) const {
    throw ConfigError(source_, where.begin.line, where.begin.column, key, problem);
  }

  // The node as a T (toml::table, bool, std::string, ...), or a type error.
  template <typename T>
  const auto& as(const toml::node& node, const std::string& key, std::string_view expected) const {
    const auto* typed = node.as<T>();
    if (typed == nullptr) {
      fail(node.source(), key,
           "expected " + std::string(expected) + ", got " + describe(node.type()));
    }
    return *typed;
  }
  const toml::table& table_at(const toml::node& node, const std::string& key) const {
    return as<toml::table>(node, key, "a table");
  }
  std::int64_t integer_at(const toml::node& node, const std::string& key, std::int64_t min,
                          std::int64_t max) const;
  // A number in [min, max], or (min, max] when `min_exclusive`; integers are accepted.
  double number_at(const toml::node& node, const std::string& key, double min, double max,
                   bool min_exclusive) const;

  void read_switchyard(const toml::table& table, Config& config) const;
  void read_program(const toml::table& table, Config& config) const;
  void read_failpoints(const toml::table& table, Config& config) const;
  void read_promotion(const toml::table& table, Config& config) const;
  // [defaults] and [components.x] accept the same keys; `component` is null for
  // [defaults], where tolerance and modes apply without complaint.
  void read_component(const toml::table& table, const std::string& prefix,
                      const ComponentInfo* component, ComponentSettings& settings,
                      Config& config) const;
  void read_breaker(const toml::table& table, const std::string& prefix,
                    BreakerSettings& breaker) const;

  std::string source_;
  const Catalog& catalog_;
};

Config ConfigReader::read(const toml::table& root) {
  // Sections are collected first because [defaults] must apply before any component,
  // whatever order the file (or toml++'s sorted iteration) puts them in.
  const toml::table* switchyard_table = nullptr;
  const toml::table* defaults_table = nullptr;
  const toml::table* components_table = nullptr;
  const toml::table* failpoints_table = nullptr;
  const toml::table* promotion_table = nullptr;
  const toml::table* program_table = nullptr;
  const std::string& program = catalog_.program().table;
  for (const auto& [key, node] : root) {
    const std::string name(key.str());
    if (!program.empty() && name == program) {
      program_table = &table_at(node, name);
    } else if (name == "switchyard") {
      switchyard_table = &table_at(node, name);
    } else if (name == "defaults") {
      defaults_table = &table_at(node, name);
    } else if (name == "components") {
      components_table = &table_at(node, name);
    } else if (name == "failpoints") {
      failpoints_table = &table_at(node, name);
    } else if (name == "promotion") {
      promotion_table = &table_at(node, name);
    } else {
      fail(key.source(), name,
           "unknown section '" + name + "'; expected one of " + std::string(kSectionNames) +
               (program.empty() ? "" : ", " + program));
    }
  }

  Config config = default_config(catalog_);
  config.source = source_;
  if (switchyard_table != nullptr) read_switchyard(*switchyard_table, config);
  if (program_table != nullptr) read_program(*program_table, config);
  if (failpoints_table != nullptr) read_failpoints(*failpoints_table, config);
  if (promotion_table != nullptr) read_promotion(*promotion_table, config);

  ComponentSettings defaults;
  if (defaults_table != nullptr) {
    read_component(*defaults_table, "defaults", nullptr, defaults, config);
  }
  const bool defaults_set_tolerance =
      defaults_table != nullptr && defaults_table->contains("tolerance");
  for (std::size_t id = 0; id < catalog_.size(); ++id) {
    const ComponentInfo& info = catalog_.components()[id];
    ComponentSettings& settings = config.components[id];
    const std::uint32_t tolerance = settings.tolerance;  // default_config's, from the catalog
    settings = defaults;
    if (info.comparison == Comparison::kExact) {
      settings.tolerance = 0;
    } else if (!defaults_set_tolerance) {
      settings.tolerance = tolerance;
    }
  }

  if (components_table != nullptr) {
    for (const auto& [key, node] : *components_table) {
      const std::string name(key.str());
      const std::string prefix = "components." + name;
      const std::optional<ComponentId> id = catalog_.find(name);
      if (!id) {
        fail(key.source(), prefix,
             "unknown component '" + name + "'; expected one of " + catalog_.names());
      }
      read_component(table_at(node, prefix), prefix, &catalog_.info(*id), config.components[*id],
                     config);
    }
  }

  for (std::size_t id = 0; id < catalog_.size(); ++id) {
    ComponentSettings& settings = config.components[id];
    const bool ported = catalog_.components()[id].rust_port == RustPort::kAvailable;
    settings.mode = ported ? settings.requested_mode : Mode::kLegacy;
  }
  return config;
}

std::int64_t ConfigReader::integer_at(const toml::node& node, const std::string& key,
                                      std::int64_t min, std::int64_t max) const {
  const std::int64_t value = as<std::int64_t>(node, key, "an integer").get();
  if (value < min || value > max) {
    fail(node.source(), key,
         "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
             std::to_string(value));
  }
  return value;
}

double ConfigReader::number_at(const toml::node& node, const std::string& key, double min,
                               double max, bool min_exclusive) const {
  double value = 0.0;
  if (const toml::value<double>* floating = node.as_floating_point()) {
    value = floating->get();
  } else if (const toml::value<std::int64_t>* integer = node.as_integer()) {
    value = static_cast<double>(integer->get());
  } else {
    fail(node.source(), key, "expected a number, got " + describe(node.type()));
  }
  if (!std::isfinite(value)) {
    fail(node.source(), key, "must be a finite number, got " + format_number(value));
  }
  const bool too_small = min_exclusive ? value <= min : value < min;
  if (too_small || value > max) {
    const std::string range = min_exclusive
                                  ? "must be greater than " + format_number(min) + " and at most "
                                  : "must be between " + format_number(min) + " and ";
    fail(node.source(), key, range + format_number(max) + ", got " + format_number(value));
  }
  return value;
}

void ConfigReader::read_failpoints(const toml::table& table, Config& config) const {
  if (!failpoints::compiled_in()) {
    const toml::source_position where = table.source().begin;
    config.warnings.push_back(locate(source_, where.line, where.column, "failpoints",
                                     "ignored: this build has no failpoints "
                                     "(IMGKIT_FAILPOINTS=OFF)"));
    return;
  }
  for (const auto& [key, node] : table) {
    const std::string name(key.str());
    const std::string dotted = "failpoints.\"" + name + "\"";
    if (!failpoints::is_known(name)) {
      const std::vector<std::string> known = failpoints::names();
      std::string list;
      for (const std::string& each : known) list += (list.empty() ? "" : ", ") + each;
      fail(key.source(), dotted,
           "unknown failpoint; expected one of " + (list.empty() ? "(none)" : list));
    }
    const std::string& actions = as<std::string>(node, dotted, "a string of actions").get();
    try {
      parse_failpoint_actions(actions);
      // The blocking limit (failpoints::set_blocking_limit) holds here too: a table with
      // `pause` is then a config error, not a fault the router refuses later and logs.
      failpoints::check_blocking_limit(name, actions);
    } catch (const FailpointError& e) {
      fail(node.source(), dotted, e.what());
    }
    config.failpoints.push_back({name, actions});
  }
}

void ConfigReader::read_switchyard(const toml::table& table, Config& config) const {
  for (const auto& [key, node] : table) {
    const std::string name(key.str());
    const std::string dotted = "switchyard." + name;
    if (name == "reload_interval_ms") {
      config.reload_interval = std::chrono::milliseconds(integer_at(node, dotted, 10, 3600000));
    } else if (name == "mismatch_log") {
      config.mismatch_log_size = static_cast<std::size_t>(integer_at(node, dotted, 1, 10000));
    } else if (name == "capture_dir") {
      config.capture.dir = as<std::string>(node, dotted, "a folder path").get();
      if (config.capture.dir.find('\0') != std::string::npos) {
        fail(node.source(), dotted, "must not contain a NUL character");
      }
    } else if (name == "capture_max_files") {
      config.capture.max_files = static_cast<std::uint32_t>(integer_at(node, dotted, 1, 1000000));
    } else if (name == "capture_max_mb") {
      config.capture.max_bytes = static_cast<std::uint64_t>(integer_at(node, dotted, 1, 1 << 20))
                                 << 20;
    } else {
      fail(key.source(), dotted,
           "unknown key '" + name + "'; expected one of " + std::string(kSwitchyardKeys));
    }
  }
}

void ConfigReader::read_promotion(const toml::table& table, Config& config) const {
  // A trillion calls is far past any evidence window; the bound keeps a typo from
  // wrapping around when a count is compared with it.
  constexpr std::int64_t kMaxCalls = 1'000'000'000'000;
  for (const auto& [key, node] : table) {
    const std::string name(key.str());
    const std::string dotted = "promotion." + name;
    PromotionRules& rules = config.promotion;
    if (name == "min_shadow_calls") {
      rules.min_shadow_calls = static_cast<std::uint64_t>(integer_at(node, dotted, 1, kMaxCalls));
    } else if (name == "min_canary_calls") {
      rules.min_canary_calls = static_cast<std::uint64_t>(integer_at(node, dotted, 1, kMaxCalls));
    } else if (name == "max_fallback_rate") {
      // Fallbacks must stay under the rate, so 0 would never let a component through.
      rules.max_fallback_rate = number_at(node, dotted, 0.0, 1.0, true);
    } else if (name == "max_p99_ratio") {
      rules.max_p99_ratio = number_at(node, dotted, 0.0, 1000.0, true);
    } else {
      fail(key.source(), dotted,
           "unknown key '" + name + "'; expected one of " + std::string(kPromotionKeys));
    }
  }
}

void ConfigReader::read_program(const toml::table& table, Config& config) const {
  const ProgramSettings& program = catalog_.program();
  for (const auto& [key, node] : table) {
    const std::string name(key.str());
    const std::string dotted = program.table + "." + name;
    const auto setting = std::find_if(program.settings.begin(), program.settings.end(),
                                      [&](const ProgramSetting& s) { return s.key == name; });
    if (setting == program.settings.end()) {
      std::string known;
      for (const ProgramSetting& each : program.settings) {
        known += (known.empty() ? "" : ", ") + each.key;
      }
      fail(key.source(), dotted,
           "unknown key '" + name + "'; expected one of " + (known.empty() ? "(none)" : known));
    }
    config.program_settings[name] = integer_at(node, dotted, setting->min, setting->max);
  }
}

void ConfigReader::read_component(const toml::table& table, const std::string& prefix,
                                  const ComponentInfo* component, ComponentSettings& settings,
                                  Config& config) const {
  for (const auto& [key, node] : table) {
    const std::string name(key.str());
    const std::string dotted = prefix + "." + name;
    if (name == "mode") {
      const std::string value = as<std::string>(node, dotted, "a string").get();
      const std::optional<Mode> mode = parse_mode(value);
      if (!mode) {
        fail(node.source(), dotted,
             "unknown mode \"" + value + "\"; expected one of " + std::string(kModeNames));
      }
      settings.requested_mode = *mode;
      // Asking for Rust before the port exists is a plan, not a mistake: the operator
      // hears about it, and the component keeps working on legacy.
      if (component != nullptr && component->rust_port == RustPort::kNone &&
          *mode != Mode::kLegacy) {
        const toml::source_position where = node.source().begin;
        config.warnings.push_back(locate(source_, where.line, where.column, dotted,
                                         "\"" + value + "\" requested but " + component->name +
                                             " has no Rust port yet; it stays on legacy"));
      }
    } else if (name == "canary_percent") {
      settings.canary_percent = number_at(node, dotted, 0.0, 100.0, false);
    } else if (name == "shadow_sample") {
      settings.shadow_sample = number_at(node, dotted, 0.0, 1.0, false);
    } else if (name == "tolerance") {
      if (component != nullptr && component->comparison == Comparison::kExact) {
        fail(key.source(), dotted,
             component->name + " is compared exactly; tolerance does not apply");
      }
      settings.tolerance = static_cast<std::uint32_t>(integer_at(node, dotted, 0, 65535));
    } else if (name == "breaker") {
      read_breaker(table_at(node, dotted), dotted, settings.breaker);
    } else {
      fail(key.source(), dotted,
           "unknown key '" + name + "'; expected one of " + std::string(kComponentKeys));
    }
  }
}

void ConfigReader::read_breaker(const toml::table& table, const std::string& prefix,
                                BreakerSettings& breaker) const {
  for (const auto& [key, node] : table) {
    const std::string name(key.str());
    const std::string dotted = prefix + "." + name;
    if (name == "window") {
      breaker.window = static_cast<std::uint32_t>(integer_at(node, dotted, 1, 100000));
    } else if (name == "min_calls") {
      // Checked against the window below, once both are known.
      breaker.min_calls = static_cast<std::uint32_t>(integer_at(node, dotted, 1, 100000));
    } else if (name == "failure_rate") {
      breaker.failure_rate = number_at(node, dotted, 0.0, 1.0, true);
    } else if (name == "slow_call_ms") {
      // 0 is allowed: with slow_call_ns_per_pixel the limit is then all per pixel (and
      // with both 0, slow-call detection is off).
      breaker.slow_call = std::chrono::milliseconds(integer_at(node, dotted, 0, 3600000));
    } else if (name == "slow_call_ns_per_pixel") {
      breaker.slow_call_ns_per_pixel = number_at(node, dotted, 0.0, 1e9, false);
    } else if (name == "slow_call_rate") {
      breaker.slow_call_rate = number_at(node, dotted, 0.0, 1.0, true);
    } else if (name == "open_ms") {
      breaker.open = std::chrono::milliseconds(integer_at(node, dotted, 0, 86400000));
    } else if (name == "half_open_calls") {
      breaker.half_open_calls = static_cast<std::uint32_t>(integer_at(node, dotted, 1, 10000));
    } else if (name == "mismatch_is_failure") {
      breaker.mismatch_is_failure = as<bool>(node, dotted, "a boolean").get();
    } else if (name == "state") {
      const std::string value = as<std::string>(node, dotted, "a string").get();
      const std::optional<BreakerOverride> state = parse_breaker_override(value);
      if (!state) {
        fail(node.source(), dotted,
             "unknown state \"" + value + "\"; expected one of " + std::string(kOverrideNames));
      }
      breaker.state = *state;
    } else {
      fail(key.source(), dotted,
           "unknown key '" + name + "'; expected one of " + std::string(kBreakerKeys));
    }
  }
  if (breaker.min_calls <= breaker.window) return;
  const std::string min_calls = std::to_string(breaker.min_calls);
  const std::string window = std::to_string(breaker.window);
  if (const toml::node* node = table.get("min_calls")) {
    fail(node->source(), prefix + ".min_calls",
         "must be between 1 and window (" + window + "), got " + min_calls);
  }
  // min_calls was inherited and fitted the inherited window, so this table lowered window.
  const toml::node* node = table.get("window");
  fail(node != nullptr ? node->source() : table.source(), prefix + ".window",
       "must be at least min_calls (" + min_calls + ", not set in this table), got " + window +
           "; set a lower min_calls too");
}

}  // namespace

std::string_view to_string(Mode mode) noexcept {
  switch (mode) {
    case Mode::kLegacy:
      return "legacy";
    case Mode::kShadow:
      return "shadow";
    case Mode::kCanary:
      return "canary";
    case Mode::kRust:
      return "rust";
  }
  return "unknown";
}

std::optional<Mode> parse_mode(std::string_view name) noexcept {
  for (Mode mode : {Mode::kLegacy, Mode::kShadow, Mode::kCanary, Mode::kRust}) {
    if (to_string(mode) == name) return mode;
  }
  return std::nullopt;
}

std::string_view to_string(BreakerOverride value) noexcept {
  switch (value) {
    case BreakerOverride::kAuto:
      return "auto";
    case BreakerOverride::kForcedOpen:
      return "forced_open";
    case BreakerOverride::kDisabled:
      return "disabled";
  }
  return "unknown";
}

std::optional<BreakerOverride> parse_breaker_override(std::string_view name) noexcept {
  for (BreakerOverride value :
       {BreakerOverride::kAuto, BreakerOverride::kForcedOpen, BreakerOverride::kDisabled}) {
    if (to_string(value) == name) return value;
  }
  return std::nullopt;
}

std::optional<bool> parse_switch(std::string_view text) noexcept {
  constexpr std::string_view kSpace = " \t\n\r\f\v";
  const std::size_t first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return false;  // empty, or only whitespace
  text = text.substr(first, text.find_last_not_of(kSpace) - first + 1);
  const auto is = [text](std::string_view word) {
    if (text.size() != word.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i) {
      // ASCII folding only: the words are ASCII, and a locale must not change the answer.
      const char c = text[i];
      if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != word[i]) return false;
    }
    return true;
  };
  for (std::string_view word : {"1", "true", "yes", "on"}) {
    if (is(word)) return true;
  }
  for (std::string_view word : {"0", "false", "no", "off"}) {
    if (is(word)) return false;
  }
  return std::nullopt;
}

bool operator==(const BreakerSettings& a, const BreakerSettings& b) noexcept {
  return a.window == b.window && a.min_calls == b.min_calls && a.failure_rate == b.failure_rate &&
         a.slow_call == b.slow_call && a.slow_call_ns_per_pixel == b.slow_call_ns_per_pixel &&
         a.slow_call_rate == b.slow_call_rate && a.open == b.open &&
         a.half_open_calls == b.half_open_calls && a.mismatch_is_failure == b.mismatch_is_failure &&
         a.state == b.state;
}

bool operator==(const ComponentSettings& a, const ComponentSettings& b) noexcept {
  return a.mode == b.mode && a.requested_mode == b.requested_mode &&
         a.canary_percent == b.canary_percent && a.shadow_sample == b.shadow_sample &&
         a.tolerance == b.tolerance && a.breaker == b.breaker;
}

bool operator==(const Config& a, const Config& b) noexcept {
  return a.reload_interval == b.reload_interval && a.mismatch_log_size == b.mismatch_log_size &&
         a.capture == b.capture && a.components == b.components && a.failpoints == b.failpoints &&
         a.program_settings == b.program_settings && a.promotion == b.promotion;
}

ConfigError::ConfigError(std::string source, std::uint32_t line, std::uint32_t column,
                         std::string key, std::string problem)
    : std::runtime_error(locate(source, line, column, key, problem)),
      source_(std::move(source)),
      line_(line),
      column_(column),
      key_(std::move(key)),
      problem_(std::move(problem)) {}

Config default_config(const Catalog& catalog) {
  Config config;
  config.source = "<defaults>";
  for (const ProgramSetting& setting : catalog.program().settings) {
    config.program_settings[setting.key] = setting.default_value;
  }
  config.components.reserve(catalog.size());
  for (const ComponentInfo& info : catalog.components()) {
    ComponentSettings settings;
    if (info.comparison == Comparison::kTolerance) settings.tolerance = info.default_tolerance;
    config.components.push_back(settings);
  }
  return config;
}

Config parse_config(std::string_view text, std::string_view source, const Catalog& catalog) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& error) {
    const toml::source_position where = error.source().begin;
    throw ConfigError(std::string(source), where.line, where.column, "",
                      std::string(error.description()));
  }
  return ConfigReader(source, catalog).read(root);
}

}  // namespace switchyard
