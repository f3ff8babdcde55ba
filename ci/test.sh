#!/usr/bin/env bash
# Every test of both languages: installs what is missing, builds the ci preset (warnings
# are errors), runs the lints, then ctest: every GoogleTest case and every `cargo test`
# case, one ctest test each. Then the C++ suites again under AddressSanitizer + UBSan +
# LeakSanitizer (all of them, the fault suite among them) and the suites where threads
# meet under ThreadSanitizer. Each step's wall time is printed as it ends.
# Usage: ci/test.sh [PRESET]
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-ci}

step() {
  local started=$SECONDS
  "$@"
  echo "ci/test.sh: '$*' took $((SECONDS - started)) s (total $SECONDS s)"
}

step ci/install-deps.sh
step ci/build.sh "$preset"
step ci/lint.sh
step ctest --preset "$preset" --parallel "$(nproc)"
step ci/asan.sh
step ci/tsan.sh
