// Every component of the list through its public imgkit:: facade, in `legacy` mode and
// in `rust` mode, side by side in one run: the numbers behind "no component is slower in
// rust mode". Each component runs with its first parameter set (its port's, as parity
// runs it) on an RGB image, decoders on that image encoded once by legacy; each
// benchmark routes by a config file with every component in one mode. A component joins
// by joining the component list (cpp/imgkit/src/components.hpp).
//
//   cmake --preset release && cmake --build build/release --target components_benchmark
//   build/release/benches/components_benchmark --benchmark_min_time=0.2
//   RAYON_NUM_THREADS=1 build/release/benches/components_benchmark ...   # Rust on 1 core
//
// Names read BM_<component>/<mode>/<size>; mode 0 is legacy, 1 is rust; size 4096 stands
// for 3840x2160, other sizes are square.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "components.hpp"
#include "facade_bench_support.hpp"
#include "imgkit/imgkit.hpp"
#include "imgkit/routing.hpp"
#include "support/test_images.hpp"
#include "support/test_samples.hpp"

namespace {

using imgkit::Image;
using imgkit::testing::SampleKind;
using imgkit::testing::TestSample;

using imgkit::bench::input;
using imgkit::bench::route_everything;

void count_pixels(benchmark::State& state, const Image& image, bool rust) {
  state.counters["MP/s"] = benchmark::Counter(
      static_cast<double>(image.pixel_count()) * static_cast<double>(state.iterations()) / 1e6,
      benchmark::Counter::kIsRate);
  state.SetLabel(rust ? "rust" : "legacy");
}

// args: {mode (0 legacy, 1 rust), size}. The sample is made before the timed loop, and
// the loop runs inside the port's first parameter set.
template <class P>
void run(benchmark::State& state, SampleKind kind, std::uint32_t channels) {
  const bool rust = state.range(0) == 1;
  route_everything(rust);
  const Image& image = input(state.range(1), channels);
  const TestSample sample(image, kind, P::reads);
  bool ran = false;
  P::parity(sample.view(), [&](std::string_view, const auto& in, const auto&... parameters) {
    if (ran) return;
    ran = true;
    for (auto _ : state) {
      benchmark::DoNotOptimize(P::facade(in, parameters...));
    }
  });
  if (!ran) state.SkipWithError("no call of this component on this sample");
  count_pixels(state, image, rust);
}

// The first kind of sample P reads something from (a decoder: its format's).
template <class P>
SampleKind first_kind() {
  const Image probe = imgkit::testing::generated_image(1, 1, 3);
  for (const SampleKind kind : imgkit::testing::kSampleKinds) {
    const TestSample sample(probe, kind, P::reads);
    bool called = false;
    P::parity(sample.view(), [&](std::string_view, const auto&...) { called = true; });
    if (called) return kind;
  }
  return SampleKind::kPng8;
}

void register_every_component() {
  imgkit::routing::for_each_component([](auto port) {
    using P = typename decltype(port)::type;
    const SampleKind kind = first_kind<P>();
    // Decoders also at 3840x2160, where their per-file costs no longer dominate.
    const std::int64_t large = P::reads == imgkit::routing::Reads::kFile ? 4096 : 1024;
    benchmark::RegisterBenchmark(("BM_" + std::string(P::declaration.name)).c_str(),
                                 [kind](benchmark::State& state) { run<P>(state, kind, 3); })
        ->ArgsProduct({{0, 1}, {256, large}})
        ->Unit(benchmark::kMicrosecond);
  });
  // gaussian_blur sigma=2 on 3840x2160 8-bit gray: the migration's yardstick.
  benchmark::RegisterBenchmark("BM_gaussian_blur_4k_gray",
                               [](benchmark::State& state) {
                                 const bool rust = state.range(0) == 1;
                                 route_everything(rust);
                                 const Image& image = input(state.range(1), 1);
                                 for (auto _ : state) {
                                   benchmark::DoNotOptimize(imgkit::gaussian_blur(image, 2.0f));
                                 }
                                 count_pixels(state, image, rust);
                               })
      ->ArgsProduct({{0, 1}, {4096}})
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
}

}  // namespace

int main(int argc, char** argv) {
  register_every_component();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
