#!/usr/bin/env python3
"""Load report for `imgkit serve`: keep-alive clients against one server on loopback while
its config steps gaussian_blur through the migration.

    loadgen.py IMGKIT OUTPUT_MD [--seconds S] [--sizes 256,1024] [--concurrency 16,64]

For each image size and concurrency, each phase runs for S seconds with that many
threads, each holding one keep-alive connection (http.client) and posting the image
with op=gaussian_blur:sigma=2 back to back:

    legacy -> shadow (shadow_sample 1.0) -> canary 10% -> canary 50% -> rust
           -> rust with a panic failpoint -> rust, the failpoint removed

Per phase: requests/s, non-2xx answers (and connection errors), latency p50/p99/p99.9,
and the routing counters /metrics moved by during the phase. Writes a markdown table.
Standard library only; the client shares the machine with the server, so the numbers
are the pair's, not the server's alone.
"""
import argparse
import http.client
import json
import os
import platform
import re
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib

PHASES = [
    ("legacy", {"mode": "legacy"}, None),
    ("shadow", {"mode": "shadow", "shadow_sample": 1.0}, None),
    ("canary 10%", {"mode": "canary", "canary_percent": 10.0}, None),
    ("canary 50%", {"mode": "canary", "canary_percent": 50.0}, None),
    ("rust", {"mode": "rust"}, None),
    ("rust + panic", {"mode": "rust"}, "panic"),
    ("rust, panic removed", {"mode": "rust"}, None),
]


def png_bytes(width, height):
    """An RGB PNG with a smooth gradient and some texture (not trivially compressible)."""
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            row += bytes(((x * 255) // width, (y * 255) // height, ((x * y) ^ (x + y)) & 0xFF))
        rows.append(bytes(row))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 6)) + chunk(b"IEND", b"")


def config_text(settings, failpoint):
    # The breaker reopens for trials after 2 s instead of the default 30 s, so the phase
    # after the panic shows the recovery and the next block starts with it closed.
    lines = ["[switchyard]", "reload_interval_ms = 100", "", "[defaults.breaker]", "open_ms = 2000", "",
             "[components.gaussian_blur]"]
    for key, value in settings.items():
        lines.append('%s = %s' % (key, json.dumps(value)))
    if failpoint:
        lines += ["", "[failpoints]", '"imgkit::gaussian_blur" = "%s"' % failpoint]
    return "\n".join(lines) + "\n"


def write_config(path, text):
    with open(path + ".tmp", "w") as out:
        out.write(text)
    os.rename(path + ".tmp", path)


