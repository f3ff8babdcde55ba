// The components OpenCV also has, legacy C++ beside the Rust port beside OpenCV, in one
// process: the rows behind benches/results/compare.md (benches/compare/run.sh runs it).
// Legacy and Rust are called as filters_benchmark calls them (the port's legacy call and
// its Rust call, bridge crossing and panic guard included); OpenCV rows exist only when
// CMake found OpenCV (IMGKIT_BENCH_WITH_OPENCV). Every call allocates its output, on
// every side.
//
//   RAYON_NUM_THREADS=1 build/release/benches/compare_benchmark --benchmark_min_time=0.2
//   build/release/benches/compare_benchmark --benchmark_filter='/(rust|opencv)/'
//   build/release/benches/compare_benchmark --fidelity   # each answer's distance from legacy
//
// Threads: legacy is single-threaded. The Rust pool's size is fixed when the process
// starts (RAYON_NUM_THREADS, else every core), so one process measures one thread count,
// and OpenCV is given the same (cv::setNumThreads); the `threads` counter says which.
//
// Names read <component>/<legacy|rust|opencv>/<size>; size 4096 stands for 3840x2160,
// 1024 for 1024x1024. OpenCV's calls are the nearest equivalents, not bit-identical:
// its Gaussian is fixed point, its resize maps pixel centres its own way, and sobel is
// cv::Sobel in x and y (float) then cv::magnitude then a saturating cast to 8 bits.
#include <benchmark/benchmark.h>

#if defined(IMGKIT_BENCH_WITH_OPENCV)
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#endif

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include "components.hpp"
#include "facade_bench_support.hpp"
#include "imgkit/imgkit.hpp"
#include "imgkit/legacy/filters.hpp"
#include "imgkit/legacy/geometry.hpp"
#include "imgkit/legacy/tone.hpp"

