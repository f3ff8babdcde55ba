#include <string>
#include <vector>

#include "failpoint.hpp"
#include "imgkit/legacy/filters.hpp"
#include "sampling.hpp"

namespace imgkit::legacy {
namespace {

const switchyard::Failpoint kBoxBlurFailpoint("imgkit::legacy::box_blur");

constexpr std::uint32_t kMaxRadius = 1024;

// Window sums are exact in 32 bits: 255 * n plus the rounding term n / 2 stays below
// 256 * n, n = (2 * 1024 + 1)^2.
static_assert(256ull * (2 * kMaxRadius + 1) * (2 * kMaxRadius + 1) <= 0xFFFFFFFFull);

void add_row(const std::uint8_t* row, std::vector<std::uint32_t>& column_sums) {
  for (std::size_t k = 0; k < column_sums.size(); ++k) {
    column_sums[k] += row[k];
  }
}

void subtract_row(const std::uint8_t* row, std::vector<std::uint32_t>& column_sums) {
  for (std::size_t k = 0; k < column_sums.size(); ++k) {
    column_sums[k] -= row[k];
  }
}

// Slides the horizontal window along one row of column sums; each column sum already
// covers the 2r + 1 clamped rows, so the window sum is the full (2r + 1)^2 sum.
void average_row(const std::vector<std::uint32_t>& column_sums,
                 const std::vector<std::uint32_t>& columns, std::uint32_t width,
                 std::uint32_t channels, std::uint32_t radius, std::uint8_t* dst) {
  const std::uint32_t diameter = 2 * radius + 1;
  const std::uint32_t count = diameter * diameter;
  for (std::uint32_t c = 0; c < channels; ++c) {
    std::uint32_t sum = 0;
    for (std::uint32_t i = 0; i < diameter; ++i) {
      sum += column_sums[std::size_t{columns[i]} * channels + c];
    }
    for (std::uint32_t x = 0; x < width; ++x) {
      if (x > 0) {
        // Add before subtracting: the leaving column is part of the sum, so the
        // unsigned sum never wraps.
        sum += column_sums[std::size_t{columns[x + 2 * radius]} * channels + c];
        sum -= column_sums[std::size_t{columns[x - 1]} * channels + c];
      }
      dst[std::size_t{x} * channels + c] = static_cast<std::uint8_t>((sum + count / 2) / count);
    }
  }
}

}  // namespace

Image box_blur(const Image& image, std::uint32_t radius) {
  detail::fire(kBoxBlurFailpoint);
  if (radius > kMaxRadius) {
    detail::throw_invalid_argument("box_blur: radius must be at most 1024, got " +
                                   std::to_string(radius));
  }
  if (radius == 0) {
    return image;
  }
  const std::size_t stride = image.row_stride();
  const std::vector<std::uint32_t> columns = detail::clamped_index_table(image.width(), radius);
  const std::vector<std::uint32_t> rows = detail::clamped_index_table(image.height(), radius);
  const auto row_at = [&](std::uint32_t y) { return image.data() + y * stride; };

  // Running vertical sums: column_sums holds, for every sample column, the sum over the
  // clamped rows y - r .. y + r of the current output row y.
  std::vector<std::uint32_t> column_sums(stride, 0);
  for (std::uint32_t j = 0; j < 2 * radius + 1; ++j) {
    add_row(row_at(rows[j]), column_sums);
  }
  Image out(image.width(), image.height(), image.channels());
  for (std::uint32_t y = 0; y < image.height(); ++y) {
    if (y > 0) {
      // Entering row first, as in average_row, so the unsigned sums never wrap.
      add_row(row_at(rows[y + 2 * radius]), column_sums);
      subtract_row(row_at(rows[y - 1]), column_sums);
    }
    average_row(column_sums, columns, image.width(), image.channels(), radius,
                out.data() + y * stride);
  }
  return out;
}

}  // namespace imgkit::legacy
