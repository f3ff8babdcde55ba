#include <algorithm>
#include <cmath>
#include <string>

#include "failpoint.hpp"
#include "imgkit/legacy/filters.hpp"
#include "sampling.hpp"

namespace imgkit::legacy {
namespace {

const switchyard::Failpoint kConvolveFailpoint("imgkit::legacy::convolve");

constexpr std::uint32_t kMaxKernelSize = 255;

void check_kernel_size(const char* axis, std::uint32_t size) {
  if (size % 2 == 0 || size > kMaxKernelSize) {
    detail::throw_invalid_argument(std::string("convolve: kernel ") + axis +
                                   " must be odd and in 1..255, got " + std::to_string(size));
  }
}

void check_kernel(const Kernel& kernel) {
  check_kernel_size("width", kernel.width);
  check_kernel_size("height", kernel.height);
  const std::size_t expected = std::size_t{kernel.width} * kernel.height;
  if (kernel.weights.size() != expected) {
    detail::throw_invalid_argument("convolve: a " + std::to_string(kernel.width) + "x" +
                                   std::to_string(kernel.height) + " kernel needs " +
                                   std::to_string(expected) + " weights, got " +
                                   std::to_string(kernel.weights.size()));
  }
  for (std::size_t i = 0; i < expected; ++i) {
    if (!std::isfinite(kernel.weights[i])) {
      detail::throw_invalid_argument("convolve: weights must be finite, weight " +
                                     std::to_string(i) + " is " +
                                     detail::format_value(kernel.weights[i]));
    }
  }
}

}  // namespace

Image convolve(const Image& image, const Kernel& kernel) {
  detail::fire(kConvolveFailpoint);
  check_kernel(kernel);
  const std::size_t channels = image.channels();
  const std::size_t stride = image.row_stride();
  const std::vector<std::uint32_t> rows =
      detail::clamped_index_table(image.height(), kernel.height / 2);

  Image out(image.width(), image.height(), image.channels());
  std::vector<float> sums(stride);
  std::vector<float> padded;
  for (std::uint32_t y = 0; y < image.height(); ++y) {
    // Whole output rows accumulate one kernel weight at a time; each sample still adds
    // its terms in row-major kernel order.
    std::fill(sums.begin(), sums.end(), 0.0f);
    const float* weight = kernel.weights.data();
    for (std::uint32_t j = 0; j < kernel.height; ++j) {
      detail::pad_row(image, rows[y + j], kernel.width / 2, padded);
      for (std::uint32_t i = 0; i < kernel.width; ++i, ++weight) {
        const float w = *weight;
        const float* shifted = padded.data() + i * channels;
        for (std::size_t k = 0; k < stride; ++k) {
          sums[k] += w * shifted[k];
        }
      }
    }
    std::uint8_t* dst = out.data() + y * stride;
    for (std::size_t k = 0; k < stride; ++k) {
      dst[k] = detail::round_to_sample(sums[k]);
    }
  }
  return out;
}

}  // namespace imgkit::legacy
