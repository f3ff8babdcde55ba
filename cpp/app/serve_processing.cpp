#include "serve_processing.hpp"

#include "imgkit/error.hpp"
#include "input_file.hpp"
#include "usage_error.hpp"

namespace imgkit::cli {
namespace {

// How the body is named in messages: the CLI names a file, the service its input.
constexpr const char* kBodyName = "request body";

// An image error as the answer to the request that caused it: the caller's bad input
// is a 4xx, anything else is the service's own failure.
ServeError serve_error(const Error& error, const std::string& context) {
  const std::string detail = context.empty() ? error.what() : context + ": " + error.what();
  switch (error.category()) {
    case ErrorCategory::kInvalidArgument:
      return ServeError(400, "bad_parameter", detail);
    case ErrorCategory::kMalformedData:
      return ServeError(400, "malformed_image", detail);
    case ErrorCategory::kUnsupported:
      return ServeError(400, "unsupported_image", detail);
    case ErrorCategory::kLimitExceeded:
      return ServeError(413, "image_too_large", detail);
    case ErrorCategory::kInternal:
      break;
  }
  return ServeError(500, "internal", detail);
}

const char* content_type(FileFormat format) {
  switch (format) {
    case FileFormat::kPng:
      return "image/png";
    case FileFormat::kPgm:
      return "image/x-portable-graymap";
    case FileFormat::kPpm:
      return "image/x-portable-pixmap";
    case FileFormat::kPnm:
      return "image/x-portable-anymap";
  }
  return "application/octet-stream";
}

// An operation's output is refused before it is allocated, by the same two limits a
// decoded image meets.
void refuse_oversized(const Operation& operation, const Image& input,
                      const ProcessingLimits& limits) {
  const ImageShape shape = operation.output_shape(input);
  const std::uint64_t pixels = std::uint64_t{shape.width} * shape.height;
  if (pixels <= limits.max_pixels && shape.bytes() <= limits.max_image_bytes) return;
  throw ServeError(413, "image_too_large",
                   operation.description + ": the output would be " + std::to_string(shape.width) +
                       "x" + std::to_string(shape.height) + "x" + std::to_string(shape.channels) +
                       " (" + describe_size(shape.bytes()) + "), over the limit of " +
                       std::to_string(limits.max_pixels) + " pixels (--max-pixels) or " +
                       describe_size(limits.max_image_bytes) + " ([imgkit] max_image_mb)");
}

Image apply(const Operation& operation, const Image& image) {
  try {
    return operation.apply(image);
  } catch (const Error& e) {
    throw serve_error(e, operation.description);
  }
}

}  // namespace

ParsedQuery parse_query(const std::vector<std::string>& operation_specs,
                        const std::optional<std::string>& format_name) {
  ParsedQuery query;
  try {
    for (const std::string& spec : operation_specs) {
      query.operations.push_back(parse_operation(spec));
    }
  } catch (const UsageError& e) {
    throw ServeError(400, "bad_operation", e.what());
  }
  if (format_name) {
    try {
      query.format = parse_format(*format_name);
    } catch (const UsageError&) {
      throw ServeError(400, "bad_format",
                       "format=" + *format_name + ": unknown format (use png, pnm, pgm or ppm)");
    }
  }
  return query;
}

void check_deadline(Deadline deadline, const std::string& next_step) {
  if (std::chrono::steady_clock::now() < deadline) return;
  throw ServeError(
      503, "timeout",
      "the request ran past --timeout-ms before " + next_step + "; nothing more was started");
}

ProcessedImage process_request(const std::vector<std::uint8_t>& body, const ParsedQuery& query,
                               const ProcessingLimits& limits, Deadline deadline,
                               std::vector<switchyard::Decision>& decisions) {
  check_deadline(deadline, "decoding the image");
  DecodeLimits decode_limits;
  decode_limits.max_pixels = limits.max_pixels;
  decode_limits.max_bytes = limits.max_image_bytes;
  DecodedInput input{Image(1, 1, 1), "", FileFormat::kPng, {}};
  try {
    input = decode_input(kBodyName, body, decode_limits);
  } catch (const Error& e) {
    throw serve_error(e, "");
  }
  decisions.push_back(switchyard::Router::last_decision());

  Image image = std::move(input.image);
  for (const Operation& operation : query.operations) {
    check_deadline(deadline, operation.description);
    refuse_oversized(operation, image, limits);
    image = apply(operation, image);
    decisions.push_back(switchyard::Router::last_decision());
  }

  check_deadline(deadline, "encoding the result");
  const FileFormat format = query.format.value_or(input.natural_format);
  EncodedOutput encoded{{}, ""};
  try {
    encoded = encode_output("response", image, format);
  } catch (const Error& e) {
    throw serve_error(e, "");
  }
  decisions.push_back(switchyard::Router::last_decision());
  return {std::move(encoded.bytes), content_type(format)};
}

}  // namespace imgkit::cli
