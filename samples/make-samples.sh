#!/usr/bin/env bash
# Regenerates the bundled sample images from ImageMagick's built-in pictures.
# The results are committed, so the demo needs no ImageMagick; run this only to
# change the set.
set -euo pipefail
cd "$(dirname "$0")"
convert rose: rose.ppm                                          # 70x46 RGB, binary PPM
convert wizard: -resize 50% -strip wizard.png                   # RGB PNG
convert -size 160x96 gradient:black-white -depth 16 gradient-16bit.pgm  # 16-bit gray ramp
convert logo: -resize 25% -alpha set -fuzz 5% -transparent white \
        -strip -define png:color-type=6 logo-rgba.png           # RGBA PNG with transparency
