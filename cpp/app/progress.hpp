// What a batch run shows while it works: on a terminal, one line redrawn in place
//
//   [==============>               ] 412/1000 files  38.2 files/s  ETA 0:15  2 failed
//
// and, when standard error is not a terminal (a log, a CI job), one plain line per file
// instead, so nothing is lost to carriage returns:
//
//   imgkit: 412/1000 photos/a.png -> out/a.png
//
// Debian 12 packages no C++ progress-bar library, and the crate registry's indicatif
// would cross the bridge for a line of text; this is that line, with its arithmetic in a
// pure function the tests check.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <ostream>
#include <string>

namespace imgkit::cli {

// The terminal line for `done` of `total` files after `elapsed` (no trailing newline),
// `width` columns at most. The rate and ETA appear once a file is done.
std::string progress_line(std::size_t done, std::size_t failed, std::size_t total,
                          std::chrono::duration<double> elapsed, std::size_t width);

// "0:15", "1:02:03": a duration as a clock shows it, rounded up to the second.
std::string clock_text(std::chrono::duration<double> duration);

class Progress {
 public:
  // `terminal`: redraw one line (standard error is a terminal); else plain lines.
  Progress(std::ostream& out, std::size_t total, bool terminal);

  // One file finished; `line` says what happened to it. Thread-safe.
  void file_done(const std::string& line, bool ok);
  // Ends the redrawn line (a no-op for plain lines).
  void finish();

 private:
  void draw_locked();

  std::ostream& out_;
  const std::size_t total_;
  const bool terminal_;
  const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::mutex mutex_;
  std::size_t done_ = 0;
  std::size_t failed_ = 0;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace imgkit::cli
