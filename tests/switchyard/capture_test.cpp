// Captures: with capture_dir set, the input of a mismatching call is written to one file
// in the documented format, within the folder's bounds; a folder that is full or cannot
// be written loses the capture (counted), never the caller's answer.
#include "switchyard/capture.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "switchyard/router.hpp"
#include "switchyard/router_fixture.hpp"

namespace switchyard {
namespace {

namespace fs = std::filesystem;
using switchyard::testing::kBlur;
using switchyard::testing::Pixels;
using switchyard::testing::test_catalog;

// A call's input as a facade describes it: four bytes, one parameter.
struct FourBytes {
  void describe(MismatchRecord& record) const { record.input_digest = "00000000000000aa"; }
  std::optional<CapturedCall> capture(std::uint64_t max_payload_bytes) const {
    ++*captures_asked;
    if (max_payload_bytes < 4) return std::nullopt;
    return CapturedCall{R"({"parameters":[{"float":2.0}]})", {1, 2, 3, 4}};
  }
  int* captures_asked;
};

class CaptureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/capture-test-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  Config shadow_capturing(const std::string& dir, std::uint32_t max_files = 100,
                          std::uint64_t max_bytes = std::uint64_t{1} << 20) {
    Config config = default_config(test_catalog());
    ComponentSettings& blur = config.components[kBlur];
    blur.mode = blur.requested_mode = Mode::kShadow;
    config.capture.dir = dir;
    config.capture.max_files = max_files;
    config.capture.max_bytes = max_bytes;
    return config;
  }

  std::unique_ptr<Router> make_router(Config config) {
    RouterOptions options;
    // The capture writer's thread logs too.
    options.log = [this](const std::string& line) {
      const std::lock_guard lock(log_mutex_);
      log_.push_back(line);
    };
    return std::make_unique<Router>(test_catalog(), std::move(config), std::move(options));
  }

  // One blur call whose Rust answer differs from legacy's by 10 (tolerance 2).
  Pixels mismatching_call(Router& router) {
    return router.call<Pixels>(
        kBlur, [] { return Pixels{10}; }, [] { return RustResult<Pixels>(Pixels{20}); },
        [](const Pixels&, const Pixels&, std::uint32_t) {
          MismatchRecord record;
          record.max_difference = 10;
          return std::optional<MismatchRecord>(record);
        },
        [](const Pixels&) { return std::uint64_t{1}; }, FourBytes{&captures_asked_});
  }

  std::vector<fs::path> captures() const {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir_)) files.push_back(entry.path());
    return files;
  }

  std::string dir_;
  int captures_asked_ = 0;
  std::mutex log_mutex_;
  std::vector<std::string> log_;  // guarded by log_mutex_
};

TEST_F(CaptureTest, AMismatchWritesOneReadableFile) {
  auto router = make_router(shadow_capturing(dir_));
  EXPECT_EQ(mismatching_call(*router), Pixels{10}) << "the caller gets legacy's answer";
  router->flush_captures();

  const std::vector<fs::path> files = captures();
  ASSERT_EQ(files.size(), 1u) << "one file, no temporary left behind";
  EXPECT_EQ(files[0].extension(), ".capture");
  EXPECT_EQ(files[0].filename().string().rfind("blur-", 0), 0u) << files[0];

  const CaptureFile file = read_capture(files[0].string(), 1 << 20);
  EXPECT_EQ(file.component, "blur");
  EXPECT_EQ(file.kind, MismatchKind::kValue);
  EXPECT_EQ(file.payload, (std::vector<std::uint8_t>{1, 2, 3, 4}));
  EXPECT_NE(file.call_json.find("\"float\":2.0"), std::string::npos) << file.call_json;
  EXPECT_NE(file.header_json.find("\"input_digest\":\"00000000000000aa\""), std::string::npos);

  const ComponentCounts counts = router->metrics().components()[kBlur];
  EXPECT_EQ(counts.captures_written, 1u);
  ASSERT_EQ(counts.recent_mismatches.size(), 1u);
  EXPECT_EQ(counts.recent_mismatches[0].capture, files[0].filename().string())
      << "the mismatch record names its capture";
}

TEST_F(CaptureTest, NoCaptureDirNoCapture) {
  auto router = make_router(shadow_capturing(""));
  mismatching_call(*router);
  router->flush_captures();
  EXPECT_EQ(captures_asked_, 0) << "the input is not even copied";
  EXPECT_TRUE(captures().empty());
}

TEST_F(CaptureTest, AFullFolderDropsAndCounts) {
  auto router = make_router(shadow_capturing(dir_, /*max_files=*/2));
  for (int i = 0; i < 5; ++i) {
    mismatching_call(*router);
    router->flush_captures();
  }
  EXPECT_EQ(captures().size(), 2u);
  const ComponentCounts counts = router->metrics().components()[kBlur];
  EXPECT_EQ(counts.captures_written, 2u);
  EXPECT_EQ(counts.captures_dropped, 3u);
  EXPECT_EQ(counts.mismatches, 5u) << "every mismatch is still counted";
}

TEST_F(CaptureTest, AnInputOverTheSizeCapIsNotCopied) {
  auto router = make_router(shadow_capturing(dir_, 100, /*max_bytes=*/3));
  mismatching_call(*router);
  router->flush_captures();
  EXPECT_TRUE(captures().empty());
  EXPECT_EQ(router->metrics().components()[kBlur].captures_dropped, 1u);
}

TEST_F(CaptureTest, AnUnwritableFolderIsCountedAndLoggedOnce) {
  auto router = make_router(shadow_capturing(dir_ + "/does-not-exist"));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(mismatching_call(*router), Pixels{10});
  router->flush_captures();
  EXPECT_EQ(router->metrics().components()[kBlur].captures_dropped, 3u);
  int lines = 0;
  const std::lock_guard lock(log_mutex_);
  for (const std::string& line : log_) lines += line.find("capture dropped") != std::string::npos;
  EXPECT_EQ(lines, 1);
}

TEST(ReadCaptureTest, RefusesWhatIsNotACapture) {
  char pattern[] = "/tmp/capture-read-XXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  const std::string dir = pattern;
  const auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir + "/" + name, std::ios::binary) << text;
    return dir + "/" + name;
  };
  const auto problem = [](const std::string& path) -> std::string {
    try {
      read_capture(path, 1 << 20);
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_NE(problem(write("a.capture", "P6\n1 1\n255\nxyz")).find("not a capture file"),
            std::string::npos);
  EXPECT_NE(problem(write("b.capture", "switchyard-capture 1\nnot json\n")).find("header"),
            std::string::npos);
  const std::string header =
      R"(switchyard-capture 1
{"component":"blur","call":{},"payload_bytes":4})"
      "\n";
  EXPECT_NE(problem(write("c.capture", header + "ab")).find("shorter"), std::string::npos);
  EXPECT_NE(problem(write("d.capture", header + "abcdef")).find("more than"), std::string::npos);
  EXPECT_EQ(problem(write("e.capture", header + "abcd")), "");
  EXPECT_NE(problem(dir).find("not a regular file"), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace switchyard
