// imgkit::parity — runs both implementations of every component on the same input and
// says whether they agree: the evidence a component needs before it moves from shadow
// to rust (see `imgkit parity` in README.md).
//
//   imgkit::routing::start(config_path);            // tolerances come from the config
//   for (const imgkit::parity::Case& c :
//        imgkit::parity::run_file(bytes, imgkit::parity::FileFormat::kPng)) {
//     if (!c.agrees()) std::cout << c.component << ": " << c.detail << '\n';
//   }
//
// Both sides are called directly (not routed), so a disagreement is seen on every call,
// and each is timed.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace imgkit::parity {

enum class FileFormat { kPnm, kPng };

enum class Verdict {
  kMatch,              // both answered, within the component's tolerance
  kBothRejected,       // both rejected the input, with the same error category
  kMismatch,           // both answered, beyond the tolerance
  kErrorDisagreement,  // one rejected and one answered, the categories differ, or the
                       // Rust side failed (panic, internal error)
};

std::string_view to_string(Verdict verdict) noexcept;

struct Case {
  std::string component;   // as the config file names it
  std::string parameters;  // how it was called, e.g. "sigma=2"
  Verdict verdict = Verdict::kMatch;
  std::uint32_t max_difference = 0;  // for kMismatch: over every sample
  std::string detail;                // what differs, or the two errors
  std::chrono::nanoseconds legacy_time{0};
  std::chrono::nanoseconds rust_time{0};

  bool agrees() const noexcept {
    return verdict == Verdict::kMatch || verdict == Verdict::kBothRejected;
  }
};

// Every component that applies to one encoded file: its format's decoder; then, when
// legacy decodes it, both encoders on the decoded image and every image operation on
// its 8-bit form, with fixed parameters. Tolerances are those of the config routing
// runs by (imgkit::routing::router()).
std::vector<Case> run_file(const std::vector<std::uint8_t>& file, FileFormat format);

// A call the router captured on a mismatch ([switchyard] capture_dir; the format is in
// switchyard/capture.hpp) run again both ways, with exactly its input and parameters:
// the case it makes now. imgkit::Error (malformed_data) naming the file when it is not a
// capture of a component with a Rust port, or larger than `max_bytes`.
Case replay_capture(const std::string& path, std::uint64_t max_bytes);

}  // namespace imgkit::parity
