#!/usr/bin/env bash
# The main job over a directory, against what a user would reach for instead: the same
# files through the same pipeline (gaussian blur sigma=2, then half the width) by
#   imgkit process DIR OUT      legacy mode and rust mode (every component), --jobs = cores
#   vips                        gaussblur then resize per file (libvips 8.14, Debian)
#   ImageMagick mogrify         -gaussian-blur 0x2 -resize 50% over the directory
# on N 640x480 PNGs and M 3840x2160 PNGs. Reports files/s and peak memory (the largest
# process's resident set, from GNU time) and writes benches/results/batch.md. A report,
# not a test: run it on a quiet machine.
#
#   benches/batch/run.sh [IMGKIT] [SMALL_FILES] [LARGE_FILES]    (defaults: build/release/bin/imgkit 1000 50)
set -euo pipefail
cd "$(dirname "$0")/../.."
imgkit=$(realpath "${1:-build/release/bin/imgkit}")
small=${2:-1000}
large=${3:-50}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

need=()
command -v vips >/dev/null || need+=(libvips-tools)
command -v mogrify >/dev/null || need+=(imagemagick)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=$([ "$(id -u)" -eq 0 ] || echo sudo)
  $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
fi

# Distinct pictures (a seeded plasma each) so no tool profits from identical inputs.
make_set() { # DIR COUNT SIZE
  mkdir -p "$1"
  local first="$1/image-0000.png"
  convert -size "$3" -seed 7 plasma:fractal -depth 8 "$first"
  for i in $(seq 1 $(($2 - 1))); do
    # Cheap variety: each copy flipped, rolled and tinted differently.
    convert "$first" -roll "+$((i * 37 % 640))+$((i * 11 % 480))" \
      -modulate 100,$((80 + i % 40)) "$(printf '%s/image-%04d.png' "$1" "$i")"
  done
}

cores=$(nproc)
printf '[defaults]\nmode = "legacy"\n' >"$work/legacy.toml"
printf '[defaults]\nmode = "rust"\n' >"$work/rust.toml"

# One measured run: prints "seconds peak_mib".
measure() { # LABEL COMMAND...
  local label=$1
  shift
  rm -rf "$work/out" && mkdir -p "$work/out"
  /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" || {
    echo "batch: $label failed:" >&2
    tail -5 "$work/stderr.txt" >&2
    exit 1
  }
  awk '{ printf "%s %.0f\n", $1, $2 / 1024 }' "$work/time.txt"
}

vips_loop() { # DIR
  for f in "$1"/*.png; do
    vips gaussblur "$f" "$work/blurred.v" 2
    vips resize "$work/blurred.v" "$work/out/$(basename "$f")" 0.5
  done
}
export work
export -f vips_loop

results="benches/results/batch.md"
mkdir -p benches/results
{
  echo "# imgkit process over a directory, against vips and ImageMagick"
  echo
  echo "Pipeline: gaussian blur sigma=2, then half the width; PNG in, PNG out. $(date -u +%F)."
  echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $cores cores;" \
    "SIMD: $(grep -m1 flags /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx2|avx512f|fma)$' | tr '\n' ' ')"
  echo "imgkit --jobs $cores; vips $(vips --version | cut -d- -f2), one file at a time" \
    "(its own threads inside); $(convert -version | head -1 | cut -d' ' -f2-3)."
  echo
  echo "| files | tool | seconds | files/s | peak MiB |"
  echo "|---|---|---:|---:|---:|"
} >"$results"

for set in "small:$small:640x480:320" "large:$large:3840x2160:1920"; do
  IFS=: read -r name count size half <<<"$set"
  [ "$count" -gt 0 ] || continue
  echo "batch: making $count images of $size" >&2
  make_set "$work/$name" "$count" "$size"
  for mode in legacy rust; do
    read -r seconds peak < <(measure "imgkit $mode" "$imgkit" process "$work/$name" "$work/out" \
      --config "$work/$mode.toml" --op gaussian_blur:sigma=2 --op "resize:width=$half")
    echo "| $count x $size | imgkit ($mode) | $seconds | $(awk -v n="$count" -v s="$seconds" 'BEGIN { printf "%.1f", n / s }') | $peak |" >>"$results"
  done
  read -r seconds peak < <(measure vips bash -c "vips_loop $work/$name")
  echo "| $count x $size | vips | $seconds | $(awk -v n="$count" -v s="$seconds" 'BEGIN { printf "%.1f", n / s }') | $peak |" >>"$results"
  read -r seconds peak < <(measure mogrify mogrify -path "$work/out" -gaussian-blur 0x2 -resize 50% "$work/$name"/*.png)
  echo "| $count x $size | ImageMagick mogrify | $seconds | $(awk -v n="$count" -v s="$seconds" 'BEGIN { printf "%.1f", n / s }') | $peak |" >>"$results"
  rm -rf "${work:?}/$name"
done
cat "$results"
