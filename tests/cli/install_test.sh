#!/usr/bin/env bash
# `cmake --install` gives an imgkit that runs from anywhere: installed to a prefix, then
# moved elsewhere (the build tree and the checkout out of its reach), it finds its own
# bundled config relative to itself; with that file gone it runs every component on
# legacy, saying so, instead of failing.
# Usage: install_test.sh BUILD_DIR SAMPLES_DIR
set -euo pipefail
build_dir=$1
samples=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset IMGKIT_CONFIG

cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
mv "$work/prefix" "$work/moved"
cd "$work"

fail() { echo "install test: $*" >&2; exit 1; }

"$work/moved/bin/imgkit" --version | grep -q '^imgkit ' || fail "--version printed nothing"
source=$("$work/moved/bin/imgkit" status --json 2>/dev/null |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["config"]["source"])')
[ "$source" = "$work/moved/share/imgkit/switchyard.toml" ] ||
  fail "the moved install read its config from '$source'"
"$work/moved/bin/imgkit" process "$samples/rose.ppm" "$work/out.png" --op gaussian_blur:sigma=1 \
  >/dev/null || fail "process failed"
[ -s "$work/out.png" ] || fail "process wrote no image"

rm "$work/moved/share/imgkit/switchyard.toml"
if [ -e /usr/local/share/imgkit/switchyard.toml ]; then
  echo "install test: an imgkit is installed under /usr/local; skipping the no-config case"
  exit 0
fi
err=$("$work/moved/bin/imgkit" status 2>&1 >/dev/null) || fail "status without a config failed"
grep -q "every component runs on legacy" <<<"$err" || fail "no note about the missing config: $err"
"$work/moved/bin/imgkit" status --json 2>/dev/null |
  python3 -c 'import json, sys
modes = {c["mode"] for c in json.load(sys.stdin)["components"].values()}
assert modes == {"legacy"}, modes' || fail "not every component is on legacy"
echo "install test: passed"
