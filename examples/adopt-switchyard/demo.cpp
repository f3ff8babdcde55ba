// textkit_demo [CONFIG]: routes a few calls by CONFIG (default: the textkit.toml beside
// this file), printing the route each took, then each component's status and the
// metrics JSON.
#include <iostream>
#include <string>
#include <vector>

#include "routed_text.hpp"
#include "switchyard/config_watcher.hpp"
#include "switchyard/report.hpp"
#include "switchyard/route_key.hpp"

namespace {

std::string describe(const switchyard::Decision& decision) {
  std::string text(switchyard::to_string(decision.route));
  if (decision.fallback) text += ", legacy answered: " + std::string(to_string(*decision.fallback));
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : TEXTKIT_DEFAULT_CONFIG;
  try {
    textkit::RoutedText text(switchyard::load_config_file(path, textkit::catalog()));
    const switchyard::ConfigWatcher watcher(text.router(), path);  // edits apply while running

    const std::vector<std::string> lines = {
        "  plain   ASCII\tspacing \n",
        "no\xC2\xA0"
        "break\xC2\xA0"
        "spaces",  // the port collapses U+00A0, legacy keeps it
        "already tidy",
    };
    for (const std::string& line : lines) {
      const std::string tidy = text.normalize_whitespace(line);
      std::cout << "normalize_whitespace -> \"" << tidy << "\" ("
                << describe(switchyard::Router::last_decision()) << ")\n";
    }
    for (int request = 0; request < 10; ++request) {
      const std::string key = "request-" + std::to_string(request);
      const switchyard::RouteKeyScope scope(key);  // canary routing sticks to the key
      const std::uint32_t sum = text.adler32(key);
      std::cout << "adler32(" << key << ") = " << sum << " ("
                << describe(switchyard::Router::last_decision()) << ")\n";
    }

    const switchyard::Report report = text.router().report();
    for (const switchyard::ComponentReport& component : report.components) {
      std::cout << component.name << ": mode " << to_string(component.settings.mode) << ", breaker "
                << to_string(component.breaker_state) << ", mismatches "
                << component.counts.mismatches << '\n';
    }
    std::cout << switchyard::to_json(report, 2) << '\n';
  } catch (const std::exception& e) {
    std::cerr << "textkit_demo: " << e.what() << '\n';
    return 2;
  }
  return 0;
}
