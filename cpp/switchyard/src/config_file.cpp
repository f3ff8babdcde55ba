// Reading a config file: a regular file, of a bounded size, or a ConfigError saying why
// not. Shared by the loader and the watcher, so a reload is held to the same rules as
// the start.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <string>
#include <system_error>

#include "switchyard/config.hpp"

namespace switchyard {
namespace {

constexpr std::size_t kMebibyte = std::size_t{1} << 20;

[[noreturn]] void refuse(const std::string& path, const std::string& problem) {
  throw ConfigError(path, 0, 0, "", problem);
}

[[noreturn]] void cannot_read(const std::string& path, int error) {
  refuse(path, "cannot read the file: " + std::generic_category().message(error));
}

// What a path that is not a regular file is, for the operator who named it.
std::string what_it_is(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  return "not a regular file";
}

void require_regular(const std::string& path, const struct stat& info) {
  if (!S_ISREG(info.st_mode)) refuse(path, "is " + what_it_is(info.st_mode) + ", not a file");
}

// Closes the descriptor on every way out.
class Descriptor {
 public:
  explicit Descriptor(int fd) noexcept : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const noexcept { return fd_; }

 private:
  int fd_;
};

}  // namespace

std::string read_config_file(const std::string& path) {
  // By type first, before opening: opening a FIFO waits for a writer, and opening a
  // device can do things.
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) cannot_read(path, errno);
  require_regular(path, info);
  // The path may have been replaced since: O_NONBLOCK keeps a FIFO from blocking the
  // open, and the descriptor itself is checked again.
  const Descriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (file.get() < 0) cannot_read(path, errno);
  if (::fstat(file.get(), &info) != 0) cannot_read(path, errno);
  require_regular(path, info);

  // Read to the end, not to st_size: the file can grow while it is read, so the limit is
  // checked on the bytes actually read.
  std::string text;
  char chunk[16 * 1024];
  while (true) {
    const ssize_t got = ::read(file.get(), chunk, sizeof chunk);
    if (got < 0) {
      if (errno == EINTR) continue;
      cannot_read(path, errno);
    }
    if (got == 0) return text;
    if (text.size() + static_cast<std::size_t>(got) > kMaxConfigFileBytes) {
      static_assert(kMaxConfigFileBytes % kMebibyte == 0, "the message counts whole MiB");
      refuse(path, "is larger than " + std::to_string(kMaxConfigFileBytes / kMebibyte) + " MiB (" +
                       std::to_string(kMaxConfigFileBytes) +
                       " bytes), the most a config file may hold");
    }
    text.append(chunk, static_cast<std::size_t>(got));
  }
}

Config load_config_file(const std::string& path, const Catalog& catalog) {
  return parse_config(read_config_file(path), path, catalog);
}

}  // namespace switchyard
