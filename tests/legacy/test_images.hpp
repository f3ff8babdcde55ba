// Image builders and error expectations shared by the legacy test suites (header-only).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "imgkit/error.hpp"
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

namespace imgkit::test {

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

// Deterministic noise covering the whole 0..255 range.
inline Image random_image(std::uint32_t width, std::uint32_t height, std::uint32_t channels,
                          std::uint32_t seed = 1) {
  Image image(width, height, channels);
  std::mt19937 engine(seed);
  for (std::uint8_t& sample : image.samples()) {
    sample = static_cast<std::uint8_t>(engine() >> 24);
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

// Passes when `call` throws imgkit::Error of `category` whose message contains every
// string in `mentions` (the function's name and the offending value, typically).
//   EXPECT_TRUE(throws_error(ErrorCategory::kInvalidArgument, [&] { box_blur(img, 1025); },
//                            {"box_blur", "1025"}));
template <typename Call>
::testing::AssertionResult throws_error(ErrorCategory category, Call&& call,
                                        std::initializer_list<const char*> mentions = {}) {
  try {
    call();
  } catch (const Error& error) {
    if (error.category() != category) {
      return ::testing::AssertionFailure()
             << "threw " << to_string(error.category()) << " (\"" << error.what()
             << "\"), expected " << to_string(category);
    }
    const std::string message = error.what();
    for (const char* mention : mentions) {
      if (message.find(mention) == std::string::npos) {
        return ::testing::AssertionFailure()
               << "message \"" << message << "\" does not mention \"" << mention << "\"";
      }
    }
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "did not throw, expected " << to_string(category);
}

}  // namespace imgkit::test
