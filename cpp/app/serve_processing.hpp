// What `POST /v1/process` does with a request once its body is read: the operations
// from the query (the CLI's own table, same syntax and messages), the image decoded by
// its content within the limits, each operation run while the deadline allows, and the
// result encoded. Every refusal is a ServeError carrying the HTTP status to answer with.
//
//   imgkit::cli::ProcessingRequest request{body, {"gaussian_blur:sigma=2"}, std::nullopt};
//   imgkit::cli::ProcessedImage out = imgkit::cli::process_request(request, limits,
//                                                                  deadline, decisions);
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "image_files.hpp"
#include "operations.hpp"
#include "switchyard/router.hpp"

namespace imgkit::cli {

// A request the service refuses: the status, a stable word naming the problem ("error")
// and a sentence for a person (what()), sent as {"error": ..., "detail": ...}.
class ServeError : public std::runtime_error {
 public:
  ServeError(int status, std::string error, const std::string& detail)
      : std::runtime_error(detail), status_(status), error_(std::move(error)) {}
  int status() const noexcept { return status_; }
  const std::string& error() const noexcept { return error_; }

 private:
  int status_;
  std::string error_;
};

struct ProcessingLimits {
  std::uint64_t max_pixels = 0;       // a decoded image or an operation's output
  std::uint64_t max_image_bytes = 0;  // the same, in bytes of samples
};

// The query, parsed before any CPU is spent on the image: 400 for an unknown operation
// or parameter, or a format that is not one.
struct ParsedQuery {
  std::vector<Operation> operations;
  std::optional<FileFormat> format;  // nullopt: the input's own
};
ParsedQuery parse_query(const std::vector<std::string>& operation_specs,
                        const std::optional<std::string>& format_name);

struct ProcessedImage {
  std::vector<std::uint8_t> bytes;
  const char* content_type = "";
};

using Deadline = std::chrono::steady_clock::time_point;

// Throws ServeError(503) when `deadline` has passed, naming what would have started.
void check_deadline(Deadline deadline, const std::string& next_step);

// Decodes `body`, applies the operations (checking the deadline before each one, so a
// late request stops between operations instead of starting more work) and encodes
// the result. Each routed step's decision (component, mode, route, fallback: its last
// routed call's) is appended to `decisions` as soon as the step returns, so a request
// that fails half-way still says which routes its finished steps took.
ProcessedImage process_request(const std::vector<std::uint8_t>& body, const ParsedQuery& query,
                               const ProcessingLimits& limits, Deadline deadline,
                               std::vector<switchyard::Decision>& decisions);

}  // namespace imgkit::cli
