// Legacy C++ against the Rust ports, side by side in one run, through the same C++
// calls a facade makes (the port's Rust call: the bridge crossing and panic guard
// included).
//
// Threads: legacy is single-threaded; the Rust side uses the whole rayon pool, so run
// once with RAYON_NUM_THREADS=1 for its one-core figure. When CMake finds OpenCV, its
// cv::GaussianBlur (13x13, sigma 2, BORDER_REPLICATE, 8-bit gray) is measured at
// 3840x2160 as a yardstick, on 1 thread and on all cores (second argument, 0 = all).
#include <benchmark/benchmark.h>

#if defined(IMGKIT_BENCH_WITH_OPENCV)
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#endif

#include "components.hpp"
#include "imgkit/legacy/filters.hpp"
#include "support/test_images.hpp"

namespace {

using imgkit::Image;
using imgkit::testing::generated_image;

constexpr float kSigma = 2.0f;

void set_pixel_rate(benchmark::State& state, const Image& image) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(image.pixel_count()));
  state.SetLabel("items = pixels");
}

void BM_LegacyGaussianBlur(benchmark::State& state) {
  const auto size = static_cast<std::uint32_t>(state.range(0));
  const Image src = generated_image(size == 2160 ? 3840 : size, size, 1);
  for (auto _ : state) {
    Image out = imgkit::legacy::gaussian_blur(src, kSigma);
    benchmark::DoNotOptimize(out.data());
  }
  set_pixel_rate(state, src);
}

void BM_RustGaussianBlur(benchmark::State& state) {
  const auto size = static_cast<std::uint32_t>(state.range(0));
  const Image src = generated_image(size == 2160 ? 3840 : size, size, 1);
  for (auto _ : state) {
    auto out = imgkit::routing::GaussianBlur::rust(src, kSigma);
    if (const auto* error = std::get_if<switchyard::RustError>(&out)) {
      state.SkipWithError(error->message.c_str());
      break;
    }
    benchmark::DoNotOptimize(std::get<Image>(out).data());
  }
  set_pixel_rate(state, src);
}

// 64x64, 256x256 and 3840x2160 (the 2160 row is UHD, not square), 8-bit gray.
BENCHMARK(BM_LegacyGaussianBlur)->Arg(64)->Arg(256)->Arg(2160)->UseRealTime();
BENCHMARK(BM_RustGaussianBlur)->Arg(64)->Arg(256)->Arg(2160)->UseRealTime();

#if defined(IMGKIT_BENCH_WITH_OPENCV)
// OpenCV's own 8-bit Gaussian (fixed point, not imgkit's float arithmetic, so a speed
// yardstick only). Arguments: image height as above, then OpenCV threads (0 = all CPUs).
void BM_OpenCvGaussianBlur(benchmark::State& state) {
  const auto size = static_cast<std::uint32_t>(state.range(0));
  const int threads =
      state.range(1) == 0 ? cv::getNumberOfCPUs() : static_cast<int>(state.range(1));
  const Image src = generated_image(size == 2160 ? 3840 : size, size, 1);
  // cv::Mat does not write through a const pointer; GaussianBlur only reads its input.
  const cv::Mat in(static_cast<int>(src.height()), static_cast<int>(src.width()), CV_8UC1,
                   const_cast<std::uint8_t*>(src.data()));
  const int previous_threads = cv::getNumThreads();
  cv::setNumThreads(threads);
  state.counters["threads"] = threads;
  for (auto _ : state) {
    // A fresh output each time, as the legacy and Rust calls above allocate theirs.
    cv::Mat out;
    cv::GaussianBlur(in, out, cv::Size(13, 13), static_cast<double>(kSigma),
                     static_cast<double>(kSigma), cv::BORDER_REPLICATE);
    benchmark::DoNotOptimize(out.data);
  }
  cv::setNumThreads(previous_threads);
  set_pixel_rate(state, src);
}

BENCHMARK(BM_OpenCvGaussianBlur)->Args({2160, 1})->Args({2160, 0})->UseRealTime();
#endif

}  // namespace
