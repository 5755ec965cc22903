"""Matching 10 reference photos against 20,000 generated 1200x1600 JPEG photos.

Generates DISTINCT photo-like JPEGs (1200x1600, with sensor-like noise) plus re-posts of the
10 references (resized, re-compressed, screenshot, mirrored), then fills the folder up to
--photos files with hard links to the distinct ones (decoding cost is per file either way;
generating 20,000 distinct 2-megapixel JPEGs would take longer than the matching). Times:
  - caseprep's matcher: draft-mode decode, both cores (the real code path);
  - baselines in the same run, on a sample: full decode + pHash on one core, and draft
    decode on one core; extrapolated to all files.
Target: under 90 s for 20,000 photos on 2 cores.

    .venv/bin/python bench/bench_evidence_matching.py [--photos 20000] [--distinct 600]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

import imagehash
from PIL import Image

from caseprep.evidence import matching, synthetic

SIZE = (1200, 1600)


def _photo(seed: int, img=None) -> Image.Image:
    small = img if img is not None else synthetic.scene(seed, size=(300, 400))
    big = small.resize(SIZE, Image.Resampling.BICUBIC)
    noise = Image.effect_noise(SIZE, 24).convert("RGB")
    return Image.blend(big, noise, 0.08)


def generate(root: Path, photos: int, distinct: int) -> tuple[list[Path], list[Path], set]:
    refs, files, expected = [], [], set()
    for r in range(10):
        scene = synthetic.scene(r, size=(300, 400))
        ref = root / f"ref_{r}.jpg"
        ref.write_bytes(synthetic.jpeg_bytes(_photo(r, scene), 90))
        refs.append(ref)
        for t in ("resized", "recompressed", "screenshot", "mirrored"):
            path = root / f"repost_{r}_{t}.jpg"
            path.write_bytes(synthetic.jpeg_bytes(synthetic.transform(_photo(r, scene), t, r)))
            files.append(path)
            expected.add(path.name)
    for i in range(distinct):
        path = root / f"photo_{i:05d}.jpg"
        path.write_bytes(synthetic.jpeg_bytes(_photo(10_000 + i), 88))
        files.append(path)
    originals = list(files)
    i = 0
    while len(files) < photos:
        src = originals[len(expected) + i % distinct]
        link = root / f"link_{i:05d}.jpg"
        os.link(src, link)
        files.append(link)
        i += 1
    return refs, files, expected


def _cpu_seconds() -> float:
    """User + system CPU of this process and its finished children (the pool's workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _full_decode_hash(path: Path) -> int:
    with Image.open(path) as img:
        return int(str(imagehash.phash(img.convert("L"))), 16)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=20_000)
    parser.add_argument("--distinct", type=int, default=600)
    parser.add_argument("--sample", type=int, default=300)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-matching-"))
    try:
        t = time.perf_counter()
        refs, files, expected = generate(root, args.photos, args.distinct)
        mean_kb = sum(f.stat().st_size for f in files[:200]) / 200 / 1024
        print(f"generated {len(files):,} photo files ({args.distinct} distinct + "
              f"{len(expected)} re-posts, ~{mean_kb:.0f} KiB each) in "
              f"{time.perf_counter() - t:.0f} s; {os.cpu_count()} cores")

        sample = files[len(expected):len(expected) + args.sample]
        t = time.perf_counter()
        for path in sample:
            _full_decode_hash(path)
        full_one = (time.perf_counter() - t) / len(sample)
        t = time.perf_counter()
        for path in sample:
            matching.candidate_hashes(path)
        draft_one = (time.perf_counter() - t) / len(sample)

        cpu_before = _cpu_seconds()
        t = time.perf_counter()
        reference_set = matching.ReferenceSet.from_files(refs)
        found = matching.find_matches(reference_set, [str(f) for f in files], workers=2)
        ours = time.perf_counter() - t
        cpu = _cpu_seconds() - cpu_before
        names = {Path(m.candidate).name for m in found}
        n = len(files)
        print(f"{'':44s} {'seconds':>8s} {'per photo ms':>12s}")
        print(f"{'caseprep matcher (draft decode, 2 processes)':44s} {ours:8.1f} "
              f"{1000 * ours / n:12.2f}")
        print(f"{'baseline: draft decode, 1 core (extrapolated)':44s} {draft_one * n:8.1f} "
              f"{1000 * draft_one:12.2f}")
        print(f"{'baseline: full decode, 1 core (extrapolated)':44s} {full_one * n:8.1f} "
              f"{1000 * full_one:12.2f}")
        print(f"speed-up vs full decode on one core: {full_one * n / ours:.1f}x; "
              f"draft vs full decode per photo: {full_one / draft_one:.1f}x")
        print(f"matches: {len(found)} found, {len(names & expected)} of {len(expected)} "
              f"re-posts, {len(names - expected)} false")
        print(f"CPU time of the matcher (parent + pool): {cpu:.1f} s, so on 2 otherwise idle "
              f"cores at least {cpu / 2:.1f} s wall")
        print("target: < 90 s:", "met" if ours < 90 else "NOT met",
              f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
