#!/usr/bin/env bash
# Fuzzes the decoders of both languages for a bounded time, seeded from the parity
# corpus, and fails if any target finds a crash.
#
#   pnm_decode, png_decode   cargo-fuzz targets: the Rust decoders (imgkit-codecs) and
#                            their invariants (fuzz/src/lib.rs)
#   legacy_decoders_fuzzer   libFuzzer: imgkit::legacy::decode_pnm / decode_png under
#                            ASan + UBSan + LeakSanitizer
#   differential_fuzzer      libFuzzer: legacy vs Rust (through their ports), judged by
#                            the error-category rule
#
# Usage: ci/fuzz.sh [SECONDS_PER_TARGET]   (default 60; the targets run one after another)
#
# Everything it writes is under build/ (never committed):
#   build/fuzz/                    the CMake build (clang, -fsanitize=fuzzer-no-link,
#                                  address,undefined), build/fuzz-rust/ cargo-fuzz's
#   build/fuzz-corpus/seeds/       PNM and PNG seeds from tests/parity/make-corpus.sh
#   build/fuzz-corpus/<target>/    each target's grown corpus, kept from run to run
#   build/fuzz-artifacts/<target>/ crash-*, leak-*, timeout-*, oom-* inputs found (kept;
#                                  a run counts only those it added)
#   build/fuzz-logs/<target>.log   libFuzzer's output
# Replay one input: build/fuzz/fuzz/differential_fuzzer FILE (or, for a Rust target,
# build/fuzz-rust/x86_64-unknown-linux-gnu/release/png_decode FILE).
#
# The stable Rust toolchain is enough: the cargo-fuzz targets are built with
# `--sanitizer none` (the decoders are safe Rust, whose bounds and overflow checks are
# on), and sanitizer-coverage is enabled through stable rustc flags.
set -euo pipefail
seconds=${1:-60}
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: ci/fuzz.sh [SECONDS_PER_TARGET]" >&2
  exit 2
fi
cd "$(dirname "$0")/.."
root=$PWD
export PATH="$HOME/.cargo/bin:$PATH"
started=$(date +%s)

# ---- what it needs --------------------------------------------------------------------
cargo_fuzz_version=0.13.2
ci/install-deps.sh
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
# libFuzzer and the sanitizer runtimes for clang 14 (Debian 12's clang).
if ! dpkg-query -W -f='${Status}' libclang-rt-14-dev 2>/dev/null | grep -q "install ok installed"; then
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    libclang-rt-14-dev ||
    { $SUDO apt-get update -q && $SUDO env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -q --no-install-recommends libclang-rt-14-dev; }
fi
if ! cargo fuzz --version 2>/dev/null | grep -qx "cargo-fuzz $cargo_fuzz_version"; then
  cargo install --quiet --locked cargo-fuzz --version "$cargo_fuzz_version"
fi

# ---- seeds: the parity corpus, split by format ----------------------------------------
corpus=build/fuzz-corpus
artifacts=build/fuzz-artifacts
logs=build/fuzz-logs
max_len=65536 # bytes; seeds above it are left out (libFuzzer would truncate them)
# Any single allocation above this is a finding: at the targets' limits (2^18 pixels, 1 MiB) no
# decoder needs more than a few MiB, so a bigger one means a size taken on trust from the
# input (as libpng did with chunk lengths).
malloc_limit_mb=64
tests/parity/make-corpus.sh "$corpus/parity" >/dev/null
rm -rf "$corpus/seeds"
mkdir -p "$corpus/seeds/pnm" "$corpus/seeds/png" "$logs"
find "$corpus/parity" -type f -size -$((max_len + 1))c \
  \( -name '*.pnm' -o -name '*.pbm' -o -name '*.pgm' -o -name '*.ppm' \) \
  -exec cp {} "$corpus/seeds/pnm/" \;
find "$corpus/parity" -type f -size -$((max_len + 1))c -name '*.png' \
  -exec cp {} "$corpus/seeds/png/" \;

# ---- build ----------------------------------------------------------------------------
export CARGO_TARGET_DIR="$root/build/fuzz-rust"
cargo fetch --locked --quiet --manifest-path fuzz/Cargo.toml # the committed fuzz/Cargo.lock
cargo fuzz build -O --debug-assertions --sanitizer none
rust_bin="$CARGO_TARGET_DIR/x86_64-unknown-linux-gnu/release"
unset CARGO_TARGET_DIR # Corrosion keeps its own under build/fuzz

