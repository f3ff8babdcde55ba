// What switchyard's routing costs per call, measured as pairs: the same work called
// directly and called through a router, so the difference of a pair is the routing.
//
//   BM_DirectCall                vs BM_RoutedLegacyCall
//       A trivial legacy lambda (an int computed from an input DoNotOptimize hides),
//       called directly and through Router::call in legacy mode. Target: at most 1 ns
//       more per call, and no growth from 1 to 2 threads. BM_RoutedNoPortCall is the
//       same lambda through Router::call_legacy, the route of a component with no Rust
//       port (flip, sobel, ...): run_legacy has one call site there and three in call(),
//       which changes what the compiler decides to inline.
//       BM_DirectCallCounted is the direct call plus the one per-thread counter increment
//       every legacy call makes: the floor under any exactly counted call, so routed
//       minus counted is what the routing decision itself costs.
//   BM_DirectRustCall            vs BM_RoutedRustModeCall
//       A trivial Rust lambda returning RustResult<int>, called directly and through
//       Router::call in rust mode: the breaker, the metrics and three steady_clock reads
//       per call. BM_RoutedRustModeCallManualClock is the same with a ManualClock, so the
//       two routed rows split the clock's share from the breaker's and the metrics'.
//   BM_LegacyFlipDirect          vs BM_RoutedLegacyCallThroughFacade
//       A real facade on a 1x1 image: imgkit::legacy::flip against imgkit::flip. The
//       allocation dominates; the pair shows what a facade adds to a call that does
//       almost nothing else.
//   BM_GaussianRustDirect/N      vs BM_GaussianFacadeRustMode/N
//       The gaussian_blur port's Rust call (the bridged call, its output allocated per
//       call) against imgkit::gaussian_blur with gaussian_blur in rust mode. Target: at most
//       5% more at 64x64. 8-bit gray, sigma 2, N = 64 and 256.
//   BM_GaussianLegacyDirect/N    vs BM_GaussianFacadeLegacyMode/N
//       The same for legacy mode, for completeness.
//
// The trivial pairs use routers of their own (a one-component catalog); the facade pairs
// use imgkit's process-wide router, pointed at a temporary config file that sets
// gaussian_blur's mode (start() republishes it, and logs one "config reloaded" line to
// stderr, whenever a benchmark needs the other mode). Every routed benchmark checks the
// route its last call took, and reports an error rather than a number for the wrong
// route (e.g. under IMGKIT_FORCE_LEGACY=1, or with an open breaker).
//
// Threaded rows (threads:2) run the loop on two threads at once, on one shared router.
// With UseRealTime, the Time column is wall time over the calls of both threads, so
// Time x threads is what one call took on its thread: the per-call cost that must not
// grow from 1 to 2 threads. The CPU column (CPU time per call per thread) leaves out
// time a thread spends asleep on a lock, so it alone can hide contention.
//
// Run an optimised build, on an otherwise idle machine, each suite more than once:
//   cmake --preset release && cmake --build build/release --target switchyard_benchmark
//   build/release/benches/switchyard_benchmark --benchmark_min_time=0.2
// On a shared machine, compare medians with the repetitions of a pair interleaved:
//   ... --benchmark_filter=Gaussian --benchmark_repetitions=10
//       --benchmark_enable_random_interleaving=true --benchmark_report_aggregates_only=true
// (gaussian_blur's mode then changes, and is logged, between repetitions). Threaded rows
// mean something only when both cores were free: BM_DirectCall's threads:2 Time must be
// half its threads:1 Time.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <variant>

#include "components.hpp"
#include "imgkit/imgkit.hpp"
#include "imgkit/legacy/filters.hpp"
#include "imgkit/legacy/geometry.hpp"
#include "imgkit/routing.hpp"
#include "support/test_images.hpp"
#include "switchyard/catalog.hpp"
#include "switchyard/clock.hpp"
#include "switchyard/config.hpp"
#include "switchyard/metrics.hpp"
#include "switchyard/router.hpp"

