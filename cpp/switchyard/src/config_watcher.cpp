#include "switchyard/config_watcher.hpp"

#include <utility>

namespace switchyard {
namespace {

// The file's bytes, or nullopt with `error` set when they cannot be used: the same
// rules as at start (read_config_file), so a file that grew past the limit or became
// a FIFO is a rejected reload, and the last good config keeps running.
std::optional<std::string> read_bytes(const std::string& path, std::string& error) {
  try {
    return read_config_file(path);
  } catch (const ConfigError& e) {
    error = e.what();
    return std::nullopt;
  }
}

}  // namespace

ConfigWatcher::ConfigWatcher(Router& router, std::string path, bool start_thread)
    : router_(router), path_(std::move(path)) {
  std::string ignored;
  last_bytes_ = read_bytes(path_, ignored);
  if (start_thread) thread_ = std::thread([this] { run(); });
}

ConfigWatcher::~ConfigWatcher() {
  {
    const std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  stop_signal_.notify_all();
  if (thread_.joinable()) thread_.join();
}

ConfigWatcher::CheckResult ConfigWatcher::check_now() {
  const std::lock_guard lock(check_mutex_);
  std::string read_error;
  std::optional<std::string> bytes = read_bytes(path_, read_error);
  if (!bytes) {
    // A missing file is reported once, not every interval.
    if (!last_bytes_ && read_error == last_read_error_) return CheckResult::kUnchanged;
    last_bytes_.reset();
    last_read_error_ = read_error;
    router_.reject(read_error);
    return CheckResult::kRejected;
  }
  if (last_bytes_ == bytes) return CheckResult::kUnchanged;
  last_bytes_ = bytes;
  last_read_error_.clear();
  try {
    router_.publish(parse_config(*bytes, path_, router_.catalog()));
    return CheckResult::kReloaded;
  } catch (const ConfigError& error) {
    router_.reject(error.what());
    return CheckResult::kRejected;
  }
}

void ConfigWatcher::run() {
  std::unique_lock lock(stop_mutex_);
  while (!stopping_) {
    const auto interval = router_.config().reload_interval;
    if (stop_signal_.wait_for(lock, interval, [this] { return stopping_; })) break;
    lock.unlock();
    check_now();
    lock.lock();
  }
}

}  // namespace switchyard
