#!/usr/bin/env bash
# ThreadSanitizer over the suites where threads meet: switchyard (breaker, metrics,
# router, config reload) and the facades (hot reload while two threads call them).
# Usage: ci/tsan.sh   (run ci/install-deps.sh first, as ci/test.sh does)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
cmake --preset tsan >/dev/null
cmake --build --preset tsan --target switchyard_tests facade_tests
ctest --preset tsan --parallel "$(nproc)" -R '^(switchyard_tests|facade_tests)\.'
