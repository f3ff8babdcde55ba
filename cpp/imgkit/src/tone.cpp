// Tone facades. No Rust port yet: each routes to legacy, counted.
#include "imgkit/legacy/tone.hpp"

#include "components.hpp"
#include "facade.hpp"
#include "imgkit/imgkit.hpp"

namespace imgkit {

using routing::Component;
using routing::id;
using routing::route_legacy;

Image to_grayscale(const Image& image) {
  return route_legacy<Image>(id(Component::kToGrayscale),
                             [&] { return legacy::to_grayscale(image); });
}

std::vector<Histogram> histogram(const Image& image) {
  return route_legacy<std::vector<Histogram>>(id(Component::kHistogram),
                                              [&] { return legacy::histogram(image); });
}

Image equalize(const Image& image) {
  return route_legacy<Image>(id(Component::kEqualize), [&] { return legacy::equalize(image); });
}

std::uint8_t otsu_level(const Image& image) {
  return route_legacy<std::uint8_t>(id(Component::kOtsuLevel),
                                    [&] { return legacy::otsu_level(image); });
}

Image otsu_threshold(const Image& image) {
  return route_legacy<Image>(id(Component::kOtsuThreshold),
                             [&] { return legacy::otsu_threshold(image); });
}

}  // namespace imgkit
