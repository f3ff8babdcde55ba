// Reports read back from the JSON to_json writes, and runs summed into one report.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

#include "switchyard/report.hpp"

namespace switchyard {
namespace {

// Ordered: components come back in the order the file lists them (the catalog order).
using Json = nlohmann::ordered_json;

std::string join(const std::string& prefix, std::string_view name) {
  return prefix.empty() ? std::string(name) : prefix + "." + std::string(name);
}

// Reads one parsed document into a Report, naming the dotted key of the first value it
// cannot use.
class ReportReader {
 public:
  explicit ReportReader(std::string_view source) : source_(source) {}

  Report read(const Json& root) const;

 private:
  [[noreturn]] void fail(const std::string& key, const std::string& problem) const {
    throw ReportError(source_, key, problem);
  }
  [[noreturn]] void wrong_type(const Json& value, const std::string& key,
                               std::string_view expected) const {
    fail(key, "expected " + std::string(expected) + ", got " + value.type_name());
  }

  // The member `name` of `object` (whose own key is `prefix`), or null when it is absent.
  static const Json* find(const Json& object, std::string_view name) {
    const auto member = object.find(name);
    return member == object.end() ? nullptr : &*member;
  }
  const Json& required(const Json& object, const std::string& prefix, std::string_view name) const {
    const Json* member = find(object, name);
    if (member == nullptr) fail(join(prefix, name), "missing");
    return *member;
  }
  const Json& object(const Json& value, const std::string& key) const {
    if (!value.is_object()) wrong_type(value, key, "an object");
    return value;
  }
  std::uint64_t count(const Json& value, const std::string& key) const;
  double number(const Json& value, const std::string& key) const;
  std::string text(const Json& value, const std::string& key) const;
  bool boolean(const Json& value, const std::string& key) const;
  Duration milliseconds(const Json& value, const std::string& key) const;

  // Optional members: the default when absent, else read as the required ones are.
  std::uint64_t count_or_zero(const Json& parent, const std::string& prefix,
                              std::string_view name) const {
    const Json* member = find(parent, name);
    return member == nullptr ? 0 : count(*member, join(prefix, name));
  }

  void read_config(const Json& config, Report& report) const;
  ComponentReport read_component(const std::string& name, const Json& json) const;
  void read_settings(const Json& json, const std::string& prefix,
                     ComponentSettings& settings) const;
  void read_breaker(const Json& json, const std::string& prefix, ComponentReport& component) const;
  void read_breaker_settings(const Json& json, const std::string& prefix,
                             BreakerSettings& settings) const;
  void read_transitions(const Json& json, const std::string& prefix, ComponentCounts& counts) const;
  LatencyHistogram read_histogram(const Json& json, const std::string& prefix) const;
  MismatchRecord read_mismatch(const Json& json, const std::string& prefix) const;

