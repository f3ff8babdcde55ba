#include "components.hpp"

namespace imgkit::routing {

const switchyard::Catalog& catalog() {
  using switchyard::Comparison;
  using switchyard::RustPort;
  // Outputs computed through float sums (filters, bilinear resize, grayscale weights)
  // may differ by rounding at a .5 boundary, so shadow compares them within a
  // tolerance; integer outputs and codecs must match exactly.
  static const switchyard::Catalog instance({
      {"decode_pnm", RustPort::kNone, Comparison::kExact, 0},
      {"encode_pnm", RustPort::kNone, Comparison::kExact, 0},
      {"decode_png", RustPort::kNone, Comparison::kExact, 0},
      {"encode_png", RustPort::kNone, Comparison::kExact, 0},
      {"convolve", RustPort::kAvailable, Comparison::kTolerance, 1},
      {"gaussian_blur", RustPort::kAvailable, Comparison::kTolerance, 1},
      {"box_blur", RustPort::kNone, Comparison::kExact, 0},
      {"sobel", RustPort::kNone, Comparison::kExact, 0},
      {"unsharp_mask", RustPort::kNone, Comparison::kTolerance, 1},
      {"resize", RustPort::kNone, Comparison::kTolerance, 1},
      {"flip", RustPort::kNone, Comparison::kExact, 0},
      {"rotate90", RustPort::kNone, Comparison::kExact, 0},
      {"to_grayscale", RustPort::kNone, Comparison::kTolerance, 1},
      {"histogram", RustPort::kNone, Comparison::kExact, 0},
      {"equalize", RustPort::kNone, Comparison::kExact, 0},
      {"otsu_level", RustPort::kNone, Comparison::kExact, 0},
      {"otsu_threshold", RustPort::kNone, Comparison::kExact, 0},
  });
  return instance;
}

}  // namespace imgkit::routing
