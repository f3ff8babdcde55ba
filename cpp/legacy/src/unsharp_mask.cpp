#include <string>

#include "failpoint.hpp"
#include "imgkit/legacy/filters.hpp"
#include "sampling.hpp"

namespace imgkit::legacy {
namespace {
const switchyard::Failpoint kUnsharpMaskFailpoint("imgkit::legacy::unsharp_mask");
}  // namespace

Image unsharp_mask(const Image& image, float sigma, float amount) {
  detail::fire(kUnsharpMaskFailpoint);
  // Checked here, not left to gaussian_blur, so the message names the caller's function.
  detail::check_sigma("unsharp_mask", sigma);
  if (!(amount >= 0.0f && amount <= 16.0f)) {
    detail::throw_invalid_argument("unsharp_mask: amount must be in [0, 16], got " +
                                   detail::format_value(amount));
  }
  const Image blurred = gaussian_blur(image, sigma);
  const std::uint32_t channels = image.channels();
  const std::uint32_t colour_channels = detail::colour_channel_count(channels);

  Image out = image;  // starts as a copy so alpha is carried over untouched
  for (std::size_t pixel = 0; pixel < image.pixel_count(); ++pixel) {
    for (std::uint32_t c = 0; c < colour_channels; ++c) {
      const std::size_t i = pixel * channels + c;
      const float original = image.data()[i];
      const float high_pass = original - static_cast<float>(blurred.data()[i]);
      out.data()[i] = detail::round_to_sample(original + amount * high_pass);
    }
  }
  return out;
}

}  // namespace imgkit::legacy
