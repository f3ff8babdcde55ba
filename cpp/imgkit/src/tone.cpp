// Tone facades: every call routed between legacy and the Rust kernels.
#include "facade.hpp"
#include "imgkit/imgkit.hpp"

namespace imgkit {

using routing::Equalize;
using routing::HistogramPort;
using routing::OtsuLevel;
using routing::OtsuThreshold;
using routing::route;
using routing::ToGrayscale;

Image to_grayscale(const Image& image) { return route<ToGrayscale>(image); }

std::vector<Histogram> histogram(const Image& image) { return route<HistogramPort>(image); }

Image equalize(const Image& image) { return route<Equalize>(image); }

std::uint8_t otsu_level(const Image& image) { return route<OtsuLevel>(image); }

Image otsu_threshold(const Image& image) { return route<OtsuThreshold>(image); }

}  // namespace imgkit
