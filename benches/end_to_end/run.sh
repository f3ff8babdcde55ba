#!/usr/bin/env bash
# One 3840x2160 PNG end to end (read, decode, gaussian_blur sigma=2, encode, atomic write)
# by two builds of imgkit side by side, in legacy mode and in rust mode, every other
# setting the built-in default (the bundled config's). Runs interleave so that a busy
# machine slows every column alike; prints the median wall time of N runs and the peak
# resident memory of each. A report, not a test.
#
#   benches/end_to_end/run.sh BEFORE_IMGKIT AFTER_IMGKIT [N]     (N defaults to 5)
set -euo pipefail
before=$(realpath "$1")
after=$(realpath "$2")
runs=${3:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

convert -size 3840x2160 -seed 3 plasma:fractal -depth 8 "$work/in.png"
printf '[defaults]\nmode = "legacy"\n' >"$work/legacy.toml"
printf '[defaults]\nmode = "rust"\n' >"$work/rust.toml"

declare -A times peak
for _ in $(seq 1 "$runs"); do
  for build in before after; do
    for mode in legacy rust; do
      /usr/bin/time -f '%e %M' -o "$work/time.txt" "${!build}" process "$work/in.png" \
        "$work/out.png" --op gaussian_blur:sigma=2 --config "$work/$mode.toml" >/dev/null 2>&1
      read -r seconds kib <"$work/time.txt"
      times[$build-$mode]+="$seconds "
      peak[$build-$mode]=$((kib / 1024))
    done
  done
done

median() { tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
for build in before after; do
  legacy=$(echo "${times[$build-legacy]}" | median)
  rust=$(echo "${times[$build-rust]}" | median)
  echo "$build: legacy ${legacy} s (${peak[$build-legacy]} MiB), rust ${rust} s" \
    "(${peak[$build-rust]} MiB), rust/legacy $(awk -v r="$rust" -v l="$legacy" 'BEGIN { printf "%.2f", r / l }')"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
