// The legacy API in a shape autocxx can bind: plain functions over raw sample buffers.
//
// imgkit::legacy takes and returns imgkit::Image (a class template instance holding a
// std::vector), takes imgkit::Kernel (a struct holding a std::vector<float>), returns
// std::vector<std::array<...>> and reports bad input by throwing imgkit::Error. autocxx
// binds none of that safely (lib.rs lists what and why), so each function here copies
// the caller's samples into an Image, calls the legacy function it is named after,
// copies the answer into the caller's buffer and turns every exception into a returned
// category and message. No exception leaves this file: they must never unwind into Rust.
//
//   imgkit::ErrorCategory category{};
//   std::string message;
//   if (!imgkit_legacy_sys::box_blur(in, 8, 4, 3, 2, out, 96, category, message)) ...
//
// Every function returns true on success. On failure it returns false, sets `category`
// (imgkit::Error's own, kInternal for any other exception) and `message`, and leaves the
// output unspecified. An output buffer whose length is not the legacy answer's size is
// kInternal: the Rust side sized it wrongly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "imgkit/error.hpp"
#include "imgkit/params.hpp"

namespace imgkit_legacy_sys {

// imgkit::legacy::convolve with a kernel_width x kernel_height kernel of weight_count
// weights (row-major).
bool convolve(const unsigned char* samples, std::uint32_t width, std::uint32_t height,
              std::uint32_t channels, std::uint32_t kernel_width, std::uint32_t kernel_height,
              const float* weights, std::size_t weight_count, std::uint8_t* out,
              std::size_t out_len, imgkit::ErrorCategory& category, std::string& message);

bool gaussian_blur(const unsigned char* samples, std::uint32_t width, std::uint32_t height,
                   std::uint32_t channels, float sigma, std::uint8_t* out, std::size_t out_len,
                   imgkit::ErrorCategory& category, std::string& message);

bool box_blur(const unsigned char* samples, std::uint32_t width, std::uint32_t height,
              std::uint32_t channels, std::uint32_t radius, std::uint8_t* out, std::size_t out_len,
              imgkit::ErrorCategory& category, std::string& message);

bool median_blur(const unsigned char* samples, std::uint32_t width, std::uint32_t height,
                 std::uint32_t channels, std::uint32_t radius, std::uint8_t* out,
                 std::size_t out_len, imgkit::ErrorCategory& category, std::string& message);

// The output has 1 channel.
bool sobel(const unsigned char* samples, std::uint32_t width, std::uint32_t height,
           std::uint32_t channels, std::uint8_t* out, std::size_t out_len,
           imgkit::ErrorCategory& category, std::string& message);

bool unsharp_mask(const unsigned char* samples, std::uint32_t width, std::uint32_t height,
                  std::uint32_t channels, float sigma, float amount, std::uint8_t* out,
                  std::size_t out_len, imgkit::ErrorCategory& category, std::string& message);

// The output is target_width x target_height with the input's channels.
bool resize(const unsigned char* samples, std::uint32_t width, std::uint32_t height,
            std::uint32_t channels, std::uint32_t target_width, std::uint32_t target_height,
            imgkit::ResizeFilter filter, std::uint8_t* out, std::size_t out_len,
            imgkit::ErrorCategory& category, std::string& message);

bool flip(const unsigned char* samples, std::uint32_t width, std::uint32_t height,
          std::uint32_t channels, imgkit::FlipAxis axis, std::uint8_t* out, std::size_t out_len,
          imgkit::ErrorCategory& category, std::string& message);

// The output is height x width.
bool rotate90(const unsigned char* samples, std::uint32_t width, std::uint32_t height,
              std::uint32_t channels, std::uint8_t* out, std::size_t out_len,
              imgkit::ErrorCategory& category, std::string& message);

// The output has 1 channel.
bool to_grayscale(const unsigned char* samples, std::uint32_t width, std::uint32_t height,
                  std::uint32_t channels, std::uint8_t* out, std::size_t out_len,
                  imgkit::ErrorCategory& category, std::string& message);

// counts[c * 256 + v] is the number of samples of channel c equal to v; counts_len must
// be channels * 256.
bool histogram(const unsigned char* samples, std::uint32_t width, std::uint32_t height,
               std::uint32_t channels, std::uint64_t* counts, std::size_t counts_len,
               imgkit::ErrorCategory& category, std::string& message);

bool equalize(const unsigned char* samples, std::uint32_t width, std::uint32_t height,
              std::uint32_t channels, std::uint8_t* out, std::size_t out_len,
              imgkit::ErrorCategory& category, std::string& message);

bool otsu_level(const unsigned char* samples, std::uint32_t width, std::uint32_t height,
                std::uint32_t channels, std::uint8_t& level, imgkit::ErrorCategory& category,
                std::string& message);

// The output has 1 channel.
bool otsu_threshold(const unsigned char* samples, std::uint32_t width, std::uint32_t height,
                    std::uint32_t channels, std::uint8_t* out, std::size_t out_len,
                    imgkit::ErrorCategory& category, std::string& message);

}  // namespace imgkit_legacy_sys
