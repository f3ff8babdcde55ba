// imgkit::legacy filters: convolution, blurs, edges, sharpening.
//
// Shared semantics, relied upon by every port:
//   * Borders are clamped: a coordinate outside the image reads the nearest edge sample
//     (x < 0 reads x = 0, x >= width reads width - 1; likewise for y).
//   * Each channel, alpha included, is filtered independently unless a function says
//     otherwise.
//   * Sums accumulate in float (IEEE binary32), from 0, adding weight * sample in the
//     order each function states, each product rounded to float before it is added (no
//     fused multiply-add); results are rounded half away from zero and clamped to 0..255
//     (a NaN sum, reachable only when huge weights overflow, gives 0). A port that
//     accumulates in another order may differ by one unit where a sum lands within float
//     error of .5 — the parity tolerance is 1 for the float filters below, 0 for
//     box_blur.
//   * The output has the input's size and channel count unless a function says otherwise.
#pragma once

#include <cstdint>
#include <vector>

#include "imgkit/image.hpp"
#include "imgkit/params.hpp"

namespace imgkit::legacy {

// Correlates every channel with `kernel` (weights as given, not flipped):
//   out(x, y) = sum_{j, i} w[j][i] * in(x + i - kw/2, y + j - kh/2)
// summed in row-major kernel order. Kernel width and height must be odd, 1..255, with
// width * height weights, all finite; otherwise kInvalidArgument.
Image convolve(const Image& image, const Kernel& kernel);

// Gaussian radius for a sigma: ceil(3 * sigma), the product computed in float (so
// sigma = 1/3, which is 0.33333334f, gives ceil(1.0f) = 1). sigma as for gaussian_blur,
// otherwise kInvalidArgument.
std::uint32_t gaussian_radius(float sigma);

// The normalised 1-D Gaussian of 2r + 1 taps, r = gaussian_radius(sigma):
//   w[i] = exp(-(i - r)^2 / (2 sigma^2)) / sum, computed in double, stored as float,
// where sum adds the 2r + 1 exponentials in index order. sigma as for gaussian_blur,
// otherwise kInvalidArgument.
std::vector<float> gaussian_weights(float sigma);

// Separable Gaussian blur: a horizontal pass with gaussian_weights(sigma) into a float
// buffer (not rounded), then a vertical pass over that buffer, rounded once at the end.
// Each pass sums its taps in index order, i = 0..2r, reading clamped coordinates.
// sigma must be finite, > 0 and <= 64; otherwise kInvalidArgument.
Image gaussian_blur(const Image& image, float sigma);

// Mean of the (2r + 1) x (2r + 1) window, integer arithmetic:
//   out = (sum + n / 2) / n, n = (2r + 1)^2.
// radius 0 returns a copy; radius must be <= 1024, otherwise kInvalidArgument. Exact
// (no tolerance).
Image box_blur(const Image& image, std::uint32_t radius);

// Median of the (2r + 1) x (2r + 1) window around each sample: radius 1 is 3x3, radius
// 2 is 5x5. Every channel, alpha included, is filtered independently and borders are
// clamped, as above. The window's n = (2r + 1)^2 samples, sorted, give out = sorted[n / 2]
// (n is odd: the middle one, no rounding). radius must be 1 or 2, otherwise
// kInvalidArgument. Exact (no tolerance).
Image median_blur(const Image& image, std::uint32_t radius);

// Sobel gradient magnitude of the luminance. Colour input is first converted with
// to_grayscale (alpha ignored); the output has 1 channel:
//   gx = [-1 0 1; -2 0 2; -1 0 1], gy = [-1 -2 -1; 0 0 0; 1 2 1] (correlation, int)
//   out = min(255, round(sqrt(gx^2 + gy^2))) computed in float.
Image sobel(const Image& image);

// Unsharp mask: blurred = gaussian_blur(image, sigma) (rounded to 8 bits), then
//   out = clamp(round(in + amount * (in - blurred)), 0, 255)  in float, evaluated as
//         written (the difference, then the product, then the sum; no fused multiply-add),
// for every channel except alpha, which is copied. sigma as for gaussian_blur; amount
// must be finite and in 0..16; otherwise kInvalidArgument.
Image unsharp_mask(const Image& image, float sigma, float amount);

}  // namespace imgkit::legacy
