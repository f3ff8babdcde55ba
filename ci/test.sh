#!/usr/bin/env bash
# Every test of both languages: installs what is missing, builds the ci preset (warnings
# are errors), runs the lints, then ctest: every GoogleTest case and every `cargo test`
# case, one ctest test each. Then the C++ suites again, the fault suite among them,
# under AddressSanitizer + UBSan + LeakSanitizer and under ThreadSanitizer.
# Usage: ci/test.sh [PRESET]
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-ci}

ci/install-deps.sh
ci/build.sh "$preset"
ci/lint.sh
ctest --preset "$preset" --parallel "$(nproc)"
ci/asan.sh
ci/tsan.sh
