"""Benchmark of a state chosen with its country (`extends`): what one situation costs when
choosing California assesses us-ca's routes and the federal ones side by side (issue 17).

Run: .venv/bin/python bench/bench_states.py [--situations 200] [--rules DIR]

CPU time (time.process_time), the fastest of a few runs, per situation, in both languages of
the US files; printed against the country's file alone, measured in the same run on the same
situations, so the ratio means something on any machine. Target: <= 2 ms per state with its
country.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from pathlib import Path

from caseprep.rules import assess, load_jurisdictions

TODAY = dt.date(2026, 11, 25)
LANGS = ("en", "zh_Hans")
TARGET = 0.002


def _cpu(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        fn()
        best = min(best, time.process_time() - started)
    return best


def _value(rng: random.Random, fact):
    if fact.type == "bool":
        return rng.random() < 0.5
    if fact.type == "int":
        return rng.randint(0, 500)
    if fact.type in ("enum", "list"):
        values = list(fact.values or ["other"])
        return rng.choice(values) if fact.type == "enum" else rng.sample(
            values, rng.randint(0, min(2, len(values))))
    if fact.type == "date":
        return (dt.date(2013, 1, 1) + dt.timedelta(days=rng.randint(0, 5000))).isoformat()
    return "text"


def situations(state, count: int, seed: int = 17) -> list[dict]:
    """Random answers to about half of the questions of the shared catalog (the state and its
    country read the same facts)."""
    rng = random.Random(seed)
    catalog = state.catalog
    asked = [fid for fid, fact in catalog.facts.items()
             if fact.type != "text" and not fact.derived_from]
    return [{fid: _value(rng, catalog.facts[fid]) for fid in asked if rng.random() < 0.5}
            for _ in range(count)]


def _per_situation(files: list, cases: list[dict], lang: str) -> float:
    """CPU seconds per situation to assess every file in `files`, as the results page does."""
    for jurisdiction in files:  # translations are read once per process
        assess(jurisdiction, cases[0], lang, today=TODAY)

    def run():
        for facts in cases:
            for jurisdiction in files:
                assess(jurisdiction, facts, lang, today=TODAY)

    return _cpu(run) / len(cases)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--situations", type=int, default=200)
    parser.add_argument("--rules", type=Path, default=None)
    args = parser.parse_args()
    found = load_jurisdictions(args.rules)
    worst = 0.0
    print(f"assess, CPU ms per situation ({args.situations} situations, best of 3):")
    for code in sorted(c for c in found if found[c].extends):
        state, parent = found[code], found[found[code].extends]
        cases = situations(state, args.situations)
        both = max(_per_situation([state, parent], cases, lang) for lang in LANGS)
        alone = max(_per_situation([parent], cases, lang) for lang in LANGS)
        worst = max(worst, both)
        print(f"  {code:6} with {state.extends}: {both * 1000:6.3f} ms "
              f"({both / alone:.2f}x {state.extends} alone, {alone * 1000:.3f} ms; "
              f"{len(state.routes)} + {len(parent.routes)} routes)")
    print(f"worst {worst * 1000:.3f} ms; target <= {TARGET * 1000:.0f} ms per state: "
          f"{'OK' if worst <= TARGET else 'OVER TARGET'}")


if __name__ == "__main__":
    main()
