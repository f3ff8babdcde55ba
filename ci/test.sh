#!/usr/bin/env bash
# Every test of both languages: installs what is missing, builds the ci preset (warnings
# are errors), runs the lints, then ctest — GoogleTest suites and the crates'
# `cargo test` alike. Usage: ci/test.sh [PRESET]
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-ci}

ci/install-deps.sh
ci/build.sh "$preset"
ci/lint.sh
ctest --preset "$preset" --parallel "$(nproc)"
