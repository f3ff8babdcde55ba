#include "process_command.hpp"

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <iostream>
#include <memory>
#include <utility>
#include <vector>

#include "imgkit/error.hpp"
#include "imgkit/routing.hpp"
#include "input_file.hpp"
#include "operations.hpp"
#include "staged_file.hpp"
#include "switchyard/failpoint.hpp"
#include "switchyard/report.hpp"
#include "switchyard/route_key.hpp"
#include "usage_error.hpp"

namespace imgkit::cli {
namespace {

bool is_stream(const std::string& path) { return path == kStandardStream; }

std::string display_name(const std::string& path, const char* stream) {
  return is_stream(path) ? stream : path;
}

std::vector<std::uint8_t> metrics_bytes() {
  // Captures of this run's mismatches are written first, so that the report counts them.
  imgkit::routing::router().flush_captures();
  const std::string json = switchyard::to_json(imgkit::routing::router().report()) + "\n";
  return {json.begin(), json.end()};
}

// How the command line can destroy nothing: the metrics file may not be the input or
// the output (it would replace one with JSON), nor standard output.
void check_destinations(const ProcessOptions& options) {
  if (options.metrics_json.empty()) return;
  if (is_stream(options.metrics_json)) {
    throw UsageError("--metrics-json: give a file; standard output is for images");
  }
  for (const std::string* other : {&options.input, &options.output}) {
    if (!is_stream(*other) && same_file(options.metrics_json, *other)) {
      throw UsageError("--metrics-json " + options.metrics_json + " is the same file as " +
                       (other == &options.input ? "the input " : "the output ") + *other +
                       "; it would be overwritten with metrics");
    }
  }
}

void refuse_oversized(const Operation& operation, const Image& input, std::uint64_t limit) {
  const ImageShape shape = operation.output_shape(input);
  if (shape.bytes() <= limit) return;
  throw UsageError(operation.description + ": the output would be " + std::to_string(shape.width) +
                   "x" + std::to_string(shape.height) + "x" + std::to_string(shape.channels) +
                   " (" + describe_size(shape.bytes()) + "), over the " + describe_size(limit) +
                   " image limit (--max-image-mb)");
}

void write_to_stdout(const std::vector<std::uint8_t>& bytes) {
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(STDOUT_FILENO, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      throw Error(ErrorCategory::kInternal,
                  std::string("standard output: write failed: ") + std::strerror(errno));
    }
    written += static_cast<std::size_t>(n);
  }
}

// Fires after every output is staged and before any is renamed: the moment an
// interruption or a failure would do the most harm, so tests and operators rehearse it.
const switchyard::Failpoint kBeforeCommit("imgkit::cli::before_commit");

// Runs the work and writes every output; returns the line to print on success.
// `metrics_tried` is set once the metrics file has been staged (or failed to be).
std::string process_image(const ProcessOptions& options, bool& metrics_tried) {
  const std::vector<Operation> operations = parse_operations(options.operation_specs);
  std::optional<FileFormat> format = options.format;
  if (!is_stream(options.output)) {
    format = output_format(options.output, options.format);  // a bad extension fails first
    check_output_path(options.output);                       // so does a directory
  }

  const auto start = std::chrono::steady_clock::now();
  const std::string input_name = display_name(options.input, "standard input");
  const std::string output_name = display_name(options.output, "standard output");
  // Canary routing is sticky per input file: rerunning a file takes the same route.
  const switchyard::RouteKeyScope route_key(options.input);
  const Transformed transformed = transform(
      input_name, read_input_file(options.input, options.max_input_bytes, "--max-input-mb"),
      operations, format, output_name, options.max_image_bytes);
  for (const std::string& note : transformed.notes) std::cerr << "imgkit: note: " << note << '\n';
  const EncodedOutput& encoded = transformed.encoded;
  const std::string& summary = transformed.summary;
  // Both destinations are written before either is renamed, and the image goes last: a
  // metrics file that cannot be written leaves the image untouched too.
  std::unique_ptr<StagedFile> metrics;
  if (!options.metrics_json.empty()) {
    metrics_tried = true;
    metrics = std::make_unique<StagedFile>(options.metrics_json, metrics_bytes());
  }
  std::unique_ptr<StagedFile> staged;
  if (!is_stream(options.output))
    staged = std::make_unique<StagedFile>(options.output, encoded.bytes);
  if (auto injected = kBeforeCommit.fire()) {
    throw Error(ErrorCategory::kInternal, "failpoint imgkit::cli::before_commit: " + *injected);
  }
  if (metrics) metrics->commit();
  if (staged) {
    staged->commit();
  } else {
    write_to_stdout(encoded.bytes);
  }
  const auto elapsed =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start);
  return summary + " -> " + output_name + " (" + encoded.description + ") in " +
         std::to_string(static_cast<long>(elapsed.count() + 0.5)) + " ms";
}

}  // namespace

Transformed transform(const std::string& input_name, std::vector<std::uint8_t> bytes,
                      const std::vector<Operation>& operations, std::optional<FileFormat> format,
                      const std::string& output_name, std::uint64_t max_image_bytes) {
  DecodeLimits limits;
  limits.max_bytes = max_image_bytes;
  DecodedInput input = decode_input(input_name, bytes, limits);
  std::vector<std::uint8_t>().swap(bytes);  // a 4K PNG's bytes would outlive its use

  Transformed result;
  result.notes = std::move(input.notes);
  Image image = std::move(input.image);
  result.summary = input_name + " (" + input.description + ")";
  for (const auto& operation : operations) {
    refuse_oversized(operation, image, max_image_bytes);
    try {
      image = operation.apply(image);
    } catch (const Error& e) {
      // A value outside an operation's domain is how the program was called.
      if (e.category() == ErrorCategory::kInvalidArgument) {
        throw UsageError(operation.description + ": " + e.what());
      }
      throw;
    }
    result.summary += " -> " + operation.description;
  }
  result.encoded = encode_output(output_name, image, format.value_or(input.natural_format));
  return result;
}

std::vector<Operation> parse_operations(const std::vector<std::string>& specs) {
  std::vector<Operation> operations;
  for (const auto& spec : specs) operations.push_back(parse_operation(spec));
  return operations;
}

int run_process(const ProcessOptions& options) {
  check_destinations(options);
  std::string summary;
  bool metrics_tried = false;
  try {
    summary = process_image(options, metrics_tried);
  } catch (...) {
    // Written however the run ends: the counts matter most when something failed.
    if (!options.metrics_json.empty() && !metrics_tried) {
      try {
        write_atomically(options.metrics_json, metrics_bytes());
      } catch (const std::exception& e) {
        // The run's own failure is the one to report; this one is only mentioned.
        std::cerr << "imgkit: warning: metrics not written: " << e.what() << '\n';
      }
    }
    throw;
  }
  // Printed only once everything is written: a failed run says nothing on stdout. With
  // the image on standard output, the summary goes to standard error.
  (is_stream(options.output) ? std::cerr : std::cout) << summary << '\n';
  return 0;
}

}  // namespace imgkit::cli
