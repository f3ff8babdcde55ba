// What every port shares. A port is one component's entry in the component list
// (components.hpp): a struct holding its declaration (what the catalog says of it), its
// three calls (`legacy`, `rust` through the bridge, `facade` through the public API),
// how two answers compare, the call's size, and the parameter sets parity and the
// per-component tests call it with. The three kinds below say what a port reads from a
// Sample; a port derives from one and adds the rest:
//
//   struct BoxBlur : Operation<BoxBlur, Image> {
//     static constexpr Declaration declaration{"box_blur", kRust, kExact, 0};
//     static Image legacy(const Image& image, std::uint32_t radius) { ... }
//     static RustResult<Image> rust(const Image& image, std::uint32_t radius) { ... }
//     static Image facade(const Image& image, std::uint32_t radius) { ... }
//     template <class Run> static void parameter_sets(const Image&, Run&& run) {
//       run("radius=1", 1u);
//     }
//   };
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "compare.hpp"
#include "imgkit/image.hpp"
#include "imgkit/legacy/codecs.hpp"
#include "imgkit/legacy/tone.hpp"
#include "imgkit/params.hpp"
#include "imgkit/parity.hpp"
#include "rust_call.hpp"
#include "switchyard/catalog.hpp"
#include "switchyard/router.hpp"

namespace imgkit::routing {

using legacy::Bytes;
using legacy::Histogram;
using parity::FileFormat;

inline constexpr switchyard::RustPort kRust = switchyard::RustPort::kAvailable;
inline constexpr switchyard::Comparison kExact = switchyard::Comparison::kExact;
inline constexpr switchyard::Comparison kWithinTolerance = switchyard::Comparison::kTolerance;

// A component as the catalog, the config file and the metrics know it. Its failpoints
// follow from its name: imgkit::<name> at the Rust bridge entry and imgkit::legacy::<name>
// at the legacy entry.
struct Declaration {
  std::string_view name;
  switchyard::RustPort rust_port;
  switchyard::Comparison comparison;
  std::uint32_t tolerance;  // the default; 0 for an exact comparison
};

// One input every component that applies runs on: an image file and, when legacy
// decodes it, what it holds, at its own depth and at 8 bits. The parity runner makes one
// of each file; the per-component tests make them from generated images.
struct Sample {
  FileFormat format;
  const Bytes* file = nullptr;            // nullptr: no decoder runs
  const DecodedImage* decoded = nullptr;  // nullptr: no encoder runs
  const Image* image = nullptr;           // nullptr: no image operation runs
};

// What a kind of port reads from a Sample.
enum class Reads { kFile, kDecodedImage, kImage };

// How many pixels a call's input or answer holds, for the call's size (below). Encoded
// files, histograms and levels are not pixels. An answer type without an overload here
// does not compile: its size is a decision, not a default.
template <class SampleType>
std::uint64_t pixel_count_of(const Raster<SampleType>& image) {
  return image.pixel_count();
}
inline std::uint64_t pixel_count_of(const DecodedImage& image) {
  return std::visit([](const auto& raster) { return pixel_count_of(raster); }, image);
}
inline std::uint64_t pixel_count_of(const Bytes& /*encoded*/) { return 0; }
inline std::uint64_t pixel_count_of(const std::vector<Histogram>& /*counts*/) { return 0; }
inline std::uint64_t pixel_count_of(std::uint8_t /*level*/) { return 0; }

// What every port shares: its answer type and, unless it says otherwise, the comparison
// for that type and the call's size.
template <class A>
struct Port {
  using Answer = A;

  static std::optional<switchyard::MismatchRecord> compare(const A& legacy, const A& rust,
                                                           std::uint32_t tolerance) {
    return compare_answers(legacy, rust, tolerance);
  }
  // What an answer is compared as, for the tests that flatten answers to numbers: the
  // answer itself unless the port's comparison looks through it (EncodePng).
  static const A& comparable(const A& answer) { return answer; }
  // The call's size for the slow-call limit (switchyard/slow_call.hpp): pixels read plus
  // pixels written. A decoder: the decoded image's; an encoder: the input image's;
  // histogram and otsu_level: the input's; filters, resize and rotation: input plus
  // output.
  template <class Input>
  static std::uint64_t pixels(const Input& input, const A& answer) {
    return pixel_count_of(input) + pixel_count_of(answer);
  }
};

// A decoder of one file format: it runs on every file of that format, with the default
// limits.
template <FileFormat F>
struct Decoder : Port<DecodedImage> {
  static constexpr Reads reads = Reads::kFile;

  template <class Run>
  static void parity(const Sample& sample, Run&& run) {
    if (sample.file != nullptr && sample.format == F) run("", *sample.file, DecodeLimits{});
  }
};

// An encoder: it runs on every decoded image, at its own depth, with each parameter set
// (`Self::parameter_sets(image, run)` calls `run(label, parameters...)`; one set with
// none unless it says otherwise).
template <class Self>
struct Encoder : Port<Bytes> {
  static constexpr Reads reads = Reads::kDecodedImage;

  template <class Run>
  static void parity(const Sample& sample, Run&& run) {
    if (sample.decoded == nullptr) return;
    std::visit(
        [&](const auto& image) {
          const std::string depth = sizeof(*image.data()) == 1 ? "8-bit" : "16-bit";
          Self::parameter_sets(image, [&](std::string_view label, const auto&... parameters) {
            run(label.empty() ? depth : depth + " " + std::string(label), image, parameters...);
          });
        },
        *sample.decoded);
  }

  template <class Raster, class Run>
  static void parameter_sets(const Raster& /*image*/, Run&& run) {
    run("");
  }
};

// An operation on 8-bit images: it runs on every sample's 8-bit image with each
// parameter set (as for Encoder). `Self::rejected_sets(image, run)` lists parameters
// both implementations must refuse alike (none unless it says otherwise).
template <class Self, class A>
struct Operation : Port<A> {
  static constexpr Reads reads = Reads::kImage;

  template <class Run>
  static void parity(const Sample& sample, Run&& run) {
    if (sample.image == nullptr) return;
    Self::parameter_sets(*sample.image, [&](std::string_view label, const auto&... parameters) {
      run(label, *sample.image, parameters...);
    });
  }

  template <class Run>
  static void parameter_sets(const Image& /*image*/, Run&& run) {
    run("");
  }

  template <class Run>
  static void rejected_sets(const Image& /*image*/, Run&& /*run*/) {}
};

}  // namespace imgkit::routing
