"""Wizard step under load on loopback, against a minimal Flask route in the same run.

A "step" is what a browser does on "Save and continue": POST the answers (CSRF token,
session cookie), get a 303, GET the next page. The same is measured against a minimal
Flask app (POST -> 303 -> GET a short page), served the same way (waitress, same thread
count, own process), so the ratio shows caseprep's own cost, not the machine's. A third
run puts the same two-line route inside caseprep's app ("in-app"), to split that cost into
the per-request layer every page pays and the wizard's own work.

    .venv/bin/python bench/bench_wizard.py [--seconds 8] [--workers 4] [--server-threads 4]

Target (issue 3): wizard throughput >= 0.5 x the minimal route's, wizard p99 < 100 ms.

With --processes it measures instead what `caseprep serve --workers 2` gains over one
process (the real command, Redis for rate limits and queue in both runs, same run, same
clients): target (issue 14) >= 1.6 x the one-process step throughput on 2 cores, p99 <= 100 ms
at 8 clients. It needs Redis and empties the database named by --redis-url (default 12,
kept for this bench) before each run, so case creations are not rate-limited.

    .venv/bin/python bench/bench_wizard.py --processes [--workers 8] [--seconds 8]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from urllib.parse import urlencode

import redis

SERVER = r"""
import sys, tempfile
from waitress import create_server
kind, threads = sys.argv[1], int(sys.argv[2])
if kind in ("wizard", "in-app"):
    from caseprep import create_app
    app = create_app({"instance_path": tempfile.mkdtemp(prefix="caseprep-bench-"),
                      "env": "development", "kdf_n": 2**14})
    if kind == "in-app":
        from flask import redirect
        from caseprep.appshell.extensions import csrf
        def step():
            return redirect("/bench/next", code=303)
        def next_page():
            return "<!doctype html><p>next</p>"
        app.add_url_rule("/bench/step", "bench_step", csrf.exempt(step), methods=["POST"])
        app.add_url_rule("/bench/next", "bench_next", next_page)
else:
    from flask import Flask, redirect
    app = Flask("minimal")
    @app.post("/step")
    def step():
        return redirect("/next", code=303)
    @app.get("/next")
    def next_page():
        return "<!doctype html><p>next</p>"
# As `caseprep serve` does before it serves (caseprep/serving.py); the bare app gets the
# same collector settings, so the comparison is of the apps, not of the GC settings.
from caseprep.serving import prepare_for_serving, tune_collector
if kind == "minimal":
    tune_collector()
else:
    prepare_for_serving(app)
