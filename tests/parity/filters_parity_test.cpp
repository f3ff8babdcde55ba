// Parity between the legacy C++ filters and their Rust ports, called as the ports call
// them.
//
// The float filters may differ by one unit where a sum lands within float error of .5
// (see imgkit/legacy/filters.hpp); anything more is a porting bug. Bad arguments must be
// rejected by both sides alike.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>
#include <tuple>

#include "components.hpp"
#include "imgkit/error.hpp"
#include "imgkit/legacy/filters.hpp"
#include "support/rust_rejection.hpp"
#include "support/test_images.hpp"

namespace imgkit {
namespace {

using imgkit::testing::generated_image;

constexpr int kFloatFilterTolerance = 1;

struct Shape {
  std::uint32_t width;
  std::uint32_t height;
  std::uint32_t channels;
};

std::string shape_name(const Shape& s) {
  return std::to_string(s.width) + "x" + std::to_string(s.height) + "x" +
         std::to_string(s.channels);
}

void PrintTo(const Shape& shape, std::ostream* os) { *os << shape_name(shape); }

// Largest per-sample difference, and how many samples differ at all.
struct Difference {
  int max = 0;
  std::size_t count = 0;
};

Difference compare(const Image& a, const Image& b) {
  Difference diff;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const int d = std::abs(int{a.data()[i]} - int{b.data()[i]});
    diff.max = std::max(diff.max, d);
    diff.count += d != 0;
  }
  return diff;
}

void expect_within_tolerance(const Image& legacy_out, const Image& rust_out) {
  ASSERT_EQ(legacy_out.width(), rust_out.width());
  ASSERT_EQ(legacy_out.height(), rust_out.height());
  ASSERT_EQ(legacy_out.channels(), rust_out.channels());
  const Difference diff = compare(legacy_out, rust_out);
  EXPECT_LE(diff.max, kFloatFilterTolerance);
  // Off-by-one is a rare rounding tie, not a pattern: at most 1 sample in 1000.
  EXPECT_LE(diff.count, legacy_out.size() / 1000 + 1) << diff.count << " samples differ";
}

Image answer_of(const routing::RustResult<Image>& result) {
  if (const auto* error = std::get_if<switchyard::RustError>(&result)) {
    ADD_FAILURE() << error->message;
    return Image(1, 1, 1);
  }
  return std::get<Image>(result);
}

Image rust_gaussian_blur(const Image& src, float sigma) {
  return answer_of(routing::GaussianBlur::rust(src, sigma));
}

Image rust_convolve(const Image& src, const Kernel& kernel) {
  return answer_of(routing::Convolve::rust(src, kernel));
}

// The category the Rust side rejected the call with, kInternal when it did not.
ErrorCategory rust_category(const routing::RustResult<Image>& result) {
  const auto rejection = imgkit::testing::rust_rejection(result);
  return rejection ? rejection->category : ErrorCategory::kInternal;
}

// ---- gaussian_blur ---------------------------------------------------------------

class GaussianParity : public ::testing::TestWithParam<std::tuple<Shape, float>> {};

TEST_P(GaussianParity, RustMatchesLegacyWithinTolerance) {
  const auto [shape, sigma] = GetParam();
  const Image src = generated_image(shape.width, shape.height, shape.channels);
  expect_within_tolerance(legacy::gaussian_blur(src, sigma), rust_gaussian_blur(src, sigma));
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, GaussianParity,
    ::testing::Combine(::testing::Values(Shape{1, 1, 1}, Shape{1, 1, 4}, Shape{1, 9, 3},
                                         Shape{9, 1, 1}, Shape{7, 5, 3}, Shape{31, 17, 4},
                                         Shape{64, 64, 1}, Shape{257, 129, 3}),
                       ::testing::Values(0.3f, 1.0f, 2.0f, 5.5f)),
    [](const auto& case_info) {
      const int tenths = static_cast<int>(std::lround(std::get<1>(case_info.param) * 10));
      return shape_name(std::get<0>(case_info.param)) + "_sigma" + std::to_string(tenths);
    });

TEST(GaussianParityUhd, Matches3840x2160Gray) {
  const Image src = generated_image(3840, 2160, 1);
  expect_within_tolerance(legacy::gaussian_blur(src, 2.0f), rust_gaussian_blur(src, 2.0f));
}

TEST(GaussianParityUhd, Matches3840x2160Rgb) {
  const Image src = generated_image(3840, 2160, 3, 7);
  expect_within_tolerance(legacy::gaussian_blur(src, 1.0f), rust_gaussian_blur(src, 1.0f));
}

// ---- convolve --------------------------------------------------------------------

Kernel sharpen3x3() { return {3, 3, {0, -1, 0, -1, 5, -1, 0, -1, 0}}; }
Kernel emboss3x3() { return {3, 3, {-2, -1, 0, -1, 1, 1, 0, 1, 2}}; }
Kernel mean5x5() { return {5, 5, std::vector<float>(25, 1.0f / 25)}; }
Kernel horizontal1x7() { return {7, 1, {0.1f, 0.1f, 0.15f, 0.3f, 0.15f, 0.1f, 0.1f}}; }
Kernel vertical5x1() { return {1, 5, {-1, -2, 0, 2, 1}}; }
Kernel asymmetric3x5() {
  return {3,
          5,
          {0.5f, 0.1f, -0.2f, 0.3f, 0.0f, 0.25f, -0.1f, 0.2f, 0.05f, 0.4f, -0.3f, 0.1f, 0.2f, 0.0f,
           -0.15f}};
}

struct NamedKernel {
  const char* name;
  Kernel kernel;
};

void PrintTo(const NamedKernel& kernel, std::ostream* os) { *os << kernel.name; }

class ConvolveParity : public ::testing::TestWithParam<std::tuple<Shape, NamedKernel>> {};

TEST_P(ConvolveParity, RustMatchesLegacyWithinTolerance) {
  const auto& [shape, named] = GetParam();
  const Image src = generated_image(shape.width, shape.height, shape.channels, 3);
  expect_within_tolerance(legacy::convolve(src, named.kernel), rust_convolve(src, named.kernel));
}

INSTANTIATE_TEST_SUITE_P(
    Kernels, ConvolveParity,
    ::testing::Combine(::testing::Values(Shape{1, 1, 1}, Shape{2, 3, 3}, Shape{7, 5, 4},
                                         Shape{100, 37, 3}, Shape{128, 128, 1}),
                       ::testing::Values(NamedKernel{"sharpen3x3", sharpen3x3()},
                                         NamedKernel{"emboss3x3", emboss3x3()},
                                         NamedKernel{"mean5x5", mean5x5()},
                                         NamedKernel{"horizontal1x7", horizontal1x7()},
                                         NamedKernel{"vertical5x1", vertical5x1()},
                                         NamedKernel{"asymmetric3x5", asymmetric3x5()})),
    [](const auto& case_info) {
      return shape_name(std::get<0>(case_info.param)) + "_" + std::get<1>(case_info.param).name;
    });

TEST(ConvolveParityUhd, Matches3840x2160Gray) {
  const Image src = generated_image(3840, 2160, 1, 5);
  expect_within_tolerance(legacy::convolve(src, sharpen3x3()), rust_convolve(src, sharpen3x3()));
}

// ---- error parity ----------------------------------------------------------------

ErrorCategory legacy_category(const std::function<void()>& call) {
  try {
    call();
  } catch (const Error& e) {
    return e.category();
  }
  ADD_FAILURE() << "legacy accepted an argument it should reject";
  return ErrorCategory::kInternal;
}

class GaussianBadSigma : public ::testing::TestWithParam<float> {};

TEST_P(GaussianBadSigma, BothSidesRejectAsInvalidArgument) {
  const float sigma = GetParam();
  const Image src = generated_image(5, 5, 1);
  EXPECT_EQ(legacy_category([&] { legacy::gaussian_blur(src, sigma); }),
            ErrorCategory::kInvalidArgument);
  EXPECT_EQ(rust_category(routing::GaussianBlur::rust(src, sigma)),
            ErrorCategory::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Sigmas, GaussianBadSigma,
                         ::testing::Values(0.0f, -1.0f, 64.5f, NAN, INFINITY));

class ConvolveBadKernel : public ::testing::TestWithParam<NamedKernel> {};

TEST_P(ConvolveBadKernel, BothSidesRejectAsInvalidArgument) {
  const Kernel& kernel = GetParam().kernel;
  const Image src = generated_image(5, 5, 3);
  EXPECT_EQ(legacy_category([&] { legacy::convolve(src, kernel); }),
            ErrorCategory::kInvalidArgument);
  EXPECT_EQ(rust_category(routing::Convolve::rust(src, kernel)), ErrorCategory::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(
    Kernels, ConvolveBadKernel,
    ::testing::Values(NamedKernel{"even_width", {2, 3, std::vector<float>(6, 0.1f)}},
                      NamedKernel{"zero_size", {0, 0, {}}},
                      NamedKernel{"too_few_weights", {3, 3, std::vector<float>(8, 0.1f)}},
                      NamedKernel{"too_many_weights", {3, 3, std::vector<float>(10, 0.1f)}},
                      NamedKernel{"nan_weight", {1, 3, {0.1f, NAN, 0.1f}}},
                      NamedKernel{"too_wide", {257, 1, std::vector<float>(257, 0.0f)}}),
    [](const auto& case_info) { return std::string(case_info.param.name); });

}  // namespace
}  // namespace imgkit