namespace {

using imgkit::FlipAxis;
using imgkit::Image;
using imgkit::ResizeFilter;
using imgkit::bench::input;
namespace routing = imgkit::routing;

constexpr float kSigma = 2.0f;
constexpr std::uint32_t kBoxRadius = 3;  // 7x7

// IMGKIT_OPENCV_CALL(lambda) is the lambda when OpenCV is found and nothing callable
// otherwise, so each component below is declared once, OpenCV or not.
#if defined(IMGKIT_BENCH_WITH_OPENCV)
using OpenCvCall = std::function<void(const cv::Mat&, cv::Mat&)>;
#define IMGKIT_OPENCV_CALL(...) __VA_ARGS__
#else
struct OpenCvCall {};
#define IMGKIT_OPENCV_CALL(...) \
  OpenCvCall {}
#endif

// One component as the three sides call it.
struct Comparison {
  std::string name;
  std::uint32_t channels;   // of the input: 3 RGB, 1 gray
  std::string what;         // the input and parameters, for the report (each row's label)
  std::uint32_t tolerance;  // imgkit's parity rule for the Rust port: 0 exact
  std::function<Image(const Image&)> legacy;
  std::function<routing::RustResult<Image>(const Image&)> rust;
  OpenCvCall opencv;
};

// A side scaled by numerator / denominator, as each resize row below asks.
struct Scale {
  std::uint32_t numerator;
  std::uint32_t denominator;
  std::uint32_t operator()(std::uint32_t side) const { return side * numerator / denominator; }
  int operator()(int side) const {
    return static_cast<int>((*this)(static_cast<std::uint32_t>(side)));
  }
};

std::vector<Comparison> comparisons() {
  std::vector<Comparison> all;
  all.push_back({"gaussian_blur", 3, "RGB, sigma 2", routing::GaussianBlur::declaration.tolerance,
                 [](const Image& in) { return imgkit::legacy::gaussian_blur(in, kSigma); },
                 [](const Image& in) { return routing::GaussianBlur::rust(in, kSigma); },
                 // imgkit's radius for sigma 2 is 6: a 13x13 kernel.
                 IMGKIT_OPENCV_CALL([](const cv::Mat& in, cv::Mat& out) {
                   cv::GaussianBlur(in, out, cv::Size(13, 13), double{kSigma}, double{kSigma},
                                    cv::BORDER_REPLICATE);
                 })});
  all.push_back({"box_blur", 3, "RGB, 7x7", routing::BoxBlur::declaration.tolerance,
                 [](const Image& in) { return imgkit::legacy::box_blur(in, kBoxRadius); },
                 [](const Image& in) { return routing::BoxBlur::rust(in, kBoxRadius); },
                 IMGKIT_OPENCV_CALL([](const cv::Mat& in, cv::Mat& out) {
                   cv::blur(in, out, cv::Size(7, 7), cv::Point(-1, -1), cv::BORDER_REPLICATE);
                 })});
  all.push_back({"sobel", 1, "gray", routing::Sobel::declaration.tolerance,
                 [](const Image& in) { return imgkit::legacy::sobel(in); },
                 [](const Image& in) { return routing::Sobel::rust(in); },
                 IMGKIT_OPENCV_CALL([](const cv::Mat& in, cv::Mat& out) {
                   cv::Mat gx;
                   cv::Mat gy;
                   cv::Mat magnitude;
                   cv::Sobel(in, gx, CV_32F, 1, 0, 3, 1.0, 0.0, cv::BORDER_REPLICATE);
                   cv::Sobel(in, gy, CV_32F, 0, 1, 3, 1.0, 0.0, cv::BORDER_REPLICATE);
                   cv::magnitude(gx, gy, magnitude);
                   magnitude.convertTo(out, CV_8U);
                 })});
  // 3/4 takes legacy's f64 arithmetic; 1/2 (like every scale p/q with q a power of two)
  // the Rust port's exact integer path.
  struct ResizeRow {
    const char* name;
    ResizeFilter filter;
    const char* what;
    Scale scale;
  };
  for (const ResizeRow& row :
       {ResizeRow{"resize_bilinear", ResizeFilter::kBilinear, "RGB, 3/4 scale", {3, 4}},
        ResizeRow{"resize_bilinear_half", ResizeFilter::kBilinear, "RGB, 1/2 scale", {1, 2}},
        ResizeRow{"resize_nearest", ResizeFilter::kNearest, "RGB, 3/4 scale", {3, 4}}}) {
    const ResizeFilter f = row.filter;
    const Scale scale = row.scale;
    all.push_back({row.name, 3, row.what, routing::Resize::declaration.tolerance,
                   [f, scale](const Image& in) {
                     return imgkit::legacy::resize(in, scale(in.width()), scale(in.height()), f);
                   },
                   [f, scale](const Image& in) {
                     return routing::Resize::rust(in, scale(in.width()), scale(in.height()), f);
                   },
                   IMGKIT_OPENCV_CALL([f, scale](const cv::Mat& in, cv::Mat& out) {
                     cv::resize(in, out, cv::Size(scale(in.cols), scale(in.rows)), 0.0, 0.0,
                                f == ResizeFilter::kNearest ? cv::INTER_NEAREST : cv::INTER_LINEAR);
                   })});
  }
  all.push_back(
      {"flip", 3, "RGB, horizontal", routing::Flip::declaration.tolerance,
       [](const Image& in) { return imgkit::legacy::flip(in, FlipAxis::kHorizontal); },
       [](const Image& in) { return routing::Flip::rust(in, FlipAxis::kHorizontal); },
       IMGKIT_OPENCV_CALL([](const cv::Mat& in, cv::Mat& out) { cv::flip(in, out, 1); })});
  all.push_back({"rotate90", 3, "RGB, clockwise", routing::Rotate90::declaration.tolerance,
                 [](const Image& in) { return imgkit::legacy::rotate90(in); },
                 [](const Image& in) { return routing::Rotate90::rust(in); },
                 IMGKIT_OPENCV_CALL([](const cv::Mat& in, cv::Mat& out) {
                   cv::rotate(in, out, cv::ROTATE_90_CLOCKWISE);
                 })});
  all.push_back({"to_grayscale", 3, "RGB", routing::ToGrayscale::declaration.tolerance,
                 [](const Image& in) { return imgkit::legacy::to_grayscale(in); },
                 [](const Image& in) { return routing::ToGrayscale::rust(in); },
                 IMGKIT_OPENCV_CALL([](const cv::Mat& in, cv::Mat& out) {
                   cv::cvtColor(in, out, cv::COLOR_RGB2GRAY);
                 })});
  all.push_back(
      {"equalize", 1, "gray", routing::Equalize::declaration.tolerance,
       [](const Image& in) { return imgkit::legacy::equalize(in); },
       [](const Image& in) { return routing::Equalize::rust(in); },
       IMGKIT_OPENCV_CALL([](const cv::Mat& in, cv::Mat& out) { cv::equalizeHist(in, out); })});
  return all;
}

// The Rust pool's size, as rayon reads it: RAYON_NUM_THREADS when a positive number,
// else every core.
int rust_threads() {
  if (const char* value = std::getenv("RAYON_NUM_THREADS")) {
    const int threads = std::atoi(value);
    if (threads > 0) return threads;
  }
  return static_cast<int>(std::thread::hardware_concurrency());
}

void count_pixels(benchmark::State& state, const Comparison& comparison, const Image& image,
                  int threads) {
  state.SetLabel(comparison.what);
  const double megapixels = static_cast<double>(image.pixel_count()) / 1e6;
  state.counters["megapixels"] = megapixels;
  state.counters["threads"] = threads;
  state.counters["MP/s"] = benchmark::Counter(megapixels * static_cast<double>(state.iterations()),
                                              benchmark::Counter::kIsRate);
}

void run_legacy(benchmark::State& state, const Comparison& comparison) {
  const Image& image = input(state.range(0), comparison.channels);
  for (auto _ : state) {
    benchmark::DoNotOptimize(comparison.legacy(image).data());
  }
  count_pixels(state, comparison, image, 1);
}

void run_rust(benchmark::State& state, const Comparison& comparison) {
  const Image& image = input(state.range(0), comparison.channels);
  for (auto _ : state) {
    auto out = comparison.rust(image);
    if (const auto* error = std::get_if<switchyard::RustError>(&out)) {
      state.SkipWithError(error->message.c_str());
      break;
    }
    benchmark::DoNotOptimize(std::get<Image>(out).data());
  }
  count_pixels(state, comparison, image, rust_threads());
}

#if defined(IMGKIT_BENCH_WITH_OPENCV)
void run_opencv(benchmark::State& state, const Comparison& comparison) {
  const Image& image = input(state.range(0), comparison.channels);
  // SAFETY: cv::Mat takes a non-const pointer; every call above only reads its input.
  const cv::Mat in(static_cast<int>(image.height()), static_cast<int>(image.width()),
                   CV_8UC(static_cast<int>(image.channels())),
                   const_cast<std::uint8_t*>(image.data()));
  for (auto _ : state) {
    // A fresh output each time, as the legacy and Rust calls allocate theirs.
    cv::Mat out;
    comparison.opencv(in, out);
    benchmark::DoNotOptimize(out.data);
  }
  count_pixels(state, comparison, image, cv::getNumThreads());
}
#endif

// How far an answer is from legacy's (the specification every port is held to): the
// largest difference of a sample, the share of samples that differ at all, and the share
// that differ by more than the component's parity tolerance. Shapes that differ are
// reported as such.
struct Distance {
  bool same_shape = false;
  int max_difference = 0;
  double differing = 0.0;    // share of samples, 0..1
  double beyond_rule = 0.0;  // share of samples differing by more than the tolerance
};

Distance distance(const Image& spec, const std::uint8_t* samples, std::uint32_t width,
                  std::uint32_t height, std::uint32_t channels, std::uint32_t tolerance) {
  Distance d;
  d.same_shape = width == spec.width() && height == spec.height() && channels == spec.channels();
  if (!d.same_shape) return d;
  std::size_t differing = 0;
  std::size_t beyond = 0;
  for (std::size_t i = 0; i < spec.size(); ++i) {
    const int difference = std::abs(int{spec.data()[i]} - int{samples[i]});
    d.max_difference = std::max(d.max_difference, difference);
    differing += difference != 0 ? 1 : 0;
    beyond += difference > static_cast<int>(tolerance) ? 1 : 0;
  }
  d.differing = static_cast<double>(differing) / static_cast<double>(spec.size());
  d.beyond_rule = static_cast<double>(beyond) / static_cast<double>(spec.size());
  return d;
}

std::string json(const Distance& d) {
  if (!d.same_shape) return R"({"same_shape": false})";
  return R"({"same_shape": true, "max_difference": )" + std::to_string(d.max_difference) +
         R"(, "differing": )" + std::to_string(d.differing) + R"(, "beyond_rule": )" +
         std::to_string(d.beyond_rule) + "}";
}

// 1024x1024 of seeded black-and-white noise: the input that pulls fixed-point arithmetic
// furthest from the exact sum (every tap at an extreme, its rounding error of one sign).
Image binary_noise(std::uint32_t channels) {
  Image image(1024, 1024, channels);
  std::uint32_t state = 12345;
  for (std::uint8_t& sample : image.samples()) {
    state = state * 1664525u + 1013904223u;
    sample = (state >> 31) != 0 ? 255 : 0;
  }
  return image;
}

// One component on one input: the Rust port's and OpenCV's answers against legacy's.
std::string fidelity(const Comparison& comparison, const char* input_name, const Image& image) {
  const Image spec = comparison.legacy(image);
  std::string line = R"({"component": ")" + comparison.name + R"(", "input": ")" + input_name +
                     R"(", "tolerance": )" + std::to_string(comparison.tolerance);
  auto rust = comparison.rust(image);
  if (const auto* answer = std::get_if<Image>(&rust)) {
    line += R"(, "rust": )" + json(distance(spec, answer->data(), answer->width(), answer->height(),
                                            answer->channels(), comparison.tolerance));
  }
