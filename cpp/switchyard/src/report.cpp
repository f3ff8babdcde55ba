#include "switchyard/report.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string_view>
#include <utility>

namespace switchyard {

std::string iso8601_utc(std::chrono::system_clock::time_point when) {
  using std::chrono::milliseconds;
  const auto since_epoch = std::chrono::floor<milliseconds>(when.time_since_epoch());
  const auto seconds = std::chrono::floor<std::chrono::seconds>(since_epoch);
  const auto millis = (since_epoch - seconds).count();
  const auto time = static_cast<std::time_t>(seconds.count());
  std::tm utc{};
  gmtime_r(&time, &utc);
  char text[40];
  const std::size_t length = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(text + length, sizeof text - length, ".%03dZ", static_cast<int>(millis));
  return text;
}

namespace {

// Ordered, so the keys come out in the order report.hpp and README.md document them.
using Json = nlohmann::ordered_json;

double milliseconds(Duration duration) { return static_cast<double>(duration.count()) / 1e6; }

Json mismatch_json(const MismatchRecord& record) {
  return Json{{"kind", to_string(record.kind)},
              {"input_digest", record.input_digest},
              {"width", record.width},
              {"height", record.height},
              {"channels", record.channels},
              {"x", record.x},
              {"y", record.y},
              {"channel", record.channel},
              {"max_difference", record.max_difference},
              {"detail", record.detail},
              {"legacy_error", record.legacy_error},
              {"rust_error", record.rust_error},
              {"capture", record.capture},
              {"time", iso8601_utc(record.when)}};
}

// The non-empty buckets as [upper bound in ms (null for +Inf), calls]: enough to sum
// runs exactly (report_from_json).
Json buckets_json(const LatencyHistogram& histogram) {
  Json buckets = Json::array();
  for (std::size_t b = 0; b < kLatencyBucketCount; ++b) {
    if (histogram.buckets[b] == 0) continue;
    const Json bound =
        b + 1 == kLatencyBucketCount ? Json(nullptr) : Json(milliseconds(latency_bucket_bound(b)));
    buckets.push_back(Json::array({bound, histogram.buckets[b]}));
  }
  return buckets;
}

Json breaker_json(const ComponentReport& component) {
  const BreakerSettings& settings = component.settings.breaker;
  Json transitions = Json::object();
  for (std::size_t from = 0; from < kBreakerStateCount; ++from) {
    for (std::size_t to = 0; to < kBreakerStateCount; ++to) {
      const std::uint64_t count = component.counts.transitions[from][to];
      if (count == 0) continue;
      std::string key(to_string(static_cast<BreakerState>(from)));
      key += "->";
      key += to_string(static_cast<BreakerState>(to));
      transitions[key] = count;
    }
  }
  return Json{{"state", to_string(component.breaker_state)},
              {"settings",
               {{"window", settings.window},
                {"min_calls", settings.min_calls},
                {"failure_rate", settings.failure_rate},
                {"slow_call_ms", settings.slow_call.count()},
                {"slow_call_ns_per_pixel", settings.slow_call_ns_per_pixel},
                {"slow_call_rate", settings.slow_call_rate},
                {"open_ms", settings.open.count()},
                {"half_open_calls", settings.half_open_calls},
                {"mismatch_is_failure", settings.mismatch_is_failure},
                {"state", to_string(settings.state)}}},
              {"transitions", std::move(transitions)}};
}

Json component_json(const ComponentReport& component) {
  const ComponentSettings& settings = component.settings;
  const ComponentCounts& counts = component.counts;
  Json calls = Json::object();
  Json latency = Json::object();
  for (std::size_t r = 0; r < kRouteCount; ++r) {
    const std::string route(to_string(static_cast<Route>(r)));
    calls[route] = counts.calls[r];
    const LatencyHistogram& histogram = counts.latency[r];
    latency[route] = Json{{"count", histogram.count},
                          {"p50_ms", milliseconds(histogram.quantile(0.50))},
                          {"p90_ms", milliseconds(histogram.quantile(0.90))},
                          {"p99_ms", milliseconds(histogram.quantile(0.99))},
                          {"min_ms", milliseconds(histogram.min)},
                          {"max_ms", milliseconds(histogram.max)},
                          {"sum_ms", milliseconds(histogram.sum)},
                          {"buckets", buckets_json(histogram)}};
  }
  Json fallbacks = Json::object();
  for (std::size_t c = 0; c < kFallbackCauseCount; ++c) {
    fallbacks[std::string(to_string(static_cast<FallbackCause>(c)))] = counts.fallbacks[c];
  }
  Json recent = Json::array();
  for (const MismatchRecord& record : counts.recent_mismatches) {
    recent.push_back(mismatch_json(record));
  }
  return Json{
      {"mode", to_string(settings.mode)},
      {"requested_mode", to_string(settings.requested_mode)},
      {"rust_port", component.rust_port == RustPort::kAvailable},
      {"canary_percent", settings.canary_percent},
      {"shadow_sample", settings.shadow_sample},
      {"tolerance", settings.tolerance},
      {"calls", std::move(calls)},
      {"fallbacks", std::move(fallbacks)},
      {"slow_calls", counts.slow_calls},
      {"mismatches", counts.mismatches},
      {"error_mismatches", counts.error_mismatches},
      {"captures", {{"written", counts.captures_written}, {"dropped", counts.captures_dropped}}},
      {"recent_mismatches", std::move(recent)},
      {"breaker", breaker_json(component)},
      {"latency", std::move(latency)}};
}

// Prometheus text exposition format 0.0.4.
using Labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

std::string escape_label_value(std::string_view value) {
  std::string escaped;
  escaped.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      escaped += "\\\\";
    } else if (c == '"') {
      escaped += "\\\"";
    } else if (c == '\n') {
      escaped += "\\n";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

// Whole nanoseconds as exact decimal seconds ("0.000001414"): no float formatting, so
// bucket bounds print the same everywhere.
std::string seconds_text(std::int64_t nanoseconds) {
  std::string text = nanoseconds < 0 ? "-" : "";
  const std::uint64_t magnitude = nanoseconds < 0 ? 0 - static_cast<std::uint64_t>(nanoseconds)
                                                  : static_cast<std::uint64_t>(nanoseconds);
  text += std::to_string(magnitude / 1'000'000'000);
  std::string fraction = std::to_string(magnitude % 1'000'000'000);
  fraction.insert(0, 9 - fraction.size(), '0');
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  if (!fraction.empty()) text += "." + fraction;
  return text;
}

void write_family(std::string& out, std::string_view name, std::string_view type,
                  std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void write_sample(std::string& out, std::string_view name, Labels labels, std::string_view value) {
  out.append(name);
  if (labels.size() != 0) {
    out += '{';
    bool first = true;
    for (const auto& [label, label_value] : labels) {
      if (!first) out += ',';
      first = false;
      out.append(label).append("=\"").append(escape_label_value(label_value)).append("\"");
    }
    out += '}';
  }
  out.append(" ").append(value).append("\n");
}

void write_sample(std::string& out, std::string_view name, Labels labels, std::uint64_t value) {
  write_sample(out, name, labels, std::to_string(value));
}

void write_counts(std::string& out, const Report& report) {
  write_family(out, "switchyard_calls_total", "counter", "Calls per component and route taken.");
  for (const ComponentReport& c : report.components) {
    for (std::size_t r = 0; r < kRouteCount; ++r) {
      write_sample(out, "switchyard_calls_total",
                   {{"component", c.name}, {"route", to_string(static_cast<Route>(r))}},
                   c.counts.calls[r]);
    }
  }
  write_family(out, "switchyard_fallbacks_total", "counter",
               "Calls legacy answered instead of Rust, per cause.");
  for (const ComponentReport& c : report.components) {
    for (std::size_t f = 0; f < kFallbackCauseCount; ++f) {
      write_sample(out, "switchyard_fallbacks_total",
                   {{"component", c.name}, {"cause", to_string(static_cast<FallbackCause>(f))}},
                   c.counts.fallbacks[f]);
    }
  }
  write_family(out, "switchyard_slow_calls_total", "counter",
               "Rust calls slower than the slow-call limit; their answers were kept.");
  for (const ComponentReport& c : report.components) {
    write_sample(out, "switchyard_slow_calls_total", {{"component", c.name}}, c.counts.slow_calls);
  }
  write_family(out, "switchyard_mismatches_total", "counter",
               "Shadow comparisons where Rust's output differed from legacy's.");
  for (const ComponentReport& c : report.components) {
    write_sample(out, "switchyard_mismatches_total", {{"component", c.name}}, c.counts.mismatches);
  }
  write_family(out, "switchyard_error_mismatches_total", "counter",
               "Inputs legacy rejected that Rust answered, or rejected with another category.");
  for (const ComponentReport& c : report.components) {
    write_sample(out, "switchyard_error_mismatches_total", {{"component", c.name}},
                 c.counts.error_mismatches);
  }
  write_family(out, "switchyard_captures_total", "counter",
               "Mismatching inputs written to the capture folder, or dropped.");
  for (const ComponentReport& c : report.components) {
    write_sample(out, "switchyard_captures_total", {{"component", c.name}, {"result", "written"}},
                 c.counts.captures_written);
    write_sample(out, "switchyard_captures_total", {{"component", c.name}, {"result", "dropped"}},
                 c.counts.captures_dropped);
  }
}

void write_states(std::string& out, const Report& report) {
  write_family(out, "switchyard_breaker_state", "gauge",
               "1 for the circuit breaker's current state, 0 for the others.");
  for (const ComponentReport& c : report.components) {
    for (std::size_t s = 0; s < kBreakerStateCount; ++s) {
      const auto state = static_cast<BreakerState>(s);
      write_sample(out, "switchyard_breaker_state",
                   {{"component", c.name}, {"state", to_string(state)}},
                   c.breaker_state == state ? 1 : 0);
    }
  }
  write_family(out, "switchyard_breaker_transitions_total", "counter",
               "Circuit breaker state changes.");
  for (const ComponentReport& c : report.components) {
    for (std::size_t from = 0; from < kBreakerStateCount; ++from) {
      for (std::size_t to = 0; to < kBreakerStateCount; ++to) {
        const std::uint64_t count = c.counts.transitions[from][to];
        if (count == 0) continue;
        write_sample(out, "switchyard_breaker_transitions_total",
                     {{"component", c.name},
                      {"from", to_string(static_cast<BreakerState>(from))},
                      {"to", to_string(static_cast<BreakerState>(to))}},
                     count);
      }
    }
  }
  write_family(out, "switchyard_mode", "gauge",
               "1 for the routing mode in effect, 0 for the others.");
  constexpr Mode kModes[] = {Mode::kLegacy, Mode::kShadow, Mode::kCanary, Mode::kRust};
  for (const ComponentReport& c : report.components) {
    for (Mode mode : kModes) {
      write_sample(out, "switchyard_mode", {{"component", c.name}, {"mode", to_string(mode)}},
                   c.settings.mode == mode ? 1 : 0);
    }
  }
}

void write_latency(std::string& out, const Report& report) {
  constexpr std::string_view kName = "switchyard_call_duration_seconds";
  write_family(out, kName, "histogram", "Call duration per route, legacy's sampled.");
  const std::string bucket_name = std::string(kName) + "_bucket";
  const std::string sum_name = std::string(kName) + "_sum";
  const std::string count_name = std::string(kName) + "_count";
  for (const ComponentReport& c : report.components) {
    for (std::size_t r = 0; r < kRouteCount; ++r) {
      const LatencyHistogram& histogram = c.counts.latency[r];
      std::uint64_t total = 0;
      for (std::uint64_t n : histogram.buckets) total += n;
      if (total == 0) continue;  // most components take one or two routes
      const std::string_view route = to_string(static_cast<Route>(r));
      std::uint64_t cumulative = 0;
      for (std::size_t b = 0; b < kLatencyBucketCount; ++b) {
        cumulative += histogram.buckets[b];
        const std::string le =
            b + 1 == kLatencyBucketCount ? "+Inf" : seconds_text(latency_bucket_bound(b).count());
        write_sample(out, bucket_name, {{"component", c.name}, {"route", route}, {"le", le}},
                     cumulative);
      }
      write_sample(out, sum_name, {{"component", c.name}, {"route", route}},
                   seconds_text(histogram.sum.count()));
      // The bucket total rather than histogram.count: the +Inf bucket must equal _count.
      write_sample(out, count_name, {{"component", c.name}, {"route", route}}, total);
    }
  }
}

void write_config(std::string& out, const Report& report) {
  write_family(out, "switchyard_config_reloads_total", "counter",
               "Config reload attempts by result.");
  write_sample(out, "switchyard_config_reloads_total", {{"result", "ok"}}, report.reloads.ok);
  write_sample(out, "switchyard_config_reloads_total", {{"result", "failed"}},
               report.reloads.failed);
  write_family(out, "switchyard_config_version", "gauge",
               "The config in effect: 1 for the first, +1 per published reload.");
  write_sample(out, "switchyard_config_version", {}, report.config_version);
  write_family(out, "switchyard_failpoint_configured", "gauge",
               "1 for each failpoint configured in the process, labelled with its actions.");
  for (const auto& [name, actions] : report.failpoints) {
    write_sample(out, "switchyard_failpoint_configured", {{"name", name}, {"actions", actions}},
                 std::uint64_t{1});
  }
}

}  // namespace

std::string to_json(const Report& report, int indent) {
  Json components = Json::object();
  for (const ComponentReport& component : report.components) {
    components[component.name] = component_json(component);
  }
  Json json{{"config",
             {{"source", report.config_source},
              {"version", report.config_version},
              {"force_legacy", report.force_legacy},
              {"reloads", {{"ok", report.reloads.ok}, {"failed", report.reloads.failed}}},
              {"last_reload_error", report.last_reload_error},
              {"warnings", report.warnings}}},
            {"failpoints", report.failpoints},
            {"components", std::move(components)}};
  if (!report.program_table.empty()) json[report.program_table] = report.program_settings;
  // Paths and error texts may not be UTF-8; a report must not throw over that.
  return json.dump(indent, ' ', false, Json::error_handler_t::replace);
}

std::string to_prometheus(const Report& report) {
  std::string out;
  write_counts(out, report);
  write_states(out, report);
  write_latency(out, report);
  write_config(out, report);
  return out;
}

}  // namespace switchyard
