#!/usr/bin/env bash
# AddressSanitizer + UndefinedBehaviorSanitizer + LeakSanitizer over the whole ctest
# suite: every GoogleTest case (the fault matrix `fault_tests` included), the CLI tests
# (the CLI binary is instrumented too) and the parity corpus. Any invalid access, any UB
# and any leak at exit fails the test it happened in (the options are the `asan` test
# preset's environment in CMakePresets.json).
#
# The Rust staticlib is linked uninstrumented (sanitizing Rust needs a nightly
# compiler): ASan does not check Rust's own reads and writes, but Rust allocates through
# the same malloc, so its leaks and the C++ side's misuse of Rust-owned memory are seen.
#
# Usage: ci/asan.sh [CTEST_ARG...]   (run ci/install-deps.sh first, as ci/test.sh does)
#   ci/asan.sh                  the whole suite
#   ci/asan.sh -L faults        only the fault matrix
#   ci/asan.sh -R '^facade_tests\.'
set -euo pipefail
cd "$(dirname "$0")/.."
ci/sanitizers/build.sh asan
ctest --preset asan --parallel "$(nproc)" "$@"
