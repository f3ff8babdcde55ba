#!/usr/bin/env bash
# Formatting and lints for both languages; any finding fails.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

echo "lint: clang-format"
git ls-files '*.cpp' '*.hpp' '*.h' | xargs clang-format --dry-run --Werror

echo "lint: rustfmt"
cargo fmt --all -- --check

echo "lint: clippy"
cargo clippy --locked --workspace --all-targets --quiet -- -D warnings