  std::string source_;
};

std::uint64_t ReportReader::count(const Json& value, const std::string& key) const {
  if (value.is_number_unsigned()) return value.get<std::uint64_t>();
  if (value.is_number_integer()) fail(key, "must not be negative, got " + value.dump());
  wrong_type(value, key, "a count (a whole number)");
}

double ReportReader::number(const Json& value, const std::string& key) const {
  if (!value.is_number()) wrong_type(value, key, "a number");
  const double result = value.get<double>();
  // JSON has no NaN or infinity; a number past a double's range parses to infinity.
  if (!std::isfinite(result)) fail(key, "must be a finite number, got " + value.dump());
  return result;
}

std::string ReportReader::text(const Json& value, const std::string& key) const {
  if (!value.is_string()) wrong_type(value, key, "a string");
  return value.get<std::string>();
}

bool ReportReader::boolean(const Json& value, const std::string& key) const {
  if (!value.is_boolean()) wrong_type(value, key, "true or false");
  return value.get<bool>();
}

Duration ReportReader::milliseconds(const Json& value, const std::string& key) const {
  const double ms = number(value, key);
  // Beyond ~292 years in nanoseconds a Duration overflows; no call takes that long.
  constexpr double kMaxMs = 9.2e12;
  if (ms < 0 || ms > kMaxMs) fail(key, "must be between 0 and 9.2e12 ms, got " + value.dump());
  return Duration(std::llround(ms * 1e6));
}

Report ReportReader::read(const Json& root) const {
  object(root, "(the document)");
  Report report;
  if (const Json* config = find(root, "config")) read_config(object(*config, "config"), report);
  if (const Json* failpoints = find(root, "failpoints")) {
    for (const auto& [name, actions] : object(*failpoints, "failpoints").items()) {
      report.failpoints[name] = text(actions, join("failpoints", name));
    }
  }
  const Json& components = object(required(root, "", "components"), "components");
  for (const auto& [name, component] : components.items()) {
    report.components.push_back(read_component(name, component));
  }
  // The program's own settings are the one other table to_json writes (report.hpp).
  for (const auto& [table, settings] : root.items()) {
    if (table == "config" || table == "failpoints" || table == "components") continue;
    if (!settings.is_object() || !report.program_table.empty()) continue;
    report.program_table = table;
    for (const auto& [key, value] : settings.items()) {
      const std::string dotted = join(table, key);
      if (!value.is_number_integer()) wrong_type(value, dotted, "an integer");
      report.program_settings[key] = value.get<std::int64_t>();
    }
  }
  return report;
}

void ReportReader::read_config(const Json& config, Report& report) const {
  if (const Json* source = find(config, "source")) {
    report.config_source = text(*source, "config.source");
  }
  report.config_version = count_or_zero(config, "config", "version");
  if (const Json* force = find(config, "force_legacy")) {
    report.force_legacy = boolean(*force, "config.force_legacy");
  }
  if (const Json* reloads = find(config, "reloads")) {
    object(*reloads, "config.reloads");
    report.reloads.ok = count_or_zero(*reloads, "config.reloads", "ok");
    report.reloads.failed = count_or_zero(*reloads, "config.reloads", "failed");
  }
  if (const Json* error = find(config, "last_reload_error")) {
    report.last_reload_error = text(*error, "config.last_reload_error");
  }
  if (const Json* warnings = find(config, "warnings")) {
    if (!warnings->is_array()) wrong_type(*warnings, "config.warnings", "an array");
    for (std::size_t i = 0; i < warnings->size(); ++i) {
      report.warnings.push_back(text((*warnings)[i], "config.warnings." + std::to_string(i)));
    }
  }
}

ComponentReport ReportReader::read_component(const std::string& name, const Json& json) const {
  const std::string prefix = join("components", name);
  object(json, prefix);
  ComponentReport component;
  component.name = name;
  component.rust_port = boolean(required(json, prefix, "rust_port"), join(prefix, "rust_port"))
                            ? RustPort::kAvailable
                            : RustPort::kNone;
  read_settings(json, prefix, component.settings);

  ComponentCounts& counts = component.counts;
  const std::string calls_key = join(prefix, "calls");
  const Json& calls = object(required(json, prefix, "calls"), calls_key);
  for (std::size_t r = 0; r < kRouteCount; ++r) {
    const std::string_view route = to_string(static_cast<Route>(r));
    counts.calls[r] = count(required(calls, calls_key, route), join(calls_key, route));
  }
  const std::string fallbacks_key = join(prefix, "fallbacks");
  const Json& fallbacks = object(required(json, prefix, "fallbacks"), fallbacks_key);
  for (std::size_t c = 0; c < kFallbackCauseCount; ++c) {
    const std::string_view cause = to_string(static_cast<FallbackCause>(c));
    counts.fallbacks[c] =
        count(required(fallbacks, fallbacks_key, cause), join(fallbacks_key, cause));
  }
  counts.mismatches = count(required(json, prefix, "mismatches"), join(prefix, "mismatches"));
  counts.error_mismatches = count_or_zero(json, prefix, "error_mismatches");
  counts.slow_calls = count_or_zero(json, prefix, "slow_calls");
  if (const Json* captures = find(json, "captures")) {
    const std::string key = join(prefix, "captures");
    object(*captures, key);
    counts.captures_written = count_or_zero(*captures, key, "written");
    counts.captures_dropped = count_or_zero(*captures, key, "dropped");
  }
  if (const Json* recent = find(json, "recent_mismatches")) {
    const std::string key = join(prefix, "recent_mismatches");
    if (!recent->is_array()) wrong_type(*recent, key, "an array");
    for (std::size_t i = 0; i < recent->size(); ++i) {
      counts.recent_mismatches.push_back(read_mismatch((*recent)[i], join(key, std::to_string(i))));
    }
  }
  read_breaker(required(json, prefix, "breaker"), join(prefix, "breaker"), component);
  if (const Json* latency = find(json, "latency")) {
    const std::string key = join(prefix, "latency");
    for (const auto& [route_name, histogram] : object(*latency, key).items()) {
      std::size_t r = 0;
      while (r < kRouteCount && to_string(static_cast<Route>(r)) != route_name) ++r;
      if (r == kRouteCount)
        fail(join(key, route_name), "unknown route; expected legacy, rust or shadow");
      counts.latency[r] = read_histogram(histogram, join(key, route_name));
    }
  }
  return component;
}

void ReportReader::read_settings(const Json& json, const std::string& prefix,
                                 ComponentSettings& settings) const {
  const auto mode_at = [&](const Json& value, const std::string& key) {
    const std::string name = text(value, key);
    const std::optional<Mode> mode = parse_mode(name);
    if (!mode) fail(key, "unknown mode \"" + name + "\"; expected legacy, shadow, canary or rust");
    return *mode;
  };
  settings.mode = mode_at(required(json, prefix, "mode"), join(prefix, "mode"));
  const Json* requested = find(json, "requested_mode");
  settings.requested_mode =
      requested == nullptr ? settings.mode : mode_at(*requested, join(prefix, "requested_mode"));
  if (const Json* percent = find(json, "canary_percent")) {
    settings.canary_percent = number(*percent, join(prefix, "canary_percent"));
  }
  if (const Json* sample = find(json, "shadow_sample")) {
    settings.shadow_sample = number(*sample, join(prefix, "shadow_sample"));
  }
  const std::uint64_t tolerance = count_or_zero(json, prefix, "tolerance");
  if (tolerance > std::numeric_limits<std::uint32_t>::max()) {
    fail(join(prefix, "tolerance"), "too large: " + std::to_string(tolerance));
  }
  settings.tolerance = static_cast<std::uint32_t>(tolerance);
}

void ReportReader::read_breaker(const Json& json, const std::string& prefix,
                                ComponentReport& component) const {
  object(json, prefix);
  const std::string state_key = join(prefix, "state");
  const std::string state = text(required(json, prefix, "state"), state_key);
  std::size_t s = 0;
  while (s < kBreakerStateCount && to_string(static_cast<BreakerState>(s)) != state) ++s;
  if (s == kBreakerStateCount) fail(state_key, "unknown breaker state \"" + state + "\"");
  component.breaker_state = static_cast<BreakerState>(s);
  if (const Json* settings = find(json, "settings")) {
    read_breaker_settings(object(*settings, join(prefix, "settings")), join(prefix, "settings"),
                          component.settings.breaker);
  }
  if (const Json* transitions = find(json, "transitions")) {
    read_transitions(object(*transitions, join(prefix, "transitions")), join(prefix, "transitions"),
                     component.counts);
  }
}

void ReportReader::read_breaker_settings(const Json& json, const std::string& prefix,
                                         BreakerSettings& settings) const {
  const auto small_count = [&](std::string_view name, std::uint32_t& field) {
    if (const Json* value = find(json, name)) {
      const std::uint64_t n = count(*value, join(prefix, name));
      if (n > std::numeric_limits<std::uint32_t>::max()) fail(join(prefix, name), "too large");
      field = static_cast<std::uint32_t>(n);
    }
  };
  const auto real = [&](std::string_view name, double& field) {
    if (const Json* value = find(json, name)) field = number(*value, join(prefix, name));
  };
  const auto millis = [&](std::string_view name, std::chrono::milliseconds& field) {
    if (const Json* value = find(json, name)) {
      field = std::chrono::milliseconds(count(*value, join(prefix, name)));
    }
  };
  small_count("window", settings.window);
  small_count("min_calls", settings.min_calls);
  real("failure_rate", settings.failure_rate);
  millis("slow_call_ms", settings.slow_call);
  real("slow_call_ns_per_pixel", settings.slow_call_ns_per_pixel);
  real("slow_call_rate", settings.slow_call_rate);
  millis("open_ms", settings.open);
  small_count("half_open_calls", settings.half_open_calls);
  if (const Json* value = find(json, "mismatch_is_failure")) {
    settings.mismatch_is_failure = boolean(*value, join(prefix, "mismatch_is_failure"));
  }
  if (const Json* value = find(json, "state")) {
    const std::string name = text(*value, join(prefix, "state"));
    const std::optional<BreakerOverride> state = parse_breaker_override(name);
    if (!state) fail(join(prefix, "state"), "unknown breaker override \"" + name + "\"");
    settings.state = *state;
  }
}

void ReportReader::read_transitions(const Json& json, const std::string& prefix,
                                    ComponentCounts& counts) const {
  const auto state_index = [](std::string_view name) {
    std::size_t s = 0;
    while (s < kBreakerStateCount && to_string(static_cast<BreakerState>(s)) != name) ++s;
    return s;
  };
  for (const auto& [key, value] : json.items()) {
    const std::size_t arrow = key.find("->");
    const std::size_t from =
        arrow == std::string::npos ? kBreakerStateCount : state_index(key.substr(0, arrow));
    const std::size_t to =
        arrow == std::string::npos ? kBreakerStateCount : state_index(key.substr(arrow + 2));
    if (from == kBreakerStateCount || to == kBreakerStateCount) {
      fail(join(prefix, key), "not a transition between breaker states (e.g. \"closed->open\")");
    }
    counts.transitions[from][to] = count(value, join(prefix, key));
  }
}

LatencyHistogram ReportReader::read_histogram(const Json& json, const std::string& prefix) const {
  object(json, prefix);
  LatencyHistogram histogram;
  if (const Json* buckets = find(json, "buckets")) {
    const std::string key = join(prefix, "buckets");
    if (!buckets->is_array()) wrong_type(*buckets, key, "an array of [le_ms, calls]");
    for (std::size_t i = 0; i < buckets->size(); ++i) {
      const Json& bucket = (*buckets)[i];
      const std::string bucket_key = join(key, std::to_string(i));
      if (!bucket.is_array() || bucket.size() != 2) {
        wrong_type(bucket, bucket_key, "a pair [le_ms, calls]");
      }
      std::size_t index = kLatencyBucketCount - 1;  // null: the +Inf bucket
      if (!bucket[0].is_null()) {
        const Duration bound = milliseconds(bucket[0], bucket_key);
        index = latency_bucket_index(bound);
        // Only the bounds to_json writes sum exactly; any other means another histogram.
        if (index + 1 >= kLatencyBucketCount || latency_bucket_bound(index) != bound) {
          fail(bucket_key, "upper bound " + bucket[0].dump() +
                               " ms is not one of switchyard's latency bucket bounds");
        }
      }
      histogram.buckets[index] += count(bucket[1], bucket_key);
    }
  }
  std::uint64_t bucket_total = 0;
  for (std::uint64_t n : histogram.buckets) bucket_total += n;
  const Json* total = find(json, "count");
  histogram.count = total == nullptr ? bucket_total : count(*total, join(prefix, "count"));
  if (const Json* sum = find(json, "sum_ms"))
    histogram.sum = milliseconds(*sum, join(prefix, "sum_ms"));
  if (const Json* min = find(json, "min_ms"))
    histogram.min = milliseconds(*min, join(prefix, "min_ms"));
  if (const Json* max = find(json, "max_ms"))
    histogram.max = milliseconds(*max, join(prefix, "max_ms"));
  if (histogram.max < histogram.min) {
    fail(join(prefix, "max_ms"), "smaller than min_ms");
  }
  return histogram;
}

MismatchRecord ReportReader::read_mismatch(const Json& json, const std::string& prefix) const {
  object(json, prefix);
  MismatchRecord record;
  const auto string_field = [&](std::string_view name, std::string& field) {
    if (const Json* value = find(json, name)) field = text(*value, join(prefix, name));
  };
  const auto small_count = [&](std::string_view name, std::uint32_t& field) {
    const std::uint64_t n = count_or_zero(json, prefix, name);
    if (n > std::numeric_limits<std::uint32_t>::max()) fail(join(prefix, name), "too large");
    field = static_cast<std::uint32_t>(n);
  };
  if (const Json* kind = find(json, "kind")) {
    const std::string name = text(*kind, join(prefix, "kind"));
    if (name != "value" && name != "error") fail(join(prefix, "kind"), "expected value or error");
    record.kind = name == "error" ? MismatchKind::kError : MismatchKind::kValue;
  }
  string_field("input_digest", record.input_digest);
  small_count("width", record.width);
  small_count("height", record.height);
  small_count("channels", record.channels);
  small_count("x", record.x);
  small_count("y", record.y);
  small_count("channel", record.channel);
  small_count("max_difference", record.max_difference);
  string_field("detail", record.detail);
  string_field("legacy_error", record.legacy_error);
  string_field("rust_error", record.rust_error);
  string_field("capture", record.capture);
  std::string time;
  string_field("time", time);
  if (!time.empty()) {
    // "2024-05-01T12:34:56.789Z", as report.cpp writes it.
    std::tm utc{};
    int millis = 0;
    if (std::sscanf(time.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &utc.tm_year, &utc.tm_mon, &utc.tm_mday,
                    &utc.tm_hour, &utc.tm_min, &utc.tm_sec, &millis) != 7) {
      fail(join(prefix, "time"), "expected a UTC time like 2024-05-01T12:34:56.789Z");
    }
    utc.tm_year -= 1900;
    utc.tm_mon -= 1;
    record.when =
        std::chrono::system_clock::from_time_t(timegm(&utc)) + std::chrono::milliseconds(millis);
  }
  return record;
}

void add_counts(ComponentCounts& total, const ComponentCounts& run) {
  for (std::size_t r = 0; r < kRouteCount; ++r) {
    total.calls[r] += run.calls[r];
    total.latency[r].merge(run.latency[r]);
  }
  for (std::size_t c = 0; c < kFallbackCauseCount; ++c) total.fallbacks[c] += run.fallbacks[c];
  total.slow_calls += run.slow_calls;
  total.mismatches += run.mismatches;
  total.error_mismatches += run.error_mismatches;
  total.captures_written += run.captures_written;
  total.captures_dropped += run.captures_dropped;
  for (std::size_t from = 0; from < kBreakerStateCount; ++from) {
    for (std::size_t to = 0; to < kBreakerStateCount; ++to) {
      total.transitions[from][to] += run.transitions[from][to];
    }
  }
  total.recent_mismatches.insert(total.recent_mismatches.end(), run.recent_mismatches.begin(),
                                 run.recent_mismatches.end());
}

}  // namespace

ReportError::ReportError(std::string source, std::string key, std::string problem)
    : std::runtime_error(source + ": " + (key.empty() ? "" : key + ": ") + problem),
      source_(std::move(source)),
      key_(std::move(key)) {}

Report report_from_json(std::string_view text, std::string_view source) {
  Json root;
  try {
    root = Json::parse(text);
  } catch (const Json::parse_error& error) {
    // "[json.exception.parse_error.101] parse error at line 3, column 1: ..." without the
    // library's tag, which tells an operator nothing.
    std::string message = error.what();
    const std::size_t tag_end = message.find("] ");
    if (tag_end != std::string::npos) message.erase(0, tag_end + 2);
    throw ReportError(std::string(source), "", "not JSON: " + message);
  }
  return ReportReader(source).read(root);
}

Report sum_reports(const std::vector<Report>& runs) {
  Report total;
  for (const Report& run : runs) {
    total.config_source = run.config_source;
    total.config_version = run.config_version;
    total.force_legacy = run.force_legacy;
    total.reloads.ok += run.reloads.ok;
    total.reloads.failed += run.reloads.failed;
    total.last_reload_error = run.last_reload_error;
    total.warnings = run.warnings;
    total.failpoints = run.failpoints;
    if (!run.program_table.empty()) {
      total.program_table = run.program_table;
      total.program_settings = run.program_settings;
    }
    for (const ComponentReport& component : run.components) {
      auto existing =
          std::find_if(total.components.begin(), total.components.end(),
                       [&](const ComponentReport& c) { return c.name == component.name; });
      if (existing == total.components.end()) {
        total.components.push_back(component);
        continue;
      }
      existing->rust_port = component.rust_port;
      existing->settings = component.settings;
      existing->breaker_state = component.breaker_state;
      add_counts(existing->counts, component.counts);
    }
  }
  return total;
}

}  // namespace switchyard
