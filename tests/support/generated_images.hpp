// Deterministic test images: the same seed always gives the same samples, so a failing
// parity case can be reproduced from its name alone.
#pragma once

#include <cstdint>

#include "imgkit/image.hpp"

namespace imgkit::testing {

// A mix of smooth gradients, hard edges and noise, which exercises rounding (smooth
// areas), border handling (edges touch every side) and overflow (noise hits 0 and 255).
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

}  // namespace imgkit::testing
