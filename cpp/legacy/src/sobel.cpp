#include <cmath>
#include <vector>

#include "failpoint.hpp"
#include "imgkit/legacy/filters.hpp"
#include "imgkit/legacy/tone.hpp"
#include "sampling.hpp"

namespace imgkit::legacy {
namespace {

const switchyard::Failpoint kSobelFailpoint("imgkit::legacy::sobel");

std::uint8_t gradient_magnitude(int gx, int gy) {
  // |gx|, |gy| <= 1020, so the squared sum is exact in float and sqrt is correctly
  // rounded: the result does not depend on how a port orders the arithmetic.
  return detail::round_to_sample(std::sqrt(static_cast<float>(gx * gx + gy * gy)));
}

}  // namespace

Image sobel(const Image& image) {
  detail::fire(kSobelFailpoint);
  const Image gray = to_grayscale(image);
  const std::uint32_t width = gray.width();
  const std::vector<std::uint32_t> columns = detail::clamped_index_table(width, 1);
  const std::vector<std::uint32_t> rows = detail::clamped_index_table(gray.height(), 1);

  Image out(width, gray.height(), 1);
  for (std::uint32_t y = 0; y < gray.height(); ++y) {
    const std::uint8_t* above = gray.data() + std::size_t{rows[y]} * width;
    const std::uint8_t* middle = gray.data() + std::size_t{rows[y + 1]} * width;
    const std::uint8_t* below = gray.data() + std::size_t{rows[y + 2]} * width;
    for (std::uint32_t x = 0; x < width; ++x) {
      const std::uint32_t left = columns[x];
      const std::uint32_t centre = columns[x + 1];
      const std::uint32_t right = columns[x + 2];
      const int gx = (above[right] - above[left]) + 2 * (middle[right] - middle[left]) +
                     (below[right] - below[left]);
      const int gy = (below[left] + 2 * below[centre] + below[right]) -
                     (above[left] + 2 * above[centre] + above[right]);
      out.at(x, y, 0) = gradient_magnitude(gx, gy);
    }
  }
  return out;
}

}  // namespace imgkit::legacy
