// `imgkit process DIR... OUTDIR` and `imgkit process FILE... OUTDIR`: the main job over
// many images, as a user runs it on a folder of photos.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/cli_fixture.hpp"
#include "support/failpoints_required.hpp"

namespace {

namespace fs = std::filesystem;
using imgkit::testing::CliTest;
using imgkit::testing::quoted;
using imgkit::testing::read_text;
using ::testing::HasSubstr;
using ::testing::Not;

class BatchCliTest : public CliTest {
 protected:
  // photos/ with three images and one damaged file.
  void make_photos() const {
    fs::create_directories(path("photos"));
    for (const char* name : {"rose.ppm", "logo-rgba.png", "wizard.png"}) {
      fs::copy_file(sample(name), path(std::string("photos/") + name));
    }
    write("photos/damaged.png", "\x89PNG\r\n\x1a\n but not really");
    write("photos/notes.txt", "not an image name: skipped");
  }

  std::vector<std::string> names_in(const std::string& dir) const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(path(dir))) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }
};

TEST_F(BatchCliTest, EveryImageOfADirectoryIsWrittenAndABadOneIsNamed) {
  make_photos();
  const auto r = run("process " + quoted(path("photos")) + " " + quoted(path("out")) +
                     " --op gaussian_blur:sigma=1 --op flip:axis=horizontal");
  EXPECT_EQ(r.exit_code, 1) << "a file failed";
  EXPECT_THAT(r.out, HasSubstr("4 files: 3 written to " + path("out") + ", 1 failed"));
  EXPECT_THAT(r.err, HasSubstr("1 file(s) failed:\n  " + path("photos/damaged.png")));
  EXPECT_EQ(names_in("out"), (std::vector<std::string>{"logo-rgba.png", "rose.ppm", "wizard.png"}));

  // Each output is what `imgkit process FILE OUTPUT` writes for that file alone.
  for (const std::string name : {"logo-rgba.png", "rose.ppm", "wizard.png"}) {
    const auto one =
        run("process " + quoted(path("photos/" + name)) + " " + quoted(path("alone-" + name)) +
            " --op gaussian_blur:sigma=1 --op flip:axis=horizontal");
    ASSERT_EQ(one.exit_code, 0) << one.err;
    EXPECT_EQ(read_text(path("out/" + name)), read_text(path("alone-" + name))) << name;
  }
}

TEST_F(BatchCliTest, FilesBeforeAnOutputDirectoryTakeTheFormatsExtension) {
  make_photos();
  const auto r =
      run("process " + quoted(path("photos/rose.ppm")) + " " + quoted(path("photos/wizard.png")) +
          " " + quoted(path("out")) + " --format pgm --op sobel");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(names_in("out"), (std::vector<std::string>{"rose.pgm", "wizard.pgm"}));
  EXPECT_EQ(read_text(path("out/rose.pgm")).substr(0, 2), "P5");
}

TEST_F(BatchCliTest, WithoutATerminalEachFileIsOnePlainLine) {
  make_photos();
  const auto r =
      run("process " + quoted(path("photos")) + " " + quoted(path("out")) + " --op sobel --jobs 1");
  EXPECT_THAT(r.err, HasSubstr("imgkit: 1/4 "));
  EXPECT_THAT(r.err, HasSubstr("imgkit: 4/4 "));
  EXPECT_THAT(r.err, Not(HasSubstr("\r"))) << "no redrawing into a log";
}

TEST_F(BatchCliTest, OnATerminalOneLineIsRedrawnWithRateAndCount) {
  // script(1) is util-linux's (Debian's essential bsdutils): always there.
  make_photos();
  // script(1) gives the program a terminal; its output is the terminal's.
  const std::string command = std::string(IMGKIT_CLI_PATH) + " process " + path("photos") + " " +
                              path("out") + " --op sobel";
  const auto r =
      imgkit::testing::RunResult{std::system(("script -qec " + quoted(command) + " /dev/null > " +
                                              quoted(path("tty.txt")) + " 2>&1")
                                                 .c_str()),
                                 read_text(path("tty.txt")), ""};
  EXPECT_THAT(r.out, HasSubstr("\r\033[K["));
  EXPECT_THAT(r.out, HasSubstr("4/4 files"));
  EXPECT_THAT(r.out, HasSubstr("files/s"));
}

TEST_F(BatchCliTest, AnOutputThatWouldReplaceAnInputIsRefusedBeforeAnythingIsWritten) {
  make_photos();
  const std::string before = read_text(path("photos/rose.ppm"));
  auto r = run("process " + quoted(path("photos")) + " " + quoted(path("photos")) + " --op sobel");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("is an input too"));
  EXPECT_EQ(read_text(path("photos/rose.ppm")), before);

  fs::create_directories(path("other"));
  fs::copy_file(sample("rose.ppm"), path("other/rose.ppm"));
  r = run("process " + quoted(path("photos")) + " " + quoted(path("other/rose.ppm")) + " " +
          quoted(path("out")) + " --op sobel");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("would both be written to " + path("out/rose.ppm")));
  EXPECT_FALSE(fs::exists(path("out")));
}

TEST_F(BatchCliTest, MetricsCountEveryFilesCalls) {
  make_photos();
  write("rust.toml", "[components.sobel]\nmode = \"rust\"\n");
  const auto r = run("process " + quoted(path("photos")) + " " + quoted(path("out")) +
                     " --op sobel --config " + quoted(path("rust.toml")) + " --metrics-json " +
                     quoted(path("m.json")));
  EXPECT_EQ(r.exit_code, 1);
  const auto metrics = nlohmann::json::parse(read_text(path("m.json")));
  EXPECT_EQ(metrics["components"]["sobel"]["calls"]["rust"], 3);
}

TEST_F(BatchCliTest, AnInterruptLeavesNoPartialFileAndSaysHowFarItGot) {
  IMGKIT_SKIP_WITHOUT_FAILPOINTS();
  make_photos();
  // Each blur takes 400 ms (an injected delay), so the batch is mid-way when the test
  // reads, from the program's own progress lines, that the first image is written.
  int err[2];
  ASSERT_EQ(::pipe(err), 0);
  const std::string command = "FAILPOINTS='imgkit::legacy::gaussian_blur=sleep(400)' exec " +
                              quoted(IMGKIT_CLI_PATH) + " process " + quoted(path("photos")) + " " +
                              quoted(path("out")) + " --jobs 1 --op gaussian_blur:sigma=1";
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::dup2(err[1], STDERR_FILENO);
    ::close(err[0]);
    ::close(err[1]);
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(err[1]);
  std::string stderr_text;
  const auto read_more = [&] {
    char buffer[4096];
    const ssize_t count = ::read(err[0], buffer, sizeof buffer);
    if (count > 0) stderr_text.append(buffer, static_cast<std::size_t>(count));
    return count > 0;
  };
  // Files run in name order: damaged.png fails at once, then logo-rgba.png is written and
  // rose.ppm and wizard.png, 800 ms of blurring, are still to come.
  while (stderr_text.find("-> " + path("out/logo-rgba.png")) == std::string::npos && read_more()) {
  }
  ::kill(child, SIGINT);
  while (read_more()) {
  }
  ::close(err[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT) << "ended by the signal";
  EXPECT_THAT(stderr_text, HasSubstr("imgkit: interrupted: 1 of 4 files written to "));
  for (const std::string& name : names_in("out")) {
    EXPECT_NE(name[0], '.') << "a temporary file was left: " << name;
  }
}

}  // namespace
