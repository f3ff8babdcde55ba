#include "imgkit/error.hpp"

namespace imgkit {

std::string_view to_string(ErrorCategory category) noexcept {
  switch (category) {
    case ErrorCategory::kInvalidArgument:
      return "invalid_argument";
    case ErrorCategory::kMalformedData:
      return "malformed_data";
    case ErrorCategory::kUnsupported:
      return "unsupported";
    case ErrorCategory::kLimitExceeded:
      return "limit_exceeded";
    case ErrorCategory::kInternal:
      return "internal";
  }
  return "internal";
}

Error::Error(ErrorCategory category, const std::string& message)
    : std::runtime_error(message), category_(category) {}

}  // namespace imgkit
