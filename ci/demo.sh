#!/usr/bin/env bash
# The main job on the bundled samples: builds imgkit, then runs `imgkit process` on each
# sample image, writing the results to out/ and printing what it did.
set -euo pipefail
cd "$(dirname "$0")/.."

# Quiet unless something fails, so the output is the demo's own.
echo "demo: installing what is missing and building imgkit (the first run takes minutes)"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! { ci/install-deps.sh && ci/build.sh release; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "demo: set-up failed (output above)" >&2
  exit 1
fi
imgkit=build/release/cpp/app/imgkit
mkdir -p out

run() { echo "+ imgkit $*"; "$imgkit" "$@"; }
run process samples/wizard.png out/wizard-edges.png --op gaussian_blur:sigma=2 --op sobel
run process samples/wizard.png out/wizard-small.png --op resize:width=120,filter=bilinear \
    --op unsharp_mask:sigma=1,amount=1.5
run process samples/rose.ppm out/rose-bw.pgm --op equalize --op otsu_threshold
run process samples/logo-rgba.png out/logo-turned.png --op rotate90 --op flip:axis=vertical
run process samples/gradient-16bit.pgm out/gradient-blurred.pgm --op box_blur:radius=3
echo "demo: wrote $(ls out | wc -l) images to out/"
