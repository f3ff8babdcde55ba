#!/usr/bin/env python3
"""Turns the Google Benchmark JSON of one benches/compare/run.sh session into
benches/results/compare.md (tables) and benches/results/compare.svg (a hand-written bar
chart). Standard library only, so a fresh machine needs nothing beyond python3.

    report.py --markdown OUT.md --svg OUT.svg --png PNG.json [--min-time S] [--load "1 5 15"]
              [--fidelity FIDELITY.jsonl]
              COMPARE_1T.json [COMPARE_NT.json] [--avx2 CAPPED_1T.json [CAPPED_NT.json]]

--avx2 takes the Rust rows of runs under IMGKIT_MAX_SIMD=avx2 (run.sh makes them on a CPU
with AVX-512), reported in a table of their own beside the best path's. --fidelity takes
`compare_benchmark --fidelity`'s output: how far each side's answers are from legacy's.

Throughput is megapixels of input per second of wall time (real_time), computed here from
each row's own time, so every side is counted the same way. Ratios compare rows measured
in the same process, one after another.
"""

import argparse
import datetime
import json
import math
import os
import platform
from xml.sax.saxutils import escape

SIZES = {"1024": "1024x1024", "4096": "3840x2160"}
PNG_MEGAPIXELS = 3840 * 2160 / 1e6
# png_benchmark's label names its decoder "legacy": libpng underneath.
PNG_DECODERS = {"legacy": "libpng", "rust": "rust", "libspng": "libspng"}
SECONDS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}

# Bar colours and legend names, one per series.
SERIES = {
    "legacy": ("#8c8c8c", "legacy C++ (libpng for PNG)"),
    "rust1": ("#c0392b", "Rust, 1 thread"),
    "rustN": ("#e59866", "Rust, {n} threads"),
    "opencv1": ("#1f618d", "OpenCV, 1 thread"),
    "opencvN": ("#85c1e9", "OpenCV, {n} threads"),
    "libpng": ("#8c8c8c", "libpng (legacy)"),
    "rust": ("#c0392b", "Rust (png crate)"),
    "libspng": ("#229954", "libspng"),
}


def rows(path):
    with open(path, encoding="utf-8") as f:
        document = json.load(f)
    for row in document["benchmarks"]:
        if row.get("error_occurred") or row.get("run_type", "iteration") != "iteration":
            continue
        yield row


def megapixels_per_second(row, megapixels):
    return megapixels / (row["real_time"] * SECONDS[row["time_unit"]])


def simd_level(path):
    """The instruction set the run's Rust kernels used (compare_benchmark's context)."""
    with open(path, encoding="utf-8") as f:
        return json.load(f).get("context", {}).get("rust_simd", "unknown")


def read_components(paths, rust_suffix=""):
    """{(component, size, series): MP/s}; [(component, what it reads)] in the benchmark's
    order; the largest thread count seen. Names and descriptions come from the rows, so
    compare_benchmark is the one place that declares them. Rust's series get
    `rust_suffix` (runs under a capped instruction set)."""
    found, components = {}, {}
    threads_seen = 1
    for path in paths:
        for row in rows(path):
            if rust_suffix and row["name"].split("/")[1] != "rust":
                continue
            component, side, size = row["name"].split("/")[:3]
            components.setdefault(component, row.get("label", ""))
            threads = int(row["threads"])
            threads_seen = max(threads_seen, threads)
            series = side if side == "legacy" else side + ("1" if threads == 1 else "N")
            if side == "rust":
                series += rust_suffix
            found[(component, size, series)] = megapixels_per_second(row, row["megapixels"])
    return found, list(components.items()), threads_seen


def read_png(path):
    """{(layout, decoder): MP/s} of decoding a 3840x2160 file, and the layouts in order."""
    found, layouts = {}, {}
    for row in rows(path):
        if not row["name"].startswith("BM_decode_png_4k_layout/"):
            continue
        decoder, layout = row["label"].split()
        layouts.setdefault(layout, None)
        found[(layout, PNG_DECODERS[decoder])] = megapixels_per_second(row, PNG_MEGAPIXELS)
    return found, list(layouts)


def read_fidelity(path):
    """[(component, input, tolerance, rust, opencv)] from compare_benchmark --fidelity."""
    with open(path, encoding="utf-8") as f:
        return [(d["component"], d["input"], d["tolerance"], d.get("rust"), d.get("opencv"))
                for d in map(json.loads, filter(str.strip, f))]


