// `imgkit process` given what a hostile or careless user might give it: every input is
// bounded, no size is allocated before it is checked, and no option or interruption can
// destroy a file.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <string>

#include "cli/cli_fixture.hpp"
#include "imgkit/imgkit.hpp"
#include "imgkit/legacy/codecs.hpp"
#include "support/failpoints_required.hpp"
#include "support/png_chunks.hpp"

namespace {

using imgkit::testing::CliTest;
using imgkit::testing::line_count;
using imgkit::testing::quoted;
using imgkit::testing::read_text;
using imgkit::testing::RunResult;
using ::testing::HasSubstr;
using ::testing::StartsWith;
namespace fs = std::filesystem;

class CliSafetyTest : public CliTest {
 protected:
  RunResult process(const std::string& input, const std::string& output,
                    const std::string& options = "") const {
    return run("process " + quoted(input) + " " + quoted(output) + " " + options);
  }
  // Hidden temporary files an interrupted or failed write could leave.
  std::size_t temporaries() const {
    std::size_t count = 0;
    for (const auto& entry : fs::directory_iterator(dir_)) {
      count += entry.path().filename().string().rfind(".imgkit-", 0) == 0;
    }
    return count;
  }
};

// ---- Every input is bounded ------------------------------------------------------------

TEST_F(CliSafetyTest, ADeviceAsInputIsRefusedByTypeBeforeReading) {
  const RunResult r = process("/dev/zero", path("out.png"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("/dev/zero: is a character device, not a regular file"));
  EXPECT_FALSE(fs::exists(path("out.png")));
}

TEST_F(CliSafetyTest, ADirectoryAsInputIsRefusedByType) {
  const RunResult r = process(dir_.string(), path("out.png"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr(dir_.string() + ": is a directory, not a regular file"));
  EXPECT_EQ(line_count(r.err), 1u) << r.err;
}

TEST_F(CliSafetyTest, AFifoAsInputIsRefusedWithoutWaitingForAWriter) {
  ASSERT_EQ(::mkfifo(path("in.png").c_str(), 0600), 0) << std::strerror(errno);
  const RunResult r = process(path("in.png"), path("out.png"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("in.png: is a FIFO, not a regular file"));
}

TEST_F(CliSafetyTest, AConfigThatIsADeviceOrTooBigIsAUsageError) {
  RunResult r = process(sample("rose.ppm"), path("out.png"), "--config /dev/zero");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("/dev/zero"));
  write("huge.toml", "# " + std::string(std::size_t{5} << 20, 'x') + "\n");
  r = process(sample("rose.ppm"), path("out.png"), "--config " + quoted(path("huge.toml")));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("huge.toml"));
  EXPECT_THAT(r.err, HasSubstr("4 MiB"));
  EXPECT_FALSE(fs::exists(path("out.png")));
}

TEST_F(CliSafetyTest, AnInputFileOverTheLimitIsRefusedNamingTheLimit) {
  write("big.png", std::string(std::size_t{3} << 20, 'x'));
  const RunResult r = process(path("big.png"), path("out.png"), "--max-input-mb 2");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("big.png: 3 MiB is over the 2 MiB input limit (--max-input-mb)"));
}

TEST_F(CliSafetyTest, StandardInputOverTheLimitIsRefused) {
  // An endless stream ends the run as soon as the limit is passed.
  const RunResult r = run("process - " + quoted(path("out.png")) + " --max-input-mb 1 < /dev/zero");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("standard input: more than over the 1 MiB input limit"));
}

