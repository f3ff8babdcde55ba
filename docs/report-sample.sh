#!/usr/bin/env bash
# Makes the sample `imgkit report` in README.md ("Deciding when to promote") and the HTML
# page behind docs/report-screenshot.png: 40 runs of `imgkit process` over copies of a
# bundled sample, each writing its metrics, under a config that puts components at every
# stage (one of them corrupted by a failpoint), then the report over all 40 files.
#
#   docs/report-sample.sh [IMGKIT] [OUT_DIR]     (defaults: build/dev/bin/imgkit, a temp dir)
set -euo pipefail
cd "$(dirname "$0")/.."
imgkit=$(realpath "${1:-build/dev/bin/imgkit}")
out=${2:-$(mktemp -d)}
mkdir -p "$out/inputs" "$out/runs"

cat >"$out/rollout.toml" <<'TOML'
[promotion]                  # small thresholds: a demo, not production evidence
min_shadow_calls = 30
min_canary_calls = 30

[components.decode_pnm]
mode = "canary"
canary_percent = 100
[components.gaussian_blur]
mode = "shadow"
[components.equalize]
mode = "shadow"
[components.sobel]
mode = "canary"
canary_percent = 50
[components.resize]
mode = "rust"
TOML

for i in $(seq -w 1 40); do
  cp samples/rose.ppm "$out/inputs/rose-$i.ppm"  # a path per run: canary keys differ
  # Runs 07, 17, 27 and 37 get a Rust equalize that answers wrongly: shadow catches it.
  failpoints=""
  case $i in *7) failpoints="imgkit::equalize=return(corrupt)" ;; esac
  FAILPOINTS=$failpoints "$imgkit" process "$out/inputs/rose-$i.ppm" "$out/runs/out-$i.png" \
    --config "$out/rollout.toml" --metrics-json "$out/runs/run-$i.json" \
    --op gaussian_blur:sigma=2 --op equalize --op resize:width=35 --op sobel >/dev/null
done

cd "$out"
"$imgkit" report --config rollout.toml --metrics-json runs/run-*.json --html report.html
echo "report-sample: wrote $out/report.html" >&2
