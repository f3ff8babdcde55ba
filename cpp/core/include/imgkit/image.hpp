// imgkit::Image — an owned raster of interleaved samples.
//
// Samples are stored row-major, channels interleaved, with no padding between rows:
// sample (x, y, c) is at index (y * width + x) * channels + c. Channels are 1 (gray),
// 3 (RGB) or 4 (RGBA). `Image` holds 8-bit samples and is what every filter, geometry
// and tone operation takes; `Image16` holds 16-bit samples and exists for the codecs,
// which can read and write 16-bit files without losing precision.
//
//   imgkit::Image img(640, 480, 3);       // zero-filled RGB
//   img.at(10, 20, 1) = 255;              // green sample of pixel (10, 20)
//   imgkit::Image16 deep(2, 2, 1);        // 16-bit gray
//
// Dimensions must be at least 1x1; the constructor throws kInvalidArgument otherwise
// and kLimitExceeded when width * height * channels overflows size_t.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <variant>
#include <vector>

namespace imgkit {

// Throws kInvalidArgument unless width, height >= 1 and channels is 1, 3 or 4; returns
// width * height * channels, throwing kLimitExceeded when that overflows size_t.
std::size_t checked_sample_count(std::uint32_t width, std::uint32_t height, std::uint32_t channels);

template <typename Sample>
class Raster {
 public:
  using sample_type = Sample;

  Raster(std::uint32_t width, std::uint32_t height, std::uint32_t channels)
      : width_(width),
        height_(height),
        channels_(channels),
        samples_(checked_sample_count(width, height, channels)) {}

  std::uint32_t width() const noexcept { return width_; }
  std::uint32_t height() const noexcept { return height_; }
  std::uint32_t channels() const noexcept { return channels_; }
  std::size_t pixel_count() const noexcept { return static_cast<std::size_t>(width_) * height_; }
  // Samples in one row: width * channels.
  std::size_t row_stride() const noexcept { return static_cast<std::size_t>(width_) * channels_; }

  Sample& at(std::uint32_t x, std::uint32_t y, std::uint32_t c) noexcept {
    return samples_[y * row_stride() + static_cast<std::size_t>(x) * channels_ + c];
  }
  Sample at(std::uint32_t x, std::uint32_t y, std::uint32_t c) const noexcept {
    return samples_[y * row_stride() + static_cast<std::size_t>(x) * channels_ + c];
  }

  Sample* data() noexcept { return samples_.data(); }
  const Sample* data() const noexcept { return samples_.data(); }
  std::size_t size() const noexcept { return samples_.size(); }
  std::vector<Sample>& samples() noexcept { return samples_; }
  const std::vector<Sample>& samples() const noexcept { return samples_; }

  // Same geometry, same samples.
  bool operator==(const Raster& other) const {
    return width_ == other.width_ && height_ == other.height_ && channels_ == other.channels_ &&
           samples_ == other.samples_;
  }
  bool operator!=(const Raster& other) const { return !(*this == other); }

 private:
  std::uint32_t width_;
  std::uint32_t height_;
  std::uint32_t channels_;
  std::vector<Sample> samples_;
};

using Image = Raster<std::uint8_t>;
using Image16 = Raster<std::uint16_t>;

// What a decoder returns: 8-bit when the file's samples fit in 8 bits, else 16-bit.
using DecodedImage = std::variant<Image, Image16>;

// 16 -> 8 bits: round(v * 255 / 65535), i.e. (v * 255 + 32767) / 65535.
Image to_8bit(const Image16& image);
// 8 -> 16 bits: v * 257 (exact inverse of to_8bit for every 8-bit value).
Image16 to_16bit(const Image& image);
// The 8-bit view of whatever a decoder produced (converting 16-bit with to_8bit).
Image to_8bit(DecodedImage decoded);

}  // namespace imgkit
