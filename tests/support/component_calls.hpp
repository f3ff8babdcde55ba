// Every imgkit component called two ways — through the public facade and straight to
// legacy — on a test image, with its answer flattened to comparable numbers. Shared by
// the facade-mode and fault suites so that each component's call is written once.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "imgkit/imgkit.hpp"
#include "imgkit/legacy/codecs.hpp"
#include "imgkit/legacy/filters.hpp"
#include "imgkit/legacy/geometry.hpp"
#include "imgkit/legacy/tone.hpp"

namespace imgkit::testing {

// An answer as numbers: an image's shape and samples, a file's bytes, histogram counts
// or a level. `width`/`height`/`channels` are 0 for answers that are not images.
struct Answer {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::uint32_t channels = 0;
  std::vector<std::uint64_t> values;

  bool operator==(const Answer& other) const {
    return width == other.width && height == other.height && channels == other.channels &&
           values == other.values;
  }
};

template <class Sample>
Answer answer_of(const Raster<Sample>& image) {
  return {image.width(), image.height(), image.channels(),
          std::vector<std::uint64_t>(image.samples().begin(), image.samples().end())};
}
inline Answer answer_of(const DecodedImage& image) {
  return std::visit([](const auto& raster) { return answer_of(raster); }, image);
}
inline Answer answer_of(const std::vector<std::uint8_t>& bytes) {
  return {0, 0, 0, std::vector<std::uint64_t>(bytes.begin(), bytes.end())};
}
inline Answer answer_of(const std::vector<Histogram>& histograms) {
  Answer answer;
  for (const auto& h : histograms) answer.values.insert(answer.values.end(), h.begin(), h.end());
  return answer;
}
inline Answer answer_of(std::uint8_t level) { return {0, 0, 0, {level}}; }

// The largest difference between two answers of the same shape; UINT64_MAX when the
// shapes differ.
inline std::uint64_t max_difference(const Answer& a, const Answer& b) {
  if (a.width != b.width || a.height != b.height || a.channels != b.channels ||
      a.values.size() != b.values.size()) {
    return UINT64_MAX;
  }
  std::uint64_t worst = 0;
  for (std::size_t i = 0; i < a.values.size(); ++i) {
    worst = std::max(
        worst, a.values[i] > b.values[i] ? a.values[i] - b.values[i] : b.values[i] - a.values[i]);
  }
  return worst;
}

const Kernel kSharpen{3, 3, {0, -1, 0, -1, 5, -1, 0, -1, 0}};

// PNM has no alpha: the image a PNM test encodes (alpha dropped, gray kept).
inline Image without_alpha(const Image& image) {
  if (image.channels() != 4) return image;
  Image rgb(image.width(), image.height(), 3);
  for (std::size_t p = 0; p < image.pixel_count(); ++p) {
    std::copy_n(image.data() + p * 4, 3, rgb.data() + p * 3);
  }
  return rgb;
}

struct ComponentCall {
  std::string name;         // the component, as the config file names it
  std::string variant;      // which call of it, for test names ("" for the only one)
  std::uint32_t tolerance;  // the component's documented tolerance
  std::function<Answer(const Image&)> facade;
  std::function<Answer(const Image&)> legacy;
};

// Every component, with the parameters each is exercised with. Decoders get the test
// image encoded by legacy; encoders are compared on the pixels their files decode to
// (two PNG encoders compress differently).
inline const std::vector<ComponentCall>& component_calls() {
  static const std::vector<ComponentCall> calls = {
      {"decode_pnm", "8bit", 0,
       [](const Image& i) { return answer_of(decode_pnm(legacy::encode_pnm(without_alpha(i)))); },
       [](const Image& i) {
         return answer_of(legacy::decode_pnm(legacy::encode_pnm(without_alpha(i))));
       }},
      {"decode_pnm", "16bit_plain", 0,
       [](const Image& i) {
         return answer_of(
             decode_pnm(legacy::encode_pnm(to_16bit(without_alpha(i)), PnmEncoding::kPlain)));
       },
       [](const Image& i) {
         return answer_of(legacy::decode_pnm(
             legacy::encode_pnm(to_16bit(without_alpha(i)), PnmEncoding::kPlain)));
       }},
      {"encode_pnm", "8bit", 0,
       [](const Image& i) { return answer_of(encode_pnm(without_alpha(i))); },
       [](const Image& i) { return answer_of(legacy::encode_pnm(without_alpha(i))); }},
      {"encode_pnm", "16bit_plain", 0,
       [](const Image& i) {
         return answer_of(encode_pnm(to_16bit(without_alpha(i)), PnmEncoding::kPlain));
       },
       [](const Image& i) {
         return answer_of(legacy::encode_pnm(to_16bit(without_alpha(i)), PnmEncoding::kPlain));
       }},
      {"decode_png", "8bit", 0,
       [](const Image& i) { return answer_of(decode_png(legacy::encode_png(i))); },
       [](const Image& i) { return answer_of(legacy::decode_png(legacy::encode_png(i))); }},
      {"decode_png", "16bit", 0,
       [](const Image& i) { return answer_of(decode_png(legacy::encode_png(to_16bit(i)))); },
       [](const Image& i) {
         return answer_of(legacy::decode_png(legacy::encode_png(to_16bit(i))));
       }},
      {"encode_png", "8bit", 0,
       [](const Image& i) { return answer_of(legacy::decode_png(encode_png(i))); },
       [](const Image& i) { return answer_of(legacy::decode_png(legacy::encode_png(i))); }},
      {"encode_png", "16bit", 0,
       [](const Image& i) { return answer_of(legacy::decode_png(encode_png(to_16bit(i)))); },
       [](const Image& i) {
         return answer_of(legacy::decode_png(legacy::encode_png(to_16bit(i))));
       }},
      {"convolve", "", 1, [](const Image& i) { return answer_of(convolve(i, kSharpen)); },
       [](const Image& i) { return answer_of(legacy::convolve(i, kSharpen)); }},
      {"gaussian_blur", "", 1, [](const Image& i) { return answer_of(gaussian_blur(i, 2.0f)); },
       [](const Image& i) { return answer_of(legacy::gaussian_blur(i, 2.0f)); }},
      {"box_blur", "", 0, [](const Image& i) { return answer_of(box_blur(i, 2)); },
       [](const Image& i) { return answer_of(legacy::box_blur(i, 2)); }},
      {"sobel", "", 0, [](const Image& i) { return answer_of(sobel(i)); },
       [](const Image& i) { return answer_of(legacy::sobel(i)); }},
      {"unsharp_mask", "", 1, [](const Image& i) { return answer_of(unsharp_mask(i, 1.5f, 0.8f)); },
       [](const Image& i) { return answer_of(legacy::unsharp_mask(i, 1.5f, 0.8f)); }},
      {"resize", "bilinear_up", 0,
       [](const Image& i) {
         return answer_of(
             resize(i, i.width() * 3 / 2 + 1, i.height() + 2, ResizeFilter::kBilinear));
       },
       [](const Image& i) {
         return answer_of(
             legacy::resize(i, i.width() * 3 / 2 + 1, i.height() + 2, ResizeFilter::kBilinear));
       }},
      {"resize", "nearest_down", 0,
       [](const Image& i) {
         return answer_of(
             resize(i, (i.width() + 1) / 2, (i.height() + 2) / 3, ResizeFilter::kNearest));
       },
       [](const Image& i) {
         return answer_of(
             legacy::resize(i, (i.width() + 1) / 2, (i.height() + 2) / 3, ResizeFilter::kNearest));
       }},
      {"flip", "horizontal", 0,
       [](const Image& i) { return answer_of(flip(i, FlipAxis::kHorizontal)); },
       [](const Image& i) { return answer_of(legacy::flip(i, FlipAxis::kHorizontal)); }},
      {"flip", "vertical", 0,
       [](const Image& i) { return answer_of(flip(i, FlipAxis::kVertical)); },
       [](const Image& i) { return answer_of(legacy::flip(i, FlipAxis::kVertical)); }},
      {"rotate90", "", 0, [](const Image& i) { return answer_of(rotate90(i)); },
       [](const Image& i) { return answer_of(legacy::rotate90(i)); }},
      {"to_grayscale", "", 0, [](const Image& i) { return answer_of(to_grayscale(i)); },
       [](const Image& i) { return answer_of(legacy::to_grayscale(i)); }},
      {"histogram", "", 0, [](const Image& i) { return answer_of(histogram(i)); },
       [](const Image& i) { return answer_of(legacy::histogram(i)); }},
      {"equalize", "", 0, [](const Image& i) { return answer_of(equalize(i)); },
       [](const Image& i) { return answer_of(legacy::equalize(i)); }},
      {"otsu_level", "", 0, [](const Image& i) { return answer_of(otsu_level(i)); },
       [](const Image& i) { return answer_of(legacy::otsu_level(i)); }},
      {"otsu_threshold", "", 0, [](const Image& i) { return answer_of(otsu_threshold(i)); },
       [](const Image& i) { return answer_of(legacy::otsu_threshold(i)); }},
  };
  return calls;
}

}  // namespace imgkit::testing