#if defined(IMGKIT_BENCH_WITH_OPENCV)
  // SAFETY: as in run_opencv, the call only reads its input.
  const cv::Mat in(static_cast<int>(image.height()), static_cast<int>(image.width()),
                   CV_8UC(static_cast<int>(image.channels())),
                   const_cast<std::uint8_t*>(image.data()));
  cv::Mat out;
  comparison.opencv(in, out);
  const cv::Mat packed = out.isContinuous() ? out : out.clone();
  line += R"(, "opencv": )" +
          json(distance(spec, packed.data, static_cast<std::uint32_t>(packed.cols),
                        static_cast<std::uint32_t>(packed.rows),
                        static_cast<std::uint32_t>(packed.channels()), comparison.tolerance));
#endif
  return line + "}";
}

// --fidelity: one JSON object per line, component and input (the benchmarks' 1024x1024
// image, then binary noise); no benchmark runs.
int print_fidelity() {
  for (const Comparison& comparison : comparisons()) {
    std::printf("%s\n",
                fidelity(comparison, "benchmark", input(1024, comparison.channels)).c_str());
    std::printf("%s\n",
                fidelity(comparison, "binary noise", binary_noise(comparison.channels)).c_str());
  }
  return 0;
}

void register_comparisons() {
  static const std::vector<Comparison> all = comparisons();
  const auto add = [](const std::string& name, auto run, const Comparison& comparison) {
    benchmark::RegisterBenchmark(
        name.c_str(), [run, &comparison](benchmark::State& state) { run(state, comparison); })
        ->Arg(1024)
        ->Arg(4096)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  };
  for (const Comparison& comparison : all) {
    add(comparison.name + "/legacy", run_legacy, comparison);
    add(comparison.name + "/rust", run_rust, comparison);
#if defined(IMGKIT_BENCH_WITH_OPENCV)
    add(comparison.name + "/opencv", run_opencv, comparison);
#endif
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::string_view(argv[1]) == "--fidelity") return print_fidelity();
#if defined(IMGKIT_BENCH_WITH_OPENCV)
  // OpenCV on as many threads as the Rust pool has, so each process compares like with like.
  cv::setNumThreads(rust_threads());
  benchmark::AddCustomContext("opencv", CV_VERSION);
#endif
  benchmark::AddCustomContext("rust_threads", std::to_string(rust_threads()));
  benchmark::AddCustomContext("rust_simd", imgkit::rust_simd_level());
  register_comparisons();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