namespace {

using imgkit::Image;
using imgkit::testing::generated_image;
using switchyard::Mode;
using switchyard::Route;
using switchyard::Router;
using switchyard::RustResult;

constexpr float kSigma = 2.0f;

// --- Trivial calls through a router of the benchmark's own --------------------------

constexpr switchyard::ComponentId kTrivial = 0;

switchyard::Catalog trivial_catalog() {
  return switchyard::Catalog(
      {{"trivial", switchyard::RustPort::kAvailable, switchyard::Comparison::kExact}});
}

std::unique_ptr<Router> make_trivial_router(Mode mode, const switchyard::Clock* clock) {
  switchyard::Catalog catalog = trivial_catalog();
  switchyard::Config config = switchyard::default_config(catalog);
  config.components[kTrivial].mode = mode;
  config.components[kTrivial].requested_mode = mode;
  switchyard::RouterOptions options;
  options.clock = clock;
  return std::make_unique<Router>(std::move(catalog), std::move(config), std::move(options));
}

// Function-local statics: both threads of a threaded run share one router, as the
// facades' callers share imgkit's.
Router& legacy_mode_router() {
  static const std::unique_ptr<Router> router = make_trivial_router(Mode::kLegacy, nullptr);
  return *router;
}

Router& rust_mode_router() {
  static const std::unique_ptr<Router> router = make_trivial_router(Mode::kRust, nullptr);
  return *router;
}

Router& rust_mode_router_on_manual_clock() {
  static const switchyard::ManualClock clock;
  static const std::unique_ptr<Router> router = make_trivial_router(Mode::kRust, &clock);
  return *router;
}

// The work of the trivial pairs: one multiply-add on an input the compiler cannot see
// through (each iteration's DoNotOptimize(input) may have changed it). Never inlined,
// like a real legacy function, which lives in another library and is called, not
// inlined, by its facade (the build has no LTO).
[[gnu::noipa]] int legacy_answer(const int& input) { return input * 3 + 1; }

[[gnu::noipa]] RustResult<int> rust_answer(const int& input) { return input * 3 + 1; }

std::optional<switchyard::MismatchRecord> compare_ints(int a, int b, std::uint32_t) {
  if (a == b) return std::nullopt;
  return switchyard::MismatchRecord{};
}

// The trivial answer's size for the slow-call limit; asked only of a slow Rust answer.
std::uint64_t one_pixel(int /*answer*/) { return 1; }

// Reports an error instead of a time when the thread's last routed call did not take
// `expected`, or fell back to legacy.
void check_route(benchmark::State& state, Route expected) {
  const switchyard::Decision decision = Router::last_decision();
  if (decision.route != expected) {
    state.SkipWithError(("took the " + std::string(switchyard::to_string(decision.route)) +
                         " route, not " + std::string(switchyard::to_string(expected)))
                            .c_str());
  } else if (decision.fallback) {
    state.SkipWithError(
        ("fell back to legacy: " + std::string(switchyard::to_string(*decision.fallback))).c_str());
  }
}

void BM_DirectCall(benchmark::State& state) {
  int input = state.thread_index() + 1;
  auto legacy = [&] { return legacy_answer(input); };
  for (auto _ : state) {
    benchmark::DoNotOptimize(input);
    int answer = legacy();
    benchmark::DoNotOptimize(answer);
  }
}

// The trivial lambdas through Router::call, checking that every call took `expected`.
void routed_call_loop(benchmark::State& state, Router& router, Route expected) {
  int input = state.thread_index() + 1;
  auto legacy = [&] { return legacy_answer(input); };
  auto rust = [&] { return rust_answer(input); };
  for (auto _ : state) {
    benchmark::DoNotOptimize(input);
    int answer = router.call<int>(kTrivial, legacy, rust, compare_ints, one_pixel);
    benchmark::DoNotOptimize(answer);
  }
  check_route(state, expected);
}

void BM_RoutedLegacyCall(benchmark::State& state) {
  routed_call_loop(state, legacy_mode_router(), Route::kLegacy);
}

void BM_RoutedNoPortCall(benchmark::State& state) {
  Router& router = legacy_mode_router();
  int input = state.thread_index() + 1;
  auto legacy = [&] { return legacy_answer(input); };
  for (auto _ : state) {
    benchmark::DoNotOptimize(input);
    int answer = router.call_legacy<int>(kTrivial, legacy);
    benchmark::DoNotOptimize(answer);
  }
  check_route(state, Route::kLegacy);
}

// The floor under any exactly counted call: the same direct call plus the increment of
// the calling thread's own counter that every legacy-route call makes.
void BM_DirectCallCounted(benchmark::State& state) {
  static switchyard::Metrics metrics(1, 1);
  int input = state.thread_index() + 1;
  for (auto _ : state) {
    benchmark::DoNotOptimize(input);
    benchmark::DoNotOptimize(metrics.count_legacy_call(kTrivial));
    int answer = legacy_answer(input);
    benchmark::DoNotOptimize(answer);
  }
}

void BM_DirectRustCall(benchmark::State& state) {
  int input = state.thread_index() + 1;
  auto rust = [&] { return rust_answer(input); };
  for (auto _ : state) {
    benchmark::DoNotOptimize(input);
    RustResult<int> result = rust();
    int* answer = std::get_if<int>(&result);
    if (answer == nullptr) {
      state.SkipWithError("the trivial Rust lambda failed");
      break;
    }
    benchmark::DoNotOptimize(*answer);
  }
}

void BM_RoutedRustModeCall(benchmark::State& state) {
  routed_call_loop(state, rust_mode_router(), Route::kRust);
}

void BM_RoutedRustModeCallManualClock(benchmark::State& state) {
  routed_call_loop(state, rust_mode_router_on_manual_clock(), Route::kRust);
}

BENCHMARK(BM_DirectCall)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_RoutedLegacyCall)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_RoutedNoPortCall)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_DirectCallCounted)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_DirectRustCall)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_RoutedRustModeCall)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_RoutedRustModeCallManualClock)->Threads(1)->Threads(2)->UseRealTime();

