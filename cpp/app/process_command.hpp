// `imgkit process INPUT OUTPUT --op ...`: decode, run the operations in order, encode,
// write. Every file it reads is bounded, every size it would allocate is checked first,
// and the output (and --metrics-json) land together or not at all.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "image_files.hpp"
#include "operations.hpp"

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

// One input's journey (the file's bytes are released once decoded, so they are not held
// beside the images): decoded by its content, `operations` applied in order (each
// output checked against max_image_bytes before it is allocated), encoded in `format`
// (nullopt: the input's own). UsageError for an operation's argument outside its domain;
// imgkit::Error naming the input or output for what went wrong with the data.
struct Transformed {
  EncodedOutput encoded;
  std::string summary;             // "in.png (640x480 RGB PNG) -> gaussian_blur(sigma=2)"
  std::vector<std::string> notes;  // worth telling the user, e.g. a misleading extension
};
Transformed transform(const std::string& input_name, std::vector<std::uint8_t> bytes,
                      const std::vector<Operation>& operations, std::optional<FileFormat> format,
                      const std::string& output_name, std::uint64_t max_image_bytes);

// Every --op parsed; UsageError naming the first that is not an operation.
std::vector<Operation> parse_operations(const std::vector<std::string>& specs);

// Runs the command once routing has started; returns the exit status (0). Throws
// UsageError for how it was called and imgkit::Error for what went wrong at run time.
int run_process(const ProcessOptions& options);

}  // namespace imgkit::cli
