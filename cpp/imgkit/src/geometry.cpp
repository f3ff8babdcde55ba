// Geometry facades. No Rust port yet: each routes to legacy, counted.
#include "imgkit/legacy/geometry.hpp"

#include "components.hpp"
#include "facade.hpp"
#include "imgkit/imgkit.hpp"

namespace imgkit {

using routing::Component;
using routing::id;
using routing::route_legacy;

Image resize(const Image& image, std::uint32_t width, std::uint32_t height, ResizeFilter filter) {
  return route_legacy<Image>(id(Component::kResize),
                             [&] { return legacy::resize(image, width, height, filter); });
}

Image flip(const Image& image, FlipAxis axis) {
  return route_legacy<Image>(id(Component::kFlip), [&] { return legacy::flip(image, axis); });
}

Image rotate90(const Image& image) {
  return route_legacy<Image>(id(Component::kRotate90), [&] { return legacy::rotate90(image); });
}

}  // namespace imgkit
