// What the C API adds per call, against the C++ API, on a small image (64x64 RGB).
//
//   BM_CxxApi/<op>        imgkit::<op>(image, ...) in this process (the C++ API: the
//                         facade allocates and returns the output)
//   BM_CApi/<op>          imgkit_<op>(src, ..., dst) through libimgkit.so (the same
//                         facades behind the C ABI: the input is copied into an Image and
//                         the answer out into the caller's dst)
//   BM_CApiRust/<op>      imgkit_<op> through libimgkit_rs.so (the Rust kernel on the
//                         caller's buffers, nothing copied)
//
// Both C++ routes read IMGKIT_CONFIG (this program's facades and libimgkit.so's, each its
// own router): run it with tests/capi/rust.toml for the Rust kernels everywhere, or
// legacy.toml. The libraries are the build's, or $IMGKIT_LIB / $IMGKIT_RS_LIB:
//   IMGKIT_CONFIG=tests/capi/rust.toml build/ci/benches/capi_benchmark
#include <benchmark/benchmark.h>
#include <dlfcn.h>

#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include "imgkit.h"
#include "imgkit/imgkit.hpp"

namespace {

constexpr std::uint32_t kSide = 64;
constexpr std::uint32_t kChannels = 3;

imgkit::Image test_image() {
  imgkit::Image image(kSide, kSide, kChannels);
  std::uint32_t state = 1;
  for (auto& sample : image.samples()) {
    state = state * 1664525u + 1013904223u;
    sample = static_cast<std::uint8_t>(state >> 24);
  }
  return image;
}

// The three functions measured, from one C library.
struct CLibrary {
  decltype(&imgkit_gaussian_blur) gaussian_blur;
  decltype(&imgkit_flip) flip;
  decltype(&imgkit_to_grayscale) to_grayscale;
};

template <class F>
F symbol(void* handle, const char* name) {
  void* address = dlsym(handle, name);
  if (address == nullptr) throw std::runtime_error(std::string("missing ") + name);
  return reinterpret_cast<F>(address);
}

const CLibrary& library(const char* variable, const char* built) {
  const char* path = std::getenv(variable);
  void* handle = dlopen(path != nullptr ? path : built, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) throw std::runtime_error(dlerror());
  auto* lib = new CLibrary{symbol<decltype(&imgkit_gaussian_blur)>(handle, "imgkit_gaussian_blur"),
                           symbol<decltype(&imgkit_flip)>(handle, "imgkit_flip"),
                           symbol<decltype(&imgkit_to_grayscale)>(handle, "imgkit_to_grayscale")};
  return *lib;
}

const CLibrary& cxx_library() {
  static const CLibrary& lib = library("IMGKIT_LIB", IMGKIT_BENCH_LIBIMGKIT);
  return lib;
}

const CLibrary& rust_library() {
  static const CLibrary& lib = library("IMGKIT_RS_LIB", IMGKIT_BENCH_LIBIMGKIT_RS);
  return lib;
}

enum Op : int { kGaussian, kFlip, kGray };

void BM_CxxApi(benchmark::State& state) {
  const imgkit::Image image = test_image();
  for (auto _ : state) {
    switch (state.range(0)) {
      case kGaussian:
        benchmark::DoNotOptimize(imgkit::gaussian_blur(image, 1.0f));
        break;
      case kFlip:
        benchmark::DoNotOptimize(imgkit::flip(image, imgkit::FlipAxis::kHorizontal));
        break;
      default:
        benchmark::DoNotOptimize(imgkit::to_grayscale(image));
    }
  }
}

void run_c(benchmark::State& state, const CLibrary& lib) {
  const imgkit::Image image = test_image();
  std::vector<std::uint8_t> dst(image.size());
  for (auto _ : state) {
    int status = 0;
    switch (state.range(0)) {
      case kGaussian:
        status = lib.gaussian_blur(image.data(), kSide, kSide, kChannels, 1.0f, dst.data());
        break;
      case kFlip:
        status =
            lib.flip(image.data(), kSide, kSide, kChannels, IMGKIT_FLIP_HORIZONTAL, dst.data());
        break;
      default:
        status = lib.to_grayscale(image.data(), kSide, kSide, kChannels, dst.data());
    }
    if (status != IMGKIT_OK) {
      state.SkipWithError("the call failed");
      break;
    }
    benchmark::DoNotOptimize(dst.data());
  }
}

void BM_CApi(benchmark::State& state) { run_c(state, cxx_library()); }
void BM_CApiRust(benchmark::State& state) { run_c(state, rust_library()); }

void ops(benchmark::internal::Benchmark* b) {
  b->ArgNames({"op"})->Arg(kGaussian)->Arg(kFlip)->Arg(kGray);
}

BENCHMARK(BM_CxxApi)->Apply(ops);
BENCHMARK(BM_CApi)->Apply(ops);
BENCHMARK(BM_CApiRust)->Apply(ops);

}  // namespace

BENCHMARK_MAIN();