server = create_server(app, host="127.0.0.1", port=0, threads=threads)
print(server.effective_port, flush=True)
server.run()
"""
PASSPHRASE = "bench passphrase 2026"
TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


class Client:
    """One browser: a keep-alive connection and a cookie jar of one cookie."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookie = ""

    def request(self, method: str, path: str, form: dict | None = None):
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read().decode("utf-8", "replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("caseprep_session="):
                self.cookie = value.split(";", 1)[0]
        return response.status, response.getheader("Location"), data


def _start(kind: str, threads: int):
    proc = subprocess.Popen([sys.executable, "-c", SERVER, kind, str(threads)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    port = int(proc.stdout.readline())
    return proc, port


def _wizard_client(port: int):
    """Open a case, then return a step function: save the evidence page, follow the 303."""
    client = Client(port)
    _, _, page = client.request("GET", "/new")
    status, _, _ = client.request("POST", "/new", {
        "csrf_token": TOKEN.search(page).group(1), "passphrase": PASSPHRASE,
        "passphrase_again": PASSPHRASE, "locale": "en", "lives_in": "cn"})
    assert status == 303, status
    _, _, page = client.request("GET", "/wizard/evidence")
    token = TOKEN.search(page).group(1)
    asked = re.search(r'name="asked" value="([^"]*)"', page).group(1)
    counter = iter(range(10**9))

    def step():
        status, location, _ = client.request("POST", "/wizard/evidence", {
            "csrf_token": token, "asked": asked,
            "f_evidence__images_count": str(next(counter) % 500), "go": "next"})
        assert status == 303, status
        status, _, _ = client.request("GET", location)
        assert status == 200, status

    return step


def _minimal_client(port: int, path: str = "/step"):
    client = Client(port)

    def step():
        status, location, _ = client.request("POST", path, {"answer": "34"})
        assert status == 303, status
        status, _, _ = client.request("GET", location)
        assert status == 200, status

    return step


def _load(make_step, port: int, workers: int, seconds: float) -> list[float]:
    steps = [make_step(port) for _ in range(workers)]
    for step in steps:  # warm up: templates, rule files, connection
        step()
    latencies: list[list[float]] = [[] for _ in range(workers)]
    deadline = time.perf_counter() + seconds

    def run(i):
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            steps[i]()
            latencies[i].append(time.perf_counter() - start)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [x for per in latencies for x in per]


def _summary(name: str, samples: list[float], seconds: float) -> dict:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    result = {"name": name, "n": len(samples), "rps": len(samples) / seconds,
              "p50": statistics.median(ordered) * 1000, "p99": p99 * 1000}
    print(f"{name:>8}: {result['n']:6d} steps  {result['rps']:8.1f} steps/s  "
          f"p50 {result['p50']:6.1f} ms  p99 {result['p99']:6.1f} ms")
    return result


def _start_serve(processes: int, threads: int, redis_url: str):
    """`caseprep serve --workers N` with a fresh instance folder; (process, port)."""
    redis.Redis.from_url(redis_url).flushdb()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "CASEPREP_INSTANCE_PATH": tempfile.mkdtemp(prefix="caseprep-bench-"),
           "CASEPREP_REDIS_URL": redis_url, "CASEPREP_KDF_N": str(2**14),
           "CASEPREP_LOG_LEVEL": "ERROR"}
    proc = subprocess.Popen([sys.executable, "-m", "caseprep.cli", "serve", "--port", str(port),
                             "--workers", str(processes), "--threads", str(threads)],
                            env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, port
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("caseprep serve did not start")


def _compare_processes(args, clients: int, seconds: float) -> int:
    print(f"{clients} clients, {seconds:.0f} s each, `caseprep serve --threads "
          f"{args.server_threads}` with 1 and 2 processes (Redis {args.redis_url})")
    results = {}
    for processes in (1, 2):
        proc, port = _start_serve(processes, args.server_threads, args.redis_url)
        try:
            results[processes] = _summary(f"{processes} proc", _load(
                _wizard_client, port, clients, seconds), seconds)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    ratio = results[2]["rps"] / results[1]["rps"]
    print(f"throughput ratio 2 processes / 1: {ratio:.2f} (target >= 1.60); "
          f"p99 with 2 processes {results[2]['p99']:.1f} ms at {clients} clients "
          f"(target <= 100 ms)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--workers", type=int, default=4, help="concurrent clients (max 16)")
    parser.add_argument("--server-threads", type=int, default=4)
    parser.add_argument("--processes", action="store_true",
                        help="compare `caseprep serve --workers 2` with one process")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12",
                        help="for --processes: a Redis database this bench may empty")
    args = parser.parse_args()
    workers = max(1, min(args.workers, 16))
    seconds = max(1.0, min(args.seconds, 60.0))
    if args.processes:
        return _compare_processes(args, workers, seconds)
    print(f"{workers} clients, {seconds:.0f} s each, waitress with {args.server_threads} threads")
    results = {}
    clients = (("minimal", _minimal_client),
               ("in-app", lambda port: _minimal_client(port, "/bench/step")),
               ("wizard", _wizard_client))
    for kind, make_step in clients:
        proc, port = _start(kind, args.server_threads)
        try:
            results[kind] = _summary(kind, _load(make_step, port, workers, seconds), seconds)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    ratio = results["wizard"]["rps"] / results["minimal"]["rps"]
    print(f"throughput ratio wizard/minimal: {ratio:.2f} (target >= 0.50); "
          f"wizard p99 {results['wizard']['p99']:.1f} ms (target < 100 ms)")
    in_app = results["wizard"]["rps"] / results["in-app"]["rps"]
    framework = results["in-app"]["rps"] / results["minimal"]["rps"]
    print(f"for reading it: in-app/minimal {framework:.2f} (caseprep's per-request layer: "
          f"session, CSRF, limits, headers, access log), wizard/in-app {in_app:.2f}")
    return 0


if __name__ == "__main__":
    tempfile.tempdir = None
    sys.exit(main())
