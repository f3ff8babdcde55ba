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
  include/imgkit/imgkit.hpp; do
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
echo "install package test: passed"
