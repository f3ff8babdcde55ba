// Filter facades. convolve and gaussian_blur have Rust ports; the others route to legacy.
#include "imgkit/legacy/filters.hpp"

#include "components.hpp"
#include "facade.hpp"
#include "imgkit/bridge/kernels.hpp"
#include "imgkit/imgkit.hpp"

namespace imgkit {

using routing::Component;
using routing::id;
using routing::route_image;
using routing::route_legacy;

Image convolve(const Image& image, const Kernel& kernel) {
  return route_image(
      id(Component::kConvolve), image, [&] { return legacy::convolve(image, kernel); },
      [&](Image& out) { return bridge::convolve(image, kernel, out); });
}

Image gaussian_blur(const Image& image, float sigma) {
  return route_image(
      id(Component::kGaussianBlur), image, [&] { return legacy::gaussian_blur(image, sigma); },
      [&](Image& out) { return bridge::gaussian_blur(image, sigma, out); });
}

Image box_blur(const Image& image, std::uint32_t radius) {
  return route_legacy<Image>(id(Component::kBoxBlur),
                             [&] { return legacy::box_blur(image, radius); });
}

Image sobel(const Image& image) {
  return route_legacy<Image>(id(Component::kSobel), [&] { return legacy::sobel(image); });
}

Image unsharp_mask(const Image& image, float sigma, float amount) {
  return route_legacy<Image>(id(Component::kUnsharpMask),
                             [&] { return legacy::unsharp_mask(image, sigma, amount); });
}

}  // namespace imgkit
