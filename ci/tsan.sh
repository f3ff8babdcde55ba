#!/usr/bin/env bash
# ThreadSanitizer over the whole ctest suite. The suites where threads meet are the
# point: switchyard (breaker, metrics, router, config reload), the facades while two
# threads call them and the config is rewritten under them, and the fault matrix
# (`fault_tests`: failpoints and toggles changed while threads call the facades).
# Options (halt on the first race, ...) are the `tsan` test preset's environment.
#
# The Rust staticlib is linked uninstrumented (sanitizing Rust needs a nightly
# compiler): TSan sees neither Rust's memory accesses nor its atomics, so it checks the
# C++ side only. ci/sanitizers/tsan.supp lists what that blindness makes it report
# wrongly, each entry with its reason.
#
# Usage: ci/tsan.sh [CTEST_ARG...]   (run ci/install-deps.sh first, as ci/test.sh does)
#   ci/tsan.sh                  the whole suite
#   ci/tsan.sh -L faults        only the fault matrix
set -euo pipefail
cd "$(dirname "$0")/.."
ci/sanitizers/build.sh tsan
ctest --preset tsan --parallel "$(nproc)" "$@"
