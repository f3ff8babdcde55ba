#include "imgkit/image.hpp"

#include <limits>
#include <string>

#include "imgkit/error.hpp"

namespace imgkit {

std::size_t checked_sample_count(std::uint32_t width, std::uint32_t height,
                                 std::uint32_t channels) {
  if (width == 0 || height == 0) {
    throw Error(ErrorCategory::kInvalidArgument, "image dimensions must be at least 1x1, got " +
                                                     std::to_string(width) + "x" +
                                                     std::to_string(height));
  }
  if (channels != 1 && channels != 3 && channels != 4) {
    throw Error(ErrorCategory::kInvalidArgument,
                "channels must be 1, 3 or 4, got " + std::to_string(channels));
  }
  constexpr auto kMax = std::numeric_limits<std::size_t>::max();
  const std::size_t pixels = static_cast<std::size_t>(width) * height;
  if (pixels > kMax / channels) {
    throw Error(ErrorCategory::kLimitExceeded, "image of " + std::to_string(width) + "x" +
                                                   std::to_string(height) +
                                                   " does not fit in memory");
  }
  return pixels * channels;
}

Image to_8bit(const Image16& image) {
  Image out(image.width(), image.height(), image.channels());
  const auto& in = image.samples();
  auto& dst = out.samples();
  for (std::size_t i = 0; i < in.size(); ++i) {
    dst[i] = static_cast<std::uint8_t>((std::uint32_t{in[i]} * 255 + 32767) / 65535);
  }
  return out;
}

Image16 to_16bit(const Image& image) {
  Image16 out(image.width(), image.height(), image.channels());
  const auto& in = image.samples();
  auto& dst = out.samples();
  for (std::size_t i = 0; i < in.size(); ++i) {
    dst[i] = static_cast<std::uint16_t>(in[i] * 257);
  }
  return out;
}

Image to_8bit(DecodedImage decoded) {
  if (auto* image8 = std::get_if<Image>(&decoded)) {
    return std::move(*image8);
  }
  return to_8bit(std::get<Image16>(decoded));
}

}  // namespace imgkit
