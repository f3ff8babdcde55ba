#include "switchyard/clock.hpp"

namespace switchyard {

const Clock& steady_clock() noexcept {
  // Function-local so it is constructed on first use, whatever the static init order.
  static const SteadyClock clock;
  return clock;
}

}  // namespace switchyard
