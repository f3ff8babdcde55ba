#include "switchyard/capture.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "switchyard/report.hpp"

namespace switchyard {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

// Queued calls beyond which a new one is dropped: a burst of mismatches must not grow
// the process's memory without bound while the disk catches up.
constexpr std::size_t kMaxQueuedCalls = 64;

std::string errno_text(int error) { return std::generic_category().message(error); }

// "20261207T101112Z" from the record's time: a file name sorts by when it happened.
std::string file_time(std::chrono::system_clock::time_point when) {
  std::string text = iso8601_utc(when);  // 2026-12-07T10:11:12.345Z
  std::string compact;
  for (char c : text.substr(0, 19)) {
    if (c != '-' && c != ':') compact += c;
  }
  return compact + "Z";
}

// The *.capture files already in `dir`, and their bytes.
struct FolderUse {
  std::uint64_t files = 0;
  std::uint64_t bytes = 0;
};

FolderUse folder_use(const std::string& dir) {
  FolderUse use;
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, error)) {
    std::error_code entry_error;
    if (entry.path().extension() != kCaptureExtension || !entry.is_regular_file(entry_error)) {
      continue;
    }
    ++use.files;
    const std::uintmax_t size = entry.file_size(entry_error);
    if (!entry_error) use.bytes += size;
  }
  return use;
}

bool write_all(int fd, const void* data, std::size_t size, std::string& problem) {
  const auto* next = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t count = ::write(fd, next, size);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) {
      problem = "writing failed: " + errno_text(count < 0 ? errno : ENOSPC);
      return false;
    }
    next += count;
    size -= static_cast<std::size_t>(count);
  }
  return true;
}

}  // namespace

CaptureFile read_capture(const std::string& path, std::uint64_t max_bytes) {
  const auto fail = [&](const std::string& problem) -> std::runtime_error {
    return std::runtime_error(path + ": " + problem);
  };
  std::error_code error;
  if (!fs::is_regular_file(path, error)) throw fail("not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw fail("cannot be opened: " + errno_text(errno));

  std::string magic(kCaptureMagic.size(), '\0');
  if (!in.read(magic.data(), static_cast<std::streamsize>(magic.size())) ||
      magic != kCaptureMagic) {
    throw fail("not a capture file (it does not start with \"switchyard-capture 1\")");
  }
  std::string header;
  if (!std::getline(in, header)) throw fail("no header line after the first line");
  Json json = Json::parse(header, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("component") || !json["component"].is_string() ||
      !json.contains("payload_bytes") || !json["payload_bytes"].is_number_unsigned() ||
      !json.contains("call") || !json["call"].is_object()) {
    throw fail(
        "the header is not a JSON object with \"component\", \"call\" and \"payload_bytes\"");
  }
  const std::uint64_t size = json["payload_bytes"].get<std::uint64_t>();
  if (size > max_bytes) {
    throw fail("declares a payload of " + std::to_string(size) + " bytes, over the limit of " +
               std::to_string(max_bytes));
  }

  CaptureFile capture;
  capture.component = json["component"].get<std::string>();
  capture.kind =
      json.value("kind", "value") == "error" ? MismatchKind::kError : MismatchKind::kValue;
  capture.header_json = header;
  capture.call_json = json["call"].dump();
  capture.payload.resize(static_cast<std::size_t>(size));
  if (!in.read(reinterpret_cast<char*>(capture.payload.data()),
               static_cast<std::streamsize>(size))) {
    throw fail("the payload is shorter than the " + std::to_string(size) + " bytes declared");
  }
  if (in.peek() != std::char_traits<char>::eof()) {
    throw fail("holds more than the " + std::to_string(size) + " payload bytes declared");
  }
  return capture;
}

CaptureWriter::CaptureWriter(Metrics& metrics, std::function<void(const std::string&)> log)
    : metrics_(metrics), log_(std::move(log)) {}

CaptureWriter::~CaptureWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::optional<std::string> CaptureWriter::submit(ComponentId id, std::string_view component,
                                                 const CaptureSettings& settings,
                                                 const MismatchRecord& record, CapturedCall call) {
  Json header{{"component", component},
              {"kind", to_string(record.kind)},
              {"input_digest", record.input_digest},
              {"time", iso8601_utc(record.when)},
              {"detail", record.detail},
              {"max_difference", record.max_difference},
              {"legacy_error", record.legacy_error},
              {"rust_error", record.rust_error},
              {"call", Json::parse(call.call_json)},
              {"payload_bytes", call.payload.size()}};
  std::string head(kCaptureMagic);
  head += header.dump(-1, ' ', false, Json::error_handler_t::replace);
  head += '\n';
  const std::uint64_t size = head.size() + call.payload.size();

  std::unique_lock lock(mutex_);
  if (stopping_ || queue_.size() >= kMaxQueuedCalls || queued_bytes_ + size > settings.max_bytes) {
    lock.unlock();
    drop(id);
    return std::nullopt;
  }
  const std::string name = std::string(component) + "-" + file_time(record.when) + "-" +
                           (record.input_digest.empty() ? "input" : record.input_digest) + "-" +
                           std::to_string(++sequence_) + std::string(kCaptureExtension);
  queued_bytes_ += size;
  queue_.push_back(Job{id, settings.dir, settings.max_files, settings.max_bytes, name,
                       std::move(head), std::move(call.payload)});
  if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
  lock.unlock();
  wake_.notify_one();
  return name;
}

void CaptureWriter::flush() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [&] { return queue_.empty() && !writing_; });
}

