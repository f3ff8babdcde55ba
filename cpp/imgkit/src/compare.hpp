// How a component's two answers are compared: the legacy answer is the reference, the
// Rust answer must be within the component's tolerance of it. Each function returns
// nullopt when the answers agree, else a MismatchRecord describing the first
// difference (the caller adds what identifies the input).
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "imgkit/image.hpp"
#include "imgkit/legacy/codecs.hpp"
#include "imgkit/legacy/tone.hpp"
#include "switchyard/metrics.hpp"

namespace imgkit::routing {

// Sample by sample, within `tolerance`.
template <class Sample>
std::optional<switchyard::MismatchRecord> compare_answers(const Raster<Sample>& legacy,
                                                          const Raster<Sample>& rust,
                                                          std::uint32_t tolerance) {
  switchyard::MismatchRecord record;
  record.width = legacy.width();
  record.height = legacy.height();
  record.channels = legacy.channels();
  if (legacy.width() != rust.width() || legacy.height() != rust.height() ||
      legacy.channels() != rust.channels()) {
    record.detail = "output shapes differ: legacy " + std::to_string(legacy.width()) + "x" +
                    std::to_string(legacy.height()) + "x" + std::to_string(legacy.channels()) +
                    ", rust " + std::to_string(rust.width()) + "x" + std::to_string(rust.height()) +
                    "x" + std::to_string(rust.channels());
    return record;
  }
  bool differs = false;
  std::size_t first = 0;
  std::uint32_t max_difference = 0;
  for (std::size_t i = 0; i < legacy.size(); ++i) {
    const auto a = legacy.data()[i];
    const auto b = rust.data()[i];
    const std::uint32_t difference = a > b ? a - b : b - a;
    if (difference > tolerance && !differs) {
      differs = true;
      first = i;
    }
    max_difference = std::max(max_difference, difference);
  }
  if (!differs) return std::nullopt;
  const std::size_t stride = legacy.row_stride();
  record.y = static_cast<std::uint32_t>(first / stride);
  record.x = static_cast<std::uint32_t>((first % stride) / legacy.channels());
  record.channel = static_cast<std::uint32_t>(first % legacy.channels());
  record.max_difference = max_difference;
  return record;
}

// A decoder's answers: the same sample depth, then sample by sample.
std::optional<switchyard::MismatchRecord> compare_answers(const DecodedImage& legacy,
                                                          const DecodedImage& rust,
                                                          std::uint32_t tolerance);

// Encoded files: byte for byte.
std::optional<switchyard::MismatchRecord> compare_answers(const legacy::Bytes& legacy,
                                                          const legacy::Bytes& rust,
                                                          std::uint32_t tolerance);

// PNG files from two encoders: equal when they decode (with legacy's decoder) to the
// same image. Their bytes differ: each encoder compresses its own way.
std::optional<switchyard::MismatchRecord> compare_png_files(const legacy::Bytes& legacy,
                                                            const legacy::Bytes& rust,
                                                            std::uint32_t tolerance);

// Histograms: every count equal.
std::optional<switchyard::MismatchRecord> compare_answers(
    const std::vector<legacy::Histogram>& legacy, const std::vector<legacy::Histogram>& rust,
    std::uint32_t tolerance);

// A single level.
std::optional<switchyard::MismatchRecord> compare_answers(std::uint8_t legacy, std::uint8_t rust,
                                                          std::uint32_t tolerance);

// A 64-bit digest of an input's shape and samples (or bytes), as 16 hex digits, to find
// the input again from a log.
template <class Sample>
std::string digest(const Raster<Sample>& image);
std::string digest(const legacy::Bytes& bytes);

// Fills in what identifies the input: its digest and, for an image, its shape.
template <class Sample>
void describe_input(switchyard::MismatchRecord& record, const Raster<Sample>& input) {
  record.input_digest = digest(input);
  record.width = input.width();
  record.height = input.height();
  record.channels = input.channels();
}
void describe_input(switchyard::MismatchRecord& record, const legacy::Bytes& input);

}  // namespace imgkit::routing
