"""Benchmark of the rules core: cold load of the rules folder, and assessments per jurisdiction.

Run: .venv/bin/python bench/bench_rules.py [--situations 300] [--rules DIR] [--against REV]

Times are CPU time (time.process_time; on a shared machine wall time mostly measures the
neighbours), printed with ratios against baselines measured in the same run, so they mean
something on any machine:
- cold load: `json.loads` of the same data, and `yaml.load` with the C loader (parsing alone,
  no line numbers, no checks);
- assess: a plain loop doing as many dict look-ups and comparisons as the jurisdiction's
  conditions hold;
- `--against REV` (may be repeated): the same assessments with the rules core of git revision
  REV (for example the last one with the compiled engine), on the same situations and rule
  files, in worker processes alternated with ours so that all see the same load. REV must be
  able to read the rules folder: when the schema has moved since, pass `--rules` a copy of
  the folder as it was then.
Targets (issue 10): assess <= 2 ms per jurisdiction, cold load <= 300 ms with the corpus of
published cases present.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from caseprep.rules import assess, dates, load_catalog, load_jurisdictions, reasons
from caseprep.rules.catalog import CATALOG_FILE, default_rules_dir
from caseprep.rules.corpus import load_cases
from caseprep.rules.loader import clear_caches, rule_files
from caseprep.rules.yamlsource import load_yaml

REPO = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 25)
LANGS = ("en", "zh_Hans")
TARGET_ASSESS = 0.002
TARGET_LOAD = 0.3


def _cpu(fn, repeat: int) -> float:
    """The fastest of `repeat` runs, in CPU seconds: the run least disturbed by the others."""
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        fn()
        best = min(best, time.process_time() - started)
    return best


def _comparisons(jurisdiction) -> list[tuple[str, object]]:
    """(fact, value) of every comparison in the routes' conditions and thresholds."""
    found = []

    def walk(node):
        if hasattr(node, "fact"):
            found.append((node.fact, node.value))
        for part in getattr(node, "parts", None) or ([node.part] if hasattr(node, "part")
                                                      else []):
            walk(part)

    for route in jurisdiction.routes:
        for node in [route._condition] + [g._condition for g in route.thresholds]:
            if node is not None:
                walk(node)
    return found


def _random_value(rng: random.Random, fact, near: list):
    if fact.type == "bool":
        return rng.random() < 0.5
    if fact.type == "int":
        if near and rng.random() < 0.7:
            return max(0, int(rng.choice(near) * rng.uniform(0.3, 1.5)))
        return rng.randint(0, 300_000)
    if fact.type == "enum":
        return rng.choice(fact.values)
    if fact.type == "list":
        values = fact.values or ["a", "b"]
        return rng.sample(values, rng.randint(0, min(3, len(values))))
    if fact.type == "date":
        day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 4000))
        return day.isoformat()[:7] if rng.random() < 0.15 else day.isoformat()  # some "YYYY-MM"
    return "text"


def situations(jurisdiction, count: int, seed: int = 2) -> list[dict]:
    """Random partial situations over the facts the rule file uses (about half answered),
    as JSON-able answers, the same in every process."""
    rng = random.Random(seed)
    near: dict[str, list] = {}
    used = set()
    for fact, value in _comparisons(jurisdiction):
        used.add(fact)
        if isinstance(value, int) and not isinstance(value, bool):
            near.setdefault(fact, []).append(value)
    for route in jurisdiction.routes:
        used.update(d.from_fact for d in route.deadlines)
    catalog = jurisdiction.catalog
    ordered = [f for f in catalog.facts if f in used]
    return [{f: _random_value(rng, catalog.facts[f], near.get(f, []))
             for f in ordered if rng.random() < 0.5} for _ in range(count)]


# --- assessments ---------------------------------------------------------------------------

