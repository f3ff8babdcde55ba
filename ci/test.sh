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
# The Rust suites first, verbose so every `cargo test` case shows in the log; then the
# GoogleTest cases, one ctest test each.
ctest --preset "$preset" --label-regex rust --verbose
ctest --preset "$preset" --label-exclude rust --parallel "$(nproc)"
