#include <algorithm>
#include <string>
#include <vector>

#include "failpoint.hpp"
#include "imgkit/legacy/filters.hpp"
#include "sampling.hpp"

namespace imgkit::legacy {
namespace {

const switchyard::Failpoint kMedianBlurFailpoint("imgkit::legacy::median_blur");

}  // namespace

Image median_blur(const Image& image, std::uint32_t radius) {
  detail::fire(kMedianBlurFailpoint);
  if (radius < 1 || radius > 2) {
    detail::throw_invalid_argument("median_blur: radius must be 1 or 2, got " +
                                   std::to_string(radius));
  }
  const std::uint32_t channels = image.channels();
  const std::vector<std::uint32_t> columns = detail::clamped_index_table(image.width(), radius);
  const std::vector<std::uint32_t> rows = detail::clamped_index_table(image.height(), radius);
  const std::uint32_t diameter = 2 * radius + 1;
  std::vector<std::uint8_t> window(std::size_t{diameter} * diameter);
  Image out(image.width(), image.height(), channels);
  for (std::uint32_t y = 0; y < image.height(); ++y) {
    for (std::uint32_t x = 0; x < image.width(); ++x) {
      for (std::uint32_t c = 0; c < channels; ++c) {
        // Window row j, column i reads the clamped sample (x + i - r, y + j - r).
        auto sample = window.begin();
        for (std::uint32_t j = 0; j < diameter; ++j) {
          for (std::uint32_t i = 0; i < diameter; ++i) {
            *sample++ = image.at(columns[x + i], rows[y + j], c);
          }
        }
        const auto middle = window.begin() + static_cast<std::ptrdiff_t>(window.size() / 2);
        std::nth_element(window.begin(), middle, window.end());
        out.at(x, y, c) = *middle;
      }
    }
  }
  return out;
}

}  // namespace imgkit::legacy
