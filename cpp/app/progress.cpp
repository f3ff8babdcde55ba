#include "progress.hpp"

#include <cmath>
#include <cstdio>

namespace imgkit::cli {

std::string clock_text(std::chrono::duration<double> duration) {
  const auto seconds = static_cast<long long>(std::ceil(std::max(0.0, duration.count())));
  char text[32];
  if (seconds >= 3600) {
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", seconds / 3600, seconds / 60 % 60,
                  seconds % 60);
  } else {
    std::snprintf(text, sizeof text, "%lld:%02lld", seconds / 60, seconds % 60);
  }
  return text;
}

std::string progress_line(std::size_t done, std::size_t failed, std::size_t total,
                          std::chrono::duration<double> elapsed, std::size_t width) {
  std::string tail = " " + std::to_string(done) + "/" + std::to_string(total) + " files";
  if (done > 0 && elapsed.count() > 0) {
    const double rate = static_cast<double>(done) / elapsed.count();
    char text[48];
    std::snprintf(text, sizeof text, "  %.1f files/s", rate);
    tail += text;
    if (done < total) {
      tail += "  ETA " +
              clock_text(std::chrono::duration<double>(static_cast<double>(total - done) / rate));
    }
  }
  if (failed > 0) tail += "  " + std::to_string(failed) + " failed";

  // The bar takes what the numbers leave, between 10 and 30 columns; none when the
  // terminal is too narrow for even that.
  const std::size_t room = width > tail.size() + 2 ? width - tail.size() - 2 : 0;
  const std::size_t bar = room < 10 ? 0 : std::min<std::size_t>(room, 30);
  if (bar == 0) return tail.substr(1);
  const std::size_t filled = total == 0 ? bar : bar * done / total;
  std::string line = "[";
  line.append(filled, '=');
  if (filled < bar) {
    line += '>';
    line.append(bar - filled - 1, ' ');
  }
  return line + "]" + tail;
}

Progress::Progress(std::ostream& out, std::size_t total, bool terminal)
    : out_(out), total_(total), terminal_(terminal) {}

void Progress::file_done(const std::string& line, bool ok) {
  const std::lock_guard lock(mutex_);
  ++done_;
  if (!ok) ++failed_;
  if (!terminal_) {
    out_ << "imgkit: " << done_ << "/" << total_ << " " << line << '\n' << std::flush;
    return;
  }
  if (!ok) {
    // A failure stays on screen: it is printed above the redrawn line.
    out_ << "\r\033[K"
         << "imgkit: " << line << '\n';
  }
  // Redrawn at most ten times a second, and always for the last file.
  const auto now = std::chrono::steady_clock::now();
  if (ok && done_ < total_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  draw_locked();
}

void Progress::draw_locked() {
  out_ << "\r\033[K"
       << progress_line(done_, failed_, total_, std::chrono::steady_clock::now() - start_, 79)
       << std::flush;
}

void Progress::finish() {
  const std::lock_guard lock(mutex_);
  if (terminal_) {
    draw_locked();
    out_ << '\n' << std::flush;
  }
}

}  // namespace imgkit::cli
