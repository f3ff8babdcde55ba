// Error parity: an input legacy rejects is asked of Rust too (shadow mode, canary's legacy
// route), and in rust mode an input both reject has its two categories compared. A
// disagreement is an error mismatch; the caller always gets the error it got before.
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "switchyard/router.hpp"
#include "switchyard/router_fixture.hpp"

namespace switchyard {
namespace {

using switchyard::testing::kBlur;
using switchyard::testing::Pixels;
using switchyard::testing::test_catalog;

// Categories as a program would name them: by exception type.
std::string category_by_type(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::invalid_argument&) {
    return "invalid_argument";
  } catch (const std::range_error&) {
    return "limit_exceeded";
  } catch (...) {
    return "internal";
  }
}

Config blur_in(Mode mode, double shadow_sample = 1.0) {
  Config config = default_config(test_catalog());
  ComponentSettings& blur = config.components[kBlur];
  blur.mode = blur.requested_mode = mode;
  blur.shadow_sample = shadow_sample;
  blur.canary_percent = 0.0;  // canary: every call takes the legacy route
  return config;
}

class ErrorParityTest : public ::testing::Test {
 protected:
  std::unique_ptr<Router> make_router(Config config) {
    RouterOptions options;
    options.error_category = category_by_type;
    options.log = [this](const std::string& line) { log_.push_back(line); };
    return std::make_unique<Router>(test_catalog(), std::move(config), std::move(options));
  }

  // One blur call legacy rejects with `legacy_error`; Rust gives `rust`.
  template <class LegacyError>
  void call_rejected(Router& router, const LegacyError& legacy_error,
                     std::function<RustResult<Pixels>()> rust) {
    router.call<Pixels>(
        kBlur, [&]() -> Pixels { throw legacy_error; },
        [&] {
          ++rust_calls_;
          return rust();
        },
        [](const Pixels&, const Pixels&, std::uint32_t) { return std::optional<MismatchRecord>(); },
        [](const Pixels&) { return std::uint64_t{0}; });
  }

  static RustResult<Pixels> answers() { return Pixels{1, 2, 3}; }
  // Rust rejects the input as the caller's error `error`.
  template <class E>
  static std::function<RustResult<Pixels>()> rejects_as(E error) {
    return [error] {
      return RustResult<Pixels>(
          RustError{RustFailure::kInputError, error.what(), std::make_exception_ptr(error)});
    };
  }

  static ComponentCounts blur_counts(Router& router) {
    return router.metrics().components()[kBlur];
  }

