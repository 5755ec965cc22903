"""Load on loopback: many concurrent wizard sessions against `caseprep serve` for a minute.

Prints saves/s, p50/p99 of one wizard step (GET the page + POST the answer + follow the
redirect), errors, answers lost, and the ratio of step throughput to a baseline measured in
the same run: a GET of a static file at the same concurrency on the same server.

    .venv/bin/python bench/bench_load.py [--sessions 50] [--seconds 60] [--threads 8]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.faults.live_server import LiveServer  # noqa: E402
from tests.faults.load_driver import read_back, run_baseline, run_load, summary  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--threads", type=int, default=8, help="waitress threads")
    parser.add_argument("--baseline-seconds", type=float, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = LiveServer(Path(tmp) / "instance", threads=args.threads,
                            env={"CASEPREP_TRUSTED_PROXIES": "1",
                                 "CASEPREP_KDF_N": str(2**14)}).start()
        try:
            baseline = run_baseline(server.url(""), args.sessions, args.baseline_seconds,
                                    "/static/css/caseprep.css")
            results = run_load(server.url(""), args.sessions, args.seconds)
            figures = summary(results, args.seconds)
            lost = 0
            for result in results:
                if not result.code:
                    continue
                stored = read_back(server.url(""), result)
                lost += sum(stored.get(f) != v for f, v in result.saved.items())
        finally:
            server.stop()
    print(f"sessions:            {figures['sessions']} for {args.seconds:.0f} s "
          f"(waitress threads: {args.threads})")
    print(f"wizard steps saved:  {figures['saves']} ({figures['saves_per_s']:.1f}/s)")
    print(f"step latency:        p50 {figures['p50_ms']:.0f} ms, p99 {figures['p99_ms']:.0f} ms")
    print(f"errors:              {figures['errors']}")
    samples = [e for r in results for e in r.errors][:5]
    if samples:
        print(f"error samples:       {samples}")
    print(f"answers lost:        {lost}")
    print(f"baseline static GET: {baseline:.1f}/s")
    print(f"ratio step/baseline: {figures['saves_per_s'] / baseline:.3f} "
          "(each step is 3 requests with decryption, validation and an encrypted write)")


if __name__ == "__main__":
    main()