// A 2x2 16-bit RGBA PNG whose header then claims 10000x10000: 800 MB of samples from a
// file of a few hundred bytes.
TEST_F(CliSafetyTest, AnImageDeclaringMoreThanTheImageLimitIsRefusedFromItsHeader) {
  imgkit::legacy::Bytes file = imgkit::legacy::encode_png(imgkit::Image16(2, 2, 4));
  imgkit::testing::patch_ihdr_size(file, 10'000, 10'000);
  write("hostile.png", std::string(file.begin(), file.end()));
  for (const char* config : {"legacy", "rust"}) {
    write(std::string(config) + ".toml", "[defaults]\nmode = \"" + std::string(config) + "\"\n");
    const RunResult r = process(path("hostile.png"), path("out.png"),
                                "--config " + quoted(path(std::string(config) + ".toml")));
    EXPECT_EQ(r.exit_code, 1) << config;
    EXPECT_THAT(r.err, HasSubstr("hostile.png: PNG: image needs 800000000 bytes (10000x10000, "
                                 "4 channels, 16-bit), over the 536870912-byte limit"))
        << config;
  }
  // The same limit, set on the command line, refuses a real image.
  const RunResult r = process(sample("wizard.png"), path("out.png"), "--max-image-mb 0");
  EXPECT_EQ(r.exit_code, 2) << "0 is not a limit";
}

TEST_F(CliSafetyTest, AnOutputOverTheImageLimitIsRefusedBeforeAllocating) {
  // 70x46 -> 65535 wide keeps the ratio: 65535x43066 RGB, 7.9 GiB.
  const RunResult r = process(sample("rose.ppm"), path("out.png"), "--op resize:width=65535");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("resize(width=65535, filter=bilinear): the output would be "
                               "65535x43066x3 (7.9 GiB), over the 512 MiB image limit "
                               "(--max-image-mb)"));
  EXPECT_FALSE(fs::exists(path("out.png")));
}

TEST_F(CliSafetyTest, TheImageLimitIsSettable) {
  // 1000x657 RGB is 1.9 MiB: over a 1 MiB limit, under the default.
  EXPECT_EQ(process(sample("rose.ppm"), path("out.png"), "--op resize:width=1000 --max-image-mb 1")
                .exit_code,
            2);
  EXPECT_EQ(process(sample("rose.ppm"), path("out.png"), "--op resize:width=1000").exit_code, 0);
  EXPECT_EQ(process(sample("rose.ppm"), path("out.png"), "--max-image-mb 0").exit_code, 2);
}

TEST_F(CliSafetyTest, TheConfigSetsTheLimitsAndTheCommandLineOverridesIt) {
  write("small.toml", "[imgkit]\nmax_image_mb = 1\nmax_input_mb = 1\n");
  const std::string config = " --config " + quoted(path("small.toml"));
  RunResult r = process(sample("rose.ppm"), path("out.png"), "--op resize:width=1000" + config);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("over the 1 MiB image limit"));
  EXPECT_EQ(process(sample("rose.ppm"), path("out.png"),
                    "--op resize:width=1000 --max-image-mb 8" + config)
                .exit_code,
            0);
  write("big.png", std::string(std::size_t{3} << 19, 'x'));  // 1.5 MiB
  r = process(path("big.png"), path("out.png"), config);
  EXPECT_THAT(r.err, HasSubstr("over the 1 MiB input limit"));
  r = run("status --json" + config);
  EXPECT_THAT(r.out, HasSubstr("\"max_image_mb\": 1"));
}

// ---- No flag can destroy a file --------------------------------------------------------

TEST_F(CliSafetyTest, MetricsOverTheInputOrOutputIsAUsageError) {
  fs::copy_file(sample("rose.ppm"), path("in.ppm"));
  write("out.png", "precious");
  fs::create_symlink(path("out.png"), path("link.json"));
  for (const std::string& metrics :
       {path("in.ppm"), path("out.png"), path("link.json"), dir_.string() + "/./out.png"}) {
    const RunResult r =
        process(path("in.ppm"), path("out.png"), "--metrics-json " + quoted(metrics));
    EXPECT_EQ(r.exit_code, 2) << metrics;
    EXPECT_THAT(r.err, HasSubstr("is the same file as the")) << metrics;
  }
  EXPECT_EQ(read_text(path("in.ppm")), read_text(sample("rose.ppm")));
  EXPECT_EQ(read_text(path("out.png")), "precious");
}

