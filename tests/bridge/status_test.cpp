// The Rust boundary as C++ sees it: every way a bridged call can end reaches C++ as a
// status, and a Rust panic never takes the process down.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "imgkit/bridge/kernels.hpp"
#include "imgkit/error.hpp"
#include "support/failpoints_required.hpp"
#include "support/test_images.hpp"

namespace imgkit::bridge {
namespace {

using imgkit::testing::generated_image;

constexpr const char* kBlurFailpoint = "imgkit::gaussian_blur";

class BridgeStatusTest : public ::testing::Test {
 protected:
  void TearDown() override { remove_failpoint(kBlurFailpoint); }
};

TEST_F(BridgeStatusTest, HealthyCallIsOkAndFillsTheOutput) {
  const Image src = generated_image(33, 17, 3);
  Image dst(33, 17, 3);
  const Status status = gaussian_blur(src, 1.5f, dst);
  ASSERT_TRUE(status.ok()) << status.message;
  EXPECT_TRUE(status.message.empty());
  EXPECT_NE(dst, Image(33, 17, 3)) << "the output buffer was not written";
}

TEST_F(BridgeStatusTest, RustPanicReachesCppAsPanicStatusAndProcessLives) {
  IMGKIT_SKIP_WITHOUT_FAILPOINTS();
  ASSERT_TRUE(configure_failpoint(kBlurFailpoint, "panic(kernel blew up)").ok());
  const Image src = generated_image(16, 16, 1);
  Image dst(16, 16, 1);

  const Status status = gaussian_blur(src, 2.0f, dst);

  EXPECT_EQ(status.code, StatusCode::kPanic);
  EXPECT_NE(status.message.find("kernel blew up"), std::string::npos) << status.message;
  EXPECT_NE(status.message.find("gaussian_blur"), std::string::npos) << status.message;

  // Still alive, and the same entry point works once the fault is gone.
  remove_failpoint(kBlurFailpoint);
  EXPECT_TRUE(gaussian_blur(src, 2.0f, dst).ok());
}

TEST_F(BridgeStatusTest, PanicsOnTwoThreadsAtOnceAreBothCaught) {
  IMGKIT_SKIP_WITHOUT_FAILPOINTS();
  ASSERT_TRUE(configure_failpoint(kBlurFailpoint, "panic").ok());
  std::vector<Status> statuses(2);
  std::vector<std::thread> threads;
  for (auto& status : statuses) {
    threads.emplace_back([&status] {
      const Image src = generated_image(64, 64, 3);
      Image dst(64, 64, 3);
      for (int i = 0; i < 20; ++i) status = gaussian_blur(src, 1.0f, dst);
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& status : statuses) EXPECT_EQ(status.code, StatusCode::kPanic);
}

TEST_F(BridgeStatusTest, ReturnFailpointIsAnInjectedFault) {
  IMGKIT_SKIP_WITHOUT_FAILPOINTS();
  ASSERT_TRUE(configure_failpoint(kBlurFailpoint, "return(disk on fire)").ok());
  const Image src = generated_image(8, 8, 1);
  Image dst(8, 8, 1);
  const Status status = gaussian_blur(src, 2.0f, dst);
  EXPECT_EQ(status.code, StatusCode::kInjectedFault);
  EXPECT_NE(status.message.find("disk on fire"), std::string::npos) << status.message;
}

TEST_F(BridgeStatusTest, FailpointCountRunsOutThenCallsSucceed) {
  IMGKIT_SKIP_WITHOUT_FAILPOINTS();
  ASSERT_TRUE(configure_failpoint(kBlurFailpoint, "2*return").ok());
  const Image src = generated_image(8, 8, 1);
  Image dst(8, 8, 1);
  EXPECT_EQ(gaussian_blur(src, 2.0f, dst).code, StatusCode::kInjectedFault);
  EXPECT_EQ(gaussian_blur(src, 2.0f, dst).code, StatusCode::kInjectedFault);
  EXPECT_TRUE(gaussian_blur(src, 2.0f, dst).ok());
}

TEST_F(BridgeStatusTest, MalformedFailpointActionsAreRejected) {
  IMGKIT_SKIP_WITHOUT_FAILPOINTS();
  const Status status = configure_failpoint(kBlurFailpoint, "explode-please");
  EXPECT_EQ(status.code, StatusCode::kInvalidInput);
  EXPECT_NE(status.message.find("explode-please"), std::string::npos) << status.message;
}

TEST_F(BridgeStatusTest, BadArgumentIsInvalidInputAndThrowsLikeLegacy) {
  const Image src = generated_image(8, 8, 1);
  Image dst(8, 8, 1);
  const Status status = gaussian_blur(src, -1.0f, dst);
  EXPECT_EQ(status.code, StatusCode::kInvalidInput);
  EXPECT_NE(status.message.find("sigma"), std::string::npos) << status.message;
  try {
    throw_if_invalid_input(status);
    FAIL() << "expected imgkit::Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::kInvalidArgument);
    EXPECT_EQ(std::string(e.what()), status.message);
  }
}

TEST_F(BridgeStatusTest, NonInputStatusesPassThroughThrowIfInvalidInput) {
  const Status panic{StatusCode::kPanic, ErrorCategory::kInvalidArgument, "boom"};
  EXPECT_EQ(&throw_if_invalid_input(panic), &panic);
}

TEST_F(BridgeStatusTest, InvalidKernelIsInvalidInput) {
  const Image src = generated_image(8, 8, 1);
  Image dst(8, 8, 1);
  const Kernel even{2, 2, {0.25f, 0.25f, 0.25f, 0.25f}};
  EXPECT_EQ(convolve(src, even, dst).code, StatusCode::kInvalidInput);
  const Kernel short_weights{3, 3, {1.0f}};
  EXPECT_EQ(convolve(src, short_weights, dst).code, StatusCode::kInvalidInput);
}

TEST_F(BridgeStatusTest, OutputOfAnotherShapeIsTheCallersError) {
  const Image src = generated_image(8, 8, 1);
  Image dst(8, 9, 1);
  try {
    (void)gaussian_blur(src, 1.0f, dst);
    FAIL() << "expected imgkit::Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::kInvalidArgument);
  }
}

TEST(BridgeStatusNames, EveryCodeHasAStableName) {
  EXPECT_EQ(to_string(StatusCode::kOk), "ok");
  EXPECT_EQ(to_string(StatusCode::kInvalidInput), "invalid_input");
  EXPECT_EQ(to_string(StatusCode::kPanic), "panic");
  EXPECT_EQ(to_string(StatusCode::kInjectedFault), "injected_fault");
  EXPECT_EQ(to_string(StatusCode::kInternal), "internal");
}

}  // namespace
}  // namespace imgkit::bridge
