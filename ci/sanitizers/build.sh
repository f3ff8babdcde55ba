#!/usr/bin/env bash
# Configures and builds a sanitizer preset (asan): everything the C++ tests need,
# but not the cargo test binaries. Those are plain Rust test binaries whatever the
# preset (sanitizing Rust needs a nightly compiler), so running them here would repeat
# the ci preset's run exactly; building them would cost minutes per build directory.
# The sanitizer test presets exclude the `rust` label to match.
# Usage: ci/sanitizers/build.sh PRESET
set -euo pipefail
cd "$(dirname "$0")/../.."
preset=${1:?usage: ci/sanitizers/build.sh PRESET}
export PATH="$HOME/.cargo/bin:$PATH"
cmake --preset "$preset" >/dev/null
build_dir=build/$preset

# The inputs of a Ninja phony target (`all` and each directory's `<dir>/all`).
phony_inputs() {
  ninja -C "$build_dir" -t query "$1" |
    awk '/^  input:/ { inputs = 1; next } /^  outputs:/ { inputs = 0 } inputs { print $1 }'
}

targets=()
while read -r target; do
  if [ "$target" = tests/all ]; then
    while read -r test_target; do
      [ "$test_target" = tests/cargo_test_binaries ] || targets+=("$test_target")
    done < <(phony_inputs tests/all)
  else
    targets+=("$target")
  fi
done < <(phony_inputs all)
cmake --build --preset "$preset" --target "${targets[@]}"
