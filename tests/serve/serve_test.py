#!/usr/bin/env python3
"""End-to-end test of `imgkit serve`: one server, steered by rewriting its config file.

    serve_test.py IMGKIT SAMPLES_DIR

Starts `imgkit serve --listen 127.0.0.1:0`, then: flips gaussian_blur legacy -> shadow ->
rust -> legacy by write-then-rename, waiting for /v1/routes to show each mode; checks
every answered image byte for byte against `imgkit process` run with the same config;
injects a panic failpoint through [failpoints] and removes it (the fallbacks are counted
in /metrics, which must parse as Prometheus text); a bad config edit is rejected and
counted while the last good config keeps serving; every kind of bad request gets its
status and JSON error; 64 keep-alive clients at once are all answered; and SIGTERM
during a slow request (a sleep(500) failpoint on the rust route) still answers it and
exits 0. Standard library only.
"""
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

IMGKIT, SAMPLES = sys.argv[1], sys.argv[2]
WORK = tempfile.mkdtemp(prefix="imgkit-serve-test-")
CONFIG = os.path.join(WORK, "switchyard.toml")
STDERR = os.path.join(WORK, "serve.stderr")
INPUTS = ["wizard.png", "rose.ppm", "logo-rgba.png"]
OP_LISTS = [["gaussian_blur:sigma=2"], ["gaussian_blur:sigma=2", "sobel"], ["flip", "gaussian_blur:sigma=1.5"]]
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL: " + message, flush=True)


def config_text(mode, failpoint=None):
    text = '[switchyard]\nreload_interval_ms = 50\n\n[components.gaussian_blur]\nmode = "%s"\n' % mode
    if mode == "shadow":
        text += "shadow_sample = 1.0\n"
    if failpoint:
        text += '\n[failpoints]\n"imgkit::gaussian_blur" = "%s"\n' % failpoint
    return text


def write_config(text):
    # Write-then-rename: the server never reads half a file.
    temporary = CONFIG + ".tmp"
    with open(temporary, "w") as out:
        out.write(text)
    os.rename(temporary, CONFIG)


class Client:
    """One keep-alive connection."""

    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)

    def request(self, method, path, body=None, headers=None):
        try:
            self.connection.request(method, path, body=body, headers=headers or {})
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            # The server closed the connection while it sat idle past the keep-alive
            # timeout: a keep-alive client opens a new one, as browsers and proxies do.
            self.connection.close()
            self.connection.request(method, path, body=body, headers=headers or {})
            response = self.connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()

    def close(self):
        self.connection.close()


def routes(client):
    status, _, body = client.request("GET", "/v1/routes")
    assert status == 200, status
    return json.loads(body)