TEST_F(CliSafetyTest, UnwritableMetricsLeaveTheOutputUntouched) {
  write("out.png", "precious");
  const RunResult r = process(sample("rose.ppm"), path("out.png"),
                              "--metrics-json " + quoted(path("nodir/m.json")));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("nodir/m.json"));
  EXPECT_EQ(line_count(r.err), 1u) << r.err;
  EXPECT_EQ(read_text(path("out.png")), "precious");
  EXPECT_EQ(temporaries(), 0u);
}

TEST_F(CliSafetyTest, AFailureAfterStagingRenamesNothingAndLeavesNoTemporaryFile) {
  IMGKIT_SKIP_WITHOUT_FAILPOINTS();
  write("out.png", "precious");
  write("m.json", "old metrics");
  const RunResult r =
      run_with_env("FAILPOINTS='imgkit::cli::before_commit=return(disk gone)'",
                   "process " + quoted(sample("rose.ppm")) + " " + quoted(path("out.png")) +
                       " --metrics-json " + quoted(path("m.json")));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("disk gone"));
  EXPECT_EQ(read_text(path("out.png")), "precious");
  EXPECT_EQ(temporaries(), 0u);
}

TEST_F(CliSafetyTest, ADirectoryAsOutputIsKeptAndTheImageGoesIntoItAFifoIsRefused) {
  // As cp: an existing directory is where the output goes, under the input's name.
  fs::create_directory(path("out.png"));
  RunResult r = process(sample("rose.ppm"), path("out.png"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::is_directory(path("out.png")));
  EXPECT_TRUE(fs::is_regular_file(path("out.png/rose.ppm")));

  ASSERT_EQ(::mkfifo(path("pipe.png").c_str(), 0600), 0) << std::strerror(errno);
  r = process(sample("rose.ppm"), path("pipe.png"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("pipe.png: is a FIFO"));
  EXPECT_TRUE(fs::is_fifo(path("pipe.png")));
}

TEST_F(CliSafetyTest, ASymlinkedOutputKeepsTheLinkAndReplacesItsTarget) {
  write("real.png", "old");
  fs::create_symlink(path("real.png"), path("out.png"));
  ASSERT_EQ(process(sample("rose.ppm"), path("out.png")).exit_code, 0);
  EXPECT_TRUE(fs::is_symlink(path("out.png")));
  EXPECT_THAT(read_text(path("real.png")), StartsWith("\x89PNG"));
}

TEST_F(CliSafetyTest, TheLongestLegalOutputNameWorks) {
  const std::string name = std::string(251, 'a') + ".png";  // 255 bytes: NAME_MAX
  const RunResult r = process(sample("rose.ppm"), path(name));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(path(name)));
}

TEST_F(CliSafetyTest, AnOverwrittenOutputKeepsItsPermissions) {
  write("out.png", "old");
  fs::permissions(path("out.png"), fs::perms::owner_read | fs::perms::owner_write);
  ASSERT_EQ(process(sample("rose.ppm"), path("out.png")).exit_code, 0);
  EXPECT_EQ(fs::status(path("out.png")).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
}

// SIGTERM while the output is staged: the temporary file goes, the target stays, and
// the process ends as killed by the signal. The test waits for the temporary file with
// inotify (no polling, no sleep), holding the run at its commit with a failpoint.
TEST_F(CliSafetyTest, AnInterruptedRunRemovesItsTemporaryFile) {
  IMGKIT_SKIP_WITHOUT_FAILPOINTS();
  write("out.png", "precious");
  const int watch = ::inotify_init1(IN_CLOEXEC);
  ASSERT_GE(watch, 0);
  ASSERT_GE(::inotify_add_watch(watch, dir_.c_str(), IN_CREATE), 0);

  const std::string command = "exec env FAILPOINTS='imgkit::cli::before_commit=sleep(60000)' " +
                              quoted(IMGKIT_CLI_PATH) + " process " + quoted(sample("rose.ppm")) +
                              " " + quoted(path("out.png")) + " 2>/dev/null";
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  bool staged = false;
  alignas(inotify_event) char events[4096];
  pollfd ready{watch, POLLIN, 0};
  // The guard only turns a broken run into a failure instead of a hang.
  while (!staged && ::poll(&ready, 1, 60000) == 1) {
    const ssize_t n = ::read(watch, events, sizeof events);
    for (ssize_t at = 0; at < n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(events + at);
      staged |= event->len > 0 && std::string(event->name).rfind(".imgkit-", 0) == 0;
      at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
    }
  }
  ::close(watch);
  ::kill(child, SIGTERM);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(staged) << "the run never staged its output";
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) << status;
  EXPECT_EQ(temporaries(), 0u);
  EXPECT_EQ(read_text(path("out.png")), "precious");
}

// ---- Streams, formats and what the status line says -------------------------------------

TEST_F(CliSafetyTest, DashReadsStandardInputAndWritesStandardOutput) {
  const RunResult r = run("process - - --format png --op flip < " + quoted(sample("rose.ppm")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith("\x89PNG\r\n"));
  EXPECT_THAT(r.err, HasSubstr("standard input (70x46 RGB PNM) -> flip(axis=horizontal) -> "
                               "standard output (70x46 RGB PNG)"));
}

TEST_F(CliSafetyTest, StandardOutputKeepsTheInputFormatUnlessToldOtherwise) {
  const RunResult r = run("process " + quoted(sample("rose.ppm")) + " -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith("P6\n70 46\n255\n"));
}

TEST_F(CliSafetyTest, TheInputFormatComesFromTheContentNotTheName) {
  fs::copy_file(sample("wizard.png"), path("really-a-png.ppm"));
  const RunResult r = process(path("really-a-png.ppm"), path("out.pgm"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("note: " + path("really-a-png.ppm") +
                               " holds a PNG image despite its name; decoding it as PNG"));
  EXPECT_THAT(r.out, HasSubstr("(240x320 RGB PNG)"));

  write("text.png", "hello, not an image");
  const RunResult bad = process(path("text.png"), path("out.png"));
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err, HasSubstr("text.png: not a PNG or PNM image"));
}

TEST_F(CliSafetyTest, TheStatusLineNamesWhatWasWritten) {
  RunResult r = process(sample("logo-rgba.png"), path("logo.pgm"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("(160x120 RGBA PNG) -> " + path("logo.pgm") +
                               " (160x120 gray PGM, luminance of RGBA, alpha dropped)"));
  r = process(sample("logo-rgba.png"), path("logo.ppm"));
  EXPECT_THAT(r.out, HasSubstr("(160x120 RGB PPM, alpha dropped)"));
  r = process(sample("gradient-16bit.pgm"), path("ramp.ppm"));
  EXPECT_THAT(r.out, HasSubstr("16-bit PNM, reduced to 8 bits) -> "));
  EXPECT_THAT(r.out, HasSubstr("RGB PPM, gray expanded to RGB)"));
}

// ---- The command itself ------------------------------------------------------------------

TEST_F(CliSafetyTest, VersionAndUnknownCommands) {
  RunResult r = run("--version");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, StartsWith("imgkit " IMGKIT_VERSION));
  EXPECT_THAT(r.out, HasSubstr("Rust kernels: " + imgkit::rust_simd_level() + " instructions"));
  r = run_with_env("IMGKIT_MAX_SIMD=baseline", "--version");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("Rust kernels: baseline instructions"));
  r = run("procss in.png out.png");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err,
              HasSubstr("unknown command 'procss'; known commands: process, status, parity"));
}

}  // namespace
