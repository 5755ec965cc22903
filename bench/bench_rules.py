"""Benchmark of the rules core: cold load of all rule files, and assessments per jurisdiction.

Run: .venv/bin/python bench/bench_rules.py [--situations 1000] [--rules DIR]
Times are CPU time (time.process_time), printed with ratios against baselines measured in
the same run (json-loading the same data; a plain Python loop doing as many dict comparisons
as an assessment evaluates), so they mean something on any machine. Targets (issue 2):
load < 300 ms, assess < 1 ms per jurisdiction per situation.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import time
from pathlib import Path

from caseprep.rules import assess, load_catalog, load_jurisdictions, next_questions
from caseprep.rules.catalog import CATALOG_FILE, default_rules_dir
from caseprep.rules.conditions import AllOf, AnyOf, AtLeastN, Compare, Not
from caseprep.rules.loader import clear_caches, rule_files
from caseprep.rules.yamlsource import load_yaml


def _leaves(node) -> list[Compare]:
    if isinstance(node, Compare):
        return [node]
    if isinstance(node, Not):
        return _leaves(node.part)
    if isinstance(node, AllOf | AnyOf | AtLeastN):
        return [c for p in node.parts for c in _leaves(p)]
    return []


def _route_leaves(jurisdiction) -> list[Compare]:
    leaves = []
    for route in jurisdiction.routes:
        for node in [route._condition] + [g._condition for g in route.thresholds]:
            if node is not None:
                leaves.extend(_leaves(node))
    return leaves


def _random_value(rng: random.Random, fact, thresholds: list[int]):
    if fact.type == "bool":
        return rng.random() < 0.5
    if fact.type == "int":
        if thresholds and rng.random() < 0.7:
            return max(0, int(rng.choice(thresholds) * rng.uniform(0.3, 1.5)))
        return rng.randint(0, 300_000)
    if fact.type == "enum":
        return rng.choice(fact.values)
    if fact.type == "list":
        values = fact.values or ["a", "b"]
        return rng.sample(values, rng.randint(0, min(3, len(values))))
    if fact.type == "date":
        return dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 2500))
    return "text"


def situations(catalog, jurisdictions, count: int, seed: int = 2) -> list[dict]:
    """Random partial situations over the facts the rule files use (about half answered)."""
    rng = random.Random(seed)
    thresholds: dict[str, list[int]] = {}
    used: set[str] = set()
    for j in jurisdictions.values():
        for leaf in _route_leaves(j):
            used.add(leaf.fact)
            if isinstance(leaf.value, int) and not isinstance(leaf.value, bool):
                thresholds.setdefault(leaf.fact, []).append(leaf.value)
        for route in j.routes:
            used.update(d.from_fact for d in route.deadlines)
    ordered = [f for f in catalog.facts if f in used]
    out = []
    for _ in range(count):
        facts = {}
        for fact_id in ordered:
            if rng.random() < 0.5:
                facts[fact_id] = _random_value(rng, catalog.facts[fact_id],
                                               thresholds.get(fact_id, []))
        out.append(facts)
    return out


def _time(fn, repeat: int) -> list[float]:
    """CPU seconds of each run: on a shared machine wall time mostly measures the neighbours."""
    times = []
    for _ in range(repeat):
        started = time.process_time()
        fn()
        times.append(time.process_time() - started)
    return times


def bench_load(folder: Path, repeat: int) -> tuple[float, float, float]:
    """Median cold-load time, and the json / plain-YAML baselines on the same data."""
    def cold():
        clear_caches()
        load_jurisdictions(folder)

    load = statistics.median(_time(cold, repeat))
    files = [folder / CATALOG_FILE, *rule_files(folder)]
    blobs = [json.dumps(load_yaml(p)[0], default=str) for p in files]
    json_base = statistics.median(_time(lambda: [json.loads(b) for b in blobs], repeat))
    import yaml

    texts = [p.read_text() for p in files]
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    yaml_base = statistics.median(_time(lambda: [yaml.load(t, Loader=loader) for t in texts],
                                        repeat))
    return load, json_base, yaml_base


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--situations", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--rules", type=Path, default=None)
    args = parser.parse_args()
    folder = (args.rules or default_rules_dir()).resolve()

    load, json_base, yaml_base = bench_load(folder, args.repeat)
    jurisdictions = load_jurisdictions(folder)
    catalog = load_catalog(folder)
    lines = sum(len(p.read_text().splitlines()) for p in rule_files(folder))
    print(f"rules folder: {folder} ({len(jurisdictions)} jurisdictions, {lines} lines + catalog)")
    print(f"cold load of all files: {load * 1000:.1f} ms (target < 300 ms); "
          f"{load / json_base:.0f}x json.loads of the same data ({json_base * 1000:.2f} ms), "
          f"{load / yaml_base:.1f}x plain yaml.load ({yaml_base * 1000:.1f} ms)")

    cases = situations(catalog, jurisdictions, args.situations)
    today = dt.date(2026, 11, 25)
    worst = 0.0
    for code, j in sorted(jurisdictions.items()):
        leaves = _route_leaves(j)
        pairs = [(leaf.fact, leaf.value) for leaf in leaves]
        assess(j, cases[0], today=today)  # warm caches (catalog translations)
        per = statistics.median(_time(lambda j=j: [assess(j, f, today=today) for f in cases],
                                      3)) / len(cases)
        per_zh = statistics.median(_time(
            lambda j=j: [assess(j, f, lang="zh_Hans", today=today) for f in cases], 3)) / len(cases)

        def baseline(pairs=pairs):
            hits = 0
            for facts in cases:
                for fact, value in pairs:
                    have = facts.get(fact)
                    if have is not None and have == value:
                        hits += 1
            return hits

        base = statistics.median(_time(baseline, 3)) / len(cases)
        worst = max(worst, per, per_zh)
        print(f"assess {code}: {per * 1000:.3f} ms per situation (zh_Hans {per_zh * 1000:.3f} ms;"
              f" target < 1 ms), {len(j.routes)} routes, {len(leaves)} comparisons; "
              f"{per / base:.0f}x a plain loop doing the same {len(leaves)} dict comparisons "
              f"({base * 1e6:.1f} us)")
        # The results page turns each assessment into its dict (docs/architecture.md).
        with_dict = statistics.median(_time(
            lambda j=j: [assess(j, f, lang="zh_Hans", today=today).to_dict() for f in cases],
            3)) / len(cases)
        print(f"  assess {code} + to_dict(), zh_Hans: {with_dict * 1000:.3f} ms per situation")
    # What a request pays to get the (already loaded) rules: the web app asks every time.
    calls = 2000
    looks = statistics.median(_time(
        lambda: [(load_jurisdictions(folder), load_catalog(folder)) for _ in range(calls)], 3))
    print(f"cached load_jurisdictions() + load_catalog(): {looks / calls * 1e6:.1f} us per pair "
          f"of calls")
    started = time.process_time()
    for facts in cases:
        next_questions(jurisdictions, facts)
    nq = (time.process_time() - started) / len(cases)
    print(f"next_questions over all jurisdictions: {nq * 1000:.3f} ms per situation")
    verdict = "OK" if load < 0.3 and worst < 0.001 else "OVER TARGET"
    print(f"{args.situations} situations; verdict: {verdict}")


if __name__ == "__main__":
    main()
