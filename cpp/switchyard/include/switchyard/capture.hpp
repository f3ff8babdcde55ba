// switchyard::CaptureWriter — keeps the input of every mismatching call, so that a
// mismatch seen in production becomes a regression case.
//
// With `[switchyard] capture_dir` set, a shadow comparison that fails (a value mismatch,
// or an error mismatch: legacy rejected an input Rust answered or rejected differently)
// hands the router the call as the component describes it (CapturedCall: its parameters
// as a JSON object and its input's bytes), and the router queues it here. A thread of the
// writer's own writes each to one file, atomically (a temporary name, then a rename), so
// the caller's call pays for one copy of its input and never for the disk; the copy is
// skipped when the input alone exceeds the folder's size cap.
//
// File format (one file per call, named <component>-<UTC time>-<input digest>-<n>.capture):
//
//   switchyard-capture 1\n
//   {"component": "gaussian_blur", "kind": "value" | "error", "input_digest": "...",
//    "time": "2026-12-07T10:11:12.345Z", "detail": "...", "legacy_error": "...",
//    "rust_error": "...", "call": {...the component's description...},
//    "payload_bytes": N}\n
//   N bytes of payload (the component's input, laid out as "call" says)
//
// Bounds: at most capture_max_files *.capture files and capture_max_mb bytes in the folder
// (what is there already counts), and a queue of at most 64 calls or capture_max_mb
// bytes. A call beyond them, or one that cannot be written (a missing or read-only
// folder, a full disk), is counted as dropped in the metrics (ComponentCounts::
// captures_dropped) and logged once per folder; it never fails the caller's call.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "switchyard/catalog.hpp"
#include "switchyard/config.hpp"
#include "switchyard/metrics.hpp"

namespace switchyard {

// One call as its component describes it for a capture file.
struct CapturedCall {
  std::string call_json;              // a JSON object: parameters and the payload's layout
  std::vector<std::uint8_t> payload;  // the call's input
};

// A capture file read back (read_capture).
struct CaptureFile {
  std::string component;
  MismatchKind kind = MismatchKind::kValue;
  std::string header_json;  // the whole header line, for the fields a reader wants
  std::string call_json;
  std::vector<std::uint8_t> payload;
};

inline constexpr std::string_view kCaptureMagic = "switchyard-capture 1\n";
inline constexpr std::string_view kCaptureExtension = ".capture";

// Reads one capture file. Throws std::runtime_error naming the file and what is wrong
// (not a capture, a header that is not JSON, a payload shorter or longer than declared).
// At most `max_bytes` are read.
CaptureFile read_capture(const std::string& path, std::uint64_t max_bytes);

class CaptureWriter {
 public:
  CaptureWriter(Metrics& metrics, std::function<void(const std::string&)> log);
  ~CaptureWriter();  // writes what is queued, then stops
  CaptureWriter(const CaptureWriter&) = delete;
  CaptureWriter& operator=(const CaptureWriter&) = delete;

  // The most payload bytes a call may carry under `settings` (asked before copying it).
  static std::uint64_t payload_limit(const CaptureSettings& settings) noexcept {
    return settings.max_bytes;
  }

  // Queues `call`, the input of the mismatch `record` of component `id`; returns the
  // file name it will be written to, or nullopt when it was dropped (counted).
  std::optional<std::string> submit(ComponentId id, std::string_view component,
                                    const CaptureSettings& settings, const MismatchRecord& record,
                                    CapturedCall call);
  // Counts a call the component could not describe within the limit.
  void drop(ComponentId id) noexcept { metrics_.count_capture(id, false); }

  // Blocks until every queued capture is written or dropped.
  void flush();

 private:
  struct Job {
    ComponentId id;
    std::string dir;
    std::uint32_t max_files;
    std::uint64_t max_bytes;
    std::string name;
    std::string head;  // the magic line and the header line
    std::vector<std::uint8_t> payload;
    std::uint64_t size() const noexcept { return head.size() + payload.size(); }
  };

  void run();
  bool write(const Job& job, std::string& problem) const;
  void log_once(const std::string& dir, const std::string& problem);

  Metrics& metrics_;
  std::function<void(const std::string&)> log_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<Job> queue_;
  std::uint64_t queued_bytes_ = 0;
  bool writing_ = false;
  bool stopping_ = false;
  std::uint64_t sequence_ = 0;
  std::vector<std::string> logged_dirs_;
  std::thread thread_;  // started with the first capture
};

}  // namespace switchyard
