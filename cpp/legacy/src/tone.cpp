#include "imgkit/legacy/tone.hpp"

#include <array>
#include <cstdint>
#include <numeric>
#include <vector>

#include "failpoint.hpp"
#include "sampling.hpp"

namespace imgkit::legacy {
namespace {

const switchyard::Failpoint kToGrayscaleFailpoint("imgkit::legacy::to_grayscale");
const switchyard::Failpoint kHistogramFailpoint("imgkit::legacy::histogram");
const switchyard::Failpoint kEqualizeFailpoint("imgkit::legacy::equalize");
const switchyard::Failpoint kOtsuLevelFailpoint("imgkit::legacy::otsu_level");
const switchyard::Failpoint kOtsuThresholdFailpoint("imgkit::legacy::otsu_threshold");

using LookupTable = std::array<std::uint8_t, 256>;

LookupTable equalization_table(const Histogram& counts, std::uint64_t pixel_count) {
  LookupTable table{};
  std::size_t smallest = 0;
  while (counts[smallest] == 0) {  // an image has at least one pixel, so this stops
    ++smallest;
  }
  const std::uint64_t cdf_min = counts[smallest];
  const std::uint64_t range = pixel_count - cdf_min;
  if (range == 0) {
    std::iota(table.begin(), table.end(), std::uint8_t{0});
    return table;
  }
  // Values below `smallest` never occur, so their entries are never read.
  std::uint64_t cdf = 0;
  for (std::size_t v = smallest; v < table.size(); ++v) {
    cdf += counts[v];
    table[v] = static_cast<std::uint8_t>(((cdf - cdf_min) * 255 + range / 2) / range);
  }
  return table;
}

std::uint8_t otsu_level_of_gray(const Image& gray) {
  const Histogram counts = histogram(gray)[0];
  const std::uint64_t total_count = gray.pixel_count();
  std::uint64_t total_sum = 0;
  for (std::uint64_t v = 0; v < counts.size(); ++v) {
    total_sum += v * counts[v];
  }
  const double n = static_cast<double>(total_count);

  int best_level = -1;
  double best_variance = 0.0;
  std::uint64_t count0 = 0;
  std::uint64_t sum0 = 0;
  for (std::uint64_t t = 0; t < counts.size(); ++t) {
    count0 += counts[t];
    sum0 += t * counts[t];
    const std::uint64_t count1 = total_count - count0;
    if (count0 == 0 || count1 == 0) {
      continue;
    }
    const double w0 = static_cast<double>(count0) / n;
    const double w1 = static_cast<double>(count1) / n;
    const double mu0 = static_cast<double>(sum0) / static_cast<double>(count0);
    const double mu1 = static_cast<double>(total_sum - sum0) / static_cast<double>(count1);
    const double d = mu0 - mu1;
    const double variance = (w0 * w1) * (d * d);
    // Strictly greater keeps the smallest t on ties.
    if (best_level < 0 || variance > best_variance) {
      best_level = static_cast<int>(t);
      best_variance = variance;
    }
  }
  if (best_level < 0) {
    return gray.data()[0];  // no candidate: every pixel has the same value
  }
  return static_cast<std::uint8_t>(best_level);
}

}  // namespace

Image to_grayscale(const Image& image) {
  detail::fire(kToGrayscaleFailpoint);
  if (image.channels() == 1) {
    return image;
  }
  Image out(image.width(), image.height(), 1);
  const std::uint8_t* src = image.data();
  for (std::size_t pixel = 0; pixel < image.pixel_count(); ++pixel, src += image.channels()) {
    const std::uint32_t luma = (77u * src[0] + 150u * src[1] + 29u * src[2] + 128u) >> 8;
    out.data()[pixel] = static_cast<std::uint8_t>(luma);
  }
  return out;
}

std::vector<Histogram> histogram(const Image& image) {
  detail::fire(kHistogramFailpoint);
  std::vector<Histogram> counts(image.channels(), Histogram{});
  const std::uint8_t* src = image.data();
  for (std::size_t pixel = 0; pixel < image.pixel_count(); ++pixel) {
    for (std::uint32_t c = 0; c < image.channels(); ++c) {
      ++counts[c][*src++];
    }
  }
  return counts;
}

Image equalize(const Image& image) {
  detail::fire(kEqualizeFailpoint);
  const std::vector<Histogram> counts = histogram(image);
  const std::uint32_t channels = image.channels();
  Image out = image;  // starts as a copy so alpha is carried over untouched
  for (std::uint32_t c = 0; c < detail::colour_channel_count(channels); ++c) {
    const LookupTable table = equalization_table(counts[c], image.pixel_count());
    for (std::size_t i = c; i < out.size(); i += channels) {
      out.data()[i] = table[image.data()[i]];
    }
  }
  return out;
}

std::uint8_t otsu_level(const Image& image) {
  detail::fire(kOtsuLevelFailpoint);
  return otsu_level_of_gray(to_grayscale(image));
}

Image otsu_threshold(const Image& image) {
  detail::fire(kOtsuThresholdFailpoint);
  Image gray = to_grayscale(image);
  const std::uint8_t level = otsu_level_of_gray(gray);
  for (std::uint8_t& sample : gray.samples()) {
    sample = sample > level ? 255 : 0;
  }
  return gray;
}

}  // namespace imgkit::legacy
