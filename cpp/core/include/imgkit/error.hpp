// imgkit::Error — the one error type of the C++ side.
//
// Every failure imgkit reports is an `imgkit::Error` carrying a category. Callers branch
// on the category, never on the message text; the message is for people.
//
//   try {
//     auto image = imgkit::legacy::decode_png(bytes);
//   } catch (const imgkit::Error& e) {
//     if (e.category() == imgkit::ErrorCategory::kMalformedData) { ... }
//   }
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace imgkit {

enum class ErrorCategory {
  kInvalidArgument,  // the caller passed a value outside the documented domain
  kMalformedData,    // encoded input is truncated, corrupt or not the claimed format
  kUnsupported,      // valid input using a feature this library does not implement
  kLimitExceeded,    // input would need more resources than the configured limits allow
  kInternal,         // a bug or an environment failure (out of memory, I/O)
};

// Stable lower-case name ("invalid_argument", ...), used in logs, metrics and tests.
std::string_view to_string(ErrorCategory category) noexcept;

class Error : public std::runtime_error {
 public:
  Error(ErrorCategory category, const std::string& message);

  ErrorCategory category() const noexcept { return category_; }

 private:
  ErrorCategory category_;
};

}  // namespace imgkit
