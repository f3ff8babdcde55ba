#!/usr/bin/env python3
"""The Python ctypes example gives the same table on both C libraries, and bad input
comes back as ImgkitError carrying the status, never a crash.

    python_consumer_test.py LIBIMGKIT LIBIMGKIT_RS SAMPLES_DIR
(run with IMGKIT_CONFIG routing libimgkit.so to Rust, so the bytes are the same.)
"""

import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "python"
sys.path.insert(0, str(EXAMPLE))
from imgkit_ctypes import Image, ImgkitError, Library  # noqa: E402


def table(library: str, samples: str) -> list[str]:
    run = subprocess.run([sys.executable, str(EXAMPLE / "run_all.py"), library, samples],
                         capture_output=True, text=True, timeout=300)
    if run.returncode != 0:
        sys.exit(f"run_all.py on {library} exited {run.returncode}:\n{run.stderr}")
    return run.stdout.splitlines()


def expect_error(function, status: int, message: str) -> None:
    try:
        function()
    except ImgkitError as error:
        assert error.status == status, f"{error}: status {error.status}, expected {status}"
        assert error.message == message, f"{error}: message {error.message!r}"
        assert error.detail, f"{error}: no detail"
        return
    raise AssertionError(f"expected ImgkitError({message})")


def main() -> int:
    cxx, rust, samples = sys.argv[1:4]
    tables = {path: table(path, samples) for path in (cxx, rust)}
    a, b = tables[cxx], tables[rust]
    assert a[0].endswith(cxx) and "(c++)" in a[0], a[0]
    assert b[0].endswith(rust) and "(rust)" in b[0], b[0]
    rows = len(a) - 1
    assert rows > 60, f"only {rows} rows"
    differences = [f"  c++:  {x}\n  rust: {y}" for x, y in zip(a[1:], b[1:]) if x != y]
    if differences or len(a) != len(b):
        print("the libraries' tables differ:\n" + "\n".join(differences))
        return 1
    print("\n".join(a))

    for path in (cxx, rust):
        lib = Library(path)
        expect_error(lambda: lib.decode_png(b"\x89PNG\r\n\x1a\n truncated"), 2, "malformed data")
        expect_error(lambda: lib.decode_pnm(b""), 1, "invalid argument")
        image = Image(4, 4, 3, bytes(48))
        expect_error(lambda: lib.gaussian_blur(image, float("nan")), 1, "invalid argument")
        expect_error(lambda: lib.resize(image, 70000, 1), 1, "invalid argument")
        expect_error(lambda: lib.encode_pnm(Image(2, 2, 4, bytes(16))), 3, "unsupported")
        huge = b"P6\n60000 60000\n255\n"
        expect_error(lambda: lib.decode_pnm(huge), 4, "limit exceeded")
    print(f"{rows} rows identical on both libraries; bad input raised ImgkitError on both")
    return 0


if __name__ == "__main__":
    sys.exit(main())
