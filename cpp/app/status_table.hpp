// `imgkit status`: each component's route, Rust port and breaker settings, as a table.
#pragma once

#include <string>

#include "switchyard/report.hpp"

namespace imgkit::cli {

std::string format_status(const switchyard::Report& report);

}  // namespace imgkit::cli