// --- Real facades through imgkit's process-wide router ------------------------------

// The config file imgkit's router is started from; removed when the program exits.
class TemporaryConfigFile {
 public:
  TemporaryConfigFile()
      : path_(std::filesystem::temp_directory_path() /
              ("switchyard_benchmark_" + std::to_string(::getpid()) + ".toml")) {}
  ~TemporaryConfigFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  TemporaryConfigFile(const TemporaryConfigFile&) = delete;
  TemporaryConfigFile& operator=(const TemporaryConfigFile&) = delete;

  const std::string& write(const std::string& text) {
    std::ofstream(path_) << text;
    return path_string_ = path_.string();
  }

 private:
  std::filesystem::path path_;
  std::string path_string_;
};

// Routes imgkit's gaussian_blur in `mode` ("legacy" or "rust") from now on. Republishes
// only when the mode changes, so repeated runs of one benchmark do not reload. The
// facade benchmarks run on one thread, the only one that calls this.
void route_gaussian_blur(const std::string& mode) {
  static TemporaryConfigFile file;
  static std::string current_mode;
  if (mode == current_mode) return;
  imgkit::routing::start(file.write("[components.gaussian_blur]\nmode = \"" + mode + "\"\n"),
                         /*watch=*/false);
  current_mode = mode;
}

void BM_LegacyFlipDirect(benchmark::State& state) {
  const Image src = generated_image(1, 1, 1);
  for (auto _ : state) {
    Image out = imgkit::legacy::flip(src, imgkit::FlipAxis::kHorizontal);
    benchmark::DoNotOptimize(out.data());
  }
}

void BM_RoutedLegacyCallThroughFacade(benchmark::State& state) {
  // flip has no Rust port: any config routes it to legacy. Starting from the benchmark's
  // own file keeps the bundled config (and its reload thread) out of the run.
  route_gaussian_blur("legacy");
  const Image src = generated_image(1, 1, 1);
  for (auto _ : state) {
    Image out = imgkit::flip(src, imgkit::FlipAxis::kHorizontal);
    benchmark::DoNotOptimize(out.data());
  }
  check_route(state, Route::kLegacy);
}

Image gray_square(const benchmark::State& state) {
  const auto size = static_cast<std::uint32_t>(state.range(0));
  return generated_image(size, size, 1);
}

void BM_GaussianRustDirect(benchmark::State& state) {
  const Image src = gray_square(state);
  for (auto _ : state) {
    auto out = imgkit::routing::GaussianBlur::rust(src, kSigma);
    if (const auto* error = std::get_if<switchyard::RustError>(&out)) {
      state.SkipWithError(error->message.c_str());
      break;
    }
    benchmark::DoNotOptimize(std::get<Image>(out).data());
  }
}

void BM_GaussianFacadeRustMode(benchmark::State& state) {
  route_gaussian_blur("rust");
  const Image src = gray_square(state);
  for (auto _ : state) {
    Image out = imgkit::gaussian_blur(src, kSigma);
    benchmark::DoNotOptimize(out.data());
  }
  check_route(state, Route::kRust);
}

void BM_GaussianLegacyDirect(benchmark::State& state) {
  const Image src = gray_square(state);
  for (auto _ : state) {
    Image out = imgkit::legacy::gaussian_blur(src, kSigma);
    benchmark::DoNotOptimize(out.data());
  }
}

void BM_GaussianFacadeLegacyMode(benchmark::State& state) {
  route_gaussian_blur("legacy");
  const Image src = gray_square(state);
  for (auto _ : state) {
    Image out = imgkit::gaussian_blur(src, kSigma);
    benchmark::DoNotOptimize(out.data());
  }
  check_route(state, Route::kLegacy);
}

BENCHMARK(BM_LegacyFlipDirect);
BENCHMARK(BM_RoutedLegacyCallThroughFacade);
// Registered size by size, so the two halves of a pair run back to back (a noisy
// machine drifts less between them) and the mode changes only once.
BENCHMARK(BM_GaussianRustDirect)->Arg(64)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_GaussianFacadeRustMode)->Arg(64)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_GaussianRustDirect)->Arg(256);
BENCHMARK(BM_GaussianFacadeRustMode)->Arg(256);
BENCHMARK(BM_GaussianLegacyDirect)->Arg(64);
BENCHMARK(BM_GaussianFacadeLegacyMode)->Arg(64);
BENCHMARK(BM_GaussianLegacyDirect)->Arg(256);
BENCHMARK(BM_GaussianFacadeLegacyMode)->Arg(256);

}  // namespace
