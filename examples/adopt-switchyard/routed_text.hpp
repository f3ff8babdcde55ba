// textkit::RoutedText — textkit's functions behind switchyard: each call goes to the
// legacy implementation or to the port as the config file says.
//
//   const switchyard::Catalog& components = textkit::catalog();
//   textkit::RoutedText text(switchyard::load_config_file("textkit.toml", components));
//   switchyard::ConfigWatcher watcher(text.router(), "textkit.toml");  // hot reload
//   std::string tidy = text.normalize_whitespace(line);
//   std::cout << switchyard::to_json(text.router().report());          // the metrics
//
// Modes are switchyard's: `legacy`, `shadow` (legacy answers, the port runs beside it and
// the answers are compared), `canary` (a sticky share of keys, switchyard::RouteKeyScope,
// is answered by the port) and `rust` (the port answers; in this program "rust" is the
// port, whatever its language). A port that throws is answered by legacy on that call,
// and its failures open the component's circuit breaker.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "switchyard/catalog.hpp"
#include "switchyard/clock.hpp"
#include "switchyard/config.hpp"
#include "switchyard/router.hpp"

namespace textkit {

// The components, each named once: the catalog is built from these names, and each
// facade finds its id by its name.
inline constexpr std::string_view kNormalizeWhitespace = "normalize_whitespace";
inline constexpr std::string_view kAdler32 = "adler32";

// Every component textkit routes, for the config loader (it rejects unknown names).
const switchyard::Catalog& catalog();

class RoutedText {
 public:
  // Routes by `config` (switchyard::load_config_file or parse_config against catalog()),
  // and applies its [failpoints] table. `clock`: nullptr for the steady clock; tests
  // pass a switchyard::ManualClock.
  explicit RoutedText(switchyard::Config config, const switchyard::Clock* clock = nullptr);

  std::string normalize_whitespace(std::string_view text);
  std::uint32_t adler32(std::string_view bytes);

  switchyard::Router& router() noexcept { return router_; }

 private:
  switchyard::Router router_;
  const switchyard::ComponentId normalize_whitespace_id_;
  const switchyard::ComponentId adler32_id_;
};

}  // namespace textkit
