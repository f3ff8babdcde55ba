// ConfigWatcher: hot reload as an operator meets it. An edit (in place, by rename, with
// the modification time unmoved) changes routing; a bad edit is reported once and the
// last good config keeps routing. Checks run by hand (check_now) except in one test of
// the polling thread, which waits for the router to log the reload (no sleep, no
// duration asserted).
#include "switchyard/config_watcher.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "switchyard/router.hpp"

namespace switchyard {
namespace {

namespace fs = std::filesystem;
using CheckResult = ConfigWatcher::CheckResult;
using ::testing::HasSubstr;

constexpr ComponentId kBlur = 0;

Catalog test_catalog() {
  return Catalog({{"blur", RustPort::kAvailable, Comparison::kTolerance, 2},
                  {"codec", RustPort::kAvailable, Comparison::kExact, 0},
                  {"legacy_only", RustPort::kNone, Comparison::kExact, 0}});
}

std::string blur_in(const std::string& mode) {
  return "[components.blur]\nmode = \"" + mode + "\"\n";
}

class ConfigWatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    dir_ = fs::temp_directory_path() /
           ("switchyard_watcher_" + std::to_string(::getpid()) + "_" + test);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "switchyard.toml").string();
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  void write(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    ASSERT_TRUE(out.good()) << path;
  }
  void write(const std::string& text) { write(path_, text); }
  // As an editor saves: a new file beside the old one, renamed over it.
  void write_by_rename(const std::string& text) {
    const std::string temporary = path_ + ".tmp";
    write(temporary, text);
    fs::rename(temporary, path_);
  }

  // A router running the file's current content, as a program starts one.
  std::unique_ptr<Router> make_router() {
    RouterOptions options;
    options.log = [this](const std::string& line) {
      {
        const std::lock_guard lock(log_mutex_);
        log_.push_back(line);
      }
      log_changed_.notify_all();
    };
    return std::make_unique<Router>(test_catalog(), load_config_file(path_, test_catalog()),
                                    std::move(options));
  }

  static Route route_of_blur(Router& router) {
    router.call<int>(
        kBlur, [] { return 1; }, []() -> RustResult<int> { return 1; },
        [](int, int, std::uint32_t) -> std::optional<MismatchRecord> { return std::nullopt; },
        [](int) -> std::uint64_t { return 1; });
    return Router::last_decision().route;
  }

  int log_lines_with(const std::string& needle) {
    const std::lock_guard lock(log_mutex_);
    int count = 0;
    for (const std::string& line : log_) count += line.find(needle) != std::string::npos ? 1 : 0;
    return count;
  }

  // Waits until a log line contains `needle`: how a test learns that the watcher's thread
  // acted. False after `patience`, a guard against a hang, never a measure.
  bool wait_for_log_line(const std::string& needle,
                         std::chrono::seconds patience = std::chrono::seconds(120)) {
    std::unique_lock lock(log_mutex_);
    return log_changed_.wait_for(lock, patience, [&] {
      for (const std::string& line : log_) {
        if (line.find(needle) != std::string::npos) return true;
      }
      return false;
    });
  }

  fs::path dir_;
  std::string path_;
  std::mutex log_mutex_;
  std::condition_variable log_changed_;
  std::vector<std::string> log_;
};

TEST_F(ConfigWatcherTest, ReloadsWhenTheBytesChangeWhateverTheModificationTime) {
  write(blur_in("legacy"));
  auto router = make_router();
  ConfigWatcher watcher(*router, path_, /*start_thread=*/false);
  EXPECT_EQ(watcher.check_now(), CheckResult::kUnchanged);
  EXPECT_EQ(route_of_blur(*router), Route::kLegacy);

  write(blur_in("rust"));
  EXPECT_EQ(watcher.check_now(), CheckResult::kReloaded);
  EXPECT_EQ(router->version(), 2u);
  EXPECT_EQ(route_of_blur(*router), Route::kRust);

  // The same bytes written again with a later modification time: nothing to reload.
  const fs::file_time_type before = fs::last_write_time(path_);
  write(blur_in("rust"));
  fs::last_write_time(path_, before + std::chrono::seconds(5));
  EXPECT_EQ(watcher.check_now(), CheckResult::kUnchanged);
  EXPECT_EQ(router->version(), 2u);

  // New bytes with the modification time put back: still a change.
  write(blur_in("shadow"));
  fs::last_write_time(path_, before);
  EXPECT_EQ(watcher.check_now(), CheckResult::kReloaded);
  EXPECT_EQ(router->version(), 3u);
  EXPECT_EQ(route_of_blur(*router), Route::kShadow);
  EXPECT_EQ(router->report().reloads.ok, 2u);
  EXPECT_EQ(log_lines_with("config reloaded from " + path_), 2);
}

TEST_F(ConfigWatcherTest, PicksUpAWriteThenRename) {
  write(blur_in("legacy"));
  auto router = make_router();
  ConfigWatcher watcher(*router, path_, /*start_thread=*/false);

  write_by_rename(blur_in("rust"));
  EXPECT_EQ(watcher.check_now(), CheckResult::kReloaded);
  EXPECT_EQ(route_of_blur(*router), Route::kRust);
  EXPECT_EQ(watcher.check_now(), CheckResult::kUnchanged);
}

