// One component routed to its "Rust" side (here a C++ stand-in), which fails: the
// router answers from legacy and counts the fallback. Prints the route it took.
#include <cstdio>
#include <string>

#include "switchyard/catalog.hpp"
#include "switchyard/config.hpp"
#include "switchyard/router.hpp"

int main() {
  using namespace switchyard;
  Catalog catalog({{"checksum", RustPort::kAvailable, Comparison::kExact, 0}});
  Router router(catalog,
                parse_config("[components.checksum]\nmode = \"rust\"\n", "inline", catalog));
  const int answer = router.call<int>(
      0, [] { return 42; },
      [] {
        return RustResult<int>(RustError{RustFailure::kPanic, "stand-in panic", {}});
      },
      [](int, int, std::uint32_t) { return std::optional<MismatchRecord>(); },
      [](int) { return std::uint64_t{1}; });
  const Decision decision = Router::last_decision();
  std::printf("answer %d, fallback %s\n", answer,
              decision.fallback ? std::string(to_string(*decision.fallback)).c_str() : "none");
  return answer == 42 && decision.fallback == FallbackCause::kPanic ? 0 : 1;
}
