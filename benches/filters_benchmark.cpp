// Legacy C++ against the Rust ports, side by side in one run, through the same C++
// calls a facade makes (the Rust side includes the bridge crossing and panic guard).
#include <benchmark/benchmark.h>

#include "imgkit/bridge/kernels.hpp"
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
    Image out(src.width(), src.height(), src.channels());
    const auto status = imgkit::bridge::gaussian_blur(src, kSigma, out);
    if (!status.ok()) state.SkipWithError(status.message.c_str());
    benchmark::DoNotOptimize(out.data());
  }
  set_pixel_rate(state, src);
}

// 64x64, 256x256 and 3840x2160 (the 2160 row is UHD, not square), 8-bit gray.
BENCHMARK(BM_LegacyGaussianBlur)->Arg(64)->Arg(256)->Arg(2160)->UseRealTime();
BENCHMARK(BM_RustGaussianBlur)->Arg(64)->Arg(256)->Arg(2160)->UseRealTime();

}  // namespace
