// textkit's routing, mode by mode: what the caller gets, the route each call took, and
// what the metrics count. Exits 1 naming every check that failed.
#include "routed_text.hpp"

#include <chrono>
#include <cstdint>
#include <iostream>
#include <string>

#include "legacy_text.hpp"
#include "switchyard/report.hpp"
#include "switchyard/route_key.hpp"

namespace {

using switchyard::BreakerState;
using switchyard::FallbackCause;
using switchyard::Route;

int g_failures = 0;

void check(bool ok, const std::string& what) {
  if (!ok) {
    ++g_failures;
    std::cerr << "FAILED: " << what << '\n';
  }
}

// Collapsed by the port, kept by legacy: a known behaviour difference.
const std::string kNoBreakSpace =
    "a\xC2\xA0"
    "b";
// Invalid UTF-8: legacy passes it through, the port throws.
const std::string kInvalidUtf8 = "bad \xFF byte";

switchyard::Config config(const std::string& toml) {
  return switchyard::parse_config(toml, "test", textkit::catalog());
}

switchyard::ComponentCounts counts(textkit::RoutedText& text, std::string_view name) {
  return text.router().metrics().components().at(textkit::catalog().find(name).value());
}

std::uint64_t fallbacks(const switchyard::ComponentCounts& counts, FallbackCause cause) {
  return counts.fallbacks[static_cast<std::size_t>(cause)];
}

std::uint64_t calls(const switchyard::ComponentCounts& counts, Route route) {
  return counts.calls[static_cast<std::size_t>(route)];
}

void shipped_config_loads() {
  const switchyard::Config shipped =
      switchyard::load_config_file(TEXTKIT_DEFAULT_CONFIG, textkit::catalog());
  check(shipped.components.at(0).mode == switchyard::Mode::kShadow,
        "textkit.toml: normalize_whitespace is in shadow");
  check(shipped.components.at(1).mode == switchyard::Mode::kCanary,
        "textkit.toml: adler32 is in canary");
}

void legacy_mode_answers_from_legacy() {
  textkit::RoutedText text(config(""));  // every component on legacy
  check(text.normalize_whitespace(kNoBreakSpace) == kNoBreakSpace,
        "legacy: the no-break space is kept, as legacy does");
  check(switchyard::Router::last_decision().route == Route::kLegacy, "legacy: the legacy route");
  check(text.adler32("Wikipedia") == 0x11E60398, "legacy: adler32 of Wikipedia");
  const switchyard::ComponentCounts c = counts(text, textkit::kNormalizeWhitespace);
  check(calls(c, Route::kLegacy) == 1 && calls(c, Route::kRust) == 0, "legacy: one legacy call");
}

void shadow_mode_records_a_mismatch() {
  textkit::RoutedText text(config("[components.normalize_whitespace]\nmode = \"shadow\"\n"));
  check(text.normalize_whitespace("  same  on both ") == "same on both",
        "shadow: an input both sides agree on");
  check(text.normalize_whitespace(kNoBreakSpace) == kNoBreakSpace,
        "shadow: the caller gets legacy's answer");
  const switchyard::ComponentCounts c = counts(text, textkit::kNormalizeWhitespace);
  check(calls(c, Route::kShadow) == 2, "shadow: two shadow calls");
  check(c.mismatches == 1, "shadow: one mismatch, got " + std::to_string(c.mismatches));
  check(c.recent_mismatches.size() == 1 && c.recent_mismatches[0].x == 1 &&
            c.recent_mismatches[0].width == kNoBreakSpace.size(),
        "shadow: the mismatch record names the first differing byte and the input's size");
  const std::string json = switchyard::to_json(text.router().report(), 2);
  check(json.find("\"mismatches\": 1") != std::string::npos,
        "shadow: the metrics JSON counts the mismatch");
}

void rust_mode_falls_back_and_the_breaker_opens() {
  switchyard::ManualClock clock;  // the breaker's open period passes when the test says so
  textkit::RoutedText text(
      config("[components.normalize_whitespace]\nmode = \"rust\"\n"
             "breaker = { window = 4, min_calls = 4, failure_rate = 0.5, open_ms = 1000, "
             "half_open_calls = 2 }\n"),
      &clock);
  check(text.normalize_whitespace(kNoBreakSpace) == "a b", "rust: the port answers");
  check(!switchyard::Router::last_decision().fallback, "rust: no fallback on a good input");

  for (int i = 0; i < 3; ++i) {
    check(text.normalize_whitespace(kInvalidUtf8) ==
              textkit::legacy::normalize_whitespace(kInvalidUtf8),
          "rust: legacy answers when the port throws");
    check(switchyard::Router::last_decision().fallback == FallbackCause::kError,
          "rust: the fallback's cause is the port's error");
  }
  const switchyard::ComponentId id = textkit::catalog().find(textkit::kNormalizeWhitespace).value();
  check(text.router().breaker_state(id) == BreakerState::kOpen,
        "rust: 3 failures of the last 4 calls open the breaker");
  check(text.normalize_whitespace(kNoBreakSpace) == kNoBreakSpace,
        "rust: with the breaker open, legacy answers even a good input");
  check(switchyard::Router::last_decision().fallback == FallbackCause::kBreakerOpen,
        "rust: the fallback's cause is the open breaker");

  const switchyard::ComponentCounts c = counts(text, textkit::kNormalizeWhitespace);
  check(calls(c, Route::kRust) == 5, "rust: five calls on the rust route");
  check(fallbacks(c, FallbackCause::kError) == 3, "rust: three error fallbacks counted");
  check(fallbacks(c, FallbackCause::kBreakerOpen) == 1, "rust: one breaker_open fallback counted");
  check(c.transitions[static_cast<std::size_t>(BreakerState::kClosed)]
                     [static_cast<std::size_t>(BreakerState::kOpen)] == 1,
        "rust: the closed->open transition is counted");

  clock.advance(std::chrono::milliseconds(1000));  // open_ms: half-open, two trial calls
  text.normalize_whitespace("one");
  text.normalize_whitespace("two");
  check(text.router().breaker_state(id) == BreakerState::kClosed,
        "rust: two good trial calls close the breaker again");
}

void an_injected_panic_is_answered_by_legacy() {
  if (!switchyard::failpoints::compiled_in()) return;  // a build without failpoints
  textkit::RoutedText text(
      config("[components.adler32]\nmode = \"rust\"\n"
             "[failpoints]\n\"textkit::port::adler32\" = \"panic\"\n"));
  check(text.adler32("Wikipedia") == 0x11E60398, "failpoint: legacy answers a panicking port");
  check(switchyard::Router::last_decision().fallback == FallbackCause::kPanic,
        "failpoint: the fallback's cause is the panic");
}

void canary_is_sticky_per_key() {
  textkit::RoutedText text(
      config("[components.adler32]\nmode = \"canary\"\ncanary_percent = 50.0\n"
             "[failpoints]\n"));  // an empty table: no failpoint left over from another check
  int on_port = 0;
  for (int i = 0; i < 200; ++i) {
    const std::string key = "user-" + std::to_string(i);
    const switchyard::RouteKeyScope scope(key);
    check(text.adler32(key) == textkit::legacy::adler32(key), "canary: both sides agree on " + key);
    const Route first = switchyard::Router::last_decision().route;
    text.adler32(key);
    check(switchyard::Router::last_decision().route == first,
          "canary: " + key + " keeps its route");
    if (first == Route::kRust) ++on_port;
  }
  check(on_port > 60 && on_port < 140,
        "canary: about half the keys on the port, got " + std::to_string(on_port) + " of 200");
}

}  // namespace

int main() {
  shipped_config_loads();
  legacy_mode_answers_from_legacy();
  shadow_mode_records_a_mismatch();
  rust_mode_falls_back_and_the_breaker_opens();
  an_injected_panic_is_answered_by_legacy();
  canary_is_sticky_per_key();
  if (g_failures > 0) {
    std::cerr << g_failures << " check(s) failed\n";
    return 1;
  }
  std::cout << "textkit routing: every check passed\n";
  return 0;
}
