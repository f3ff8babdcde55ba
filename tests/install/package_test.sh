#!/usr/bin/env bash
# The installed CMake package, as another project uses it: `cmake --install` of this build
# into a fresh prefix, then two projects configured against it with find_package(imgkit)
# alone (CMAKE_PREFIX_PATH, nothing from this tree):
#   examples/adopt-switchyard  links imgkit::switchyard only; its tests run, and its
#                              program must hold no Rust code;
#   tests/install-consumer     links imgkit::imgkit; decodes, blurs and encodes an image
#                              with every step answered by the installed Rust staticlib.
# Usage: package_test.sh BUILD_DIR SOURCE_DIR GENERATOR CXX_COMPILER BUILD_TYPE
set -euo pipefail
build_dir=$1
source_dir=$2
generator=$3
cxx=$4
build_type=$5
# The consumers route by their own files; nothing from the environment may steer them.
unset FAILPOINTS IMGKIT_FORCE_LEGACY IMGKIT_CONFIG

work=$(mktemp -d "$build_dir/install-package-test.XXXXXX")
step="starting"
finish() {
  status=$?
  if [ "$status" -eq 0 ]; then
    rm -rf "$work"
  else
    echo "install package test: FAILED while $step (exit $status); files kept in $work" >&2
  fi
}
trap finish EXIT

# Runs a step quietly; on failure shows its output.
run() {
  step=$1
  shift
  if ! "$@" >"$work/step.log" 2>&1; then
    cat "$work/step.log" >&2
    return 1
  fi
}

configure() {  # SOURCE BINARY
  cmake -S "$1" -B "$2" -G "$generator" -DCMAKE_CXX_COMPILER="$cxx" \
    -DCMAKE_BUILD_TYPE="$build_type" -DCMAKE_PREFIX_PATH="$work/prefix" \
    -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON -DCMAKE_CXX_FLAGS=-Werror
}

run "installing $build_dir" cmake --install "$build_dir" --prefix "$work/prefix"
for file in lib/cmake/imgkit/imgkit-config.cmake lib/libimgkit_ffi.a include/switchyard/router.hpp \
  include/imgkit/imgkit.hpp include/imgkit.h lib/libimgkit.so.0 lib/libimgkit_rs.so.0 \
  lib/pkgconfig/imgkit.pc; do
  [ -f "$work/prefix/$file" ] || { step="checking the install tree"; echo "missing: $file" >&2; exit 1; }
done

run "configuring examples/adopt-switchyard" configure "$source_dir/examples/adopt-switchyard" "$work/adopt"
run "building examples/adopt-switchyard" cmake --build "$work/adopt"
run "testing examples/adopt-switchyard" ctest --test-dir "$work/adopt" --output-on-failure
step="checking textkit_demo for Rust code"
if nm -C "$work/adopt/textkit_demo" | grep -E 'rust_(begin_unwind|panic)|core::panicking|cxxbridge'; then
  echo "textkit_demo, linked with imgkit::switchyard alone, contains Rust code" >&2
  exit 1
fi

run "configuring tests/install-consumer" configure "$source_dir/tests/install-consumer" "$work/consumer"
run "building tests/install-consumer" cmake --build "$work/consumer"
run "running blur_one" "$work/consumer/blur_one" "$source_dir/tests/install-consumer/rust.toml" \
  "$source_dir/samples/rose.ppm"
cat "$work/step.log"

# The C API: c_blur built by CMake (imgkit::capi) and by pkg-config alone, then one binary
# run on libimgkit.so and, through a libimgkit.so.0 link, on libimgkit_rs.so: the same
# answer (libimgkit.so routed to Rust by rust.toml, so the bytes are the same too).
run "building c_blur with pkg-config" sh -c "cc -Wall -Werror -o '$work/c_blur_pc' \
  '$source_dir/tests/install-consumer/c_blur.c' \
  \$(PKG_CONFIG_PATH='$work/prefix/lib/pkgconfig' pkg-config --cflags --libs imgkit)"
mkdir -p "$work/rust-libs"
ln -s "$work/prefix/lib/libimgkit_rs.so.0" "$work/rust-libs/libimgkit.so.0"
rose="$source_dir/samples/rose.ppm"
export IMGKIT_CONFIG="$source_dir/tests/install-consumer/rust.toml"
run "running c_blur on libimgkit.so" env LD_LIBRARY_PATH="$work/prefix/lib" "$work/consumer/c_blur" "$rose"
cxx_answer=$(cat "$work/step.log")
run "running c_blur (pkg-config) on libimgkit.so" env LD_LIBRARY_PATH="$work/prefix/lib" "$work/c_blur_pc" "$rose"
pc_answer=$(cat "$work/step.log")
run "running c_blur on libimgkit_rs.so" env LD_LIBRARY_PATH="$work/rust-libs" "$work/consumer/c_blur" "$rose"
rust_answer=$(cat "$work/step.log")
echo "c_blur: $cxx_answer | $rust_answer"
step="comparing c_blur's answers"
case "$cxx_answer" in "c++ "*) ;; *) echo "expected libimgkit.so (c++): $cxx_answer" >&2; exit 1 ;; esac
case "$rust_answer" in "rust "*) ;; *) echo "expected libimgkit_rs.so (rust): $rust_answer" >&2; exit 1 ;; esac
[ "$cxx_answer" = "$pc_answer" ] || { echo "pkg-config build differs: $pc_answer" >&2; exit 1; }
[ "${cxx_answer#c++ }" = "${rust_answer#rust }" ] || { echo "the libraries' answers differ" >&2; exit 1; }
echo "install package test: passed"
