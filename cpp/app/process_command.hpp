// `imgkit process INPUT OUTPUT --op ...`: decode, run the operations in order, encode,
// write. Every file it reads is bounded, every size it would allocate is checked first,
// and the output (and --metrics-json) land together or not at all.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "image_files.hpp"

namespace imgkit::cli {

struct ProcessOptions {
  std::string input;   // a file, or "-" for standard input
  std::string output;  // a file, or "-" for standard output
  std::vector<std::string> operation_specs;
  std::optional<FileFormat> format;  // --format: overrides the output's extension
  std::string metrics_json;          // empty: none
  std::uint64_t max_input_bytes = 0;
  std::uint64_t max_image_bytes = 0;  // decoded images and every operation's output
};

// Runs the command once routing has started; returns the exit status (0). Throws
// UsageError for how it was called and imgkit::Error for what went wrong at run time.
int run_process(const ProcessOptions& options);

}  // namespace imgkit::cli
