// The blocking limit as the registry checks it. Internal to the failpoint library.
#pragma once

#include <string_view>
#include <vector>

#include "switchyard/failpoint_spec.hpp"

namespace switchyard::failpoints::detail {

// Throws FailpointError, naming `name=actions`, when `parsed` (the actions, parsed) could
// block a thread past the blocking limit; never while no limit is set.
void check_blocking(std::string_view name, std::string_view actions,
                    const std::vector<FailAction>& parsed);

}  // namespace switchyard::failpoints::detail
