#include "status_table.hpp"

#include <cstdio>
#include <sstream>
#include <string_view>

namespace imgkit::cli {
namespace {

std::string format_number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

// "shadow", or "legacy (asked: rust)" when the component cannot take the asked mode.
std::string describe_mode(const switchyard::ComponentSettings& settings) {
  std::string text(to_string(settings.mode));
  if (settings.requested_mode != settings.mode) {
    text += " (asked: " + std::string(to_string(settings.requested_mode)) + ")";
  }
  return text;
}

void pad(std::ostringstream& out, std::string_view text, std::size_t width) {
  out << text;
  for (std::size_t i = text.size(); i < width; ++i) out << ' ';
}

}  // namespace

std::string format_status(const switchyard::Report& report) {
  std::ostringstream out;
  out << "config: " << report.config_source << '\n';
  if (report.force_legacy) out << "IMGKIT_FORCE_LEGACY is on: every component is on legacy\n";
  for (const auto& warning : report.warnings) out << "warning: " << warning << '\n';
  for (const auto& [name, actions] : report.failpoints) {
    out << "failpoint in force: " << name << '=' << actions << '\n';
  }
  out << '\n';
  const std::size_t widths[] = {16, 22, 6, 9, 8, 7, 13, 0};
  const char* headers[] = {"component", "mode",   "rust",    "canary %",
                           "shadow",    "toler.", "breaker", "breaker settings"};
  for (std::size_t i = 0; i < 8; ++i) pad(out, headers[i], widths[i]);
  out << '\n';
  for (const auto& component : report.components) {
    const auto& s = component.settings;
    const auto& b = s.breaker;
    pad(out, component.name, widths[0]);
    pad(out, describe_mode(s), widths[1]);
    pad(out, component.rust_port == switchyard::RustPort::kAvailable ? "yes" : "no", widths[2]);
    pad(out, format_number(s.canary_percent), widths[3]);
    pad(out, format_number(s.shadow_sample), widths[4]);
    pad(out, std::to_string(s.tolerance), widths[5]);
    pad(out, to_string(component.breaker_state), widths[6]);
    out << to_string(b.state) << ": window " << b.window << ", min_calls " << b.min_calls
        << ", failure_rate " << format_number(b.failure_rate) << ", slow_call_ms "
        << b.slow_call.count() << ", slow_call_ns_per_pixel "
        << format_number(b.slow_call_ns_per_pixel) << ", slow_call_rate "
        << format_number(b.slow_call_rate) << ", open_ms " << b.open.count() << ", half_open_calls "
        << b.half_open_calls << (b.mismatch_is_failure ? ", mismatches fail" : "") << '\n';
  }
  return out.str();
}

}  // namespace imgkit::cli
