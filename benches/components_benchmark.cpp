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
#include <png.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <csetjmp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>
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

// PNG decoding of a 4K image in other layouts; args: {mode, layout}. Layout 0 gray,
// 1 RGB, 2 RGBA (8-bit, encoded by legacy), 3 RGB 16-bit (legacy), 4 palette (8-bit
// indices into 256 colours, written with libpng here: neither encoder writes palettes).
// The layouts whose rows are the output (gray, RGB, RGBA, 16-bit) and the one that is
// expanded (palette) take different paths in a decoder.
std::vector<std::uint8_t> encode_palette_png(std::uint32_t width, std::uint32_t height) {
  const Image& gray = input(4096, 1);
  std::vector<std::uint8_t> out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  if (setjmp(png_jmpbuf(png)) != 0) {
    png_destroy_write_struct(&png, &info);
    throw std::runtime_error("components_benchmark: libpng failed to write the palette file");
  }
  png_set_write_fn(
      png, &out,
      [](png_structp p, png_bytep data, std::size_t length) {
        auto* bytes = static_cast<std::vector<std::uint8_t>*>(png_get_io_ptr(p));
        bytes->insert(bytes->end(), data, data + length);
      },
      nullptr);
  png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_PALETTE, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  // Trivially destructible, as everything in a frame libpng may longjmp to must be.
  std::array<png_color, 256> palette{};
  for (std::size_t i = 0; i < palette.size(); ++i) {
    palette[i] = {static_cast<png_byte>(i), static_cast<png_byte>(255 - i),
                  static_cast<png_byte>(i * 7)};
  }
  png_set_PLTE(png, info, palette.data(), 256);
  png_write_info(png, info);
  for (std::uint32_t y = 0; y < height; ++y) {
    png_write_row(png, gray.data() + std::size_t{y} * width);
  }
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  return out;
}

// The 4K RGB image at 16 bits.
const imgkit::Image16& rgb16_4k() {
  static const imgkit::Image16 wide = [] {
    const Image& rgb = input(4096, 3);
    imgkit::Image16 out(rgb.width(), rgb.height(), 3);
    for (std::size_t i = 0; i < rgb.size(); ++i) {
      // Noisy low bytes, as in a real 16-bit photo.
      out.samples()[i] = static_cast<std::uint16_t>(rgb.samples()[i] * 257u ^ (i * 40503u >> 8));
    }
    return out;
  }();
  return wide;
}

std::vector<std::uint8_t> png_of_layout(std::int64_t layout) {
  switch (layout) {
    case 0:
      return imgkit::legacy::encode_png(input(4096, 1));
    case 1:
      return imgkit::legacy::encode_png(input(4096, 3));
    case 2:
      return imgkit::legacy::encode_png(input(4096, 4));
    case 3:
      return imgkit::legacy::encode_png(rgb16_4k());
    default:
      return encode_palette_png(3840, 2160);
  }
}

void BM_decode_png_4k_layout(benchmark::State& state) {
  route_everything(state.range(0) == 1);
  static std::vector<std::pair<std::int64_t, std::vector<std::uint8_t>>> files;
  const std::int64_t layout = state.range(1);
  auto found = std::find_if(files.begin(), files.end(),
                            [&](const auto& entry) { return entry.first == layout; });
  if (found == files.end()) {
    files.emplace_back(layout, png_of_layout(layout));
    found = files.end() - 1;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(imgkit::decode_png(found->second));
  }
  state.counters["MP/s"] = benchmark::Counter(
      3840.0 * 2160.0 * static_cast<double>(state.iterations()) / 1e6, benchmark::Counter::kIsRate);
  static const char* const kLayouts[] = {"gray8", "rgb8", "rgba8", "rgb16", "palette8"};
  state.SetLabel(std::string(state.range(0) == 1 ? "rust " : "legacy ") + kLayouts[layout]);
}
BENCHMARK(BM_decode_png_4k_layout)
    ->ArgsProduct({{0, 1}, {0, 1, 2, 3, 4}})
    ->Unit(benchmark::kMillisecond);

// PNG encoding of a 4K image; args: {mode, layout}, layouts 0-3 as for decoding (gray,
// RGB, RGBA, 16-bit RGB).
void BM_encode_png_4k_layout(benchmark::State& state) {
  route_everything(state.range(0) == 1);
  const std::int64_t layout = state.range(1);
  static constexpr std::array<std::uint32_t, 3> kChannels{1, 3, 4};
  // The image is made before the clock starts.
  const imgkit::Image16* wide = layout == 3 ? &rgb16_4k() : nullptr;
  const Image* image =
      layout == 3 ? nullptr : &input(4096, kChannels[static_cast<std::size_t>(layout)]);
  for (auto _ : state) {
    if (wide != nullptr) {
      benchmark::DoNotOptimize(imgkit::encode_png(*wide));
    } else {
      benchmark::DoNotOptimize(imgkit::encode_png(*image));
    }
  }
  state.counters["MP/s"] = benchmark::Counter(
      3840.0 * 2160.0 * static_cast<double>(state.iterations()) / 1e6, benchmark::Counter::kIsRate);
  static const char* const kLayouts[] = {"gray8", "rgb8", "rgba8", "rgb16"};
  state.SetLabel(std::string(state.range(0) == 1 ? "rust " : "legacy ") + kLayouts[layout]);
}
BENCHMARK(BM_encode_png_4k_layout)
    ->ArgsProduct({{0, 1}, {0, 1, 2, 3}})
    ->Unit(benchmark::kMillisecond);

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
