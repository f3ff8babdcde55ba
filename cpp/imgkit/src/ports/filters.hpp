// The filters' ports: convolution, blurs, edges, sharpening.
#pragma once

#include <cstdint>

#include "component_list.hpp"
#include "imgkit/imgkit.hpp"
#include "imgkit/legacy/filters.hpp"
#include "imgkit_ffi_cxx/filters.h"
#include "port.hpp"
#include "rust_call.hpp"

namespace imgkit::routing {

struct Convolve : Operation<Convolve, Image> {
  static constexpr Declaration declaration{"convolve", kRust, kWithinTolerance, 1};
  // The CLI's --op takes key=value pairs; a kernel is a list of weights.
  static constexpr std::string_view no_cli_operation = "a kernel is a list of weights";
  static Image legacy(const Image& image, const Kernel& kernel) {
    return legacy::convolve(image, kernel);
  }
  static RustResult<Image> rust(const Image& image, const Kernel& kernel) {
    const rust::Slice<const float> weights{kernel.weights.data(), kernel.weights.size()};
    return rust_filter(ffi::convolve, image, kernel.width, kernel.height, weights);
  }
  static Image facade(const Image& image, const Kernel& kernel) {
    return imgkit::convolve(image, kernel);
  }
  template <class Run>
  static void parameter_sets(const Image& /*image*/, Run&& run) {
    run("sharpen 3x3", Kernel{3, 3, {0, -1, 0, -1, 5, -1, 0, -1, 0}});
    run("edge 5x3", Kernel{5, 3, {1, 2, 3, 2, 1, 0, 0, 0, 0, 0, -1, -2, -3, -2, -1}});
  }
  template <class Run>
  static void rejected_sets(const Image& /*image*/, Run&& run) {
    run("even kernel", Kernel{2, 2, {1, 1, 1, 1}});
  }
};

struct GaussianBlur : Operation<GaussianBlur, Image> {
  static constexpr Declaration declaration{"gaussian_blur", kRust, kWithinTolerance, 1};
  static Image legacy(const Image& image, float sigma) {
    return legacy::gaussian_blur(image, sigma);
  }
  static RustResult<Image> rust(const Image& image, float sigma) {
    return rust_filter(ffi::gaussian_blur, image, sigma);
  }
  static Image facade(const Image& image, float sigma) {
    return imgkit::gaussian_blur(image, sigma);
  }
  template <class Run>
  static void parameter_sets(const Image& /*image*/, Run&& run) {
    run("sigma=0.8", 0.8f);
    run("sigma=2", 2.0f);
  }
  template <class Run>
  static void rejected_sets(const Image& /*image*/, Run&& run) {
    run("negative sigma", -1.0f);
  }
};

struct BoxBlur : Operation<BoxBlur, Image> {
  static constexpr Declaration declaration{"box_blur", kRust, kExact, 0};
  static Image legacy(const Image& image, std::uint32_t radius) {
    return legacy::box_blur(image, radius);
  }
  static RustResult<Image> rust(const Image& image, std::uint32_t radius) {
    return rust_filter(ffi::box_blur, image, radius);
  }
  static Image facade(const Image& image, std::uint32_t radius) {
    return imgkit::box_blur(image, radius);
  }
  template <class Run>
  static void parameter_sets(const Image& /*image*/, Run&& run) {
    run("radius=1", 1u);
    run("radius=4", 4u);
  }
  template <class Run>
  static void rejected_sets(const Image& /*image*/, Run&& run) {
    run("radius=5000", 5000u);
  }
};

struct Sobel : Operation<Sobel, Image> {
  static constexpr Declaration declaration{"sobel", kRust, kExact, 0};
  static Image legacy(const Image& image) { return legacy::sobel(image); }
  static RustResult<Image> rust(const Image& image) { return rust_to_gray(ffi::sobel, image); }
  static Image facade(const Image& image) { return imgkit::sobel(image); }
};

struct UnsharpMask : Operation<UnsharpMask, Image> {
  static constexpr Declaration declaration{"unsharp_mask", kRust, kWithinTolerance, 1};
  static Image legacy(const Image& image, float sigma, float amount) {
    return legacy::unsharp_mask(image, sigma, amount);
  }
  static RustResult<Image> rust(const Image& image, float sigma, float amount) {
    return rust_filter(ffi::unsharp_mask, image, sigma, amount);
  }
  static Image facade(const Image& image, float sigma, float amount) {
    return imgkit::unsharp_mask(image, sigma, amount);
  }
  template <class Run>
  static void parameter_sets(const Image& /*image*/, Run&& run) {
    run("sigma=1.5 amount=0.8", 1.5f, 0.8f);
  }
  template <class Run>
  static void rejected_sets(const Image& /*image*/, Run&& run) {
    run("amount=20", 1.0f, 20.0f);
  }
};

struct MedianBlur : Operation<MedianBlur, Image> {
  static constexpr Declaration declaration{"median_blur", kRust, kExact, 0};
  static Image legacy(const Image& image, std::uint32_t radius) {
    return legacy::median_blur(image, radius);
  }
  static RustResult<Image> rust(const Image& image, std::uint32_t radius) {
    return rust_filter(ffi::median_blur, image, radius);
  }
  static Image facade(const Image& image, std::uint32_t radius) {
    return imgkit::median_blur(image, radius);
  }
  template <class Run>
  static void parameter_sets(const Image& /*image*/, Run&& run) {
    run("radius=1", 1u);
    run("radius=2", 2u);
  }
  template <class Run>
  static void rejected_sets(const Image& /*image*/, Run&& run) {
    run("radius=0", 0u);
    run("radius=3", 3u);
  }
};

using FilterComponents =
    Components<Convolve, GaussianBlur, BoxBlur, Sobel, UnsharpMask, MedianBlur>;

}  // namespace imgkit::routing