def fmt_distance(distance):
    """One side's distance from legacy: its largest difference and how many samples differ."""
    if distance is None:
        return "-"
    if not distance["same_shape"]:
        return "other shape"
    if distance["max_difference"] == 0:
        return "identical"
    text = f"max {distance['max_difference']}, {distance['differing']:.2%} differ"
    if distance["beyond_rule"] > 0:
        text += f", **{distance['beyond_rule']:.3%} beyond the rule**"
    return text


def fidelity_lines(fidelity):
    lines = [
        "",
        "## How close each answer is to legacy's",
        "",
        "Legacy's answer is the specification each Rust port is held to (exact, or within 1 for "
        "the Gaussian). `compare_benchmark --fidelity` runs each call once on the 1024x1024 "
        "benchmark image and on seeded black-and-white noise (the input that pulls fixed-point "
        "arithmetic furthest from the exact sum) and compares every sample with legacy's. A "
        "sample \"beyond the rule\" would fail parity were that answer imgkit's.",
        "",
        "| component | input | rule | Rust | OpenCV |",
        "|---|---|---|---|---|",
    ]
    for component, source, tolerance, rust, opencv in fidelity:
        rule = "exact" if tolerance == 0 else f"within {tolerance}"
        lines.append(f"| {component} | {source} | {rule} | {fmt_distance(rust)} "
                     f"| {fmt_distance(opencv)} |")
    return lines


def machine():
    """The CPU model and its SIMD level, from the first processor in /proc/cpuinfo."""
    fields = {}
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                key, _, value = line.partition(":")
                fields.setdefault(key.strip(), value.strip())
    except OSError:
        pass
    model = fields.get("model name", platform.processor() or "unknown CPU")
    flags = set(fields.get("flags", "").split())
    simd = "AVX-512 (avx512f)" if "avx512f" in flags else "no AVX-512"
    simd += ", AVX2" if "avx2" in flags else ", no AVX2"
    if "fma" in flags:
        simd += "+FMA"
    return f"{model}, {os.cpu_count()} cores", simd


def rates(components, component, size):
    """{series: MP/s} of one component at one size."""
    return {series: value for (c, s, series), value in components.items()
            if (c, s) == (component, size)}


def ratio(a, b):
    if a is None or b is None:
        return None
    return a / b


def fmt_rate(value):
    if value is None:
        return "-"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def fmt_ratio(value):
    return "-" if value is None else f"{value:.2f}x"


def component_rows(components, order, cells):
    """One table row per component and size: its name and size, then `cells(get)`, where
    `get(series)` is that row's MP/s of a series (None when not measured)."""
    rows = []
    for component, what in order:
        for size, shape in SIZES.items():
            row = cells(rates(components, component, size).get)
            rows.append(f"| {component} ({what}) | {shape} | " + " | ".join(row) + " |")
    return rows


