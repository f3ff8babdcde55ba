#include "input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "imgkit/error.hpp"

namespace imgkit::cli {
namespace {

Error input_error(ErrorCategory category, const std::string& path, const std::string& what) {
  return Error(category, (path == kStandardStream ? "standard input" : path) + ": " + what);
}

// What a path that is not a regular file is, in the words `ls -l` would suggest.
const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  return "not a regular file";
}

// Closes the descriptor it owns, unless it is standard input.
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ > STDIN_FILENO) ::close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const noexcept { return fd_; }

 private:
  int fd_;
};

}  // namespace

std::string describe_size(std::uint64_t bytes) {
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB"};
  if (bytes < 1024) return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
  double value = static_cast<double>(bytes);
  std::size_t unit = 0;
  value /= 1024.0;
  while (value >= 1024.0 && unit + 1 < std::size(kUnits)) {
    value /= 1024.0;
    ++unit;
  }
  char text[32];
  // Whole numbers print without a fraction: "256 MiB", not "256.0 MiB".
  if (value == static_cast<double>(static_cast<std::uint64_t>(value))) {
    std::snprintf(text, sizeof text, "%llu %s", static_cast<unsigned long long>(value),
                  kUnits[unit]);
  } else {
    std::snprintf(text, sizeof text, "%.1f %s", value, kUnits[unit]);
  }
  return text;
}

std::vector<std::uint8_t> read_input_file(const std::string& path, std::uint64_t max_bytes,
                                          std::string_view limit_option) {
  const bool from_stdin = path == kStandardStream;
  // O_NONBLOCK: opening a FIFO must not wait for a writer before its type is checked.
  const Descriptor fd(from_stdin ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_NONBLOCK));
  if (fd.get() < 0) {
    throw input_error(ErrorCategory::kInternal, path,
                      std::string("cannot open: ") + std::strerror(errno));
  }
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) {
    throw input_error(ErrorCategory::kInternal, path,
                      std::string("cannot stat: ") + std::strerror(errno));
  }
  const std::string over_limit =
      "over the " + describe_size(max_bytes) + " input limit (" + std::string(limit_option) + ")";
  if (!from_stdin) {
    if (!S_ISREG(info.st_mode)) {
      throw input_error(ErrorCategory::kInvalidArgument, path,
                        std::string("is ") + kind_of(info.st_mode) + ", not a regular file");
    }
    if (static_cast<std::uint64_t>(info.st_size) > max_bytes) {
      throw input_error(
          ErrorCategory::kLimitExceeded, path,
          describe_size(static_cast<std::uint64_t>(info.st_size)) + " is " + over_limit);
    }
    // Back to blocking reads: a regular file never blocks, but be explicit.
    ::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) & ~O_NONBLOCK);
  }

  std::vector<std::uint8_t> bytes;
  if (S_ISREG(info.st_mode)) bytes.reserve(static_cast<std::size_t>(info.st_size));
  std::uint8_t chunk[1 << 16];
  // The size can change after fstat (a file still being written, a pipe): read one byte
  // past the limit at most, and refuse if it came.
  for (;;) {
    const ssize_t n = ::read(fd.get(), chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      throw input_error(ErrorCategory::kInternal, path,
                        std::string("read failed: ") + std::strerror(errno));
    }
    if (n == 0) break;
    if (bytes.size() + static_cast<std::size_t>(n) > max_bytes) {
      throw input_error(ErrorCategory::kLimitExceeded, path, "more than " + over_limit);
    }
    bytes.insert(bytes.end(), chunk, chunk + n);
  }
  return bytes;
}

}  // namespace imgkit::cli
