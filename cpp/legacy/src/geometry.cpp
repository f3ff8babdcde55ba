#include "imgkit/legacy/geometry.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "failpoint.hpp"
#include "sampling.hpp"

namespace imgkit::legacy {
namespace {

const switchyard::Failpoint kResizeFailpoint("imgkit::legacy::resize");
const switchyard::Failpoint kFlipFailpoint("imgkit::legacy::flip");
const switchyard::Failpoint kRotate90Failpoint("imgkit::legacy::rotate90");

constexpr std::uint32_t kMaxResizeDimension = 65535;

void check_resize_dimension(const char* name, std::uint32_t value) {
  if (value < 1 || value > kMaxResizeDimension) {
    detail::throw_invalid_argument(std::string("resize: ") + name + " must be in 1..65535, got " +
                                   std::to_string(value));
  }
}

// Pixel centres aligned: destination index i samples this source coordinate.
double source_coordinate(std::uint32_t i, std::uint32_t source_size, std::uint32_t size) {
  return (static_cast<double>(i) + 0.5) * source_size / size - 0.5;
}

std::vector<std::uint32_t> nearest_indices(std::uint32_t source_size, std::uint32_t size) {
  std::vector<std::uint32_t> indices(size);
  const double last = static_cast<double>(source_size) - 1.0;
  for (std::uint32_t i = 0; i < size; ++i) {
    const double nearest = std::floor(source_coordinate(i, source_size, size) + 0.5);
    indices[i] = static_cast<std::uint32_t>(std::clamp(nearest, 0.0, last));
  }
  return indices;
}

// The two source samples a destination index blends, and the weight of the second.
struct BilinearTap {
  std::uint32_t lower;
  std::uint32_t upper;
  double fraction;
};

std::vector<BilinearTap> bilinear_taps(std::uint32_t source_size, std::uint32_t size) {
  std::vector<BilinearTap> taps(size);
  const double last = static_cast<double>(source_size) - 1.0;
  for (std::uint32_t i = 0; i < size; ++i) {
    const double coordinate = source_coordinate(i, source_size, size);
    const double lower = std::clamp(std::floor(coordinate), 0.0, last);
    taps[i].lower = static_cast<std::uint32_t>(lower);
    taps[i].upper = std::min(taps[i].lower + 1, source_size - 1);
    taps[i].fraction = std::clamp(coordinate - lower, 0.0, 1.0);
  }
  return taps;
}

Image resize_nearest(const Image& image, std::uint32_t width, std::uint32_t height) {
  const std::uint32_t channels = image.channels();
  const std::vector<std::uint32_t> columns = nearest_indices(image.width(), width);
  const std::vector<std::uint32_t> rows = nearest_indices(image.height(), height);
  Image out(width, height, channels);
  for (std::uint32_t y = 0; y < height; ++y) {
    for (std::uint32_t x = 0; x < width; ++x) {
      for (std::uint32_t c = 0; c < channels; ++c) {
        out.at(x, y, c) = image.at(columns[x], rows[y], c);
      }
    }
  }
  return out;
}

Image resize_bilinear(const Image& image, std::uint32_t width, std::uint32_t height) {
  const std::uint32_t channels = image.channels();
  const std::vector<BilinearTap> columns = bilinear_taps(image.width(), width);
  const std::vector<BilinearTap> rows = bilinear_taps(image.height(), height);
  Image out(width, height, channels);
  for (std::uint32_t y = 0; y < height; ++y) {
    const BilinearTap& row = rows[y];
    for (std::uint32_t x = 0; x < width; ++x) {
      const BilinearTap& column = columns[x];
      for (std::uint32_t c = 0; c < channels; ++c) {
        // Evaluated exactly as the header spells it: exact parity depends on it.
        const double top = image.at(column.lower, row.lower, c) * (1.0 - column.fraction) +
                           image.at(column.upper, row.lower, c) * column.fraction;
        const double bottom = image.at(column.lower, row.upper, c) * (1.0 - column.fraction) +
                              image.at(column.upper, row.upper, c) * column.fraction;
        out.at(x, y, c) =
            detail::round_to_sample(top * (1.0 - row.fraction) + bottom * row.fraction);
      }
    }
  }
  return out;
}

Image flip_horizontal(const Image& image) {
  const std::uint32_t width = image.width();
  const std::uint32_t channels = image.channels();
  Image out(width, image.height(), channels);
  for (std::uint32_t y = 0; y < image.height(); ++y) {
    for (std::uint32_t x = 0; x < width; ++x) {
      for (std::uint32_t c = 0; c < channels; ++c) {
        out.at(width - 1 - x, y, c) = image.at(x, y, c);
      }
    }
  }
  return out;
}

Image flip_vertical(const Image& image) {
  const std::uint32_t height = image.height();
  const std::size_t stride = image.row_stride();
  Image out(image.width(), height, image.channels());
  for (std::uint32_t y = 0; y < height; ++y) {
    const std::uint8_t* src = image.data() + y * stride;
    std::copy(src, src + stride, out.data() + (height - 1 - y) * stride);
  }
  return out;
}

}  // namespace

Image resize(const Image& image, std::uint32_t width, std::uint32_t height, ResizeFilter filter) {
  detail::fire(kResizeFailpoint);
  check_resize_dimension("width", width);
  check_resize_dimension("height", height);
  switch (filter) {
    case ResizeFilter::kNearest:
      return resize_nearest(image, width, height);
    case ResizeFilter::kBilinear:
      return resize_bilinear(image, width, height);
  }
  detail::throw_invalid_argument("resize: unknown filter " +
                                 std::to_string(static_cast<int>(filter)));
}

Image flip(const Image& image, FlipAxis axis) {
  detail::fire(kFlipFailpoint);
  switch (axis) {
    case FlipAxis::kHorizontal:
      return flip_horizontal(image);
    case FlipAxis::kVertical:
      return flip_vertical(image);
  }
  detail::throw_invalid_argument("flip: unknown axis " + std::to_string(static_cast<int>(axis)));
}

Image rotate90(const Image& image) {
  detail::fire(kRotate90Failpoint);
  const std::uint32_t height = image.height();
  Image out(height, image.width(), image.channels());
  for (std::uint32_t y = 0; y < out.height(); ++y) {
    for (std::uint32_t x = 0; x < out.width(); ++x) {
      for (std::uint32_t c = 0; c < image.channels(); ++c) {
        out.at(x, y, c) = image.at(y, height - 1 - x, c);
      }
    }
  }
  return out;
}

}  // namespace imgkit::legacy
