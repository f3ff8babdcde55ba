// The command line's one error type for mistakes in how it was called (exit status 2).
// Runtime failures — an unreadable or malformed image, a failed write — are
// imgkit::Error and end with exit status 1.
#pragma once

#include <stdexcept>
#include <string>

namespace imgkit::cli {

class UsageError : public std::runtime_error {
 public:
  explicit UsageError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace imgkit::cli
