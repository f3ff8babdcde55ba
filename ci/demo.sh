#!/usr/bin/env bash
# The main job on the bundled samples: builds imgkit, shows how the bundled config
# (config/switchyard.toml) routes each component, runs `imgkit process` on each sample
# image, writing the results to out/, and summarises the routing metrics of the runs.
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
echo "demo: wrote $(find out -maxdepth 1 -type f | wc -l) images to out/"
echo "demo: routing over all runs (calls by route; Rust fallbacks and mismatches):"
python3 - "$metrics"/*.json <<'PY'
import json, sys
totals = {}
for path in sys.argv[1:]:
    for name, c in json.load(open(path))["components"].items():
        t = totals.setdefault(name, {"mode": c["mode"], "legacy": 0, "rust": 0, "shadow": 0,
                                     "fallbacks": 0, "mismatches": 0})
        for route in ("legacy", "rust", "shadow"):
            t[route] += c["calls"][route]
        t["fallbacks"] += sum(c["fallbacks"].values())
        t["mismatches"] += c["mismatches"]
print(f"  {'component':<15} {'mode':<7} {'legacy':>6} {'rust':>5} {'shadow':>6} {'fallbacks':>9} {'mismatches':>10}")
for name, t in totals.items():
    if t["legacy"] + t["rust"] + t["shadow"]:
        print(f"  {name:<15} {t['mode']:<7} {t['legacy']:>6} {t['rust']:>5} {t['shadow']:>6} "
              f"{t['fallbacks']:>9} {t['mismatches']:>10}")
PY
