"""Import time and peak memory of a generated 1,000,000-message Telegram export.

Writes result.json streaming (a supergroup with 2,000 senders; text as strings and as
entity lists, service messages, photos and videos "not included", stickers, files), then runs
`caseprep evidence import-telegram DIR --json` in a child process and reports its wall time
and peak RSS. Baseline, same file, same run: `json.load` of the whole file in a child
process (what a non-streaming parser costs). Targets: under 2 minutes and under 500 MB.

    .venv/bin/python bench/bench_evidence_telegram.py [--messages 1000000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VENV_BIN = Path(sys.executable).parent
NOT_INCLUDED = "(File not included. Change data exporting settings to download.)"


def _message(i: int, rnd: random.Random) -> dict:
    sender = rnd.randrange(2000)
    base = {"id": i, "type": "message", "date": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T"
            f"{i % 24:02d}:{i % 60:02d}:00", "date_unixtime": str(1_700_000_000 + i),
            "from": f"Member {sender} 成员", "from_id": f"user{100000 + sender}"}
    r = rnd.random()
    if r < 0.02:
        return {"id": i, "type": "service", "date": base["date"],
                "date_unixtime": base["date_unixtime"], "actor": base["from"],
                "actor_id": base["from_id"], "action": "invite_members",
                "members": ["someone"], "text": "", "text_entities": []}
    if r < 0.12:
        base.update(photo=NOT_INCLUDED, width=1280, height=960, text="")
    elif r < 0.15:
        base.update(file=NOT_INCLUDED, media_type="video_file", mime_type="video/mp4",
                    duration_seconds=12, text="")
    elif r < 0.17:
        base.update(file="stickers/sticker.webp", media_type="sticker", sticker_emoji="😀",
                    text="")
    elif r < 0.30:
        base["text"] = ["look ", {"type": "link", "text": "https://example.org/x"},
                        {"type": "bold", "text": " 看这个"}]
    else:
        base["text"] = "message text " * rnd.randrange(1, 8)
    base["text_entities"] = []
    return base


def write_export(root: Path, messages: int) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(1)
    path = root / "result.json"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('{\n "name": "Big group 大群",\n "type": "private_supergroup",\n'
                 ' "id": 1987654321,\n "messages": [\n')
        for i in range(1, messages + 1):
            fh.write("  " + json.dumps(_message(i, rnd), ensure_ascii=False, indent=None))
            fh.write(",\n" if i < messages else "\n")
        fh.write(" ]\n}\n")
    return path


def _run_measured(cmd: list[str]) -> tuple[float, float, str]:
    """Run cmd in a child; peak RSS from the child's own rusage (via a tiny wrapper)."""
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE)\n"
        "t = time.perf_counter() - t\n"
        "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "sys.stderr.write(f'{t} {rss}\\n')\n"
        "sys.stdout.buffer.write(p.stdout)\n"
        "sys.exit(p.returncode)\n"
    )
    proc = subprocess.run([sys.executable, "-c", wrapper, *cmd], capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(proc.stderr)
    seconds, rss = proc.stderr.strip().splitlines()[-1].split()
    return float(seconds), float(rss), proc.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1_000_000)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-telegram-"))
    try:
        t = time.perf_counter()
        path = write_export(root / "export", args.messages)
        size_mb = path.stat().st_size / 1e6
        print(f"generated {args.messages:,} messages, {size_mb:.0f} MB result.json "
              f"in {time.perf_counter() - t:.1f} s")
        subprocess.run(["cat", str(path)], stdout=subprocess.DEVNULL, check=True)
        ours_s, ours_mb, out = _run_measured(
            [str(VENV_BIN / "caseprep"), "evidence", "import-telegram", str(path.parent),
             "--json"])
        data = json.loads(out)
        base_s, base_mb, _ = _run_measured(
            [sys.executable, "-c", f"import json; json.load(open({str(path)!r}, 'rb'))"])
        print(f"{'':34s} {'seconds':>8s} {'peak MB':>8s}")
        print(f"{'caseprep evidence import-telegram':34s} {ours_s:8.1f} {ours_mb:8.0f}")
        print(f"{'baseline: json.load whole file':34s} {base_s:8.1f} {base_mb:8.0f}")
        print(f"ratio time ours/baseline {ours_s / base_s:.2f}, "
              f"memory ours/baseline {ours_mb / base_mb:.2f}")
        print(f"counted: {data['messages']:,} messages, {data['service_messages']:,} service, "
              f"media {data['media']}, {len(data['by_sender'])} senders")
        print("targets: < 120 s, < 500 MB:",
              "met" if ours_s < 120 and ours_mb < 500 else "NOT met",
              f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
