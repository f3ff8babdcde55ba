// PNG decoding and encoding of a 3840x2160 image in every layout a decoder treats apart,
// legacy mode beside rust mode through the facades: gray, RGB, RGBA and 16-bit RGB, and,
// for decoding, palette (written with libpng here: neither encoder writes palettes).
// When CMake finds libspng (IMGKIT_BENCH_WITH_SPNG), its spng_decode_image decodes the
// same files too, to the layout imgkit's decoders return.
//
//   build/release/benches/png_benchmark --benchmark_min_time=0.2
//
// Names read BM_<decode|encode>_png_4k_layout/<mode>/<layout>; mode 0 legacy, 1 rust,
// 2 libspng (decoding only).
#include <benchmark/benchmark.h>
#include <png.h>
#if defined(IMGKIT_BENCH_WITH_SPNG)
#include <spng.h>
#endif

#include <algorithm>
#include <array>
#include <csetjmp>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "facade_bench_support.hpp"
#include "imgkit/imgkit.hpp"
#include "imgkit/legacy/codecs.hpp"

namespace {

using imgkit::Image;
using imgkit::bench::input;
using imgkit::bench::route_everything;

// Args: {mode, layout}. Layout 0 gray,
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

#if defined(IMGKIT_BENCH_WITH_SPNG)
// libspng decodes `bytes` to the layout imgkit's decoders return for it: gray, RGB, RGBA
// as stored, 16-bit RGB as host-endian 16-bit RGB (SPNG_FMT_PNG), palette expanded to
// RGB. A fresh context and output buffer per call, as the facades allocate theirs.
std::vector<std::uint8_t> spng_decode(const std::vector<std::uint8_t>& bytes, std::int64_t layout) {
  static constexpr std::array<int, 5> kFormats{SPNG_FMT_G8, SPNG_FMT_RGB8, SPNG_FMT_RGBA8,
                                               SPNG_FMT_PNG, SPNG_FMT_RGB8};
  const int format = kFormats[static_cast<std::size_t>(layout)];
  spng_ctx* ctx = spng_ctx_new(0);
  std::vector<std::uint8_t> out;
  std::size_t size = 0;
  // SAFETY: libspng reads `bytes` during the calls below only; `bytes` outlives ctx.
  int status = spng_set_png_buffer(ctx, bytes.data(), bytes.size());
  if (status == 0) status = spng_decoded_image_size(ctx, format, &size);
  if (status == 0) {
    out.resize(size);
    status = spng_decode_image(ctx, out.data(), out.size(), format, 0);
  }
  spng_ctx_free(ctx);
  if (status != 0) throw std::runtime_error(std::string("libspng: ") + spng_strerror(status));
  return out;
}
#endif

void BM_decode_png_4k_layout(benchmark::State& state) {
  const std::int64_t mode = state.range(0);
  route_everything(mode == 1);
  static std::vector<std::pair<std::int64_t, std::vector<std::uint8_t>>> files;
  const std::int64_t layout = state.range(1);
  auto found = std::find_if(files.begin(), files.end(),
                            [&](const auto& entry) { return entry.first == layout; });
  if (found == files.end()) {
    files.emplace_back(layout, png_of_layout(layout));
    found = files.end() - 1;
  }
  for (auto _ : state) {
#if defined(IMGKIT_BENCH_WITH_SPNG)
    if (mode == 2) {
      benchmark::DoNotOptimize(spng_decode(found->second, layout).data());
      continue;
    }
#endif
    benchmark::DoNotOptimize(imgkit::decode_png(found->second));
  }
  state.counters["MP/s"] = benchmark::Counter(
      3840.0 * 2160.0 * static_cast<double>(state.iterations()) / 1e6, benchmark::Counter::kIsRate);
  static const char* const kModes[] = {"legacy ", "rust ", "libspng "};
  static const char* const kLayouts[] = {"gray8", "rgb8", "rgba8", "rgb16", "palette8"};
  state.SetLabel(std::string(kModes[mode]) + kLayouts[layout]);
}
#if defined(IMGKIT_BENCH_WITH_SPNG)
BENCHMARK(BM_decode_png_4k_layout)
    ->ArgsProduct({{0, 1, 2}, {0, 1, 2, 3, 4}})
    ->Unit(benchmark::kMillisecond);
#else
BENCHMARK(BM_decode_png_4k_layout)
    ->ArgsProduct({{0, 1}, {0, 1, 2, 3, 4}})
    ->Unit(benchmark::kMillisecond);
#endif

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

}  // namespace