sanitize="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
cmake -S . -B build/fuzz -G Ninja \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
  -DCMAKE_C_FLAGS="$sanitize -fno-omit-frame-pointer" \
  -DCMAKE_CXX_FLAGS="$sanitize -fno-omit-frame-pointer" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DIMGKIT_WARNINGS_AS_ERRORS=ON -DIMGKIT_BUILD_TESTS=OFF -DIMGKIT_BUILD_BENCHMARKS=OFF \
  -DIMGKIT_BUILD_FUZZERS=ON >/dev/null
cmake --build build/fuzz --target legacy_decoders_fuzzer differential_fuzzer

# ---- run ------------------------------------------------------------------------------
export ASAN_OPTIONS=detect_leaks=1:symbolize=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
summary=()
found_total=0

# run_target NAME BINARY SEED_DIR...: fuzzes for $seconds in fork mode, which goes on
# after a crash, so that one run can report several; then summarises the log.
run_target() {
  local name=$1 binary=$2
  shift 2
  mkdir -p "$corpus/$name" "$artifacts/$name"
  # Inputs found by earlier runs stay, but only this run's count.
  local stamp="$logs/$name.started"
  touch "$stamp"
  echo "fuzz: $name for ${seconds}s"
  local status=0
  "$binary" "$corpus/$name" "$@" \
    -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -max_total_time="$seconds" -max_len="$max_len" -timeout=10 \
    -rss_limit_mb=2048 -malloc_limit_mb="$malloc_limit_mb" \
    -artifact_prefix="$artifacts/$name/" >"$logs/$name.log" 2>&1 || status=$?
  # The fork-mode status lines read "#EXECS: cov: .. corp: .. oom/timeout/crash: O/T/C".
  local last execs=0 ooms=0 timeouts=0 crashes=0 rate=0
  last=$(grep -E '^#[0-9]+: cov:' "$logs/$name.log" | tail -n 1 || true)
  if [[ "$last" =~ ^#([0-9]+):.*oom/timeout/crash:\ ([0-9]+)/([0-9]+)/([0-9]+) ]]; then
    execs=${BASH_REMATCH[1]} ooms=${BASH_REMATCH[2]}
    timeouts=${BASH_REMATCH[3]} crashes=${BASH_REMATCH[4]}
    rate=$((execs / seconds))
  fi
  local files corpus_size
  files=$(find "$artifacts/$name" -type f -newer "$stamp" | wc -l)
  corpus_size=$(find "$corpus/$name" -type f | wc -l)
  if [ "$status" -ne 0 ] && [ "$files" -eq 0 ]; then
    echo "fuzz: $name exited with status $status and saved no input; see $logs/$name.log" >&2
    files=1
  fi
  found_total=$((found_total + files))
  summary+=("$(printf '%-24s %12s %8s %8s %9s %6s %9s %7s' "$name" "$execs" "$rate" \
    "$crashes" "$timeouts" "$ooms" "$files" "$corpus_size")")
}

run_target pnm_decode "$rust_bin/pnm_decode" "$corpus/seeds/pnm"
run_target png_decode "$rust_bin/png_decode" "$corpus/seeds/png"
run_target legacy_decoders_fuzzer build/fuzz/fuzz/legacy_decoders_fuzzer \
  "$corpus/seeds/pnm" "$corpus/seeds/png"
run_target differential_fuzzer build/fuzz/fuzz/differential_fuzzer \
  "$corpus/seeds/pnm" "$corpus/seeds/png"

echo
printf '%-24s %12s %8s %8s %9s %6s %9s %7s\n' target executions exec/s crashes timeouts \
  ooms artifacts corpus
printf '%s\n' "${summary[@]}"
echo "fuzz: ${seconds}s per target; wall time $(($(date +%s) - started))s"
if [ "$found_total" -ne 0 ]; then
  echo "fuzz: FAILED: inputs that crash are in $artifacts/<target>/ (logs in $logs/)" >&2
  exit 1
fi
echo "fuzz: no crash found"
