// The Rust boundary as C++ sees it: every way a bridged call can end reaches C++ as a
// RustResult, read from the status by one exhaustive switch, and a Rust panic never
// takes the process down.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "components.hpp"
#include "imgkit/error.hpp"
#include "imgkit/failpoints.hpp"
#include "rust_call.hpp"
#include "support/failpoints_required.hpp"
#include "support/rust_rejection.hpp"
#include "support/test_images.hpp"

namespace imgkit::routing {
namespace {

using imgkit::testing::generated_image;
using switchyard::RustError;
using switchyard::RustFailure;

constexpr const char* kBlurFailpoint = "imgkit::gaussian_blur";

// Why the call did not answer (a copy: the result is often a temporary).
template <class T>
RustError error_of(const RustResult<T>& result) {
  const auto* error = std::get_if<RustError>(&result);
  EXPECT_NE(error, nullptr) << "the call answered";
  return error != nullptr ? *error : RustError{RustFailure::kError, "the call answered", {}};
}

// The category of the imgkit::Error an input error hands the caller.
ErrorCategory caller_category(const RustError& error) {
  const auto rejection = imgkit::testing::rust_rejection(RustResult<int>(error));
  return rejection ? rejection->category : ErrorCategory::kInternal;
}

class RustStatusTest : public ::testing::Test {
 protected:
  void TearDown() override { imgkit::failpoints::remove_all(); }
};

TEST_F(RustStatusTest, HealthyCallAnswersWithTheOutputItWrote) {
  const Image src = generated_image(33, 17, 3);
  const RustResult<Image> result = GaussianBlur::rust(src, 1.5f);
  ASSERT_TRUE(std::holds_alternative<Image>(result)) << std::get<RustError>(result).message;
  EXPECT_EQ(std::get<Image>(result), legacy::gaussian_blur(src, 1.5f));
}

TEST_F(RustStatusTest, RustPanicIsAPanicAndTheProcessLives) {
  IMGKIT_SKIP_WITHOUT_FAILPOINTS();
  imgkit::failpoints::configure(kBlurFailpoint, "panic(kernel blew up)");
  const Image src = generated_image(16, 16, 1);

  const RustError error = error_of(GaussianBlur::rust(src, 2.0f));

  EXPECT_EQ(error.kind, RustFailure::kPanic);
  EXPECT_NE(error.message.find("kernel blew up"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("gaussian_blur"), std::string::npos) << error.message;
  EXPECT_FALSE(error.caller_error) << "a panic is not the caller's error";

  // Still alive, and the same entry point works once the fault is gone.
  imgkit::failpoints::remove(kBlurFailpoint);
  EXPECT_TRUE(std::holds_alternative<Image>(GaussianBlur::rust(src, 2.0f)));
}

TEST_F(RustStatusTest, PanicsOnTwoThreadsAtOnceAreBothCaught) {
  IMGKIT_SKIP_WITHOUT_FAILPOINTS();
  imgkit::failpoints::configure(kBlurFailpoint, "panic");
  std::vector<RustFailure> kinds(2, RustFailure::kError);
  std::vector<std::thread> threads;
  for (auto& kind : kinds) {
    threads.emplace_back([&kind] {
      const Image src = generated_image(64, 64, 3);
      for (int i = 0; i < 20; ++i) {
        const RustResult<Image> result = GaussianBlur::rust(src, 1.0f);
        if (const auto* error = std::get_if<RustError>(&result)) kind = error->kind;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const RustFailure kind : kinds) EXPECT_EQ(kind, RustFailure::kPanic);
}

TEST_F(RustStatusTest, ReturnFailpointIsAnInjectedFault) {
  IMGKIT_SKIP_WITHOUT_FAILPOINTS();
  imgkit::failpoints::configure(kBlurFailpoint, "return(disk on fire)");
  const RustError error = error_of(GaussianBlur::rust(generated_image(8, 8, 1), 2.0f));
  EXPECT_EQ(error.kind, RustFailure::kError);
  EXPECT_EQ(error.message.rfind("injected_fault: ", 0), 0u) << error.message;
  EXPECT_NE(error.message.find("disk on fire"), std::string::npos) << error.message;
}

TEST_F(RustStatusTest, FailpointCountRunsOutThenCallsSucceed) {
  IMGKIT_SKIP_WITHOUT_FAILPOINTS();
  imgkit::failpoints::configure(kBlurFailpoint, "2*return");
  const Image src = generated_image(8, 8, 1);
  EXPECT_EQ(error_of(GaussianBlur::rust(src, 2.0f)).kind, RustFailure::kError);
  EXPECT_EQ(error_of(GaussianBlur::rust(src, 2.0f)).kind, RustFailure::kError);
  EXPECT_TRUE(std::holds_alternative<Image>(GaussianBlur::rust(src, 2.0f)));
}

TEST_F(RustStatusTest, BadArgumentIsAnInputErrorCarryingTheCallersError) {
  const RustError error = error_of(GaussianBlur::rust(generated_image(8, 8, 1), -1.0f));
  EXPECT_EQ(error.kind, RustFailure::kInputError);
  EXPECT_NE(error.message.find("sigma"), std::string::npos) << error.message;
  const auto rejection = imgkit::testing::rust_rejection(RustResult<int>(error));
  ASSERT_TRUE(rejection.has_value());
  EXPECT_EQ(rejection->category, ErrorCategory::kInvalidArgument);
  EXPECT_EQ(rejection->message, error.message);
}

TEST_F(RustStatusTest, InvalidKernelIsAnInputError) {
  const Image src = generated_image(8, 8, 1);
  EXPECT_EQ(error_of(Convolve::rust(src, Kernel{2, 2, {0.25f, 0.25f, 0.25f, 0.25f}})).kind,
            RustFailure::kInputError);
  EXPECT_EQ(error_of(Convolve::rust(src, Kernel{3, 3, {1.0f}})).kind, RustFailure::kInputError);
}

// The one translation, code by code, on statuses made here.
ffi::KernelStatus status(ffi::StatusCode code, ffi::ErrorCategory category) {
  return ffi::KernelStatus{code, category, rust::String("what happened")};
}

TEST(RustErrorTest, AnInputErrorKeepsItsCategoryAndAppendsTheNote) {
  const std::pair<ffi::ErrorCategory, ErrorCategory> categories[] = {
      {ffi::ErrorCategory::InvalidArgument, ErrorCategory::kInvalidArgument},
      {ffi::ErrorCategory::MalformedData, ErrorCategory::kMalformedData},
      {ffi::ErrorCategory::Unsupported, ErrorCategory::kUnsupported},
      {ffi::ErrorCategory::LimitExceeded, ErrorCategory::kLimitExceeded},
  };
  for (const auto& [rust, cpp] : categories) {
    const RustError error = rust_error(status(ffi::StatusCode::InputError, rust), " (note)");
    EXPECT_EQ(error.kind, RustFailure::kInputError);
    EXPECT_EQ(error.message, "what happened (note)");
    EXPECT_EQ(caller_category(error), cpp);
  }
}

TEST(RustErrorTest, EveryOtherCodeIsRustsFailureNotTheCallers) {
  const std::pair<ffi::StatusCode, RustFailure> codes[] = {
      {ffi::StatusCode::Panic, RustFailure::kPanic},
      {ffi::StatusCode::InjectedFault, RustFailure::kError},
      {ffi::StatusCode::Internal, RustFailure::kError},
      {ffi::StatusCode::Ok, RustFailure::kError},  // no answer to read: not the caller's
  };
  for (const auto& [code, kind] : codes) {
    const RustError error = rust_error(status(code, ffi::ErrorCategory::Internal), " (note)");
    EXPECT_EQ(error.kind, kind) << error.message;
    EXPECT_FALSE(error.caller_error) << error.message;
    EXPECT_NE(error.message.find("what happened"), std::string::npos) << error.message;
    EXPECT_EQ(error.message.find("(note)"), std::string::npos) << error.message;
  }
  EXPECT_EQ(rust_error(status(ffi::StatusCode::Internal, ffi::ErrorCategory::Internal)).message,
            "internal: what happened");
}

}  // namespace
}  // namespace imgkit::routing
