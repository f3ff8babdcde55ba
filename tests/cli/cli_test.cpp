// The `imgkit` program as a user runs it: exit statuses, messages, and outputs that are
// either complete or untouched.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "cli/cli_fixture.hpp"
#include "components.hpp"
#include "imgkit/legacy/codecs.hpp"

namespace {

using imgkit::testing::CliTest;
using imgkit::testing::line_count;
using imgkit::testing::quoted;
using imgkit::testing::read_text;
using imgkit::testing::RunResult;
namespace fs = std::filesystem;

TEST_F(CliTest, BlurThenSobelWritesAGrayPng) {
  const RunResult r = run("process " + quoted(sample("wizard.png")) + " " +
                          quoted(path("out.png")) + " --op gaussian_blur:sigma=2 --op sobel");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("gaussian_blur(sigma=2) -> sobel"), std::string::npos) << r.out;
  const auto decoded = imgkit::legacy::decode_png([&] {
    const std::string bytes = read_text(path("out.png"));
    return imgkit::legacy::Bytes(bytes.begin(), bytes.end());
  }());
  const auto& image = std::get<imgkit::Image>(decoded);
  EXPECT_EQ(image.width(), 240u);
  EXPECT_EQ(image.height(), 320u);
  EXPECT_EQ(image.channels(), 1u);
}

TEST_F(CliTest, EveryOperationRunsInOneChain) {
  const RunResult r =
      run("process " + quoted(sample("rose.ppm")) + " " + quoted(path("out.ppm")) +
          " --op box_blur:radius=1 --op unsharp_mask:sigma=1,amount=1.5"
          " --op resize:width=35,filter=nearest --op flip:axis=vertical --op rotate90"
          " --op equalize --op to_grayscale --op otsu_threshold");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string bytes = read_text(path("out.ppm"));
  // rose is 70x46: resized to 35x23, rotated to 23x35; .ppm stores RGB.
  EXPECT_EQ(bytes.rfind("P6\n23 35\n255\n", 0), 0u) << bytes.substr(0, 20);
}

// The operations `imgkit process --help` lists under "Operations:", one per line
// indented by two spaces, as written there: "name" or "name:key=value,...", where a
// value without a default reads N.
std::vector<std::string> listed_operations(const std::string& help) {
  std::vector<std::string> operations;
  std::istringstream lines(help.substr(help.find("\nOperations:\n") + 1));
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("  ", 0) == 0 && line.size() > 2 && line[2] != ' ') {
      operations.push_back(line.substr(2));
    }
  }
  return operations;
}

std::string name_of(const std::string& operation) {
  return operation.substr(0, operation.find(':'));
}

// A port that has no --op says why, as `no_cli_operation`.
template <class P, class = void>
struct HasNoCliOperation : std::false_type {};
template <class P>
struct HasNoCliOperation<P, std::void_t<decltype(P::no_cli_operation)>> : std::true_type {};

// The operations follow the component list: every component that turns an image into an
// image is an operation (unless its port says why not), and every operation is one.
TEST_F(CliTest, TheOperationsAreTheImageOperationsOfTheComponentList) {
  const RunResult r = run("process --help");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::set<std::string> listed;
  for (const std::string& operation : listed_operations(r.out)) listed.insert(name_of(operation));
  std::set<std::string> expected;
  imgkit::routing::for_each_component([&](auto port) {
    using P = typename decltype(port)::type;
    if constexpr (P::reads == imgkit::routing::Reads::kImage &&
                  std::is_same_v<typename P::Answer, imgkit::Image> &&
                  !HasNoCliOperation<P>::value) {
      expected.insert(std::string(P::declaration.name));
    }
  });
  EXPECT_EQ(listed, expected);
}