def get(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return body


def wait_for_phase(port, settings, failpoint):
    deadline = time.time() + 15
    while time.time() < deadline:
        report = json.loads(get(port, "/v1/routes"))
        component = report["components"]["gaussian_blur"]
        failpoints = report.get("failpoints", {})
        if (component["mode"] == settings["mode"]
                and abs(component["canary_percent"] - settings.get("canary_percent", component["canary_percent"])) < 1e-9
                and failpoints.get("imgkit::gaussian_blur", None) == failpoint):
            return
        time.sleep(0.05)
    raise RuntimeError("the server did not take the phase's config: %r %r" % (settings, failpoint))


COUNTER = re.compile(r'^(switchyard_calls_total|switchyard_fallbacks_total|switchyard_mismatches_total|'
                     r'switchyard_call_duration_seconds_sum|switchyard_call_duration_seconds_count)\{([^}]*)\} (\S+)$')


def routing_counters(port):
    counters = {}
    for line in get(port, "/metrics").decode().splitlines():
        match = COUNTER.match(line)
        if not match or 'component="gaussian_blur"' not in match.group(2):
            continue
        labels = dict(re.findall(r'(\w+)="([^"]*)"', match.group(2)))
        family = match.group(1)
        if family == "switchyard_calls_total":
            key = "calls." + labels.get("route", "?")
        elif family == "switchyard_fallbacks_total":
            key = "fallbacks." + labels.get("cause", "?")
        elif family == "switchyard_call_duration_seconds_sum":
            key = "seconds." + labels.get("route", "?")
        elif family == "switchyard_call_duration_seconds_count":
            key = "timed." + labels.get("route", "?")
        else:
            key = "mismatches"
        counters[key] = counters.get(key, 0) + float(match.group(3))
    return counters


def run_phase(port, body, concurrency, seconds):
    latencies = []
    non_2xx = [0]
    errors = [0]
    error_kinds = {}
    lock = threading.Lock()
    stop_at = time.time() + seconds
    path = "/v1/process?op=gaussian_blur:sigma=2"

    def client(index):
        mine = []
        bad = 0
        failed = 0
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        sequence = 0
        while time.time() < stop_at:
            sequence += 1
            started = time.perf_counter()
            try:
                connection.request("POST", path, body, {"X-Request-Id": "load-%d-%d" % (index, sequence)})
                response = connection.getresponse()
                response.read()
                if not 200 <= response.status < 300:
                    bad += 1
            except (OSError, http.client.HTTPException) as e:
                failed += 1
                with lock:
                    kind = type(e).__name__ + ": " + str(e)[:60]
                    error_kinds[kind] = error_kinds.get(kind, 0) + 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            mine.append(time.perf_counter() - started)
        connection.close()
        with lock:
            latencies.extend(mine)
            non_2xx[0] += bad
            errors[0] += failed

    started = time.time()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.time() - started
    latencies.sort()

    def quantile(q):
        if not latencies:
            return float("nan")
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000

    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "non_2xx": non_2xx[0],
        "errors": errors[0],
        "p50": quantile(0.50),
        "p99": quantile(0.99),
        "p999": quantile(0.999),
        "error_kinds": error_kinds,
    }


def describe_counters(before, after):
    delta = {key: after.get(key, 0) - before.get(key, 0) for key in set(before) | set(after)}
    parts = []
    for key in ["calls.legacy", "calls.shadow", "calls.rust"]:
        if delta.get(key):
            parts.append("%s %d" % (key.split(".")[1], delta[key]))
    fallbacks = {key.split(".")[1]: value for key, value in delta.items() if key.startswith("fallbacks.") and value}
    if fallbacks:
        parts.append("fallbacks " + ", ".join("%s %d" % item for item in sorted(fallbacks.items())))
    if delta.get("mismatches"):
        parts.append("mismatches %d" % delta["mismatches"])
    return "; ".join(parts) or "-"


def describe_call_times(before, after):
    """gaussian_blur's own mean time per timed call, by route (legacy's calls are sampled;
    shadow is the whole shadow call, legacy's half and Rust's half also count under their
    own routes)."""
    parts = []
    for route in ["legacy", "rust", "shadow"]:
        count = after.get("timed." + route, 0) - before.get("timed." + route, 0)
        if count > 0:
            seconds = after.get("seconds." + route, 0) - before.get("seconds." + route, 0)
            parts.append("%s %.1f" % (route, seconds / count * 1000))
    return ", ".join(parts) or "-"