def markdown(report, model, simd, date, session, fidelity):
    components, order, threads, png, layouts = report
    n = threads
    lines = [
        "# imgkit against OpenCV and libspng",
        "",
        f"One `benches/compare/run.sh` session, {date}. CPU: {model}; SIMD: {simd}.",
        session,
        f"Throughput in megapixels of input per second (wall time); Rust and OpenCV on 1 thread "
        f"(RAYON_NUM_THREADS=1, cv::setNumThreads(1)) and on {n} (every core); legacy is "
        "single-threaded. A ratio above 1 means Rust is faster; each compares rows measured in "
        "the same process.",
        "",
        f"| component | size | legacy | Rust 1t | Rust {n}t | OpenCV 1t | OpenCV {n}t "
        f"| Rust/legacy 1t | Rust/OpenCV 1t | Rust/OpenCV {n}t |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += component_rows(components, order, lambda get: [
        fmt_rate(get("legacy")), fmt_rate(get("rust1")), fmt_rate(get("rustN")),
        fmt_rate(get("opencv1")), fmt_rate(get("opencvN")),
        fmt_ratio(ratio(get("rust1"), get("legacy"))),
        fmt_ratio(ratio(get("rust1"), get("opencv1"))),
        fmt_ratio(ratio(get("rustN"), get("opencvN"))),
    ])
    if any(series.endswith("@avx2") for (_, _, series) in components):
        lines += [
            "",
            "## The AVX2 path (IMGKIT_MAX_SIMD=avx2)",
            "",
            "The Rust rows again with the kernels capped at AVX2, as on a CPU without AVX-512; "
            "OpenCV's rows are the ones above (same session).",
            "",
            f"| component | size | Rust AVX2 1t | Rust AVX2 {n}t | Rust AVX2/OpenCV 1t "
            f"| Rust AVX2/OpenCV {n}t | Rust AVX2/best 1t |",
            "|---|---|---:|---:|---:|---:|---:|",
        ]
        lines += component_rows(components, order, lambda get: [
            fmt_rate(get("rust1@avx2")), fmt_rate(get("rustN@avx2")),
            fmt_ratio(ratio(get("rust1@avx2"), get("opencv1"))),
            fmt_ratio(ratio(get("rustN@avx2"), get("opencvN"))),
            fmt_ratio(ratio(get("rust1@avx2"), get("rust1"))),
        ])
    if fidelity:
        lines += fidelity_lines(fidelity)
    lines += [
        "",
        "## PNG decode, 3840x2160",
        "",
        "One thread each (none of the three decoders splits a file); every call allocates its "
        "output. libspng decodes to the layout imgkit returns (G8, RGB8, RGBA8, host-endian "
        "16-bit RGB, palette expanded to RGB8).",
        "",
        "| layout | libpng (legacy) | Rust | libspng | Rust/libpng | Rust/libspng |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for layout in layouts:
        libpng, rust, libspng = (png.get((layout, m)) for m in ("libpng", "rust", "libspng"))
        lines.append(
            f"| {layout} | {fmt_rate(libpng)} | {fmt_rate(rust)} | {fmt_rate(libspng)} "
            f"| {fmt_ratio(ratio(rust, libpng))} | {fmt_ratio(ratio(rust, libspng))} |"
        )
    lines += [
        "",
        "OpenCV's calls are the nearest equivalents, not bit-identical to imgkit's: "
        "cv::GaussianBlur 13x13 BORDER_REPLICATE (fixed point on 8-bit), cv::blur 7x7, "
        "sobel as cv::Sobel x and y (float) + cv::magnitude + a saturating cast, "
        "cv::resize INTER_LINEAR / INTER_NEAREST, cv::flip, cv::rotate ROTATE_90_CLOCKWISE, "
        "cv::cvtColor RGB2GRAY, cv::equalizeHist. The machine may be shared: compare within a "
        "row rather than across runs. Chart: [compare.svg](compare.svg).",
        "",
    ]
    return "\n".join(lines)


class Chart:
    """Grouped horizontal bars on a log scale; one group per component and size."""

    LEFT, RIGHT, BAR, GAP, HEAD = 230, 150, 11, 2, 20
    WIDTH = 1000

    def __init__(self, low, high):
        self.low = 10 ** math.floor(math.log10(low))
        # Room for the largest bar's value label, not a whole empty decade.
        self.high = high * 1.3
        self.parts, self.y = [], 0

    def x(self, value):
        span = math.log10(self.high) - math.log10(self.low)
        inner = self.WIDTH - self.LEFT - self.RIGHT
        return self.LEFT + inner * (math.log10(value) - math.log10(self.low)) / span

    def text(self, x, y, content, **attributes):
        extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attributes.items())
        self.parts.append(f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(content)}</text>')

    def title(self, content):
        self.y += 28
        self.text(10, self.y, content, font_size=16, font_weight="bold")
        self.y += 8

    def group(self, label, note, bars):
        """bars: [(series, value or None, label)]."""
        self.y += self.HEAD
        self.text(10, self.y - 5, label, font_weight="bold")
        self.text(self.LEFT, self.y - 5, note, fill="#444")
        for series, value, legend in bars:
            colour = SERIES[series][0]
            top = self.y
            self.text(self.LEFT - 6, top + self.BAR - 2, legend, text_anchor="end", fill="#444")
            if value is not None:
                end = self.x(value)
                self.parts.append(
                    f'<rect x="{self.LEFT}" y="{top}" width="{end - self.LEFT:.1f}" '
                    f'height="{self.BAR}" fill="{colour}"/>'
                )
                self.text(end + 4, top + self.BAR - 2, fmt_rate(value))
            else:
                self.text(self.LEFT + 4, top + self.BAR - 2, "not measured", fill="#999")
            self.y += self.BAR + self.GAP

    def axis(self, top):
        decade = self.low
        while decade <= self.high:
            x = self.x(decade)
            self.parts.insert(
                0, f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{self.y}" stroke="#ddd"/>'
            )
            self.text(x, self.y + 14, f"{decade:g}", text_anchor="middle", fill="#444")
            decade *= 10
        self.text(self.x(self.low), self.y + 30, "megapixels per second (log scale)", fill="#444")
        self.y += 36

    def svg(self):
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.WIDTH}" height="{self.y + 10}" '
            f'viewBox="0 0 {self.WIDTH} {self.y + 10}" font-family="sans-serif" font-size="11">\n'
            f'<rect width="100%" height="100%" fill="white"/>\n' + "\n".join(self.parts) + "\n</svg>\n"
        )


