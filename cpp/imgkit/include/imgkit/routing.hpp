// imgkit::routing — where imgkit's calls go, and how to change that while running.
//
// Every imgkit:: function is a facade over switchyard: each call goes to the legacy
// C++ implementation or to the Rust kernel as the config file says, and the file is
// re-read while the program runs. Programs that do nothing get the routing from
// IMGKIT_CONFIG, else the bundled config (bundled_config_path()), on the first call, or by
// built-in defaults (every component on legacy) when there is none. A program
// with its own --config option starts routing explicitly, before its first call:
//
//   imgkit::routing::start("/etc/imgkit/switchyard.toml");   // throws ConfigError
//   {
//     switchyard::RouteKeyScope key(request_id);  // canary routing sticks to the key
//     imgkit::gaussian_blur(image, 2.0f);
//   }
//   std::cout << switchyard::to_json(imgkit::routing::router().report());
//
// IMGKIT_FORCE_LEGACY=1 (or true, yes, on) in the environment routes every component to
// legacy, whatever the file says (the kill switch).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "switchyard/config.hpp"
#include "switchyard/route_key.hpp"
#include "switchyard/router.hpp"

namespace imgkit::routing {

// The config file a program should use: `explicit_path` if given, else $IMGKIT_CONFIG,
// else the bundled one (bundled_config_path()); nullopt when there is none of these.
std::optional<std::string> config_path(
    const std::optional<std::string>& explicit_path = std::nullopt);

// The config installed with imgkit: share/imgkit/switchyard.toml in the running
// program's own tree (bin/../share, so a moved install, or the build tree, finds its
// own), else under the install prefix imgkit was built for. nullopt when neither exists.
std::optional<std::string> bundled_config_path();

// Routes every imgkit call by the config at `path` from now on, and reloads it when it
// changes (when `watch` is true). Also applies $FAILPOINTS (imgkit/failpoints.hpp).
// Throws switchyard::ConfigError when the file cannot be read or is invalid, and
// switchyard::FailpointError when FAILPOINTS is; the routing that was running keeps
// running.
void start(const std::string& path, bool watch = true);

// Routes every imgkit call by the built-in defaults (every component on legacy), as
// start() would with an empty file; applies $FAILPOINTS likewise.
void start_with_defaults();

// The router behind the facades (started from config_path() and $FAILPOINTS on first use
// if start() was not called; an invalid file then leaves every component on legacy, logs
// why, and is re-read until it is fixed; an invalid FAILPOINTS is logged and ignored).
switchyard::Router& router();

// The limits a program reading untrusted files applies (the imgkit command does), from
// the config's [imgkit] table, else their defaults: max_input_mb (a file read whole) and
// max_image_mb (a decoded image, and any operation's output; DecodeLimits::max_bytes).
inline constexpr std::int64_t kDefaultMaxInputMb = 256;
struct Limits {
  std::uint64_t max_input_bytes = 0;
  std::uint64_t max_image_bytes = 0;
};
Limits configured_limits();

// The values IMGKIT_FORCE_LEGACY accepts, for messages about one it does not.
inline constexpr std::string_view kForceLegacyAccepted =
    "1, true, yes or on to force legacy; 0, false, no, off or empty not to (any case)";

// The kill switch as the environment sets it: true/false, or nullopt when
// IMGKIT_FORCE_LEGACY holds a value that is not one of the accepted words
// (kForceLegacyAccepted lists them). Unset is false.
std::optional<bool> force_legacy_from_environment();

// Whether routing must keep every component on legacy (read when routing starts). An
// invalid IMGKIT_FORCE_LEGACY counts as set, after one line on stderr saying so: an
// operator who set the kill switch meant to pull it, and a library fails safe toward
// legacy. A program that would rather refuse such a value checks
// force_legacy_from_environment() first.
bool force_legacy_requested();

}  // namespace imgkit::routing
