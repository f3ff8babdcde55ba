#include "components.hpp"

#include <cstdint>
#include <utility>

#include "imgkit/params.hpp"
#include "imgkit/routing.hpp"

namespace imgkit::routing {

const switchyard::Catalog& catalog() {
  using switchyard::Comparison;
  using switchyard::RustPort;
  // Every component has a Rust port. Outputs computed through float sums (convolve and
  // the Gaussian-based filters) may differ by rounding at a .5 boundary, so shadow
  // compares them within a tolerance; everything else, codecs included, must match
  // exactly (encode_png: the same pixels after decoding; see ports.hpp).
  // The limits the imgkit program applies, in MiB, settable in the config's [imgkit]
  // table (and on its command line). 1 TiB at most: beyond that a value is a typo.
  constexpr std::int64_t kMaxMb = std::int64_t{1} << 20;
  switchyard::ProgramSettings limits{
      "imgkit",
      {{"max_input_mb", 1, kMaxMb, kDefaultMaxInputMb},
       {"max_image_mb", 1, kMaxMb, static_cast<std::int64_t>(kDefaultMaxDecodeBytes >> 20)}}};
  static const switchyard::Catalog instance(
      {
          {"decode_pnm", RustPort::kAvailable, Comparison::kExact, 0},
          {"encode_pnm", RustPort::kAvailable, Comparison::kExact, 0},
          {"decode_png", RustPort::kAvailable, Comparison::kExact, 0},
          {"encode_png", RustPort::kAvailable, Comparison::kExact, 0},
          {"convolve", RustPort::kAvailable, Comparison::kTolerance, 1},
          {"gaussian_blur", RustPort::kAvailable, Comparison::kTolerance, 1},
          {"box_blur", RustPort::kAvailable, Comparison::kExact, 0},
          {"sobel", RustPort::kAvailable, Comparison::kExact, 0},
          {"unsharp_mask", RustPort::kAvailable, Comparison::kTolerance, 1},
          {"resize", RustPort::kAvailable, Comparison::kExact, 0},
          {"flip", RustPort::kAvailable, Comparison::kExact, 0},
          {"rotate90", RustPort::kAvailable, Comparison::kExact, 0},
          {"to_grayscale", RustPort::kAvailable, Comparison::kExact, 0},
          {"histogram", RustPort::kAvailable, Comparison::kExact, 0},
          {"equalize", RustPort::kAvailable, Comparison::kExact, 0},
          {"otsu_level", RustPort::kAvailable, Comparison::kExact, 0},
          {"otsu_threshold", RustPort::kAvailable, Comparison::kExact, 0},
      },
      std::move(limits));
  return instance;
}

}  // namespace imgkit::routing
