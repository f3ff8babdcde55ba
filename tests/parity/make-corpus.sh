#!/usr/bin/env bash
# Builds the parity corpus in OUT_DIR from what the machine's packages provide:
# ImageMagick's built-in pictures (rose:, logo:, wizard:, plasma:) at several sizes,
# depths and colour types, interlaced PNGs, palettes and grayscale with tRNS, netpbm
# plain and binary files at odd maxvals, and damaged copies of some of them (truncated,
# bad magic, bad maxval, a flipped CRC, a header claiming more pixels than the limit),
# so that both the answers and the errors of every component are compared.
#
#   tests/parity/make-corpus.sh OUT_DIR [--large]
#
# --large adds 3840x2160 images. The output is regenerated on every run (the ctest
# fixture calls this script); nothing it writes is committed.
set -euo pipefail
out=${1:?usage: make-corpus.sh OUT_DIR [--large]}
large=${2:-}
rm -rf "$out"
mkdir -p "$out"/{png,pnm,damaged}
cd "$out"

im() { convert "$@"; }
# As im, without metadata chunks (their timestamps would change every run).
png() {
  local args=("$@")
  local target=${args[-1]}
  unset 'args[-1]'
  convert "${args[@]}" -strip "$target"
}

# ---- PNG: every colour type and depth -------------------------------------------------
png rose: png/rose-rgb8.png
png rose: -colorspace gray -define png:color-type=0 png/rose-gray8.png
png rose: -depth 16 -define png:bit-depth=16 png/rose-rgb16.png
png rose: -colorspace gray -depth 16 -define png:color-type=0 png/rose-gray16.png
png logo: -resize 31% -alpha set -fuzz 5% -transparent white -define png:color-type=6 png/logo-rgba8.png
png logo: -resize 23% -alpha set -fuzz 5% -transparent white -depth 16 -define png:color-type=6 png/logo-rgba16.png
png logo: -resize 19% -colorspace gray -alpha set -fuzz 5% -transparent white -define png:color-type=4 png/logo-gray-alpha8.png
png wizard: -resize 37% -colors 200 -define png:color-type=3 png/wizard-palette8.png
png wizard: -resize 17% -colors 14 -define png:color-type=3 -define png:bit-depth=4 png/wizard-palette4.png
png logo: -resize 13% -alpha set -fuzz 5% -transparent white -colors 60 -define png:color-type=3 png/logo-palette-trns.png
png wizard: -resize 29% -interlace PNG png/wizard-interlaced-rgb8.png
png rose: -depth 16 -define png:bit-depth=16 -interlace PNG png/rose-interlaced-rgb16.png
png rose: -colorspace gray -threshold 50% -define png:bit-depth=1 -define png:color-type=0 png/rose-gray1.png
png rose: -colorspace gray -define png:bit-depth=2 -define png:color-type=0 png/rose-gray2.png
png -size 97x61 plasma:fractal -seed 7 png/plasma-97x61.png 2>/dev/null || png -seed 7 -size 97x61 plasma: png/plasma-97x61.png
png -seed 3 -size 1x1 plasma: png/plasma-1x1.png
png -seed 5 -size 257x3 plasma: png/plasma-257x3.png
png -seed 11 -size 640x480 plasma: png/plasma-640x480.png
# Gray and RGB with a tRNS colour key: written directly, as no converter here emits them.
python3 - <<'PY'
import struct, zlib
def chunk(kind, data):
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))
def write(path, width, height, colour_type, depth, rows, trns):
    ihdr = struct.pack('>IIBBBBB', width, height, depth, colour_type, 0, 0, 0)
    raw = b''.join(b'\0' + row for row in rows)
    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) + chunk(b'tRNS', trns) +
                chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
write('png/gray8-trns.png', 37, 23, 0, 8,
      [bytes((x * 7 + y * 3) % 256 for x in range(37)) for y in range(23)], struct.pack('>H', 21))
write('png/rgb8-trns.png', 29, 19, 2, 8,
      [bytes(v for x in range(29) for v in ((x * 9) % 256, (y * 13) % 256, 40)) for y in range(19)],
      struct.pack('>HHH', 36, 26, 40))
