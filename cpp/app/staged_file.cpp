#include "staged_file.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>

#include "imgkit/error.hpp"

namespace imgkit::cli {
namespace {

namespace fs = std::filesystem;

Error output_error(const std::string& path, const std::string& what) {
  return Error(ErrorCategory::kInternal, path + ": " + what);
}

std::string system_error(const char* what) {
  return std::string(what) + ": " + std::strerror(errno);
}

// The temporary files the interrupt handler removes. A signal handler may only call
// async-signal-safe functions, so each path is kept in a fixed buffer and claimed or
// released with an atomic flag; unlink() is safe to call from the handler.
constexpr std::size_t kSlots = 64;  // a batch stages one output per job (--jobs <= 64)
struct Slot {
  std::atomic<bool> used{false};
  char path[4096] = {};
};
std::array<Slot, kSlots> g_slots;
std::mutex g_claim_mutex;  // claiming only; the handler never takes it

int claim_slot(const std::string& path) {
  if (path.size() >= sizeof(Slot::path)) return -1;
  const std::lock_guard lock(g_claim_mutex);
  for (std::size_t i = 0; i < kSlots; ++i) {
    if (g_slots[i].used.load(std::memory_order_relaxed)) continue;
    std::memcpy(g_slots[i].path, path.c_str(), path.size() + 1);
    g_slots[i].used.store(true, std::memory_order_release);
    return static_cast<int>(i);
  }
  return -1;  // more outputs at once than slots: that one is removed on exceptions only
}

void release_slot(int slot) {
  if (slot >= 0)
    g_slots[static_cast<std::size_t>(slot)].used.store(false, std::memory_order_release);
}

// The note the handler prints, double-buffered: set_interrupt_note writes the buffer the
// handler is not reading and then switches to it.
struct Note {
  char text[512] = {};
  std::size_t length = 0;
};
std::array<Note, 2> g_notes;
std::atomic<int> g_current_note{0};
std::mutex g_note_mutex;  // writers only

extern "C" void remove_temporaries_and_reraise(int signal_number) {
  for (Slot& slot : g_slots) {
    if (slot.used.load(std::memory_order_acquire)) ::unlink(slot.path);
  }
  const Note& note =
      g_notes[static_cast<std::size_t>(g_current_note.load(std::memory_order_acquire))];
  if (note.length > 0) {
    [[maybe_unused]] const ssize_t ignored = ::write(STDERR_FILENO, note.text, note.length);
  }
  // End the way the signal would have: the parent sees "killed by SIGINT", not an exit.
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
}

constexpr int kInterrupts[] = {SIGINT, SIGTERM, SIGHUP};

// Holds the interrupt signals back for the calling thread while it lives.
class BlockedInterrupts {
 public:
  BlockedInterrupts() {
    sigset_t interrupts;
    sigemptyset(&interrupts);
    for (int signal_number : kInterrupts) sigaddset(&interrupts, signal_number);
    ::pthread_sigmask(SIG_BLOCK, &interrupts, &previous_);
  }
  ~BlockedInterrupts() { ::pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
  BlockedInterrupts(const BlockedInterrupts&) = delete;
  BlockedInterrupts& operator=(const BlockedInterrupts&) = delete;

 private:
  sigset_t previous_;
};

bool write_all(int fd, const std::vector<std::uint8_t>& bytes) {
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    written += static_cast<std::size_t>(n);
  }
  return true;
}

// The mode a new output gets: an existing target keeps its own; a new one gets what a
// plain create would give under the umask (mkstemp creates files 0600).
mode_t output_mode(const std::string& target) {
  struct stat info {};
  if (::stat(target.c_str(), &info) == 0) return info.st_mode & 07777;
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

}  // namespace

void set_interrupt_note(const std::string& note) {
  const std::lock_guard lock(g_note_mutex);
  const int next = 1 - g_current_note.load(std::memory_order_relaxed);
  Note& spare = g_notes[static_cast<std::size_t>(next)];
  spare.length = std::min(note.size(), sizeof spare.text);
  std::memcpy(spare.text, note.data(), spare.length);
  g_current_note.store(next, std::memory_order_release);
}

std::string check_output_path(const std::string& path) {
  // A link to an existing file: replace that file and keep the link. A dangling link is
  // replaced itself (its target does not exist, so nothing is lost).
  std::error_code error;
  std::string target = path;
  if (fs::is_symlink(fs::symlink_status(path, error))) {
    const fs::path resolved = fs::canonical(path, error);
    if (!error) target = resolved.string();
  }
  struct stat info {};
  if (::stat(target.c_str(), &info) == 0 && !S_ISREG(info.st_mode)) {
    const char* kind = S_ISDIR(info.st_mode)    ? "a directory"
                       : S_ISFIFO(info.st_mode) ? "a FIFO"
                       : S_ISCHR(info.st_mode)  ? "a character device"
                       : S_ISBLK(info.st_mode)  ? "a block device"
                                                : "not a regular file";
    throw output_error(path, std::string("is ") + kind + "; an output must be a regular file");
  }
  return target;
}

bool same_file(const std::string& a, const std::string& b) {
  struct stat info_a {};
  struct stat info_b {};
  if (::stat(a.c_str(), &info_a) == 0 && ::stat(b.c_str(), &info_b) == 0) {
    return info_a.st_dev == info_b.st_dev && info_a.st_ino == info_b.st_ino;
  }
  std::error_code error_a;
  std::error_code error_b;
  const fs::path canonical_a = fs::weakly_canonical(fs::absolute(a), error_a);
  const fs::path canonical_b = fs::weakly_canonical(fs::absolute(b), error_b);
  return !error_a && !error_b && canonical_a == canonical_b;
}

StagedFile::StagedFile(const std::string& target, const std::vector<std::uint8_t>& bytes)
    : name_(target), target_(check_output_path(target)) {
  const fs::path target_path(target_);
  const fs::path dir = target_path.has_parent_path() ? target_path.parent_path() : fs::path(".");
  std::string temporary = (dir / ".imgkit-XXXXXX").string();
  const mode_t mode = output_mode(target_);
  int fd = -1;
  {
    // No interrupt between creating the file and recording it for the handler.
    const BlockedInterrupts blocked;
    fd = ::mkstemp(temporary.data());
    if (fd >= 0) slot_ = claim_slot(temporary);
  }
  if (fd < 0) throw output_error(name_, system_error("cannot create a temporary file"));
  temporary_ = temporary;
  std::string failure;
  if (::fchmod(fd, mode) != 0) {
    failure = system_error("chmod failed");
  } else if (!write_all(fd, bytes)) {
    failure = system_error("write failed");
  } else if (::fsync(fd) != 0) {
    failure = system_error("fsync failed");
  }
  if (::close(fd) != 0 && failure.empty()) failure = system_error("close failed");
  if (!failure.empty()) {
    ::unlink(temporary_.c_str());
    release_slot(slot_);
    throw output_error(name_, failure);
  }
}

StagedFile::~StagedFile() {
  if (temporary_.empty()) return;
  ::unlink(temporary_.c_str());
  release_slot(slot_);
}

void StagedFile::commit() {
  if (std::rename(temporary_.c_str(), target_.c_str()) != 0) {
    const std::string failure = system_error("rename failed");
    ::unlink(temporary_.c_str());
    release_slot(slot_);
    temporary_.clear();
    throw output_error(name_, failure);
  }
  release_slot(slot_);
  temporary_.clear();
}

void write_atomically(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  StagedFile(path, bytes).commit();
}

void install_interrupt_cleanup() {
  for (int signal_number : kInterrupts) {
    struct sigaction action {};
    action.sa_handler = remove_temporaries_and_reraise;
    sigemptyset(&action.sa_mask);
    ::sigaction(signal_number, &action, nullptr);
  }
}

}  // namespace imgkit::cli
