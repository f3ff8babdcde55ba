// The fixture every CLI test uses: runs the real `imgkit` binary in a scratch directory
// and captures its exit code, stdout and stderr.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace imgkit::testing {

namespace fs = std::filesystem;

struct RunResult {
  int exit_code;
  std::string out;
  std::string err;
};

inline std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline std::string quoted(const std::string& text) { return "'" + text + "'"; }

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           (std::string("imgkit-cli-") + info->name() + "-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  RunResult run(const std::string& args) const { return run_with_env("", args); }

  // `env` is prepended to the command line, e.g. "IMGKIT_FORCE_LEGACY=1".
  RunResult run_with_env(const std::string& env, const std::string& args) const {
    const fs::path out = dir_ / "stdout.txt";
    const fs::path err = dir_ / "stderr.txt";
    const std::string command = env + " " + quoted(IMGKIT_CLI_PATH) + " " + args + " >" +
                                quoted(out.string()) + " 2>" + quoted(err.string());
    const int status = std::system(command.c_str());
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return {code, read_text(out), read_text(err)};
  }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  static std::string sample(const std::string& name) {
    return std::string(IMGKIT_SAMPLES_DIR) + "/" + name;
  }

  void write(const std::string& name, const std::string& bytes) const {
    std::ofstream(dir_ / name, std::ios::binary) << bytes;
  }

  // Files in the work directory other than the captured stdout/stderr.
  std::size_t image_files() const {
    std::size_t count = 0;
    for (const auto& entry : fs::directory_iterator(dir_)) {
      count += entry.path().extension() != ".txt";
    }
    return count;
  }

  fs::path dir_;
};

inline std::size_t line_count(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace imgkit::testing
