// Geometry facades: every call routed between legacy and the Rust kernels.
#include "facade.hpp"
#include "imgkit/imgkit.hpp"

namespace imgkit {

using routing::Flip;
using routing::Resize;
using routing::Rotate90;
using routing::route;

Image resize(const Image& image, std::uint32_t width, std::uint32_t height, ResizeFilter filter) {
  return route<Resize>(image, width, height, filter);
}

Image flip(const Image& image, FlipAxis axis) { return route<Flip>(image, axis); }

Image rotate90(const Image& image) { return route<Rotate90>(image); }

}  // namespace imgkit