def measure_assess(folder: Path, count: int, repeat: int) -> dict:
    """{code: {"en": s, "zh_Hans": s, "dict": s, "loop": s}} CPU seconds per situation."""
    out = {}
    for code, j in sorted(load_jurisdictions(folder).items()):
        cases = situations(j, count)
        row = {}
        for lang in LANGS:
            assess(j, cases[0], lang, today=TODAY)  # translations read once per process
            row[lang] = _cpu(lambda j=j, lang=lang, cases=cases: [
                assess(j, f, lang, today=TODAY) for f in cases], repeat) / count
        # The results page and the API turn each assessment into its dict.
        row["dict"] = _cpu(lambda j=j, cases=cases: [
            assess(j, f, "zh_Hans", today=TODAY).to_dict() for f in cases], repeat) / count
        pairs = _comparisons(j)
        known = [j.catalog.coerce(f) for f in cases]

        def loop(pairs=pairs, known=known):
            hits = 0
            for facts in known:
                for fact, value in pairs:
                    have = facts.get(fact)
                    if have is not None and have == value:
                        hits += 1
            return hits

        row["loop"] = _cpu(loop, repeat) / count
        row["routes"], row["comparisons"] = len(j.routes), len(pairs)
        out[code] = row
    return out


def _tree_of(rev: str, into: Path) -> Path:
    """The rules core of git revision `rev`, importable from `into` (translations shared)."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", rev, "caseprep"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    (into / "translations").symlink_to(REPO / "translations")
    return into


def _worker(tree: Path, folder: Path, count: int, repeat: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, __file__, "--worker", "--rules", str(folder),
                           "--situations", str(count), "--repeat", str(repeat)],
                          env=env, capture_output=True, text=True, cwd=tree)
    if done.returncode:
        sys.exit(f"the worker for {tree} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout)


def compare_assess(folder: Path, count: int, repeat: int, rounds: int,
                   against: list[str]) -> dict[str, dict]:
    """{"now": ours, REV: theirs, ...}, each the median over `rounds` alternated workers."""
    with tempfile.TemporaryDirectory() as tmp:
        trees = {"now": REPO}
        for n, rev in enumerate(against):
            (Path(tmp) / str(n)).mkdir()
            trees[rev] = _tree_of(rev, Path(tmp) / str(n))
        runs: dict[str, list[dict]] = {name: [] for name in trees}
        for _ in range(rounds):
            for name, tree in trees.items():
                runs[name].append(_worker(tree, folder, count, repeat))
    merged = {}
    for name, results in runs.items():
        merged[name] = {code: {key: statistics.median(r[code][key] for r in results)
                               for key in results[0][code]}
                        for code in results[0]}
    return merged


# --- what each cache of the rules core saves ---------------------------------------------------

@contextlib.contextmanager
def _uncached(module, name: str):
    """`module.name` without its functools cache while inside."""
    cached = getattr(module, name)
    setattr(module, name, cached.__wrapped__)
    try:
        yield
    finally:
        setattr(module, name, cached)


def measure_caches(folder: Path, count: int,
                   repeat: int) -> tuple[str, list[tuple[str, float]], float]:
    """The largest rule file's assessment (zh_Hans) with every cache, then without each one;
    and what a request pays to get the loaded rules (cached) against a cold load."""
    found = load_jurisdictions(folder)
    j = max(found.values(), key=lambda j: len(_comparisons(j)))
    cases = situations(j, count)

    def run():
        for facts in cases:
            assess(j, facts, "zh_Hans", today=TODAY)

    rows = [("every cache", _cpu(run, repeat) / count)]
    for label, module, names in (
            ("without the rendered reasons (reasons._compare, not_answered)", reasons,
             ("_compare", "not_answered")),
            ("without the dates said in words (dates.spoken)", dates, ("spoken",))):
        with contextlib.ExitStack() as stack:
            for name in names:
                stack.enter_context(_uncached(module, name))
            rows.append((label, _cpu(run, repeat) / count))
    calls = 1000
    looks = _cpu(lambda: [(load_jurisdictions(folder), load_catalog(folder))
                          for _ in range(calls)], repeat) / calls
    return j.code, rows, looks


# --- cold load -----------------------------------------------------------------------------

def bench_load(folder: Path, repeat: int) -> dict:
    """Cold load (every cache cleared) of the rules folder, of its corpus, and the baselines."""
    def cold():
        clear_caches()
        load_jurisdictions(folder)

    load = _cpu(cold, repeat)
    jurisdictions = load_jurisdictions(folder)
    corpus = _cpu(lambda: [load_cases(folder, j) for j in jurisdictions.values()], repeat)
    files = [folder / CATALOG_FILE, *rule_files(folder)]
    if (folder / "platforms.yaml").is_file():
        files.append(folder / "platforms.yaml")
    blobs = [json.dumps(load_yaml(p)[0], default=str) for p in files]
    texts = [p.read_text(encoding="utf-8") for p in files]
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return {
        "load": load,
        "corpus": corpus,
        "cases": sum(len(load_cases(folder, j)[0]) for j in jurisdictions.values()),
        "json": _cpu(lambda: [json.loads(b) for b in blobs], repeat),
        "yaml": _cpu(lambda: [yaml.load(t, Loader=loader) for t in texts], repeat),
        "lines": sum(len(t.splitlines()) for t in texts),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--situations", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2,
                        help="alternated worker runs per engine (medians are printed)")
    parser.add_argument("--rules", type=Path, default=None)
    parser.add_argument("--against", metavar="REV", action="append", default=[],
                        help="git revision whose rules core is measured alongside")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    folder = (args.rules or default_rules_dir()).resolve()
    if args.worker:
        print(json.dumps(measure_assess(folder, args.situations, args.repeat)))
        return

    load = bench_load(folder, args.repeat)
    load_catalog(folder)
    print(f"rules folder: {folder} ({load['lines']} lines of YAML; corpus: {load['cases']} "
          f"published cases)")
    print(f"cold load of the rules folder: {load['load'] * 1000:.0f} ms (target <= 300 ms); "
          f"{load['load'] / load['yaml']:.2f}x yaml.load with the C loader "
          f"({load['yaml'] * 1000:.0f} ms), {load['load'] / load['json']:.0f}x json.loads "
          f"({load['json'] * 1000:.1f} ms)")
    print(f"  the corpus on top (only `caseprep rules test --cases` reads it): "
          f"{load['corpus'] * 1000:.0f} ms")

    measured = compare_assess(folder, args.situations, args.repeat, args.rounds, args.against)
    now = measured["now"]
    worst = 0.0
    print(f"assess, CPU ms per situation ({args.situations} situations, best of "
          f"{args.repeat}, median of {args.rounds} workers):")
    for code, row in now.items():
        per = max(row[lang] for lang in LANGS)
        worst = max(worst, per)
        line = (f"  {code:6} {row['en'] * 1000:6.3f} en, {row['zh_Hans'] * 1000:6.3f} zh_Hans; "
                f"+ to_dict {row['dict'] * 1000:6.3f}; {per / row['loop']:4.0f}x a plain loop "
                f"over its {row['comparisons']:.0f} comparisons; {row['routes']:.0f} routes")
        print(line)
        for rev in args.against:
            before = measured[rev].get(code)
            if before is not None:
                old, old_dict = max(before[lang] for lang in LANGS), before["dict"]
                print(f"    {rev}: {old * 1000:6.3f} (now {per / old:.2f}x), + to_dict "
                      f"{old_dict * 1000:6.3f} (now {row['dict'] / old_dict:.2f}x)")
    code, rows, looks = measure_caches(folder, args.situations, args.repeat)
    print(f"caches ({code}, zh_Hans, CPU ms per assessment, best of {args.repeat}):")
    for label, seconds in rows:
        print(f"  {label}: {seconds * 1000:.3f} ms ({seconds / rows[0][1]:.2f}x)")
    print(f"  the loaded rules, as a request gets them (load_jurisdictions + load_catalog, "
          f"cached by the files' times): {looks * 1e6:.1f} us, against a cold load "
          f"{load['load'] / looks:,.0f}x as long")
    ok = load["load"] <= TARGET_LOAD and worst <= TARGET_ASSESS
    print(f"worst assess {worst * 1000:.3f} ms; verdict: {'OK' if ok else 'OVER TARGET'}")


if __name__ == "__main__":
    main()
