// imgkit::legacy tone operations: luminance, histograms, equalisation, thresholding.
// All are exact integer operations (no tolerance).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "imgkit/image.hpp"

namespace imgkit::legacy {

// 1-channel luminance, BT.601 weights in 8-bit fixed point:
//   Y = (77 R + 150 G + 29 B + 128) >> 8
// Gray input is copied; alpha is dropped.
Image to_grayscale(const Image& image);

// One 256-bin count per channel, in channel order (alpha included).
using Histogram = std::array<std::uint64_t, 256>;
std::vector<Histogram> histogram(const Image& image);

// Histogram equalisation, each channel except alpha independently (alpha is copied):
//   cdf(v) = number of samples <= v, cdf_min = cdf of the smallest present value,
//   out = ((cdf(v) - cdf_min) * 255 + (N - cdf_min) / 2) / (N - cdf_min)
// with N the pixel count; a channel with a single value is copied unchanged.
Image equalize(const Image& image);

// Otsu's threshold of the luminance (to_grayscale for colour input): the level t in
// 0..255 maximising the between-class variance w0 * w1 * (mu0 - mu1)^2 of the classes
// {v <= t} and {v > t}, computed in double; on ties the smallest t. Exactly: with n0, n1
// the class counts and s0, s1 the class sums of v (exact integers), N the pixel count,
//   w0 = n0 / N, w1 = n1 / N, mu0 = s0 / n0, mu1 = s1 / n1, d = mu0 - mu1,
//   variance = (w0 * w1) * (d * d).
// A t leaving a class empty is no candidate, so two values a < b give t = a. A
// single-valued image has no candidate and gives that value.
std::uint8_t otsu_level(const Image& image);

// Binarises the luminance at otsu_level: 1 channel, 255 where Y > t, else 0.
Image otsu_threshold(const Image& image);

}  // namespace imgkit::legacy
