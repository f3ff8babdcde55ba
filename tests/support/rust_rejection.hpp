// Reading a port's Rust answer in tests: when the Rust side rejected the caller's input,
// the category and message of the imgkit::Error the caller would get.
#pragma once

#include <exception>
#include <optional>
#include <string>
#include <variant>

#include "imgkit/error.hpp"
#include "switchyard/router.hpp"

namespace imgkit::testing {

struct Rejection {
  ErrorCategory category;
  std::string message;
};

// nullopt when Rust answered, or failed in a way that is not the caller's (a panic, an
// injected fault, an internal error).
template <class T>
std::optional<Rejection> rust_rejection(const switchyard::RustResult<T>& result) {
  const auto* error = std::get_if<switchyard::RustError>(&result);
  if (error == nullptr || error->kind != switchyard::RustFailure::kInputError ||
      !error->caller_error) {
    return std::nullopt;
  }
  try {
    std::rethrow_exception(error->caller_error);
  } catch (const Error& caller_error) {
    return Rejection{caller_error.category(), caller_error.what()};
  } catch (...) {
  }
  return std::nullopt;
}

}  // namespace imgkit::testing
