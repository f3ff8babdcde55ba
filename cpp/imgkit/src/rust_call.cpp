#include "rust_call.hpp"

#include <exception>
#include <string>

#include "imgkit/error.hpp"
#include "imgkit/imgkit.hpp"

namespace imgkit::routing {
namespace {

ErrorCategory category_of(ffi::ErrorCategory category) {
  switch (category) {
    case ffi::ErrorCategory::InvalidArgument:
      return ErrorCategory::kInvalidArgument;
    case ffi::ErrorCategory::MalformedData:
      return ErrorCategory::kMalformedData;
    case ffi::ErrorCategory::Unsupported:
      return ErrorCategory::kUnsupported;
    case ffi::ErrorCategory::LimitExceeded:
      return ErrorCategory::kLimitExceeded;
    case ffi::ErrorCategory::Internal:
      break;
  }
  // Internal, or a value this build does not know (the two sides built from different
  // sources): not a category an input error can have, so say so rather than guess.
  return ErrorCategory::kInternal;
}

}  // namespace

switchyard::RustError rust_error(const ffi::KernelStatus& status, std::string_view note) {
  std::string message(status.message);
  switch (status.code) {
    case ffi::StatusCode::InputError: {
      message += note;
      auto caller_error = std::make_exception_ptr(Error(category_of(status.category), message));
      return {switchyard::RustFailure::kInputError, std::move(message), std::move(caller_error)};
    }
    case ffi::StatusCode::Panic:
      return {switchyard::RustFailure::kPanic, std::move(message), {}};
    case ffi::StatusCode::InjectedFault:
      return {switchyard::RustFailure::kError, "injected_fault: " + message, {}};
    case ffi::StatusCode::Internal:
      return {switchyard::RustFailure::kError, "internal: " + message, {}};
    case ffi::StatusCode::Ok:  // not a failure; listed so the switch stays exhaustive
      break;
  }
  // Ok, or a code this build does not know: nothing answered, which is Rust's fault.
  return {switchyard::RustFailure::kError,
          "internal: status code " + std::to_string(static_cast<int>(status.code)) +
              " without an answer: " + message,
          {}};
}

}  // namespace imgkit::routing

namespace imgkit {

std::string rust_simd_level() { return std::string(ffi::kernel_simd_level()); }

}  // namespace imgkit
