#!/usr/bin/env bash
# Valgrind memcheck over whole GoogleTest binaries built without sanitizers (the `ci`
# preset: optimised, debug info): any invalid read or write, any use of an
# uninitialised value and any definite or indirect leak at exit fails the run. By
# default the fault matrix, `fault_tests`: every way the Rust side can fail must leave
# no leak behind. Unlike the sanitizer builds, memcheck sees the Rust side too: its
# allocations, its reads and its writes.
#
# Each binary runs once, all its cases in one process (a ctest run would start valgrind
# once per case). Everything runs 20-50x slower under valgrind and nothing needs to know:
# the fault suite's time is its own manual clock, never the wall clock. Pick cases with
# GoogleTest's own filter variable when needed.
#
# Usage: ci/valgrind.sh [BINARY...]   (run ci/install-deps.sh first, as ci/test.sh does)
#   ci/valgrind.sh                           fault_tests
#   ci/valgrind.sh facade_tests bridge_tests
#   GTEST_FILTER='HotReload*' ci/valgrind.sh facade_tests   (all of it takes ~12 min)
#   IMGKIT_VALGRIND_PRESET=dev ci/valgrind.sh   build in another preset (default: ci)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
preset=${IMGKIT_VALGRIND_PRESET:-ci}
if [ "$#" -eq 0 ]; then
  set -- fault_tests
fi

cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" --target "$@"
build_dir=build/$preset

# --errors-for-leak-kinds: "possibly lost" and "still reachable" blocks are what live
# thread pools and lazily built statics hold at exit; they are not leaks.
# --fair-sched: valgrind runs one thread at a time, and by default a busy thread can
# starve the others (two callers in a loop can keep a waiting test thread from running).
memcheck=(
  valgrind --tool=memcheck --quiet --error-exitcode=1 --fair-sched=yes
  --leak-check=full --show-leak-kinds=definite,indirect
  --errors-for-leak-kinds=definite,indirect
  --track-origins=yes --num-callers=30
)

status=0
for name in "$@"; do
  binary=$(find "$build_dir" -type f -name "$name" -perm -u+x -print -quit)
  if [ -z "$binary" ]; then
    echo "valgrind: no binary $name under $build_dir" >&2
    exit 2
  fi
  echo "valgrind: memcheck $binary"
  if ! "${memcheck[@]}" "$binary" --gtest_brief=1; then
    echo "valgrind: $name FAILED (memcheck errors above, or a failing case)" >&2
    status=1
  fi
done
exit "$status"
