#!/usr/bin/env bash
# Link-shape test, in the manner of Corrosion's own: builds the tiny project in
# switchyard-alone/ with cargo and rustc out of reach (PATH without ~/.cargo/bin), runs it,
# and checks its binary holds no Rust code.
# Usage: run.sh IMGKIT_SOURCE_DIR BUILD_DIR
set -euo pipefail
source_dir=$1
build_dir=$2
export PATH=/usr/local/bin:/usr/bin:/bin
if command -v cargo >/dev/null || command -v rustc >/dev/null; then
  echo "link-shape: a Rust toolchain is on the system PATH; the test cannot hide it" >&2
fi
rm -rf "$build_dir"
cmake -S "$source_dir/tests/link-shape/switchyard-alone" -B "$build_dir" -G Ninja \
  -DIMGKIT_SOURCE_DIR="$source_dir" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build_dir" >/dev/null
"$build_dir/route_one"
# Rust's standard library and any cxx bridge leave these symbols behind.
if nm -C "$build_dir/route_one" | grep -E 'rust_(begin_unwind|panic)|core::panicking|cxxbridge' ; then
  echo "link-shape: switchyard's program contains Rust code" >&2
  exit 1
fi
echo "link-shape: switchyard builds, links and routes without Rust"
