#include "routed_text.hpp"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <utility>

#include "legacy_text.hpp"
#include "ported_text.hpp"
#include "switchyard/failpoint_spec.hpp"
#include "switchyard/route_key.hpp"

namespace textkit {
namespace {

using switchyard::MismatchRecord;
using switchyard::RustError;
using switchyard::RustFailure;
using switchyard::RustResult;

// The port's side of the call as the router wants it. An exception from the port is the
// port's failure, whatever the input: legacy answers this call, the failure is counted,
// and it feeds the breaker. (An input the port rejects but legacy accepts is a defect of
// the port; were both to reject the caller's input, RustFailure::kInputError would say
// so.)
template <class Port>
auto call_port(Port&& port) -> RustResult<decltype(port())> {
  try {
    return port();
  } catch (const switchyard::FailpointPanic& e) {
    return RustError{RustFailure::kPanic, e.what(), {}};
  } catch (const std::exception& e) {
    return RustError{RustFailure::kError, e.what(), {}};
  }
}

// A call's input, as a mismatch record describes it (switchyard's CallInput shape). No
// capture files: textkit keeps only the digest.
struct TextInput {
  std::string_view text;

  void describe(MismatchRecord& record) const {
    char digest[17];
    std::snprintf(digest, sizeof digest, "%016llx",
                  static_cast<unsigned long long>(switchyard::stable_hash(text)));
    record.input_digest = digest;
    record.width = static_cast<std::uint32_t>(text.size());
    record.height = 1;
    record.channels = 1;
  }
  std::optional<switchyard::CapturedCall> capture(std::uint64_t /*max_payload_bytes*/) const {
    return std::nullopt;
  }
};

std::optional<MismatchRecord> compare_text(const std::string& legacy, const std::string& port) {
  if (legacy == port) return std::nullopt;
  const std::size_t common = std::min(legacy.size(), port.size());
  const std::size_t first = static_cast<std::size_t>(
      std::mismatch(legacy.begin(), legacy.begin() + common, port.begin()).first - legacy.begin());
  MismatchRecord record;
  record.x = static_cast<std::uint32_t>(first);
  record.max_difference = 1;
  record.detail = "first difference at byte " + std::to_string(first) + ": legacy \"" + legacy +
                  "\", port \"" + port + "\"";
  return record;
}

std::optional<MismatchRecord> compare_sum(std::uint32_t legacy, std::uint32_t port) {
  if (legacy == port) return std::nullopt;
  MismatchRecord record;
  record.max_difference = 1;
  record.detail = "legacy " + std::to_string(legacy) + ", port " + std::to_string(port);
  return record;
}

switchyard::RouterOptions options(const switchyard::Clock* clock) {
  switchyard::RouterOptions options;
  options.clock = clock;
  options.owns_failpoints = true;  // the config's [failpoints] table applies
  options.log = [](const std::string& line) {
    std::cerr << "textkit: switchyard: " << line << '\n';
  };
  return options;
}

}  // namespace

const switchyard::Catalog& catalog() {
  using switchyard::Comparison;
  using switchyard::RustPort;
  static const switchyard::Catalog instance({
      {std::string(kNormalizeWhitespace), RustPort::kAvailable, Comparison::kExact, 0},
      {std::string(kAdler32), RustPort::kAvailable, Comparison::kExact, 0},
  });
  return instance;
}

RoutedText::RoutedText(switchyard::Config config, const switchyard::Clock* clock)
    : router_(catalog(), std::move(config), options(clock)),
      normalize_whitespace_id_(catalog().find(kNormalizeWhitespace).value()),
      adler32_id_(catalog().find(kAdler32).value()) {}

std::string RoutedText::normalize_whitespace(std::string_view text) {
  return router_.call<std::string>(
      normalize_whitespace_id_, [&] { return legacy::normalize_whitespace(text); },
      [&] { return call_port([&] { return port::normalize_whitespace(text); }); },
      [](const std::string& legacy_answer, const std::string& port_answer,
         std::uint32_t /*tolerance*/) { return compare_text(legacy_answer, port_answer); },
      // The call's size, for the slow-call limit (slow_call_ns_per_pixel): bytes in and out.
      [&](const std::string& answer) { return std::uint64_t{text.size() + answer.size()}; },
      TextInput{text});
}

std::uint32_t RoutedText::adler32(std::string_view bytes) {
  return router_.call<std::uint32_t>(
      adler32_id_, [&] { return legacy::adler32(bytes); },
      [&] { return call_port([&] { return port::adler32(bytes); }); },
      [](std::uint32_t legacy_answer, std::uint32_t port_answer, std::uint32_t /*tolerance*/) {
        return compare_sum(legacy_answer, port_answer);
      },
      [&](std::uint32_t /*answer*/) { return std::uint64_t{bytes.size()}; }, TextInput{bytes});
}

}  // namespace textkit
