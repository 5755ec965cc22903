"""Benchmark: DOCX generation (caseprep/documents/docx.py) before and after, in the same run.

Issue 11, "Speed": the DOCX part of the motivating-case packet. The "before" renderer is
docx.py as of git revision --base (loaded from git, not imported), the "after" one is the
working tree's. Both render the same documents from the same HTML, built as
bench/bench_documents.py builds its packets: the motivating case (cn) downloaded from the
Chinese and from the English interface, plus a US adult case (en) and the Korean adult case
(ko) to check the output of the other fonts and languages.

For every document it first checks that both renderers write the same DOCX: every part of
the ZIP (word/document.xml, word/styles.xml, headers, footers, docProps, ...) byte for byte,
and names each part that differs. Then it times render_docx over all of a packet's
documents (the HTML is rendered beforehand: that cost belongs to the HTML step), before and
after alternately, each after a garbage collection; CPU is the best of --repeat rounds.

    .venv/bin/python bench/bench_docx.py [--base REV] [--repeat 5] [--dump DIR]

--dump DIR writes each document's word/document.xml and word/styles.xml, before and after,
under DIR for a diff.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import subprocess
import sys
import time
import types
import zipfile
from pathlib import Path

from caseprep.documents import docx as docx_after
from caseprep.documents import html as html_render
from caseprep.documents import service
from caseprep.rules import load_jurisdictions

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import bench_documents as packet_bench  # noqa: E402  (the packet as bench_documents builds it)

# docx.py before the issue-11 DOCX speed-up.
BASE = "3eb4781"
US_DETAILS = {"victim.name": "Alex Rivera", "victim.address": "12 Elm St, Springfield",
              "victim.contact": "alex@example.org", "perpetrator.name": "Sam Poster",
              "perpetrator.handles": "@sam_p", "narrative": "He posted my photos. " * 5}
KR_DETAILS = {"victim.name": "김某", "perpetrator.handles": "@poster_one",
              "narrative": "2025년 3월부터 단톡방에 제 사진이 올라왔습니다.\n" * 2}
# (label, jurisdiction, scenario name contains, details, evidence platform, interface)
CASES = (
    ("motivating case, Chinese interface", "cn", "motivating case", packet_bench.DETAILS,
     "telegram", "zh_Hans"),
    ("motivating case, English interface", "cn", "motivating case", packet_bench.DETAILS,
     "telegram", "en"),
    ("US adult case", "us", "ex-partner posts a real intimate image of an adult", US_DETAILS,
     "x", "en"),
    ("Korean adult case", "kr", "adult, ex-partner", KR_DETAILS, "kakaotalk", "ko"),
)


def load_before(rev: str) -> types.ModuleType:
    """caseprep/documents/docx.py as of `rev`, as a module of its own."""
    source = subprocess.run(["git", "show", f"{rev}:caseprep/documents/docx.py"], cwd=ROOT,
                            check=True, capture_output=True, text=True).stdout
    module = types.ModuleType("docx_before")
    exec(compile(source, f"{rev}:caseprep/documents/docx.py", "exec"), module.__dict__)
    return module


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def compare(before: types.ModuleType, markups, dump: Path | None) -> list[str]:
    """The documents whose DOCX differ, with the parts that differ."""
    differences = []
    for doc, markup in markups:
        old = parts(before.render_docx(doc, markup))
        new = parts(docx_after.render_docx(doc, markup))
        changed = sorted(name for name in old.keys() | new.keys() if old.get(name) != new.get(name))
        if changed:
            differences.append(f"{doc.file_stem}: {', '.join(changed)}")
        if dump:
            for version, files in (("before", old), ("after", new)):
                for name in ("word/document.xml", "word/styles.xml"):
                    path = dump / version / doc.file_stem / name
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(files[name])
    return differences


def best_cpu(renderers: dict, markups, repeat: int) -> dict[str, float]:
    """Best CPU seconds of rendering every document, per renderer, measured alternately."""
    times: dict[str, list[float]] = {name: [] for name in renderers}
    for _ in range(repeat):
        for name, render in renderers.items():
            gc.collect()
            start = time.process_time()
            for doc, markup in markups:
                render(doc, markup)
            times[name].append(time.process_time() - start)
    return {name: min(samples) for name, samples in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default=BASE, help="git revision of the 'before' docx.py")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--dump", type=Path, help="write document.xml/styles.xml here")
    args = parser.parse_args()
    before = load_before(args.base)
    jurisdictions = load_jurisdictions()
    renderers = {"before": before.render_docx, "after": docx_after.render_docx}
    all_same = True
    for label, code, scenario, details, platform, ui_lang in CASES:
        juris = jurisdictions[code]
        facts = packet_bench._scenario(juris, scenario)
        evidence = packet_bench._evidence(34, platform)
        docs = service.packet_documents(juris, facts, details, evidence, None, ui_lang,
                                        packet_bench.TODAY)
        markups = [(doc, html_render.render_html(doc)) for doc in docs]
        differences = compare(before, markups, args.dump)
        all_same = all_same and not differences
        cpu = best_cpu(renderers, markups, args.repeat)
        print(f"{label}: {len(docs)} DOCX, before ({args.base}) {cpu['before']:.3f} s CPU, "
              f"after {cpu['after']:.3f} s CPU: ratio {cpu['after'] / cpu['before']:.2f}; "
              + ("every part identical" if not differences
                 else f"{len(differences)} differ: " + "; ".join(differences)))
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average at the end (1, 5, 15 min): {load} on {os.cpu_count()} CPUs")
    sys.exit(0 if all_same else 1)


if __name__ == "__main__":
    main()