def chart(report, model, simd, date, session):
    components, order, threads, png, layouts = report
    values = [v for (_, _, series), v in components.items() if "@" not in series]
    values = [v for v in values + list(png.values()) if v > 0]
    if not values:
        values = [1.0]
    drawing = Chart(min(values), max(values))
    drawing.text(10, 18, f"imgkit against OpenCV and libspng, {date}", font_size=15,
                 font_weight="bold")
    drawing.text(10, 34, f"{model}; {simd}", fill="#444")
    drawing.text(10, 50, session, fill="#444")
    drawing.y = 56
    legend = [("legacy", SERIES["legacy"][1]), ("rust1", SERIES["rust1"][1]),
              ("rustN", SERIES["rustN"][1].format(n=threads)), ("opencv1", SERIES["opencv1"][1]),
              ("opencvN", SERIES["opencvN"][1].format(n=threads)),
              ("libspng", SERIES["libspng"][1])]
    x = 10
    for series, name in legend:
        drawing.parts.append(f'<rect x="{x}" y="{drawing.y + 4}" width="10" height="10" '
                             f'fill="{SERIES[series][0]}"/>')
        drawing.text(x + 14, drawing.y + 13, name)
        x += 30 + 6.5 * len(name)
    drawing.y += 18
    drawing.title("Components (Rust / OpenCV ratios: above 1, Rust is faster)")
    top = drawing.y
    for component, what in order:
        for size, shape in SIZES.items():
            get = rates(components, component, size).get
            note = (f"Rust/OpenCV 1t {fmt_ratio(ratio(get('rust1'), get('opencv1')))}, "
                    f"{threads}t {fmt_ratio(ratio(get('rustN'), get('opencvN')))}; "
                    f"Rust/legacy 1t {fmt_ratio(ratio(get('rust1'), get('legacy')))}")
            drawing.group(f"{component} {shape}", note, [
                ("legacy", get("legacy"), "legacy"),
                ("rust1", get("rust1"), "Rust 1t"),
                ("rustN", get("rustN"), f"Rust {threads}t"),
                ("opencv1", get("opencv1"), "OpenCV 1t"),
                ("opencvN", get("opencvN"), f"OpenCV {threads}t"),
            ])
    drawing.axis(top)
    drawing.title("PNG decode, 3840x2160, 1 thread")
    top = drawing.y
    for layout in layouts:
        libpng, rust, libspng = (png.get((layout, m)) for m in ("libpng", "rust", "libspng"))
        note = (f"Rust/libpng {fmt_ratio(ratio(rust, libpng))}, "
                f"Rust/libspng {fmt_ratio(ratio(rust, libspng))}")
        drawing.group(layout, note, [("libpng", libpng, "libpng"), ("rust", rust, "Rust"),
                                     ("libspng", libspng, "libspng")])
    drawing.axis(top)
    return drawing.svg()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", required=True)
    parser.add_argument("--svg", required=True)
    parser.add_argument("--png", required=True, help="png_benchmark's JSON")
    parser.add_argument("--min-time", help="--benchmark_min_time of the session, in seconds")
    parser.add_argument("--load", help="/proc/loadavg's first three fields when it started")
    parser.add_argument("--avx2", nargs="+", default=[],
                        help="compare_benchmark's JSON of runs under IMGKIT_MAX_SIMD=avx2")
    parser.add_argument("--fidelity", help="compare_benchmark --fidelity's output")
    parser.add_argument("components", nargs="+", help="compare_benchmark's JSON, one per run")
    arguments = parser.parse_args()
    session = "Google Benchmark"
    if arguments.min_time:
        session += f", --benchmark_min_time={arguments.min_time}, 1 repetition"
    if arguments.load:
        session += f"; load average {arguments.load} when the session started (other work shares the CPU)"
    session += "."
    components, order, threads = read_components(arguments.components)
    if arguments.avx2:
        components.update(read_components(arguments.avx2, "@avx2")[0])
    png, layouts = read_png(arguments.png)
    report = (components, order, threads, png, layouts)
    model, simd = machine()
    simd += f"; Rust kernels ran at: {simd_level(arguments.components[0])}"
    if arguments.avx2:
        simd += f" (and capped: {simd_level(arguments.avx2[0])})"
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    with open(arguments.markdown, "w", encoding="utf-8") as f:
        fidelity = read_fidelity(arguments.fidelity) if arguments.fidelity else []
        f.write(markdown(report, model, simd, date, session, fidelity))
    with open(arguments.svg, "w", encoding="utf-8") as f:
        f.write(chart(report, model, simd, date, session))


if __name__ == "__main__":
    main()
