// Test images shared by the test suites and benchmarks (header-only, no GoogleTest needed).
#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "imgkit/image.hpp"

namespace imgkit {

// Lets GoogleTest show an image's geometry and samples, row by row, when an assertion
// on images fails.
inline void PrintTo(const Image& image, std::ostream* os) {
  *os << image.width() << "x" << image.height() << "x" << image.channels() << " {";
  for (std::uint32_t y = 0; y < image.height(); ++y) {
    *os << (y == 0 ? " [" : ", [");
    for (std::size_t i = 0; i < image.row_stride(); ++i) {
      *os << (i == 0 ? "" : " ") << int{image.data()[y * image.row_stride() + i]};
    }
    *os << "]";
  }
  *os << " }";
}

}  // namespace imgkit

namespace imgkit::testing {

// An image from its samples listed row-major, channels interleaved.
inline Image make_image(std::uint32_t width, std::uint32_t height, std::uint32_t channels,
                        const std::vector<std::uint8_t>& samples) {
  Image image(width, height, channels);
  if (samples.size() != image.size()) {
    throw std::logic_error("make_image: " + std::to_string(samples.size()) +
                           " samples for an image of " + std::to_string(image.size()));
  }
  image.samples() = samples;
  return image;
}

inline Image make_gray(std::uint32_t width, std::uint32_t height,
                       const std::vector<std::uint8_t>& samples) {
  return make_image(width, height, 1, samples);
}

inline Image filled_image(std::uint32_t width, std::uint32_t height, std::uint32_t channels,
                          std::uint8_t value) {
  Image image(width, height, channels);
  image.samples().assign(image.size(), value);
  return image;
}

// Deterministic test image: the same seed always gives the same samples, so a failing
// case can be reproduced from its name alone. A mix of smooth gradients, hard edges and
// noise, which exercises rounding (smooth areas), border handling (edges touch every
// side) and overflow (noise hits 0 and 255).
inline Image generated_image(std::uint32_t width, std::uint32_t height, std::uint32_t channels,
                             std::uint32_t seed = 1) {
  Image image(width, height, channels);
  std::uint32_t state = seed * 2654435761u + 1;
  for (std::uint32_t y = 0; y < height; ++y) {
    for (std::uint32_t x = 0; x < width; ++x) {
      for (std::uint32_t c = 0; c < channels; ++c) {
        state = state * 1664525u + 1013904223u;  // LCG: cheap, portable, deterministic
        const std::uint32_t noise = state >> 24;
        const std::uint32_t gradient = (x * 255 / width + y * 127 / height + c * 50) & 0xFF;
        const bool edge = ((x / 7) + (y / 5)) % 2 == 0;
        const std::uint32_t value = edge ? gradient : (gradient + noise) / 2;
        image.at(x, y, c) = static_cast<std::uint8_t>(x % 13 == 0 ? noise : value);
      }
    }
  }
  return image;
}

// One channel of an image as a 1-channel image.
inline Image channel_of(const Image& image, std::uint32_t channel) {
  Image out(image.width(), image.height(), 1);
  for (std::size_t i = 0; i < image.pixel_count(); ++i) {
    out.data()[i] = image.data()[i * image.channels() + channel];
  }
  return out;
}

// Every channel count an Image can have, for parameterised tests.
inline const std::vector<std::uint32_t>& all_channel_counts() {
  static const std::vector<std::uint32_t> counts = {1, 3, 4};
  return counts;
}

}  // namespace imgkit::testing
