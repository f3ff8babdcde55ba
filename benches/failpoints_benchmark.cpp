// What a C++ failpoint costs (switchyard/failpoint.hpp), on one thread and on two at
// once. The promise: compiled in but not configured, a failpoint adds at most 1 ns per
// call and no cross-thread contention (the gate is one relaxed load of a flag that only
// configuring writes). For contrast, "armed elsewhere" is the cost once any C++
// failpoint is configured: a mutex and a map lookup — what every call would pay without
// the gate. The Rust side's gate has its own criterion bench:
//   cargo bench -p imgkit-failpoints --features failpoints --bench gate
//
//   build/release/benches/failpoints_benchmark
#include <benchmark/benchmark.h>

#include "switchyard/failpoint.hpp"

namespace {

const switchyard::Failpoint kMeasured("bench::measured");
const switchyard::Failpoint kOther("bench::other");

// The loop alone, to subtract.
void BM_LoopOnly(benchmark::State& state) {
  int value = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(value);
    ++value;
  }
}
BENCHMARK(BM_LoopOnly)->Threads(1)->Threads(2);

void BM_UnarmedFailpoint(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(kMeasured.fire());
}
BENCHMARK(BM_UnarmedFailpoint)->Threads(1)->Threads(2);

void BM_FailpointWithAnotherArmed(benchmark::State& state) {
  if (state.thread_index() == 0) switchyard::failpoints::configure("bench::other", "off");
  for (auto _ : state) benchmark::DoNotOptimize(kMeasured.fire());
  if (state.thread_index() == 0) switchyard::failpoints::remove("bench::other");
}
BENCHMARK(BM_FailpointWithAnotherArmed)->Threads(1)->Threads(2);

}  // namespace
