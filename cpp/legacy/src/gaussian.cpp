#include <algorithm>
#include <cmath>
#include <vector>

#include "failpoint.hpp"
#include "imgkit/legacy/filters.hpp"
#include "sampling.hpp"

namespace imgkit::legacy {
namespace {

const switchyard::Failpoint kGaussianBlurFailpoint("imgkit::legacy::gaussian_blur");

// The horizontal pass, kept in float so the image is rounded only once. Like the
// vertical pass it accumulates whole rows, one tap at a time.
std::vector<float> blur_rows(const Image& image, const std::vector<float>& weights) {
  const auto radius = static_cast<std::uint32_t>(weights.size() / 2);
  const std::size_t channels = image.channels();
  const std::size_t stride = image.row_stride();

  std::vector<float> blurred(image.size(), 0.0f);
  std::vector<float> padded;
  for (std::uint32_t y = 0; y < image.height(); ++y) {
    detail::pad_row(image, y, radius, padded);
    float* sums = blurred.data() + y * stride;
    for (std::size_t i = 0; i < weights.size(); ++i) {
      const float w = weights[i];
      const float* shifted = padded.data() + i * channels;
      for (std::size_t k = 0; k < stride; ++k) {
        sums[k] += w * shifted[k];
      }
    }
  }
  return blurred;
}

// The vertical pass. It accumulates whole rows, tap by tap, so memory is read
// sequentially; every sample still sums its taps in index order.
Image blur_columns(const std::vector<float>& horizontal, const Image& shape,
                   const std::vector<float>& weights) {
  const auto radius = static_cast<std::uint32_t>(weights.size() / 2);
  const std::size_t stride = shape.row_stride();
  const std::vector<std::uint32_t> rows = detail::clamped_index_table(shape.height(), radius);

  Image out(shape.width(), shape.height(), shape.channels());
  std::vector<float> sums(stride);
  for (std::uint32_t y = 0; y < shape.height(); ++y) {
    std::fill(sums.begin(), sums.end(), 0.0f);
    for (std::size_t j = 0; j < weights.size(); ++j) {
      const float w = weights[j];
      const float* row = horizontal.data() + rows[y + j] * stride;
      for (std::size_t k = 0; k < stride; ++k) {
        sums[k] += w * row[k];
      }
    }
    std::uint8_t* dst = out.data() + y * stride;
    for (std::size_t k = 0; k < stride; ++k) {
      dst[k] = detail::round_to_sample(sums[k]);
    }
  }
  return out;
}

}  // namespace

std::uint32_t gaussian_radius(float sigma) {
  detail::check_sigma("gaussian_radius", sigma);
  return static_cast<std::uint32_t>(std::ceil(3.0f * sigma));
}

std::vector<float> gaussian_weights(float sigma) {
  detail::check_sigma("gaussian_weights", sigma);
  const std::uint32_t radius = gaussian_radius(sigma);
  const double two_sigma_squared = 2.0 * static_cast<double>(sigma) * static_cast<double>(sigma);

  std::vector<double> bell(2 * std::size_t{radius} + 1);
  double sum = 0.0;
  for (std::size_t i = 0; i < bell.size(); ++i) {
    const double offset = static_cast<double>(i) - static_cast<double>(radius);
    bell[i] = std::exp(-(offset * offset) / two_sigma_squared);
    sum += bell[i];
  }

  std::vector<float> weights(bell.size());
  for (std::size_t i = 0; i < bell.size(); ++i) {
    weights[i] = static_cast<float>(bell[i] / sum);
  }
  return weights;
}

Image gaussian_blur(const Image& image, float sigma) {
  detail::fire(kGaussianBlurFailpoint);
  detail::check_sigma("gaussian_blur", sigma);
  const std::vector<float> weights = gaussian_weights(sigma);
  return blur_columns(blur_rows(image, weights), image, weights);
}

}  // namespace imgkit::legacy