TEST_F(ConfigWatcherTest, InvalidContentIsReportedOnceAndTheLastGoodConfigKeepsRouting) {
  write(blur_in("rust"));
  auto router = make_router();
  ConfigWatcher watcher(*router, path_, /*start_thread=*/false);

  const std::string bad = blur_in("sideways");
  write(bad);
  EXPECT_EQ(watcher.check_now(), CheckResult::kRejected);
  EXPECT_EQ(route_of_blur(*router), Route::kRust);
  EXPECT_EQ(router->version(), 1u);
  Report report = router->report();
  EXPECT_EQ(report.reloads.failed, 1u);
  EXPECT_EQ(report.reloads.ok, 0u);
  EXPECT_THAT(report.last_reload_error, HasSubstr(path_ + ":2:8: components.blur.mode: "));
  EXPECT_THAT(report.last_reload_error, HasSubstr("\"sideways\""));

  // Reported once: neither the next check nor the same bad bytes rewritten count again.
  EXPECT_EQ(watcher.check_now(), CheckResult::kUnchanged);
  write(bad);
  EXPECT_EQ(watcher.check_now(), CheckResult::kUnchanged);
  EXPECT_EQ(router->report().reloads.failed, 1u);
  EXPECT_EQ(log_lines_with("config reload failed"), 1);

  write(blur_in("legacy"));
  EXPECT_EQ(watcher.check_now(), CheckResult::kReloaded);
  EXPECT_EQ(route_of_blur(*router), Route::kLegacy);
  report = router->report();
  EXPECT_EQ(report.last_reload_error, "");
  EXPECT_EQ(report.reloads.ok, 1u);
  EXPECT_EQ(report.reloads.failed, 1u);
}

TEST_F(ConfigWatcherTest, DeletedFileIsReportedOnceAndPickedUpWhenRecreated) {
  write(blur_in("rust"));
  auto router = make_router();
  ConfigWatcher watcher(*router, path_, /*start_thread=*/false);

  fs::remove(path_);
  EXPECT_EQ(watcher.check_now(), CheckResult::kRejected);
  EXPECT_EQ(watcher.check_now(), CheckResult::kUnchanged);
  EXPECT_EQ(route_of_blur(*router), Route::kRust);
  const Report report = router->report();
  EXPECT_EQ(report.reloads.failed, 1u);
  EXPECT_THAT(report.last_reload_error, HasSubstr(path_ + ": cannot read the file"));

  write(blur_in("legacy"));
  EXPECT_EQ(watcher.check_now(), CheckResult::kReloaded);
  EXPECT_EQ(route_of_blur(*router), Route::kLegacy);
  EXPECT_EQ(router->report().last_reload_error, "");
}

TEST_F(ConfigWatcherTest, AFileGrownPastTheLimitIsARejectedReload) {
  write(blur_in("rust"));
  auto router = make_router();
  ConfigWatcher watcher(*router, path_, /*start_thread=*/false);

  // Valid TOML, one byte too many: refused for its size, not its content.
  std::string grown = blur_in("legacy");
  grown.append(kMaxConfigFileBytes - grown.size(), '\n');
  write(grown + "\n");
  EXPECT_EQ(watcher.check_now(), CheckResult::kRejected);
  EXPECT_EQ(route_of_blur(*router), Route::kRust);
  EXPECT_EQ(router->version(), 1u);
  EXPECT_THAT(router->report().last_reload_error,
              HasSubstr(path_ + ": is larger than 4 MiB (4194304 bytes)"));

  write(grown);  // at the limit: accepted
  EXPECT_EQ(watcher.check_now(), CheckResult::kReloaded);
  EXPECT_EQ(route_of_blur(*router), Route::kLegacy);
}

TEST_F(ConfigWatcherTest, AFifoInPlaceOfTheFileIsARejectedReloadNotAHang) {
  write(blur_in("rust"));
  auto router = make_router();
  ConfigWatcher watcher(*router, path_, /*start_thread=*/false);

  fs::remove(path_);
  ASSERT_EQ(::mkfifo(path_.c_str(), 0600), 0);
  EXPECT_EQ(watcher.check_now(), CheckResult::kRejected);
  EXPECT_EQ(route_of_blur(*router), Route::kRust);
  EXPECT_THAT(router->report().last_reload_error,
              HasSubstr(path_ + ": is a FIFO (named pipe), not a file"));
}

TEST_F(ConfigWatcherTest, ThreadPicksUpAChangeByItself) {
  const std::string header = "[switchyard]\nreload_interval_ms = 20\n";
  write(header + blur_in("legacy"));
  auto router = make_router();
  ConfigWatcher watcher(*router, path_);
  EXPECT_EQ(route_of_blur(*router), Route::kLegacy);

  // By rename, so the thread never reads a half-written file.
  write_by_rename(header + blur_in("rust"));
  ASSERT_TRUE(wait_for_log_line("config reloaded from " + path_)) << "the thread never reloaded";
  ASSERT_EQ(router->version(), 2u);
  EXPECT_EQ(route_of_blur(*router), Route::kRust);
  EXPECT_EQ(router->report().reloads.ok, 1u);
}

}  // namespace
}  // namespace switchyard
