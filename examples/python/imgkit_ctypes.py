"""imgkit for Python, through its C API (imgkit.h) and ctypes.

The same Python source runs on either C library; the path is the only difference:

    lib = Library("build/ci/cpp/capi/libimgkit.so")        # C++, routed by its config
    lib = Library("build/cargo/.../release/libimgkit_rs.so") # Rust

    image = lib.decode_png(open("photo.png", "rb").read())
    edges = lib.sobel(lib.gaussian_blur(image, 2.0))
    open("edges.png", "wb").write(lib.encode_png(edges))

Images are `Image` values (width, height, channels, bits, bytes); with numpy installed,
functions also take an HxWxC (or HxW) uint8 array and then return arrays. A failed call
raises `ImgkitError` carrying the library's status, its name and the detail; nothing a
Python caller passes can crash the process (sizes are computed here, never trusted).
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import Any

try:  # numpy is optional: arrays in and out when it is there, bytes otherwise
    import numpy
except ImportError:  # pragma: no cover - depends on the environment
    numpy = None

OK = 0
RESIZE_FILTERS = {"nearest": 0, "bilinear": 1}
FLIP_AXES = {"horizontal": 0, "vertical": 1}


class ImgkitError(Exception):
    """A call the library refused: `status` (IMGKIT_ERR_*), `message` (its name) and
    `detail` (what went wrong, in the library's words)."""

    def __init__(self, function: str, status: int, message: str, detail: str):
        super().__init__(f"{function}: {message}: {detail}")
        self.function = function
        self.status = status
        self.message = message
        self.detail = detail


@dataclass(frozen=True)
class Image:
    """Samples row-major, channels interleaved; 16-bit samples in the machine's order."""

    width: int
    height: int
    channels: int
    data: bytes
    bits: int = 8

    def __post_init__(self) -> None:
        if self.channels not in (1, 3, 4) or self.bits not in (8, 16):
            raise ValueError(f"unsupported image: {self.channels} channels, {self.bits} bits")
        expected = self.width * self.height * self.channels * self.bits // 8
        if len(self.data) != expected:
            raise ValueError(f"{len(self.data)} bytes for a {self.width}x{self.height}x"
                             f"{self.channels} {self.bits}-bit image (needs {expected})")

    def to_numpy(self) -> Any:
        if numpy is None:
            raise RuntimeError("numpy is not installed")
        dtype = numpy.uint8 if self.bits == 8 else numpy.uint16
        array = numpy.frombuffer(self.data, dtype=dtype)
        return array.reshape(self.height, self.width, self.channels).copy()

    @staticmethod
    def from_numpy(array: Any) -> "Image":
        if array.ndim == 2:
            array = array[:, :, None]
        if array.dtype != numpy.uint8 or array.ndim != 3:
            raise ValueError("expected an HxW or HxWxC uint8 array")
        height, width, channels = array.shape
        return Image(width, height, channels, numpy.ascontiguousarray(array).tobytes())


class _CImage(ctypes.Structure):
    _fields_ = [
        ("data", ctypes.POINTER(ctypes.c_uint8)),
        ("len", ctypes.c_size_t),
        ("width", ctypes.c_uint32),
        ("height", ctypes.c_uint32),
        ("channels", ctypes.c_uint32),
        ("bits_per_sample", ctypes.c_uint32),
    ]


class _CBuffer(ctypes.Structure):
    _fields_ = [("data", ctypes.POINTER(ctypes.c_uint8)), ("len", ctypes.c_size_t)]


_u8p = ctypes.POINTER(ctypes.c_uint8)
_u32 = ctypes.c_uint32
_IMAGE_ARGS = [_u8p, _u32, _u32, _u32]
# name -> (argument types after the source image, without dst)
_IMAGE_OPS = {
    "convolve": [ctypes.POINTER(ctypes.c_float), _u32, _u32],
    "gaussian_blur": [ctypes.c_float],
    "box_blur": [_u32],
    "median_blur": [_u32],
    "sobel": [],
    "unsharp_mask": [ctypes.c_float, ctypes.c_float],
    "resize": [_u32, _u32, _u32],
    "flip": [_u32],
    "rotate90": [],
    "to_grayscale": [],
    "equalize": [],
    "otsu_threshold": [],
}


class Library:
    """One C library implementing imgkit.h, loaded by path."""

    def __init__(self, path: str):
        self.path = path
        self._lib = ctypes.CDLL(path)
        lib = self._lib
        for name in ("version", "implementation", "last_error"):
            getattr(lib, f"imgkit_{name}").restype = ctypes.c_char_p
            getattr(lib, f"imgkit_{name}").argtypes = []
        lib.imgkit_status_message.restype = ctypes.c_char_p
        lib.imgkit_status_message.argtypes = [ctypes.c_int]
        for name in ("decode_png", "decode_pnm"):
            function = getattr(lib, f"imgkit_{name}")
            function.restype = ctypes.c_int
            function.argtypes = [_u8p, ctypes.c_size_t, ctypes.POINTER(ctypes.POINTER(_CImage))]
        lib.imgkit_encode_png.argtypes = [ctypes.POINTER(_CImage), ctypes.POINTER(ctypes.POINTER(_CBuffer))]
        lib.imgkit_encode_pnm.argtypes = [ctypes.POINTER(_CImage), ctypes.c_bool,
                                          ctypes.POINTER(ctypes.POINTER(_CBuffer))]
        lib.imgkit_image_release.argtypes = [ctypes.POINTER(_CImage)]
        lib.imgkit_image_release.restype = None
        lib.imgkit_buffer_release.argtypes = [ctypes.POINTER(_CBuffer)]
        lib.imgkit_buffer_release.restype = None
        for name, extra in _IMAGE_OPS.items():
            function = getattr(lib, f"imgkit_{name}")
            function.restype = ctypes.c_int
            function.argtypes = _IMAGE_ARGS + extra + [_u8p]
        lib.imgkit_histogram.argtypes = _IMAGE_ARGS + [ctypes.POINTER(ctypes.c_uint64)]
        lib.imgkit_otsu_level.argtypes = _IMAGE_ARGS + [_u8p]

    @property
    def version(self) -> str:
        return self._lib.imgkit_version().decode()

    @property
    def implementation(self) -> str:
        return self._lib.imgkit_implementation().decode()

    def status_message(self, status: int) -> str:
        return self._lib.imgkit_status_message(status).decode()

    def _check(self, function: str, status: int) -> None:
        if status != OK:
            detail = self._lib.imgkit_last_error().decode(errors="replace")
            raise ImgkitError(function, status, self.status_message(status), detail)

    # ---- codecs -------------------------------------------------------------------------

    def _decode(self, name: str, data: bytes) -> Image:
        out = ctypes.POINTER(_CImage)()
        source = (ctypes.c_uint8 * max(len(data), 1)).from_buffer_copy(data or b"\0")
        self._check(name, getattr(self._lib, f"imgkit_{name}")(source, len(data), ctypes.byref(out)))
        try:
            c = out.contents
            samples = ctypes.string_at(c.data, c.len)
            return Image(c.width, c.height, c.channels, samples, c.bits_per_sample)
        finally:
            self._lib.imgkit_image_release(out)

    def decode_png(self, data: bytes) -> Image:
        return self._decode("decode_png", data)

    def decode_pnm(self, data: bytes) -> Image:
        return self._decode("decode_pnm", data)

    def _encode(self, name: str, image: Any, *flags: Any) -> bytes:
        image = _as_image(image)
        samples = (ctypes.c_uint8 * len(image.data)).from_buffer_copy(image.data)
        if image.bits == 16:  # 16-bit samples must be 2-byte aligned: copy into uint16s
            samples = (ctypes.c_uint16 * (len(image.data) // 2)).from_buffer_copy(image.data)
        c_image = _CImage(ctypes.cast(samples, _u8p), len(image.data), image.width, image.height,
                          image.channels, image.bits)
        out = ctypes.POINTER(_CBuffer)()
        function = getattr(self._lib, f"imgkit_{name}")
        self._check(name, function(ctypes.byref(c_image), *flags, ctypes.byref(out)))
        try:
            return ctypes.string_at(out.contents.data, out.contents.len)
        finally:
            self._lib.imgkit_buffer_release(out)

    def encode_png(self, image: Any) -> bytes:
        return self._encode("encode_png", image)

    def encode_pnm(self, image: Any, plain: bool = False) -> bytes:
        return self._encode("encode_pnm", image, plain)

    # ---- image operations -----------------------------------------------------------------

    def _run(self, name: str, image: Any, params: list, shape: tuple[int, int, int]) -> Any:
        source = _as_image(image)
        if source.bits != 8:
            raise ValueError(f"{name} takes 8-bit images; this one has {source.bits} bits")
        width, height, channels = shape
        src = (ctypes.c_uint8 * len(source.data)).from_buffer_copy(source.data)
        dst = (ctypes.c_uint8 * (width * height * channels))()
        function = getattr(self._lib, f"imgkit_{name}")
        status = function(src, source.width, source.height, source.channels, *params, dst)
        self._check(name, status)
        return _like(image, Image(width, height, channels, bytes(dst)))

    def convolve(self, image: Any, weights: list[float], width: int, height: int) -> Any:
        source = _as_image(image)
        kernel = (ctypes.c_float * max(len(weights), 1))(*weights)
        if len(weights) != width * height:
            raise ValueError(f"{len(weights)} weights for a {width}x{height} kernel")
        return self._run("convolve", image, [kernel, width, height], _shape(source))

    def gaussian_blur(self, image: Any, sigma: float) -> Any:
        return self._run("gaussian_blur", image, [sigma], _shape(_as_image(image)))

    def box_blur(self, image: Any, radius: int) -> Any:
        return self._run("box_blur", image, [radius], _shape(_as_image(image)))

    def median_blur(self, image: Any, radius: int) -> Any:
        return self._run("median_blur", image, [radius], _shape(_as_image(image)))

    def sobel(self, image: Any) -> Any:
        return self._run("sobel", image, [], _shape(_as_image(image), channels=1))

    def unsharp_mask(self, image: Any, sigma: float, amount: float) -> Any:
        return self._run("unsharp_mask", image, [sigma, amount], _shape(_as_image(image)))

    def resize(self, image: Any, width: int, height: int, filter: str = "bilinear") -> Any:
        source = _as_image(image)
        if filter not in RESIZE_FILTERS:
            raise ValueError(f"filter must be one of {sorted(RESIZE_FILTERS)}")
        # Out-of-range sizes go to the library, which refuses them; only the buffer is
        # sized here, within what a caller could have asked for anyway.
        shape = (max(0, min(width, 65535)), max(0, min(height, 65535)), source.channels)
        return self._run("resize", image, [width, height, RESIZE_FILTERS[filter]], shape)

    def flip(self, image: Any, axis: str = "horizontal") -> Any:
        if axis not in FLIP_AXES:
            raise ValueError(f"axis must be one of {sorted(FLIP_AXES)}")
        return self._run("flip", image, [FLIP_AXES[axis]], _shape(_as_image(image)))

    def rotate90(self, image: Any) -> Any:
        source = _as_image(image)
        return self._run("rotate90", image, [], (source.height, source.width, source.channels))

    def to_grayscale(self, image: Any) -> Any:
        return self._run("to_grayscale", image, [], _shape(_as_image(image), channels=1))

    def equalize(self, image: Any) -> Any:
        return self._run("equalize", image, [], _shape(_as_image(image)))

    def otsu_threshold(self, image: Any) -> Any:
        return self._run("otsu_threshold", image, [], _shape(_as_image(image), channels=1))

    def histogram(self, image: Any) -> list[list[int]]:
        source = _as_image(image)
        src = (ctypes.c_uint8 * len(source.data)).from_buffer_copy(source.data)
        counts = (ctypes.c_uint64 * (source.channels * 256))()
        self._check("histogram", self._lib.imgkit_histogram(
            src, source.width, source.height, source.channels, counts))
        return [list(counts[c * 256:(c + 1) * 256]) for c in range(source.channels)]

    def otsu_level(self, image: Any) -> int:
        source = _as_image(image)
        src = (ctypes.c_uint8 * len(source.data)).from_buffer_copy(source.data)
        level = ctypes.c_uint8()
        self._check("otsu_level", self._lib.imgkit_otsu_level(
            src, source.width, source.height, source.channels, ctypes.byref(level)))
        return level.value


def _as_image(value: Any) -> Image:
    if isinstance(value, Image):
        return value
    if numpy is not None and isinstance(value, numpy.ndarray):
        return Image.from_numpy(value)
    raise TypeError(f"expected an Image or a numpy array, got {type(value).__name__}")


def _like(original: Any, result: Image) -> Any:
    """The result in the caller's kind: an array for an array, else an Image."""
    if numpy is not None and isinstance(original, numpy.ndarray):
        return result.to_numpy()
    return result


def _shape(image: Image, channels: int | None = None) -> tuple[int, int, int]:
    return (image.width, image.height, image.channels if channels is None else channels)