write('png/gray16-trns.png', 17, 11, 0, 16,
      [b''.join(struct.pack('>H', (x * 4099 + y * 771) % 65536) for x in range(17)) for y in range(11)],
      struct.pack('>H', 4099))
PY

# ---- PNM: P2, P3, P5, P6 at 8 and 16 bits and odd maxvals (netpbm) ------------------
im rose: pnm/rose.ppm
im rose: -colorspace gray pnm/rose.pgm
im rose: -depth 16 pnm/rose-16.ppm
im wizard: -resize 21% -compress none pnm/wizard-plain.ppm
im -seed 13 -size 45x31 plasma: -colorspace gray -compress none pnm/plasma-plain.pgm
pgmramp -lr 33 17 | pamdepth 1000 > pnm/ramp-maxval1000.pgm
pgmramp -diagonal 40 9 | pamdepth 7 | pnmnoraw > pnm/ramp-maxval7-plain.pgm
ppmpat -g2 -color rgb:ff/00/00,rgb:00/ff/00 61 37 2>/dev/null | pamdepth 300 > pnm/pattern-maxval300.ppm || true
im rose: -depth 16 -colorspace gray pnm/rose-16.pgm
pamdepth 65535 < pnm/rose.ppm | pnmnoraw > pnm/rose-16-plain.ppm
im rose: -colorspace gray -threshold 50% pnm/rose.pbm    # P4: unsupported on both sides

# ---- Damaged copies: both implementations must reject each with the same category -----
src=png/rose-rgb8.png
size=$(stat -c %s "$src")
head -c $((size / 2)) "$src" > damaged/truncated-half.png
head -c 40 "$src" > damaged/truncated-header.png
head -c $((size - 6)) "$src" > damaged/truncated-iend.png
{ printf 'GIF89a'; tail -c +7 "$src"; } > damaged/bad-magic.png
# Flip one bit inside the IHDR data (byte 20): the CRC no longer matches.
python3 - "$src" damaged/bad-crc-ihdr.png <<'PY'
import sys
data = bytearray(open(sys.argv[1], 'rb').read())
data[20] ^= 0x01
open(sys.argv[2], 'wb').write(data)
PY
# IHDR claiming 20000x20000 (400 MP, over the 100 MP limit), CRC fixed up.
python3 - "$src" damaged/over-limit.png <<'PY'
import struct, sys, zlib
data = bytearray(open(sys.argv[1], 'rb').read())
data[16:24] = struct.pack('>II', 20000, 20000)
data[29:33] = struct.pack('>I', zlib.crc32(bytes(data[12:29])))
open(sys.argv[2], 'wb').write(data)
PY
src=pnm/rose.ppm
size=$(stat -c %s "$src")
head -c $((size - 100)) "$src" > damaged/truncated-raster.ppm
printf 'P6\n70 46\n0\n' > damaged/maxval-zero.ppm
printf 'P6\n70 46\n70000\n' > damaged/maxval-huge.ppm
printf 'P5\n0 10\n255\n' > damaged/zero-width.pgm
printf 'P5\n20000 20000\n255\n' > damaged/over-limit.pgm
printf 'P5\n99999999999 2\n255\n' > damaged/width-over-32-bits.pgm
printf 'P9\n2 2\n255\n....' > damaged/bad-magic.pnm
printf 'P2\n2 2\n3\n0 1 2 4\n' > damaged/sample-over-maxval.pgm
printf 'P3\n2 1\n255\n1 2 3 4 5\n' > damaged/truncated-plain.ppm
: > damaged/empty.png

# ---- 3840x2160 --------------------------------------------------------------------------
if [[ "$large" == --large ]]; then
  png wizard: -resize '3840x2160!' png/wizard-3840x2160-rgb8.png
  im rose: -resize '3840x2160!' -colorspace gray pnm/rose-3840x2160.pgm
fi

echo "parity corpus: $(find . -type f | wc -l) files in $out"