  int rust_calls_ = 0;
  std::vector<std::string> log_;
};

TEST_F(ErrorParityTest, ShadowRustAnsweringWhatLegacyRejectsIsAnErrorMismatch) {
  auto router = make_router(blur_in(Mode::kShadow));
  EXPECT_THROW(call_rejected(*router, std::invalid_argument("sigma must be positive"), answers),
               std::invalid_argument)
      << "the caller still gets legacy's error";
  EXPECT_EQ(rust_calls_, 1) << "Rust is asked about an input legacy rejected";
  const ComponentCounts counts = blur_counts(*router);
  EXPECT_EQ(counts.error_mismatches, 1u);
  EXPECT_EQ(counts.mismatches, 0u) << "value mismatches are counted apart";
  ASSERT_EQ(counts.recent_mismatches.size(), 1u);
  const MismatchRecord& record = counts.recent_mismatches[0];
  EXPECT_EQ(record.kind, MismatchKind::kError);
  EXPECT_EQ(record.legacy_error, "invalid_argument");
  EXPECT_EQ(record.rust_error, "answered");
  EXPECT_NE(record.detail.find("sigma must be positive"), std::string::npos) << record.detail;
}

TEST_F(ErrorParityTest, ShadowSameCategoryAgrees) {
  auto router = make_router(blur_in(Mode::kShadow));
  EXPECT_THROW(call_rejected(*router, std::invalid_argument("legacy's words"),
                             rejects_as(std::invalid_argument("Rust's words"))),
               std::invalid_argument);
  EXPECT_EQ(rust_calls_, 1);
  EXPECT_EQ(blur_counts(*router).error_mismatches, 0u) << "same category, different words: agree";
}

TEST_F(ErrorParityTest, ShadowDifferentCategoryIsAnErrorMismatch) {
  auto router = make_router(blur_in(Mode::kShadow));
  EXPECT_THROW(call_rejected(*router, std::invalid_argument("bad sigma"),
                             rejects_as(std::range_error("too large"))),
               std::invalid_argument);
  const ComponentCounts counts = blur_counts(*router);
  ASSERT_EQ(counts.error_mismatches, 1u);
  EXPECT_EQ(counts.recent_mismatches[0].rust_error, "limit_exceeded");
}

TEST_F(ErrorParityTest, ShadowRustPanicOnARejectedInputIsAMismatchAndAFallback) {
  auto router = make_router(blur_in(Mode::kShadow));
  EXPECT_THROW(
      call_rejected(
          *router, std::invalid_argument("bad"),
          [] {
            return RustResult<Pixels>(RustError{RustFailure::kPanic, "index out of bounds", {}});
          }),
      std::invalid_argument);
  const ComponentCounts counts = blur_counts(*router);
  EXPECT_EQ(counts.error_mismatches, 1u);
  EXPECT_EQ(counts.recent_mismatches.at(0).rust_error, "panic");
  EXPECT_EQ(counts.fallbacks[static_cast<std::size_t>(FallbackCause::kPanic)], 1u);
}

TEST_F(ErrorParityTest, ShadowSampleZeroNeverAsksRust) {
  auto router = make_router(blur_in(Mode::kShadow, 0.0));
  EXPECT_THROW(call_rejected(*router, std::invalid_argument("bad"), answers),
               std::invalid_argument);
  EXPECT_EQ(rust_calls_, 0);
  EXPECT_EQ(blur_counts(*router).error_mismatches, 0u);
}

TEST_F(ErrorParityTest, CanaryLegacyRouteChecksRejectionsToo) {
  auto router = make_router(blur_in(Mode::kCanary));
  EXPECT_THROW(call_rejected(*router, std::invalid_argument("bad"), answers),
               std::invalid_argument);
  EXPECT_EQ(Router::last_decision().route, Route::kLegacy);
  EXPECT_EQ(rust_calls_, 1);
  EXPECT_EQ(blur_counts(*router).error_mismatches, 1u);
}

TEST_F(ErrorParityTest, RustModeBothRejectingInDifferentCategoriesIsAnErrorMismatch) {
  auto router = make_router(blur_in(Mode::kRust));
  // Rust answered first (its error is the caller's); legacy is asked and disagrees.
  EXPECT_THROW(call_rejected(*router, std::invalid_argument("legacy: bad"),
                             rejects_as(std::range_error("rust: too large"))),
               std::range_error)
      << "in rust mode the caller gets Rust's error";
  const ComponentCounts counts = blur_counts(*router);
  ASSERT_EQ(counts.error_mismatches, 1u);
  EXPECT_EQ(counts.recent_mismatches[0].legacy_error, "invalid_argument");
  EXPECT_EQ(counts.recent_mismatches[0].rust_error, "limit_exceeded");
}

TEST_F(ErrorParityTest, RustModeBothRejectingAlikeAgrees) {
  auto router = make_router(blur_in(Mode::kRust));
  EXPECT_THROW(call_rejected(*router, std::invalid_argument("legacy: bad"),
                             rejects_as(std::invalid_argument("rust: bad"))),
               std::invalid_argument);
  EXPECT_EQ(blur_counts(*router).error_mismatches, 0u);
}

TEST_F(ErrorParityTest, LegacyModeNeverAsksRust) {
  auto router = make_router(blur_in(Mode::kLegacy));
  EXPECT_THROW(call_rejected(*router, std::invalid_argument("bad"), answers),
               std::invalid_argument);
  EXPECT_EQ(rust_calls_, 0);
}

TEST_F(ErrorParityTest, ErrorMismatchesAreExported) {
  auto router = make_router(blur_in(Mode::kShadow));
  EXPECT_THROW(call_rejected(*router, std::invalid_argument("bad"), answers),
               std::invalid_argument);
  const Report report = router->report();
  EXPECT_NE(to_prometheus(report).find("switchyard_error_mismatches_total{component=\"blur\"} 1"),
            std::string::npos);
  EXPECT_NE(to_json(report).find("\"error_mismatches\": 1"), std::string::npos);
}

}  // namespace
}  // namespace switchyard
