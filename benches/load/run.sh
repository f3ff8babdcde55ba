#!/usr/bin/env bash
# The load report of `imgkit serve` (a report, not a test): 16 and 64 keep-alive clients
# on loopback, 256x256 and 1024x1024 images, gaussian_blur stepped legacy -> shadow ->
# canary 10% -> canary 50% -> rust -> a panic failpoint -> removed. Writes
# benches/results/load.md.
#
#   benches/load/run.sh [IMGKIT]        # default: build/release/bin/imgkit, else build/dev
#   LOAD_SECONDS=2 benches/load/run.sh  # shorter phases (default 5 s each)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
imgkit=${1:-}
if [ -z "$imgkit" ]; then
  for candidate in "$root/build/release/bin/imgkit" "$root/build/dev/bin/imgkit"; do
    if [ -x "$candidate" ]; then
      imgkit=$candidate
      break
    fi
  done
fi
if [ -z "$imgkit" ] || [ ! -x "$imgkit" ]; then
  echo "run.sh: no imgkit binary; build one (cmake --build --preset release --target imgkit_cli) or name it" >&2
  exit 2
fi
mkdir -p "$root/benches/results"
exec python3 "$root/benches/load/loadgen.py" "$imgkit" "$root/benches/results/load.md" \
  --seconds "${LOAD_SECONDS:-5}" --sizes "${LOAD_SIZES:-256,1024}" \
  --concurrency "${LOAD_CONCURRENCY:-16,64}"
