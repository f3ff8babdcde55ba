// switchyard::ConfigWatcher — hot reload: republishes the config file when it changes.
//
// A background thread reads the file every reload_interval_ms (of the running config)
// and compares its bytes with the last ones seen, so an edit is picked up even when the
// modification time does not move, and an editor's write-then-rename is just new bytes
// at the same path. New bytes that parse are published to the router as one snapshot;
// bytes that do not are reported once (router.reject) and the last good config keeps
// running until the file is fixed.
//
//   switchyard::Router router(catalog, switchyard::load_config_file(path, catalog));
//   switchyard::ConfigWatcher watcher(router, path);   // stops and joins on destruction
#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "switchyard/router.hpp"

namespace switchyard {

class ConfigWatcher {
 public:
  // Starts watching `path`, whose current content the router is assumed to run.
  // With start_thread false nothing polls by itself: tests call check_now().
  ConfigWatcher(Router& router, std::string path, bool start_thread = true);
  ~ConfigWatcher();
  ConfigWatcher(const ConfigWatcher&) = delete;
  ConfigWatcher& operator=(const ConfigWatcher&) = delete;

  enum class CheckResult { kUnchanged, kReloaded, kRejected };
  // Reads the file once and publishes or rejects it, as the thread does every interval.
  CheckResult check_now();

  const std::string& path() const noexcept { return path_; }

 private:
  void run();

  Router& router_;
  const std::string path_;
  std::mutex check_mutex_;  // one check at a time (the thread and check_now)
  // The bytes last acted on (published or rejected); nullopt when the file was missing.
  std::optional<std::string> last_bytes_;
  std::string last_read_error_;

  std::mutex stop_mutex_;
  std::condition_variable stop_signal_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace switchyard
