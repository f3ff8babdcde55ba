#!/usr/bin/env bash
# imgkit side by side with what a C++ user would reach for instead, in one session:
#   compare_benchmark   legacy C++, the Rust port and OpenCV on the components OpenCV also
#                       has, 1024x1024 and 3840x2160, on 1 thread and on every core
#                       (and, with --fidelity, how far each answer is from legacy's)
#   png_benchmark       PNG decoding of 4K files in five layouts: libpng (legacy), Rust,
#                       libspng
# then writes benches/results/compare.md (tables) and benches/results/compare.svg (chart)
# with benches/compare/report.py. A report, not a test: run it on a quiet machine.
#
# OpenCV (libopencv-dev), libspng (libspng-dev) and vips (libvips-tools, for
# benches/batch/run.sh) are installed with apt-get when missing and this runs as root or
# with sudo; otherwise it says what to install and goes on: the rows of a missing library
# read "-".
#
# On a CPU with AVX-512 the Rust rows are measured a second time with the kernels capped at
# AVX2 (IMGKIT_MAX_SIMD=avx2), the path of every AVX2-only machine; COMPARE_AVX2=1 asks for
# that pass on any CPU.
#
#   benches/compare/run.sh [MIN_TIME]    (default 0.2 seconds per benchmark; JOBS=N for the build)
set -euo pipefail
if [ $# -gt 1 ] || [[ ${1:-} == -* ]]; then
  echo "usage: benches/compare/run.sh [MIN_TIME]   (seconds per benchmark, default 0.2)" >&2
  exit 2
fi
cd "$(dirname "$0")/../.."
min_time=${1:-0.2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

need=()
pkg-config --exists opencv4 2>/dev/null || need+=(libopencv-dev)
pkg-config --exists spng 2>/dev/null || need+=(libspng-dev)
command -v vips >/dev/null || need+=(libvips-tools)
if [ ${#need[@]} -gt 0 ]; then
  as_root=()
  [ "$(id -u)" -eq 0 ] || as_root=(sudo -n)
  if [ "$(id -u)" -eq 0 ] || sudo -n true 2>/dev/null; then
    { "${as_root[@]}" apt-get update -q &&
      "${as_root[@]}" apt-get install -y -q --no-install-recommends "${need[@]}"; } >&2 ||
      echo "compare: apt-get install ${need[*]} failed; going on without them" >&2
  else
    echo "compare: not root and no sudo: apt-get install ${need[*]} for every row;" \
      "going on without them" >&2
  fi
fi

# Only the two benchmarks, at the lowest priority: the build must not slow other work.
# Configuring again picks up a library installed since the last configure.
cmake --preset release >"$work/configure.log" || {
  cat "$work/configure.log" >&2
  exit 1
}
grep -E 'compare_benchmark|filters_benchmark|png_benchmark' "$work/configure.log" >&2 || true
nice -n 19 cmake --build --preset release -j "${JOBS:-$(nproc)}" \
  --target compare_benchmark png_benchmark >&2
bin=build/release/benches

run() { # OUT.json BENCHMARK [ARGS...]
  local out=$1
  shift
  "$@" --benchmark_min_time="$min_time" --benchmark_repetitions=1 \
    --benchmark_out="$out" --benchmark_out_format=json >&2
}
cores=$(nproc)
load=$(cut -d' ' -f1-3 /proc/loadavg)
echo "compare: components on 1 thread" >&2
RAYON_NUM_THREADS=1 run "$work/compare-1.json" "$bin/compare_benchmark"
runs=("$work/compare-1.json")
if [ "$cores" -gt 1 ]; then
  echo "compare: Rust and OpenCV on $cores threads" >&2
  run "$work/compare-$cores.json" "$bin/compare_benchmark" --benchmark_filter='/(rust|opencv)/'
  runs+=("$work/compare-$cores.json")
fi
capped=()
if grep -qw avx512f /proc/cpuinfo || [ "${COMPARE_AVX2:-}" = 1 ]; then
  echo "compare: Rust capped at AVX2 (IMGKIT_MAX_SIMD=avx2)" >&2
  IMGKIT_MAX_SIMD=avx2 RAYON_NUM_THREADS=1 run "$work/avx2-1.json" "$bin/compare_benchmark" \
    --benchmark_filter='/rust/'
  capped=(--avx2 "$work/avx2-1.json")
  if [ "$cores" -gt 1 ]; then
    IMGKIT_MAX_SIMD=avx2 run "$work/avx2-$cores.json" "$bin/compare_benchmark" \
      --benchmark_filter='/rust/'
    capped+=("$work/avx2-$cores.json")
  fi
fi
echo "compare: each answer against legacy's" >&2
"$bin/compare_benchmark" --fidelity >"$work/fidelity.jsonl"
echo "compare: PNG decoding" >&2
run "$work/png.json" "$bin/png_benchmark" --benchmark_filter=BM_decode_png

mkdir -p benches/results
python3 benches/compare/report.py --markdown benches/results/compare.md \
  --svg benches/results/compare.svg --png "$work/png.json" --min-time "$min_time" \
  --load "$load" --fidelity "$work/fidelity.jsonl" "${runs[@]}" "${capped[@]}"
cat benches/results/compare.md