// Each operation as its help line shows it (N as 1, every other value its default)
// turns the sample into an output.
TEST_F(CliTest, EveryListedOperationRuns) {
  const RunResult help = run("process --help");
  ASSERT_EQ(help.exit_code, 0) << help.err;
  const std::vector<std::string> operations = listed_operations(help.out);
  ASSERT_FALSE(operations.empty()) << help.out;
  for (std::string operation : operations) {
    for (std::size_t n = operation.find("=N"); n != std::string::npos; n = operation.find("=N")) {
      operation.replace(n, 2, "=1");
    }
    SCOPED_TRACE(operation);
    const RunResult r = run("process " + quoted(sample("rose.ppm")) + " " +
                            quoted(path("out.png")) + " --op " + operation);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find(name_of(operation)), std::string::npos) << r.out;
  }
}

TEST_F(CliTest, TruncatedPngExitsOneWithOneLineNamingTheFile) {
  const std::string full = read_text(sample("wizard.png"));
  write("truncated.png", full.substr(0, full.size() / 2));
  const RunResult r = run("process " + quoted(path("truncated.png")) + " " +
                          quoted(path("out.png")) + " --op gaussian_blur:sigma=2");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(line_count(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find(path("truncated.png")), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_FALSE(fs::exists(path("out.png")));
}

TEST_F(CliTest, UnknownOperationIsAUsageError) {
  const RunResult r =
      run("process " + quoted(sample("rose.ppm")) + " " + quoted(path("out.png")) + " --op nosuch");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("nosuch"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("gaussian_blur"), std::string::npos) << "lists the known operations";
  EXPECT_FALSE(fs::exists(path("out.png")));
}

TEST_F(CliTest, BadParametersAreUsageErrors) {
  for (const char* op : {"gaussian_blur:sigma=abc", "gaussian_blur", "gaussian_blur:radius=2",
                         "gaussian_blur:sigma=-1", "box_blur:radius=1.5", "flip:axis=diagonal",
                         "resize:filter=nearest", "rotate90:turns=4"}) {
    const RunResult r = run("process " + quoted(sample("rose.ppm")) + " " +
                            quoted(path("out.png")) + " --op " + op);
    EXPECT_EQ(r.exit_code, 2) << op << ": " << r.err;
    EXPECT_EQ(line_count(r.err), 1u) << op << ": " << r.err;
  }
  EXPECT_FALSE(fs::exists(path("out.png")));
}

TEST_F(CliTest, MissingArgumentsAndUnknownExtensionsAreUsageErrors) {
  EXPECT_EQ(run("process").exit_code, 2);
  EXPECT_EQ(run("").exit_code, 2);
  const RunResult r = run("process " + quoted(sample("rose.ppm")) + " " + quoted(path("out.jpg")));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(".jpg"), std::string::npos) << r.err;
}

TEST_F(CliTest, MissingInputIsARuntimeErrorNamingIt) {
  const RunResult r = run("process " + quoted(path("absent.png")) + " " + quoted(path("o.png")));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(path("absent.png")), std::string::npos) << r.err;
}

TEST_F(CliTest, FailedRunLeavesAnExistingOutputUntouched) {
  write("out.png", "precious");
  write("bad.pgm", "P5\n4 4\n255\n");  // header promises 16 samples, has none
  const RunResult r = run("process " + quoted(path("bad.pgm")) + " " + quoted(path("out.png")));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(read_text(path("out.png")), "precious");
  EXPECT_EQ(image_files(), 2u) << "no temporary file may be left behind";
}

TEST_F(CliTest, UnwritableOutputIsARuntimeError) {
  const RunResult r =
      run("process " + quoted(sample("rose.ppm")) + " " + quoted(path("no-such-dir/out.png")));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no-such-dir/out.png"), std::string::npos) << r.err;
}

TEST_F(CliTest, SixteenBitAndAlphaInputsConvertToTheOutputFormat) {
  RunResult r =
      run("process " + quoted(sample("gradient-16bit.pgm")) + " " + quoted(path("ramp.png")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run("process " + quoted(sample("logo-rgba.png")) + " " + quoted(path("logo.pgm")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_text(path("logo.pgm")).rfind("P5\n160 120\n255\n", 0), 0u);
}

}  // namespace
