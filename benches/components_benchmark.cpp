// Every component through its public imgkit:: facade, in `legacy` mode and in `rust`
// mode, side by side in one run: the numbers behind "no component is slower in rust
// mode". Each benchmark routes by a config file with every component in one mode.
//
//   cmake --preset release && cmake --build build/release --target components_benchmark
//   build/release/benches/components_benchmark --benchmark_min_time=0.2
//   RAYON_NUM_THREADS=1 build/release/benches/components_benchmark ...   # Rust on 1 core
//
// Names read BM_<component>/<mode>/<size>; mode 0 is legacy, 1 is rust.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "imgkit/imgkit.hpp"
#include "imgkit/legacy/codecs.hpp"
#include "imgkit/routing.hpp"
#include "support/test_images.hpp"

namespace {

using imgkit::Image;

// Routes every component by one mode, from a config file written once per mode.
void route_everything(bool rust) {
  static int current = -1;
  if (current == static_cast<int>(rust)) return;
  const auto path = std::filesystem::temp_directory_path() /
                    ("imgkit-components-benchmark-" + std::to_string(::getpid()) + ".toml");
  std::ofstream(path) << "[defaults]\nmode = \"" << (rust ? "rust" : "legacy")
                      << "\"\nbreaker = { state = \"disabled\" }\n";
  imgkit::routing::start(path.string(), /*watch=*/false);
  std::filesystem::remove(path);
  current = static_cast<int>(rust);
}

const Image& input(std::int64_t size, std::uint32_t channels) {
  static std::vector<std::pair<std::int64_t, Image>> cache;
  const std::int64_t key = size * 8 + channels;
  for (const auto& [k, image] : cache) {
    if (k == key) return image;
  }
  const auto side = static_cast<std::uint32_t>(size);
  // 4K stands for 3840x2160; other sizes are square.
  cache.emplace_back(key, side == 4096 ? imgkit::testing::generated_image(3840, 2160, channels)
                                       : imgkit::testing::generated_image(side, side, channels));
  return cache.back().second;
}

// args: {mode (0 legacy, 1 rust), side}
template <class Call>
void run(benchmark::State& state, std::uint32_t channels, Call call) {
  route_everything(state.range(0) == 1);
  const Image& image = input(state.range(1), channels);
  for (auto _ : state) {
    benchmark::DoNotOptimize(call(image));
  }
  state.counters["MP/s"] = benchmark::Counter(
      static_cast<double>(image.pixel_count()) * static_cast<double>(state.iterations()) / 1e6,
      benchmark::Counter::kIsRate);
  state.SetLabel(state.range(0) == 1 ? "rust" : "legacy");
}

const imgkit::Kernel kSharpen{3, 3, {0, -1, 0, -1, 5, -1, 0, -1, 0}};

#define IMGKIT_COMPONENT(name, channels, expression)                 \
  void BM_##name(benchmark::State& state) {                          \
    run(state, channels, [](const Image& i) { return expression; }); \
  }                                                                  \
  BENCHMARK(BM_##name)->ArgsProduct({{0, 1}, {256, 1024}})->Unit(benchmark::kMicrosecond)

IMGKIT_COMPONENT(convolve, 3, imgkit::convolve(i, kSharpen));
IMGKIT_COMPONENT(gaussian_blur, 3, imgkit::gaussian_blur(i, 2.0f));
IMGKIT_COMPONENT(box_blur, 3, imgkit::box_blur(i, 3));
IMGKIT_COMPONENT(sobel, 3, imgkit::sobel(i));
IMGKIT_COMPONENT(unsharp_mask, 3, imgkit::unsharp_mask(i, 1.5f, 0.8f));
IMGKIT_COMPONENT(resize_bilinear, 3,
                 imgkit::resize(i, i.width() * 3 / 4, i.height() * 3 / 4,
                                imgkit::ResizeFilter::kBilinear));
IMGKIT_COMPONENT(resize_nearest, 3,
                 imgkit::resize(i, i.width() * 3 / 4, i.height() * 3 / 4,
                                imgkit::ResizeFilter::kNearest));
IMGKIT_COMPONENT(flip, 3, imgkit::flip(i, imgkit::FlipAxis::kHorizontal));
IMGKIT_COMPONENT(rotate90, 3, imgkit::rotate90(i));
IMGKIT_COMPONENT(to_grayscale, 3, imgkit::to_grayscale(i));
IMGKIT_COMPONENT(histogram, 3, imgkit::histogram(i));
IMGKIT_COMPONENT(equalize, 3, imgkit::equalize(i));
IMGKIT_COMPONENT(otsu_level, 3, imgkit::otsu_level(i));
IMGKIT_COMPONENT(otsu_threshold, 3, imgkit::otsu_threshold(i));
IMGKIT_COMPONENT(encode_pnm, 3, imgkit::encode_pnm(i));
IMGKIT_COMPONENT(encode_png, 3, imgkit::encode_png(i));

// Decoders: the file is encoded once (by legacy), then decoded through the facade.
template <class Decode>
void run_decode(benchmark::State& state, std::vector<std::uint8_t> (*encode)(const Image&),
                Decode decode) {
  route_everything(state.range(0) == 1);
  const Image& image = input(state.range(1), 3);
  const std::vector<std::uint8_t> file = encode(image);
  for (auto _ : state) {
    benchmark::DoNotOptimize(decode(file));
  }
  state.counters["MP/s"] = benchmark::Counter(
      static_cast<double>(image.pixel_count()) * static_cast<double>(state.iterations()) / 1e6,
      benchmark::Counter::kIsRate);
  state.SetLabel(state.range(0) == 1 ? "rust" : "legacy");
}

std::vector<std::uint8_t> encode_png_8(const Image& image) {
  return imgkit::legacy::encode_png(image);
}
std::vector<std::uint8_t> encode_pnm_8(const Image& image) {
  return imgkit::legacy::encode_pnm(image);
}

void BM_decode_png(benchmark::State& state) {
  run_decode(state, &encode_png_8, [](const auto& f) { return imgkit::decode_png(f); });
}
BENCHMARK(BM_decode_png)->ArgsProduct({{0, 1}, {256, 4096}})->Unit(benchmark::kMillisecond);

void BM_decode_pnm(benchmark::State& state) {
  run_decode(state, &encode_pnm_8, [](const auto& f) { return imgkit::decode_pnm(f); });
}
BENCHMARK(BM_decode_pnm)->ArgsProduct({{0, 1}, {256, 4096}})->Unit(benchmark::kMillisecond);

// gaussian_blur sigma=2 on 3840x2160 8-bit gray, the yardstick.
void BM_gaussian_blur_4k_gray(benchmark::State& state) {
  run(state, 1, [](const Image& i) { return imgkit::gaussian_blur(i, 2.0f); });
}
BENCHMARK(BM_gaussian_blur_4k_gray)
    ->ArgsProduct({{0, 1}, {4096}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
