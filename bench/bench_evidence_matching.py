"""Matching 10 reference photos against a chat export's photos: accuracy and speed.

Part 1, accuracy: the realistic set of tests/evidence/realset.py (real photographs shipped in
scikit-image, scikit-learn and PyWavelets; every re-post transform of issue 18), precision
and recall per transform, "possible" answers counted as neither.

Part 2, speed: 1200x1600 JPEG photos made from real photographs (random crops, scales, colour
and sensor noise of the 14 sample photos that are not references, so no two are alike), plus
re-posts of the 10 references (resized, re-compressed, chat screenshot, mirrored, 20 % crop);
one strangers' picture in ten is a chat screenshot of such a photo.
The folder is filled up to --photos files with hard links to the distinct ones (decoding is
per file either way). Times, all in the same run:
  - caseprep's matcher (both stages, process pool over 2 cores): the real code path;
  - its first stage alone, and the second stage's share of pictures;
  - baseline: the matcher before issue 18 (one pHash of the draft-decoded picture), one core,
    on a sample, extrapolated to all files.
Target (issue 18): 20,000 photos against 10 references in at most 120 s on 2 cores. The
default --photos 2000 is extrapolated linearly to 20,000 (the work is per photo); pass
--photos 20000 to measure it whole.

    .venv/bin/python bench/bench_evidence_matching.py [--photos 2000] [--distinct 300]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import cv2
import imagehash
import numpy as np
from PIL import Image, ImageEnhance, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from caseprep.evidence import matching  # noqa: E402
from tests.evidence import realset  # noqa: E402

SIZE = (1200, 1600)
EXTRA_REFERENCES = 4  # the first distractor photos serve as references 7..10
SCREENSHOT_EVERY = 10  # one strangers' picture in ten is a chat screenshot (the dearest kind)
REPOSTS = ("resized", "recompressed", "chat_light", "mirrored", "crop_20")
# CPU per photo of the baseline on this machine when it was idle (2026-11-25): turns the
# measured ratios into an estimate for an idle machine.
IDLE_BASELINE_MS = 3.6


def accuracy(root: Path) -> None:
    refs, items = realset.build(root / "realset")
    matcher = matching.Matcher.from_files(refs)
    t = time.perf_counter()
    verdicts = [v for _, v in matching.classify_many(matcher, [it.path for it in items],
                                                     workers=2)]
    seconds = time.perf_counter() - t
    table: dict[str, Counter] = {}
    for item, verdict in zip(items, verdicts, strict=True):
        row = table.setdefault(item.transform, Counter())
        hit = verdict.answer == matching.MATCH
        if item.answer == "match":
            row["pos"] += 1
            row["tp"] += hit and verdict.reference == item.truth
            row["fp"] += hit and verdict.reference != item.truth
        elif item.answer == "no":
            row["neg"] += 1
            row["fp"] += hit
        row["possible"] += verdict.answer == matching.POSSIBLE
    print(f"accuracy on the realistic set ({len(items)} pictures, {seconds:.0f} s):")
    print(f"| {'transform':26s} | found | recall | false matches | precision | possible |")
    print(f"|{'-' * 28}|------:|-------:|--------------:|----------:|---------:|")
    total = Counter()
    for name, row in table.items():
        total.update(row)
        recall = f"{row['tp'] / row['pos']:.2f}" if row["pos"] else "-"
        precision = (f"{row['tp'] / (row['tp'] + row['fp']):.2f}" if row["tp"] + row["fp"]
                     else "-")
        print(f"| {name:26s} | {row['tp']}/{row['pos']} | {recall:>6s} | "
              f"{row['fp']}/{row['neg']} | {precision:>9s} | {row['possible']:8d} |")
    print(f"overall: recall {total['tp'] / total['pos']:.3f}, precision "
          f"{total['tp'] / max(1, total['tp'] + total['fp']):.3f}, possible "
          f"{total['possible']} (the stereo pair should be the only one)")


def _photo(source: Image.Image, rnd: random.Random) -> Image.Image:
    """A distinct phone-sized photo from a sample photo: crop, scale, colour, noise."""
    w, h = source.size
    f = rnd.uniform(0.55, 0.95)
    cw, ch = int(w * f), int(h * f)
    x, y = rnd.randrange(w - cw + 1), rnd.randrange(h - ch + 1)
    img = source.crop((x, y, x + cw, y + ch))
    if rnd.random() < 0.5:
        img = ImageOps.mirror(img)
    img = ImageOps.fit(img, SIZE, Image.Resampling.BICUBIC)
    img = ImageEnhance.Color(img).enhance(rnd.uniform(0.6, 1.4))
    img = ImageEnhance.Brightness(img).enhance(rnd.uniform(0.8, 1.2))
    noise = np.random.default_rng(rnd.randrange(2**32)).normal(0, 6, (SIZE[1], SIZE[0], 1))
    pixels = np.clip(np.asarray(img, np.float32) + noise, 0, 255).astype(np.uint8)
    return Image.fromarray(pixels)


def generate(root: Path, photos: int, distinct: int,
             ) -> tuple[list[Path], list[Path], set[str], set[str]]:
    """References, all files (hard links fill up to `photos`), re-posts' and screenshots' names."""
    root.mkdir(parents=True, exist_ok=True)
    sources = [realset.load_photo(s) for s in realset.DISTRACTORS]
    references = [realset.load_photo(s) for s in realset.REFERENCES] + \
        sources[:EXTRA_REFERENCES]
    strangers = sources[EXTRA_REFERENCES:]
    refs, files, expected, screenshots = [], [], set(), set()
    for r, img in enumerate(references):
        ref = root / f"ref_{r}.jpg"
        big = ImageOps.fit(img, (900, int(900 * img.height / img.width)))
        ref.write_bytes(realset.jpeg(big, 92))
        refs.append(ref)
        for k, t in enumerate(REPOSTS):
            path = root / f"repost_{r}_{t}.jpg"
            path.write_bytes(realset.jpeg(realset.transform(big, t, 100 * r + k, strangers), 85))
            files.append(path)
            expected.add(path.name)
    rnd = random.Random(7)
    for i in range(distinct):
        path = root / f"photo_{i:05d}.jpg"
        photo = _photo(strangers[i % len(strangers)], rnd)
        if i % SCREENSHOT_EVERY == 0:  # chat groups post screenshots of other chats too
            photo = realset.chat_screenshot(photo, rnd.choice(("light", "dark")), i)
            screenshots.add(path.name)
        path.write_bytes(realset.jpeg(photo, 88))
        files.append(path)
    originals = files[len(expected):]
    i = 0
    while len(files) < photos:
        link = root / f"link_{i:05d}.jpg"
        os.link(originals[i % distinct], link)
        files.append(link)
        i += 1
    return refs, files, expected, screenshots


def _cpu_seconds() -> float:
    """User + system CPU of this process and its finished children (the pool's workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _old_hash(path: Path) -> int:
    """The matcher before issue 18: one pHash of the whole picture, draft-decoded."""
    with Image.open(path) as img:
        img.draft("L", (128, 128))
        return int(str(imagehash.phash(img.convert("L"))), 16)


def speed(root: Path, photos: int, distinct: int, sample: int) -> None:
    t = time.perf_counter()
    refs, files, expected, screenshots = generate(root / "speed", photos, distinct)
    print(f"\ngenerated {len(files):,} photo files ({distinct} distinct + {len(expected)} "
          f"re-posts, 1200x1600) in {time.perf_counter() - t:.0f} s; {os.cpu_count()} cores")
    matcher = matching.Matcher.from_files(refs)
    probe = files[len(expected):len(expected) + sample]
    cv2.setNumThreads(1)  # one core, as in the pool's workers

    # CPU seconds (not wall) on one core: steadier than wall time on a shared machine. The
    # three are timed in turn on each photo, so a change in the machine's load hits all alike.
    spent = Counter()
    reached = 0
    for _ in range(2):
        for path in probe:
            kind = "screenshot" if path.name in screenshots else "photo"
            t0 = time.process_time()
            _old_hash(path)
            t1 = time.process_time()
            reached += bool(matcher.first_stage(*matching.load_candidate(path)))
            t2 = time.process_time()
            matcher.classify(path)
            t3 = time.process_time()
            spent["old"] += t1 - t0
            spent["first"] += t2 - t1
            spent["both"] += t3 - t2
            spent[kind] += t3 - t2
            spent[kind + "s"] += 1
    old_one, first_one, both_one = (spent[k] / (2 * len(probe)) for k in ("old", "first", "both"))
    reached //= 2

    cpu_before = _cpu_seconds()
    t = time.perf_counter()
    found = matching.find_matches(matcher, [str(f) for f in files], workers=2)
    ours = time.perf_counter() - t
    cpu = _cpu_seconds() - cpu_before
    n = len(files)
    scale = 20_000 / n
    matched = {Path(m.candidate).name for m in found if m.answer == matching.MATCH}
    possible = {Path(m.candidate).name for m in found if m.answer == matching.POSSIBLE}
    print(f"{'':52s} {'seconds':>8s} {'per photo ms':>12s}")
    print(f"{'caseprep matcher, both stages, 2 processes':52s} {ours:8.1f} {1000 * ours / n:12.2f}")
    print(f"{'  the same, extrapolated to 20,000 photos':52s} {ours * scale:8.1f}")
    print(f"{'  CPU time (parent + pool), extrapolated to 20,000':52s} {cpu * scale:8.1f} "
          f"{1000 * cpu / n:12.2f}")
    print(f"{'CPU, one core: first stage only (sample)':52s} {first_one * n:8.1f} "
          f"{1000 * first_one:12.2f}")
    print(f"{'CPU, one core: both stages (sample)':52s} {both_one * n:8.1f} "
          f"{1000 * both_one:12.2f}")
    print(f"{'CPU, one core, baseline: one pHash per photo':52s} {old_one * n:8.1f} "
          f"{1000 * old_one:12.2f}")
    for kind in ("photo", "screenshot"):
        count = spent[kind + "s"]
        if count:
            label = f"  both stages, per {kind} ({count // 2} in the sample)"
            print(f"{label:52s} {'':8s} {1000 * spent[kind] / count:12.2f}")
    pool_one = cpu / n
    print(f"ratios per photo: first stage / baseline {first_one / old_one:.1f}x, "
          f"both stages / baseline {both_one / old_one:.1f}x (the pool's CPU, re-posts "
          f"included: {pool_one / old_one:.1f}x); {reached} of {len(probe)} strangers' "
          f"photos reached the second stage")
    print(f"matches: {len(matched & expected)} of {len(expected)} re-posts found, "
          f"{len(matched - expected)} false, {len(possible)} possible")
    verdict = "met" if ours * scale <= 120 else "NOT met"
    print(f"target <= 120 s for 20,000 photos: {verdict} as measured (extrapolated "
          f"{ours * scale:.0f} s wall; load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores)")
    # On a loaded machine every CPU time is inflated alike; the ratio to the baseline is not.
    print(f"estimate on 2 idle cores, where the baseline took {IDLE_BASELINE_MS} ms: "
          f"{both_one / old_one * IDLE_BASELINE_MS * 10:.0f} s by the sample, "
          f"{pool_one / old_one * IDLE_BASELINE_MS * 10:.0f} s by the pool's CPU")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=2000)
    parser.add_argument("--distinct", type=int, default=300)
    parser.add_argument("--sample", type=int, default=60)
    parser.add_argument("--skip-accuracy", action="store_true")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-matching-"))
    try:
        if not args.skip_accuracy:
            accuracy(root)
        speed(root, args.photos, args.distinct, args.sample)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
