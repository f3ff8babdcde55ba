#include "legacy_shim.hpp"

#include <algorithm>
#include <array>
#include <exception>
#include <vector>

#include "imgkit/image.hpp"
#include "imgkit/legacy/filters.hpp"
#include "imgkit/legacy/geometry.hpp"
#include "imgkit/legacy/tone.hpp"

namespace imgkit_legacy_sys {
namespace {

// The caller's samples as an Image. The constructor rejects a bad geometry with
// kInvalidArgument, as the legacy functions' own callers would see it.
imgkit::Image image_of(const unsigned char* samples, std::uint32_t width, std::uint32_t height,
                       std::uint32_t channels) {
  imgkit::Image image(width, height, channels);
  // SAFETY: the Rust caller passes a slice of exactly width * height * channels samples
  // (checked there), which is image.size() once the constructor accepted the geometry.
  std::copy_n(samples, image.size(), image.data());
  return image;
}

template <class Sample>
void copy_out(const std::vector<Sample>& answer, Sample* out, std::size_t out_len) {
  if (answer.size() != out_len) {
    throw imgkit::Error(imgkit::ErrorCategory::kInternal,
                        "output buffer holds " + std::to_string(out_len) +
                            " samples, the legacy answer has " + std::to_string(answer.size()));
  }
  // SAFETY: `out` is a Rust slice of out_len elements, equal to answer.size().
  std::copy(answer.begin(), answer.end(), out);
}

// Runs `call`, turning whatever it throws into `category` and `message`.
template <class Call>
bool guarded(imgkit::ErrorCategory& category, std::string& message, Call&& call) noexcept {
  try {
    call();
    return true;
  } catch (const imgkit::Error& error) {
    category = error.category();
    message = error.what();
  } catch (const std::exception& error) {
    category = imgkit::ErrorCategory::kInternal;
    message = error.what();
  } catch (...) {
    category = imgkit::ErrorCategory::kInternal;
    message = "unknown exception";
  }
  return false;
}

}  // namespace

bool convolve(const unsigned char* samples, std::uint32_t width, std::uint32_t height,
              std::uint32_t channels, std::uint32_t kernel_width, std::uint32_t kernel_height,
              const float* weights, std::size_t weight_count, std::uint8_t* out,
              std::size_t out_len, imgkit::ErrorCategory& category, std::string& message) {
  return guarded(category, message, [&] {
    // SAFETY: `weights` is a Rust slice of weight_count floats.
    imgkit::Kernel kernel{kernel_width, kernel_height,
                          std::vector<float>(weights, weights + weight_count)};
    const imgkit::Image image = image_of(samples, width, height, channels);
    copy_out(imgkit::legacy::convolve(image, kernel).samples(), out, out_len);
  });
}

bool gaussian_blur(const unsigned char* samples, std::uint32_t width, std::uint32_t height,
                   std::uint32_t channels, float sigma, std::uint8_t* out, std::size_t out_len,
                   imgkit::ErrorCategory& category, std::string& message) {
  return guarded(category, message, [&] {
    const imgkit::Image image = image_of(samples, width, height, channels);
    copy_out(imgkit::legacy::gaussian_blur(image, sigma).samples(), out, out_len);
  });
}

bool box_blur(const unsigned char* samples, std::uint32_t width, std::uint32_t height,
              std::uint32_t channels, std::uint32_t radius, std::uint8_t* out, std::size_t out_len,
              imgkit::ErrorCategory& category, std::string& message) {
  return guarded(category, message, [&] {
    const imgkit::Image image = image_of(samples, width, height, channels);
    copy_out(imgkit::legacy::box_blur(image, radius).samples(), out, out_len);
  });
}

bool median_blur(const unsigned char* samples, std::uint32_t width, std::uint32_t height,
                 std::uint32_t channels, std::uint32_t radius, std::uint8_t* out,
                 std::size_t out_len, imgkit::ErrorCategory& category, std::string& message) {
  return guarded(category, message, [&] {
    const imgkit::Image image = image_of(samples, width, height, channels);
    copy_out(imgkit::legacy::median_blur(image, radius).samples(), out, out_len);
  });
}

bool sobel(const unsigned char* samples, std::uint32_t width, std::uint32_t height,
           std::uint32_t channels, std::uint8_t* out, std::size_t out_len,
           imgkit::ErrorCategory& category, std::string& message) {
  return guarded(category, message, [&] {
    const imgkit::Image image = image_of(samples, width, height, channels);
    copy_out(imgkit::legacy::sobel(image).samples(), out, out_len);
  });
}

bool unsharp_mask(const unsigned char* samples, std::uint32_t width, std::uint32_t height,
                  std::uint32_t channels, float sigma, float amount, std::uint8_t* out,
                  std::size_t out_len, imgkit::ErrorCategory& category, std::string& message) {
  return guarded(category, message, [&] {
    const imgkit::Image image = image_of(samples, width, height, channels);
    copy_out(imgkit::legacy::unsharp_mask(image, sigma, amount).samples(), out, out_len);
  });
}

bool resize(const unsigned char* samples, std::uint32_t width, std::uint32_t height,
            std::uint32_t channels, std::uint32_t target_width, std::uint32_t target_height,
            imgkit::ResizeFilter filter, std::uint8_t* out, std::size_t out_len,
            imgkit::ErrorCategory& category, std::string& message) {
  return guarded(category, message, [&] {
    const imgkit::Image image = image_of(samples, width, height, channels);
    copy_out(imgkit::legacy::resize(image, target_width, target_height, filter).samples(), out,
             out_len);
  });
}

bool flip(const unsigned char* samples, std::uint32_t width, std::uint32_t height,
          std::uint32_t channels, imgkit::FlipAxis axis, std::uint8_t* out, std::size_t out_len,
          imgkit::ErrorCategory& category, std::string& message) {
  return guarded(category, message, [&] {
    const imgkit::Image image = image_of(samples, width, height, channels);
    copy_out(imgkit::legacy::flip(image, axis).samples(), out, out_len);
  });
}

bool rotate90(const unsigned char* samples, std::uint32_t width, std::uint32_t height,
              std::uint32_t channels, std::uint8_t* out, std::size_t out_len,
              imgkit::ErrorCategory& category, std::string& message) {
  return guarded(category, message, [&] {
    const imgkit::Image image = image_of(samples, width, height, channels);
    copy_out(imgkit::legacy::rotate90(image).samples(), out, out_len);
  });
}

bool to_grayscale(const unsigned char* samples, std::uint32_t width, std::uint32_t height,
                  std::uint32_t channels, std::uint8_t* out, std::size_t out_len,
                  imgkit::ErrorCategory& category, std::string& message) {
  return guarded(category, message, [&] {
    const imgkit::Image image = image_of(samples, width, height, channels);
    copy_out(imgkit::legacy::to_grayscale(image).samples(), out, out_len);
  });
}

bool histogram(const unsigned char* samples, std::uint32_t width, std::uint32_t height,
               std::uint32_t channels, std::uint64_t* counts, std::size_t counts_len,
               imgkit::ErrorCategory& category, std::string& message) {
  return guarded(category, message, [&] {
    const imgkit::Image image = image_of(samples, width, height, channels);
    std::vector<std::uint64_t> flat;
    for (const imgkit::legacy::Histogram& channel : imgkit::legacy::histogram(image)) {
      flat.insert(flat.end(), channel.begin(), channel.end());
    }
    copy_out(flat, counts, counts_len);
  });
}

bool equalize(const unsigned char* samples, std::uint32_t width, std::uint32_t height,
              std::uint32_t channels, std::uint8_t* out, std::size_t out_len,
              imgkit::ErrorCategory& category, std::string& message) {
  return guarded(category, message, [&] {
    const imgkit::Image image = image_of(samples, width, height, channels);
    copy_out(imgkit::legacy::equalize(image).samples(), out, out_len);
  });
}

bool otsu_level(const unsigned char* samples, std::uint32_t width, std::uint32_t height,
                std::uint32_t channels, std::uint8_t& level, imgkit::ErrorCategory& category,
                std::string& message) {
  return guarded(category, message, [&] {
    level = imgkit::legacy::otsu_level(image_of(samples, width, height, channels));
  });
}

bool otsu_threshold(const unsigned char* samples, std::uint32_t width, std::uint32_t height,
                    std::uint32_t channels, std::uint8_t* out, std::size_t out_len,
                    imgkit::ErrorCategory& category, std::string& message) {
  return guarded(category, message, [&] {
    const imgkit::Image image = image_of(samples, width, height, channels);
    copy_out(imgkit::legacy::otsu_threshold(image).samples(), out, out_len);
  });
}

}  // namespace imgkit_legacy_sys
