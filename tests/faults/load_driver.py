"""Concurrent wizard sessions against a live `caseprep serve`, for the load test and
bench/bench_load.py: each session creates a case through the pages, then saves answers
step after step; afterwards every session's last acknowledged answers are read back."""

from __future__ import annotations

import re
import statistics
import threading
import time
from dataclasses import dataclass, field

import requests

PASSPHRASE = "load test passphrase 4471"
STEPS = (("evidence", "f_evidence__images_count", "evidence.images_count"),
         ("where", "f_distribution__audience_max", "distribution.audience_max"))


@dataclass
class SessionResult:
    address: str
    code: str = ""
    saved: dict = field(default_factory=dict)  # fact -> last acknowledged value
    latencies: list = field(default_factory=list)
    errors: list = field(default_factory=list)


def _token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    if not match:
        raise AssertionError("no CSRF token on the page")
    return match.group(1)


def _hidden(html: str) -> dict:
    fields = {}
    for tag in re.findall(r'<input[^>]*type="hidden"[^>]*>', html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


def run_session(base: str, result: SessionResult, deadline: float) -> None:
    http = requests.Session()
    http.headers["X-Forwarded-For"] = result.address  # one client each (trusted proxy: 1)
    try:
        page = http.get(f"{base}/new", timeout=30).text
        created = http.post(f"{base}/new", timeout=30, allow_redirects=False, data={
            "csrf_token": _token(page), "passphrase": PASSPHRASE,
            "passphrase_again": PASSPHRASE, "locale": "en", "lives_in": "cn"})
        if created.status_code != 303:
            result.errors.append(("create", created.status_code))
            return
        done = http.get(base + created.headers["Location"], timeout=30).text
        result.code = re.search(r'id="case-code">([^<]+)<', done).group(1)
        value = 0
        while time.monotonic() < deadline:
            value += 1
            step, field_name, fact = STEPS[value % len(STEPS)]
            started = time.perf_counter()
            page = http.get(f"{base}/wizard/{step}", timeout=30)
            saved = http.post(f"{base}/wizard/{step}", timeout=30, allow_redirects=True,
                              data={**_hidden(page.text), field_name: str(value), "next": "1"})
            result.latencies.append(time.perf_counter() - started)
            if page.status_code != 200 or saved.status_code != 200 or \
                    not saved.history or saved.history[0].status_code != 303:
                result.errors.append((step, page.status_code, saved.status_code))
                continue
            result.saved[fact] = value
    except requests.RequestException as exc:
        result.errors.append(("exception", repr(exc)))


def read_back(base: str, result: SessionResult) -> dict:
    response = requests.post(f"{base}/api/v1/sessions", timeout=30,
                             headers={"X-Forwarded-For": result.address},
                             json={"code": result.code, "passphrase": PASSPHRASE})
    response.raise_for_status()
    token = response.json()["token"]
    return requests.get(f"{base}/api/v1/cases/{result.code}/facts", timeout=30,
                        headers={"Authorization": f"Bearer {token}",
                                 "X-Forwarded-For": result.address}).json()


def run_load(base: str, sessions: int, seconds: float) -> list[SessionResult]:
    deadline = time.monotonic() + seconds
    results = [SessionResult(address=f"10.77.{i // 250}.{i % 250 + 1}") for i in range(sessions)]
    threads = [threading.Thread(target=run_session, args=(base, r, deadline)) for r in results]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    return results


def summary(results: list[SessionResult], seconds: float) -> dict:
    latencies = sorted(x for r in results for x in r.latencies)
    saves = sum(len(r.latencies) for r in results)
    return {
        "sessions": len(results), "saves": saves, "saves_per_s": saves / seconds,
        "errors": sum(len(r.errors) for r in results),
        "p50_ms": statistics.median(latencies) * 1000 if latencies else None,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else None,
    }


def run_baseline(base: str, clients: int, seconds: float, path: str) -> float:
    """Requests per second of a trivial GET at the same concurrency: the ratio's baseline."""
    deadline = time.monotonic() + seconds
    counts = [0] * clients

    def loop(i):
        http = requests.Session()
        while time.monotonic() < deadline:
            if http.get(base + path, timeout=30).status_code == 200:
                counts[i] += 1

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / seconds
