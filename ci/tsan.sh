#!/usr/bin/env bash
# ThreadSanitizer over the suites where threads meet, the ones tests/CMakeLists.txt marks
# THREADED (ctest label `threads`): switchyard (breaker, metrics, router, config reload),
# the facades while two threads call them and the config is rewritten under them, and
# the fault matrix (`fault_tests`: failpoints and toggles changed while threads call the
# facades). The single-threaded suites (codecs, CLI, parity corpus) are ASan's: under
# TSan they would cost minutes and could report nothing. Options (halt on the first
# race, ...) are the `tsan` test preset's environment.
#
# The Rust staticlib is linked uninstrumented (sanitizing Rust needs a nightly
# compiler): TSan sees neither Rust's memory accesses nor its atomics, so it checks the
# C++ side only. ci/sanitizers/tsan.supp lists what that blindness makes it report
# wrongly, each entry with its reason.
#
# Usage: ci/tsan.sh [CTEST_ARG...]   (run ci/install-deps.sh first, as ci/test.sh does)
#   ci/tsan.sh                  every threaded suite
#   ci/tsan.sh -L faults        only the fault matrix
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
cmake --preset tsan >/dev/null
cmake --build --preset tsan --target threaded_test_suites
ctest --preset tsan --parallel "$(nproc)" "$@"
