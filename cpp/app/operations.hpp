// The `--op NAME[:key=value,...]` steps of `imgkit process`.
//
// One table in operations.cpp knows every operation's name, parameters and defaults;
// everything else (help text, parsing, applying) is derived from it.
//
//   auto op = imgkit::cli::parse_operation("gaussian_blur:sigma=2");  // UsageError if bad
//   imgkit::Image out = op.apply(in);
//   std::cout << op.description;  // "gaussian_blur(sigma=2)"
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "imgkit/image.hpp"

namespace imgkit::cli {

// The size of an image an operation will produce, known before it runs.
struct ImageShape {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::uint32_t channels = 0;
  // Saturates at the largest std::uint64_t: any limit refuses a size that overflows.
  std::uint64_t bytes() const noexcept {
    std::uint64_t result = 0;
    if (__builtin_mul_overflow(std::uint64_t{width} * height, std::uint64_t{channels}, &result)) {
      return UINT64_MAX;
    }
    return result;
  }
};

struct Operation {
  std::string description;  // the name and every parameter's value, defaults included
  std::function<Image(const Image&)> apply;
  // What apply() would return for this input, without running it: lets the caller
  // refuse an output too large before it is allocated.
  std::function<ImageShape(const Image&)> output_shape;
};

// Throws UsageError naming the problem: an unknown operation (listing the known ones),
// an unknown or repeated parameter, a value that is not a number or not a choice.
// Range checks (sigma > 0, ...) are the library's: they surface when applied.
Operation parse_operation(std::string_view spec);

// One line per operation with its parameters, for --help.
std::string operations_help();

}  // namespace imgkit::cli
