#!/usr/bin/env python3
"""Runs every imgkit function through the C API on the sample images and prints a table.

    python3 examples/python/run_all.py LIBRARY [SAMPLES_DIR]

LIBRARY is libimgkit.so (C++) or libimgkit_rs.so (Rust); the table is the same for both
(libimgkit.so on legacy routes may differ by 1 in the tolerance filters). Each row: the
function, the input, the status, the output's shape and a digest of its bytes. Bad input
is part of the table: it raises ImgkitError, shown as its status, and never crashes.
"""

from __future__ import annotations

import hashlib
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from imgkit_ctypes import Image, ImgkitError, Library  # noqa: E402

DEFAULT_SAMPLES = pathlib.Path(__file__).resolve().parents[2] / "samples"


def digest(value) -> str:
    if isinstance(value, Image):
        data = value.data
        shape = f"{value.width}x{value.height}x{value.channels}"
    elif isinstance(value, bytes):
        data, shape = value, f"{len(value)} bytes"
    else:
        data, shape = repr(value).encode(), "value"
    return f"{shape:<16} {hashlib.sha256(data).hexdigest()[:16]}"


def calls(lib: Library, image: Image):
    """(name, thunk) for every function on one decoded 8-bit image."""
    half = (max(1, image.width // 2), max(1, image.height // 2))
    sharpen = [0, -1, 0, -1, 5, -1, 0, -1, 0]
    return [
        ("encode_png", lambda: lib.encode_png(image)),
        ("encode_pnm", lambda: lib.encode_pnm(image)),
        ("encode_pnm plain", lambda: lib.encode_pnm(image, plain=True)),
        ("convolve sharpen", lambda: lib.convolve(image, sharpen, 3, 3)),
        ("gaussian_blur 2", lambda: lib.gaussian_blur(image, 2.0)),
        ("box_blur 2", lambda: lib.box_blur(image, 2)),
        ("median_blur 1", lambda: lib.median_blur(image, 1)),
        ("sobel", lambda: lib.sobel(image)),
        ("unsharp_mask 1.5 1", lambda: lib.unsharp_mask(image, 1.5, 1.0)),
        ("resize half bilinear", lambda: lib.resize(image, *half, "bilinear")),
        ("resize half nearest", lambda: lib.resize(image, *half, "nearest")),
        ("flip horizontal", lambda: lib.flip(image, "horizontal")),
        ("flip vertical", lambda: lib.flip(image, "vertical")),
        ("rotate90", lambda: lib.rotate90(image)),
        ("to_grayscale", lambda: lib.to_grayscale(image)),
        ("histogram", lambda: lib.histogram(image)),
        ("equalize", lambda: lib.equalize(image)),
        ("otsu_level", lambda: lib.otsu_level(image)),
        ("otsu_threshold", lambda: lib.otsu_threshold(image)),
        # Bad arguments: the library's status, as an exception.
        ("gaussian_blur -1", lambda: lib.gaussian_blur(image, -1.0)),
        ("median_blur 7", lambda: lib.median_blur(image, 7)),
        ("resize to 0x0", lambda: lib.resize(image, 0, 0)),
    ]


def row(name: str, subject: str, thunk) -> str:
    try:
        return f"{name:<22} {subject:<22} ok                {digest(thunk())}"
    except ImgkitError as error:
        return f"{name:<22} {subject:<22} {error.message:<17} -"


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    lib = Library(sys.argv[1])
    samples = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT_SAMPLES
    print(f"# imgkit {lib.version} ({lib.implementation}): {lib.path}")
    for path in sorted(samples.iterdir()):
        decode = {".png": lib.decode_png, ".ppm": lib.decode_pnm, ".pgm": lib.decode_pnm,
                  ".pnm": lib.decode_pnm}.get(path.suffix)
        if decode is None:
            continue
        data = path.read_bytes()
        print(row("decode", path.name, lambda: decode(data)))
        print(row("decode truncated", path.name, lambda: decode(data[: len(data) // 2])))
        image = decode(data)
        if image.bits == 16:
            print(row("encode_png 16-bit", path.name, lambda: lib.encode_png(image)))
            print(row("encode_pnm 16-bit", path.name, lambda: lib.encode_pnm(image)))
            continue
        for name, thunk in calls(lib, image):
            print(row(name, path.name, thunk))
    print(row("decode_png garbage", "-", lambda: lib.decode_png(b"not an image")))
    print(row("decode_pnm empty", "-", lambda: lib.decode_pnm(b"")))
    print(row("encode_pnm rgba", "-", lambda: lib.encode_pnm(Image(1, 1, 4, b"\0" * 4))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