def wait_until(condition, what, timeout=10):
    """Polls `condition` (state another process owns) until it holds, or fails the check."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    check(False, "timed out waiting for " + what)
    return False


def wait_for(client, predicate, what, timeout=10):
    return wait_until(lambda: predicate(routes(client)), what, timeout)


def mode_of(report, component="gaussian_blur"):
    return report["components"][component]["mode"]


def failpoint_of(report):
    return report.get("failpoints", {}).get("imgkit::gaussian_blur", "")


def cli_output(name, ops):
    extension = ".png" if name.endswith(".png") else ".pnm"
    output = os.path.join(WORK, "cli-out" + extension)
    command = [IMGKIT, "process", os.path.join(SAMPLES, name), output, "--config", CONFIG]
    for op in ops:
        command += ["--op", op]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(output, "rb") as f:
        return f.read()


def process_path(ops, extra=""):
    return "/v1/process?" + "&".join("op=" + op for op in ops) + extra


def post_image(client, name, ops, request_id=None):
    with open(os.path.join(SAMPLES, name), "rb") as f:
        body = f.read()
    headers = {"X-Request-Id": request_id} if request_id else {}
    return client.request("POST", process_path(ops), body, headers)


def check_images_match_cli(client, label):
    for name in INPUTS:
        for ops in OP_LISTS:
            status, _, body = post_image(client, name, ops)
            check(status == 200, "%s: %s %s: status %d %r" % (label, name, ops, status, body[:200]))
            if status == 200:
                check(body == cli_output(name, ops), "%s: %s %s differs from imgkit process" % (label, name, ops))


def metrics(client):
    status, headers, body = client.request("GET", "/metrics")
    assert status == 200, status
    return body.decode()


SAMPLE_LINE = re.compile(
    r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*",?)*\})? '
    r"(-?[0-9.]+([eE][-+]?[0-9]+)?|[+-]Inf|NaN)$"
)
COMMENT_LINE = re.compile(r"^# (HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped))$")


def check_prometheus(text):
    check(text.endswith("\n"), "/metrics does not end with a newline")
    for line in text.splitlines():
        if line == "":
            continue
        ok = COMMENT_LINE.match(line) if line.startswith("#") else SAMPLE_LINE.match(line)
        check(ok is not None, "/metrics line is not Prometheus text: %r" % line)


def sample_value(text, name, **labels):
    total = 0.0
    found = False
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        if all('%s="%s"' % (k, v) in line for k, v in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
            found = True
    return total if found else None


def expect_error(client, label, method, path, body, status, error, headers=None):
    got_status, got_headers, got_body = client.request(method, path, body, headers)
    check(got_status == status, "%s: status %d, expected %d (%r)" % (label, got_status, status, got_body[:200]))
    try:
        answer = json.loads(got_body)
        check(answer.get("error") == error, "%s: error %r, expected %r" % (label, answer.get("error"), error))
        check(bool(answer.get("detail")), "%s: no detail" % label)
    except ValueError:
        check(False, "%s: body is not JSON: %r" % (label, got_body[:200]))
    return got_headers


def raw_exchange(port, request_bytes):
    """Sends raw bytes and reads what comes back until the server closes or 3 s pass."""
    with socket.create_connection(("127.0.0.1", port), timeout=3) as sock:
        try:
            sock.sendall(request_bytes)
        except OSError:
            pass
        data = b""
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
        return data


def check_bad_requests(client, port):
    rose = open(os.path.join(SAMPLES, "rose.ppm"), "rb").read()
    expect_error(client, "unknown op", "POST", process_path(["blurr"]), rose, 400, "bad_operation")
    expect_error(client, "bad number", "POST", process_path(["gaussian_blur:sigma=abc"]), rose, 400, "bad_operation")
    expect_error(client, "unknown parameter", "POST", process_path(["gaussian_blur:radius=2"]), rose, 400, "bad_operation")
    expect_error(client, "out of range", "POST", process_path(["gaussian_blur:sigma=0"]), rose, 400, "bad_parameter")
    expect_error(client, "bad format", "POST", process_path(["flip"], "&format=gif"), rose, 400, "bad_format")
    expect_error(client, "unknown query parameter", "POST", process_path(["flip"], "&colour=red"), rose, 400, "bad_query")
    expect_error(client, "malformed image", "POST", process_path(["flip"]), b"P6\n70 46\n255\n" + b"\0" * 10, 400, "malformed_image")
    expect_error(client, "not an image", "POST", process_path(["flip"]), b"GIF89a....", 400, "malformed_image")
    expect_error(client, "empty body", "POST", process_path(["flip"]), b"", 400, "malformed_image")
    # A header declaring 2000x2000 pixels, over --max-pixels 1000000: refused before allocating.
    expect_error(client, "image over --max-pixels", "POST", process_path(["flip"]), b"P5\n2000 2000\n255\n" + b"\0" * 64, 413, "image_too_large")
    expect_error(client, "output over --max-pixels", "POST", process_path(["resize:width=5000"]), rose, 413, "image_too_large")
    expect_error(client, "unknown endpoint", "GET", "/v2/nothing", None, 404, "not_found")
    # The format asked for is honoured.
    status, headers, body = client.request("POST", process_path(["flip"], "&format=png"), rose)
    check(status == 200 and body[:8] == b"\x89PNG\r\n\x1a\n", "format=png did not give a PNG")

    # Over --max-body-mb by Content-Length: 413 from the header alone, nothing sent after it.
    started = time.time()
    answer = raw_exchange(port, b"POST /v1/process?op=flip HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n\r\n")
    check(time.time() - started < 2, "the connection was not closed after refusing its body")
    check(answer.startswith(b"HTTP/1.1 413"), "Content-Length over the limit: %r" % answer[:80])
    check(b'"body_too_large"' in answer, "Content-Length over the limit: no JSON error: %r" % answer[:300])
    # A chunked body that passes the limit: refused once it does.
    chunk = b"\0" * 65536
    chunks = b"".join(b"%x\r\n" % len(chunk) + chunk + b"\r\n" for _ in range(20)) + b"0\r\n\r\n"
    answer = raw_exchange(port, b"POST /v1/process?op=flip HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks)
    check(answer.startswith(b"HTTP/1.1 413"), "chunked body over the limit: %r" % answer[:80])


def check_timeout(client):
    write_config(config_text("rust", "sleep(500)"))
    wait_for(client, lambda r: mode_of(r) == "rust" and "sleep" in failpoint_of(r), "sleep failpoint in force")
    rose = open(os.path.join(SAMPLES, "rose.ppm"), "rb").read()
    ops = ["gaussian_blur:sigma=1"] * 4  # 3 x 500 ms is past --timeout-ms 1000: the 4th never starts
    calls_before = sample_value(metrics(client), "switchyard_calls_total", component="gaussian_blur", route="rust") or 0
    started = time.time()
    expect_error(client, "past --timeout-ms", "POST", process_path(ops), rose, 503, "timeout")
    elapsed = time.time() - started
    calls = (sample_value(metrics(client), "switchyard_calls_total", component="gaussian_blur", route="rust") or 0) - calls_before
    check(calls <= 3, "the timed-out request ran %d operations: one started after the deadline" % calls)
    check(elapsed < 3, "the timed-out request took %.2f s" % elapsed)


def check_many_clients(port):
    rose = open(os.path.join(SAMPLES, "rose.ppm"), "rb").read()
    expected = cli_output("rose.ppm", ["flip"])
    results = []
    lock = threading.Lock()

    def run():
        client = Client(port)
        try:
            for _ in range(3):
                status, _, body = client.request("POST", process_path(["flip"]), rose)
                with lock:
                    results.append(status == 200 and body == expected)
        except Exception as e:  # noqa: BLE001 -- any failure is the test's finding
            with lock:
                results.append(False)
            print("client error:", e)
        finally:
            client.close()

    threads = [threading.Thread(target=run) for _ in range(64)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check(len(results) == 192 and all(results), "64 keep-alive clients: %d of %d answered right" % (sum(results), len(results)))


def check_drain(server, port):
    write_config(config_text("rust", "sleep(500)"))
    client = Client(port)
    wait_for(client, lambda r: mode_of(r) == "rust" and "sleep" in failpoint_of(r), "sleep failpoint for the drain")
    expected = cli_output("rose.ppm", ["gaussian_blur:sigma=2"])
    idle = Client(port)  # a keep-alive connection opened before the signal
    check(idle.request("GET", "/readyz")[0] == 200, "/readyz before SIGTERM")
    answer = {}

    def slow_request():
        answer["result"] = post_image(client, "rose.ppm", ["gaussian_blur:sigma=2"])

    thread = threading.Thread(target=slow_request)
    thread.start()
    # The request is in flight (this /metrics request counts itself too) ...
    wait_until(lambda: (sample_value(metrics(Client(port)), "imgkit_http_requests_in_flight") or 0) >= 2,
               "the slow request in flight")
    server.send_signal(signal.SIGTERM)
    # ... and the server has taken the signal (it marks itself not ready, then says so).
    wait_until(lambda: b"draining (not ready" in open(STDERR, "rb").read(), "the drain to begin")
    status, _, _ = idle.request("GET", "/readyz")
    check(status == 503, "/readyz while draining: %d" % status)
    thread.join(10)
    status, _, body = answer.get("result", (0, {}, b""))
    check(status == 200 and body == expected, "the request in flight at SIGTERM was not answered in full (%d)" % status)
    try:
        code = server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        code = "still running"
    check(code == 0, "exit status after SIGTERM: %r" % code)
    refused = False
    try:
        Client(port).request("GET", "/healthz")
    except OSError:
        refused = True
    check(refused, "a new connection was accepted after the drain")


def main():
    write_config(config_text("legacy"))
    stderr = open(STDERR, "wb")
    server = subprocess.Popen(
        [IMGKIT, "serve", "--listen", "127.0.0.1:0", "--config", CONFIG, "--threads", "2",
         "--max-body-mb", "1", "--max-pixels", "1000000", "--timeout-ms", "1000"],
        stdout=subprocess.DEVNULL, stderr=stderr)
    port = None
    deadline = time.time() + 20
    while port is None and time.time() < deadline:
        match = re.search(rb"serving on 127\.0\.0\.1:(\d+)", open(STDERR, "rb").read())
        if match:
            port = int(match.group(1))
        elif server.poll() is not None:
            break
        else:
            time.sleep(0.05)
    if port is None:
        print(open(STDERR, "rb").read().decode(errors="replace"))
        print("FAIL: the server did not start")
        return 1
    try:
        client = Client(port)
        check(client.request("GET", "/healthz")[0] == 200, "/healthz")
        check(client.request("GET", "/readyz")[0] == 200, "/readyz")

        for mode in ["legacy", "shadow", "rust", "legacy"]:
            write_config(config_text(mode))
            if wait_for(client, lambda r: mode_of(r) == mode, "mode " + mode):
                check_images_match_cli(client, mode)
        text = metrics(client)
        check((sample_value(text, "switchyard_calls_total", component="gaussian_blur", route="shadow") or 0) > 0, "no shadow calls counted")
        check((sample_value(text, "switchyard_calls_total", component="gaussian_blur", route="rust") or 0) > 0, "no rust calls counted")

        # A panic injected through the config file: legacy answers, the fallback is counted.
        write_config(config_text("rust", "panic"))
        wait_for(client, lambda r: mode_of(r) == "rust" and failpoint_of(r) == "panic", "panic failpoint")
        status, headers, _ = post_image(client, "wizard.png", ["gaussian_blur:sigma=2"], "panic-request-1")
        check(headers.get("X-Request-Id") == "panic-request-1", "X-Request-Id not echoed")
        check_images_match_cli(client, "panic")
        text = metrics(client)
        panics = sample_value(text, "switchyard_fallbacks_total", component="gaussian_blur", cause="panic") or 0
        check(panics >= 1 + len(INPUTS) * len(OP_LISTS), "panic fallbacks counted: %s" % panics)
        write_config(config_text("rust"))
        wait_for(client, lambda r: failpoint_of(r) == "", "failpoint removed")
        check_images_match_cli(client, "rust after the failpoint")
        after = sample_value(metrics(client), "switchyard_fallbacks_total", component="gaussian_blur", cause="panic") or 0
        check(after == panics, "panic fallbacks went on after the failpoint was removed: %s -> %s" % (panics, after))

        # A bad edit: rejected, counted, the last good config (rust) keeps serving.
        failed_before = sample_value(metrics(client), "switchyard_config_reloads_total", result="failed") or 0
        write_config('[components.gaussian_blur]\nmode = "sideways"\n')
        deadline = time.time() + 10
        while time.time() < deadline and (sample_value(metrics(client), "switchyard_config_reloads_total", result="failed") or 0) <= failed_before:
            time.sleep(0.05)
        check((sample_value(metrics(client), "switchyard_config_reloads_total", result="failed") or 0) == failed_before + 1, "bad config edit not counted once")
        check(mode_of(routes(client)) == "rust", "the last good config stopped serving after a bad edit")
        status, _, _ = post_image(client, "rose.ppm", ["gaussian_blur:sigma=2"])
        check(status == 200, "serving after a bad edit: %d" % status)

        check_bad_requests(client, port)
        check_timeout(client)
        write_config(config_text("legacy"))
        wait_for(client, lambda r: mode_of(r) == "legacy" and failpoint_of(r) == "", "legacy again")
        check_many_clients(port)

        text = metrics(client)
        check_prometheus(text)
        for family in ["imgkit_http_requests_total", "imgkit_http_request_duration_seconds_bucket", "imgkit_http_requests_in_flight", "switchyard_fallbacks_total"]:
            check(family in text, "/metrics lacks " + family)
        check((sample_value(text, "imgkit_http_requests_total", code="413") or 0) >= 4, "413s not counted by code")
        client.close()

        check_drain(server, port)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    log = open(STDERR, "rb").read().decode(errors="replace")
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    panic_lines = [line for line in lines if line.get("request_id") == "panic-request-1"]
    check(len(panic_lines) == 1, "access log: no line for request panic-request-1")
    if panic_lines:
        line = panic_lines[0]
        for key in ["method", "path", "status", "bytes", "duration_ms", "request_id", "routes"]:
            check(key in line, "access log line lacks " + key)
        check(any(r.get("component") == "gaussian_blur" and r.get("fallback") == "panic" for r in line["routes"]),
              "access log: the panic fallback is not in the request's routes: %r" % line["routes"])
    check(sum(1 for line in log.splitlines() if "sideways" in line) == 1, "the bad config edit was not logged exactly once")
    if failures:
        print("%d failures; server log in %s" % (len(failures), STDERR))
        return 1
    print("serve test: all checks passed")
    shutil.rmtree(WORK, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
