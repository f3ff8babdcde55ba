#!/usr/bin/env bash
# Formatting and lints for both languages; any finding fails.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
# The cargo target directory every preset shares (CMakePresets.json), so clippy reuses
# the build scripts and proc macros the test build compiled.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-build/cargo/tests}

echo "lint: clang-format"
# Tracked and new (not ignored) sources that exist in the work tree.
# (cbindgen's imgkit.h is left as generated: bridge/imgkit-capi/include/.clang-format.)
git ls-files --cached --others --exclude-standard '*.cpp' '*.hpp' '*.h' '*.c' |
  while read -r file; do if [ -f "$file" ]; then echo "$file"; fi; done |
  xargs --no-run-if-empty clang-format --dry-run --Werror

echo "lint: rustfmt"
cargo fmt --all -- --check

echo "lint: clippy"
cargo clippy --locked --workspace --all-targets --quiet -- -D warnings