void CaptureWriter::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and everything queued is written
    Job job = std::move(queue_.front());
    queue_.pop_front();
    queued_bytes_ -= job.size();
    writing_ = true;
    lock.unlock();

    std::string problem;
    const bool written = write(job, problem);
    metrics_.count_capture(job.id, written);
    if (!written) log_once(job.dir, problem);

    lock.lock();
    writing_ = false;
    if (queue_.empty()) idle_.notify_all();
  }
}

bool CaptureWriter::write(const Job& job, std::string& problem) const {
  const FolderUse use = folder_use(job.dir);
  if (use.files >= job.max_files) {
    problem = "it holds " + std::to_string(use.files) + " captures, capture_max_files is " +
              std::to_string(job.max_files);
    return false;
  }
  if (use.bytes + job.size() > job.max_bytes) {
    problem = "capture_max_mb would be exceeded (" + std::to_string(use.bytes) + " bytes there, " +
              std::to_string(job.size()) + " more)";
    return false;
  }
  const std::string target = (fs::path(job.dir) / job.name).string();
  const std::string temporary = (fs::path(job.dir) / ("." + job.name + ".tmp")).string();
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    problem = "cannot create a file there: " + errno_text(errno);
    return false;
  }
  bool ok = write_all(fd, job.head.data(), job.head.size(), problem) &&
            write_all(fd, job.payload.data(), job.payload.size(), problem);
  if (ok && ::fsync(fd) != 0) {
    problem = "writing failed: " + errno_text(errno);
    ok = false;
  }
  ::close(fd);
  if (ok && ::rename(temporary.c_str(), target.c_str()) != 0) {
    problem = "renaming into place failed: " + errno_text(errno);
    ok = false;
  }
  if (!ok) ::unlink(temporary.c_str());
  return ok;
}

void CaptureWriter::log_once(const std::string& dir, const std::string& problem) {
  {
    std::lock_guard lock(mutex_);
    if (std::find(logged_dirs_.begin(), logged_dirs_.end(), dir) != logged_dirs_.end()) return;
    logged_dirs_.push_back(dir);
  }
  log_(
      "capture dropped (counted in captures_dropped; later drops into this folder are only "
      "counted): capture_dir " +
      dir + ": " + problem);
}

}  // namespace switchyard
