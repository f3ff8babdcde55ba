// Filter facades: every call routed between legacy and the Rust kernels.
#include "facade.hpp"
#include "imgkit/imgkit.hpp"

namespace imgkit {

using routing::BoxBlur;
using routing::Convolve;
using routing::GaussianBlur;
using routing::MedianBlur;
using routing::route;
using routing::Sobel;
using routing::UnsharpMask;

Image convolve(const Image& image, const Kernel& kernel) { return route<Convolve>(image, kernel); }

Image gaussian_blur(const Image& image, float sigma) { return route<GaussianBlur>(image, sigma); }

Image box_blur(const Image& image, std::uint32_t radius) { return route<BoxBlur>(image, radius); }

Image sobel(const Image& image) { return route<Sobel>(image); }

Image unsharp_mask(const Image& image, float sigma, float amount) {
  return route<UnsharpMask>(image, sigma, amount);
}

Image median_blur(const Image& image, std::uint32_t radius) {
  return route<MedianBlur>(image, radius);
}

}  // namespace imgkit
