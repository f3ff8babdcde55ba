#!/usr/bin/env bash
# The main job on the bundled samples: builds imgkit, shows how the bundled config
# (config/switchyard.toml) routes each component, runs `imgkit process` on each sample
# image and then on the whole samples/ directory, writing the results to out/, and
# reports what the runs' routing metrics say (`imgkit report`).
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
imgkit=build/release/bin/imgkit
mkdir -p out

run() { echo "+ imgkit $*"; "$imgkit" "$@"; }
run status
metrics=out/metrics
mkdir -p "$metrics"
run process samples/wizard.png out/wizard-edges.png --op gaussian_blur:sigma=2 --op sobel \
    --metrics-json "$metrics/wizard-edges.json"
run process samples/rose.ppm out/rose-soft.png --op gaussian_blur:sigma=1.5 \
    --metrics-json "$metrics/rose-soft.json"
run process samples/wizard.png out/wizard-small.png --op resize:width=120,filter=bilinear \
    --op unsharp_mask:sigma=1,amount=1.5 --metrics-json "$metrics/wizard-small.json"
run process samples/rose.ppm out/rose-bw.pgm --op equalize --op otsu_threshold \
    --metrics-json "$metrics/rose-bw.json"
run process samples/logo-rgba.png out/logo-turned.png --op rotate90 --op flip:axis=vertical \
    --metrics-json "$metrics/logo-turned.json"
run process samples/gradient-16bit.pgm out/gradient-blurred.pgm --op box_blur:radius=3 \
    --metrics-json "$metrics/gradient-blurred.json"
run process samples/ out/thumbs --op resize:width=64 --format png \
    --metrics-json "$metrics/thumbs.json"
echo "demo: wrote $(find out -type f -name '*.p?m' -o -type f -name '*.png' | wc -l) images under out/"
echo "demo: what the runs say about each component (imgkit report over their metrics):"
run report --metrics-json "$metrics"/*.json