def machine():
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return "%s, %d cores (`nproc`), %s, Python %s" % (model, os.cpu_count() or 0, platform.system() + " " + platform.release(), platform.python_version())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("imgkit")
    parser.add_argument("output")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--sizes", default="256,1024")
    parser.add_argument("--concurrency", default="16,64")
    parser.add_argument("--threads", type=int, default=0, help="the server's --threads (0: its default)")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="imgkit-load-")
    config = os.path.join(work, "switchyard.toml")
    write_config(config, config_text({"mode": "legacy"}, None))
    log_path = os.path.join(work, "serve.stderr")
    command = [args.imgkit, "serve", "--listen", "127.0.0.1:0", "--config", config, "--timeout-ms", "60000"]
    if args.threads:
        command += ["--threads", str(args.threads)]
    # The access log (one JSON line per request) goes to a file, as a service's would.
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=open(log_path, "wb"))
    port = None
    deadline = time.time() + 20
    while port is None and time.time() < deadline and server.poll() is None:
        match = re.search(rb"serving on 127\.0\.0\.1:(\d+)", open(log_path, "rb").read())
        if match:
            port = int(match.group(1))
        else:
            time.sleep(0.05)
    if port is None:
        sys.exit("loadgen: the server did not start; see " + log_path)

    load_before = os.getloadavg()[0]
    rows = []
    try:
        for size in [int(s) for s in args.sizes.split(",")]:
            body = png_bytes(size, size)
            for concurrency in [int(c) for c in args.concurrency.split(",")]:
                for name, settings, failpoint in PHASES:
                    write_config(config, config_text(settings, failpoint))
                    wait_for_phase(port, settings, failpoint)
                    before = routing_counters(port)
                    result = run_phase(port, body, concurrency, args.seconds)
                    after = routing_counters(port)
                    result.update(size=size, concurrency=concurrency, phase=name, routing=describe_counters(before, after),
                                  call_ms=describe_call_times(before, after))
                    rows.append(result)
                    print("%4dx%-4d c=%-3d %-20s %7.1f req/s  non-2xx %d  errors %d  p50 %.1f  p99 %.1f  p99.9 %.1f ms  %s" % (
                        size, size, concurrency, name, result["rps"], result["non_2xx"], result["errors"],
                        result["p50"], result["p99"], result["p999"], result["routing"] + " | " + result["call_ms"]), flush=True)
                    if result["error_kinds"]:
                        print("    connection errors:", result["error_kinds"], flush=True)
    finally:
        server.terminate()
        code = server.wait(timeout=60)

    with open(args.output, "w") as out:
        out.write("# `imgkit serve` under load\n\n")
        out.write("Machine: %s. Server: `imgkit serve` (%s), default `--threads` unless noted; "
                  "client: `benches/load/loadgen.py` on the same machine, %g s per phase, one keep-alive "
                  "connection per client thread, `POST /v1/process?op=gaussian_blur:sigma=2` with an RGB PNG "
                  "(decode_png, gaussian_blur, encode_png; only gaussian_blur's mode changes). "
                  "Server exit status after SIGTERM: %d. Load average (1 min) when the run started: %.1f, "
                  "when it ended: %.1f (other work on the machine shows here).\n\n"
                  % (machine(), args.imgkit, args.seconds, code, load_before, os.getloadavg()[0]))
        out.write("Latency is the client's, end to end. The last two columns are from `/metrics`, moved during the "
                  "phase: gaussian_blur's calls by route and its fallbacks by cause, and its own mean time per call by "
                  "route (legacy and rust time each implementation; shadow the whole shadow call). The breaker's "
                  "`open_ms` is 2000 here (default 30000) so that recovery shows within the next phase.\n\n")
        out.write("| image | clients | phase | req/s | non-2xx | conn. errors | p50 ms | p99 ms | p99.9 ms | gaussian_blur routing | gaussian_blur ms/call |\n")
        out.write("|---|---:|---|---:|---:|---:|---:|---:|---:|---|---|\n")
        for row in rows:
            out.write("| %dx%d | %d | %s | %.1f | %d | %d | %.1f | %.1f | %.1f | %s | %s |\n" % (
                row["size"], row["size"], row["concurrency"], row["phase"], row["rps"], row["non_2xx"], row["errors"],
                row["p50"], row["p99"], row["p999"], row["routing"], row["call_ms"]))
    bad = sum(row["non_2xx"] + row["errors"] for row in rows)
    print("wrote %s; %d non-2xx answers or connection errors in all" % (args.output, bad))
    return 1 if bad or code != 0 else 0


if __name__ == "__main__":
    sys.exit(main())
