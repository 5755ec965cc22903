"""Find re-posts of a person's own photos by perceptual hash, without showing the rest.

Hash: pHash (imagehash.phash, 64-bit DCT hash). Why pHash and not PDQ: imagehash is already a
dependency, installs as pure Python over NumPy/SciPy (pdqhash needs a C++ build on every
platform an NGO deploys to), and on the synthetic set the tests generate it reaches the
precision/recall recorded in docs/evidence-matching.md once borders are trimmed and
mirrored references are added. Neither hash is invariant to mirroring, so each reference is
also hashed flipped left-right.

Screenshots add borders and status bars, so each candidate is hashed several ways: whole,
with uniform borders trimmed, and a few centred crops; the distance is the smallest Hamming
distance over all (reference variant, candidate variant) pairs. MATCH_THRESHOLD was chosen
from the precision/recall sweep in tests/evidence/test_matching.py (the middle of
the band with perfect precision and the best recall), not guessed.

Speed: JPEGs are decoded in Pillow's draft mode (the DCT scales by 1/2..1/8 while decoding,
about 3x faster than a full decode) because the hash needs only 32x32 pixels, and candidates
are hashed in a process pool over all cores.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import imagehash
import numpy as np
from PIL import Image, ImageOps

# Largest Hamming distance (of 64 bits) that still counts as the same photo; see the docstring.
MATCH_THRESHOLD = 10
_DRAFT_SIZE = (128, 128)
_CENTRED_CROPS = (0.9,)
_MAX_PIXELS = 80_000_000


@dataclass(frozen=True)
class Match:
    """A candidate photo that matches a reference, with the distance found."""

    reference: str
    candidate: str
    distance: int


def _load_small(path: str | os.PathLike) -> Image.Image:
    """Open an image reduced to a few hundred pixels, decoding JPEGs in draft mode."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        img = Image.open(path)
        if img.width * img.height > _MAX_PIXELS:
            raise ValueError("image too large")
        img.draft("L", _DRAFT_SIZE)  # luma only: JPEG skips chroma decoding
        img = ImageOps.exif_transpose(img)
        img = img.convert("L")
    if max(img.size) > 256:
        img.thumbnail((256, 256), Image.Resampling.BILINEAR)
    return img


def _longest_run(busy: np.ndarray) -> tuple[int, int] | None:
    """Start and end (exclusive) of the longest run of True values."""
    best, start = None, None
    for i, flag in enumerate(list(busy) + [False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if best is None or i - start > best[1] - best[0]:
                best = (start, i)
            start = None
    return best


def _separators(lines: np.ndarray, flat_std: float) -> np.ndarray:
    """Lines (rows of `lines`) that are uniform and of the frame's colour.

    The frame colour is the commonest value among uniform lines, and only counts when it
    covers at least 5% of them all: a smooth gradient in a photo has uniform lines too, but
    each of a different value.
    """
    flat = lines.std(axis=1) <= flat_std
    if not flat.any():
        return flat
    means = np.round(lines.mean(axis=1) / 4)
    values, counts = np.unique(means[flat], return_counts=True)
    if counts.max() < 0.05 * len(lines):
        return np.zeros_like(flat)
    frame = values[counts.argmax()]
    return flat & (np.abs(means - frame) <= 2)


def trim_borders(img: Image.Image, flat_std: float = 4.0) -> Image.Image:
    """Keep the picture inside a screenshot: the largest block between frame-coloured lines.

    Frames, letterboxing and the gaps around a status bar or caption are uniform lines of one
    colour, so the longest run of other rows (then columns) is the picture itself.
    """
    pixels = np.asarray(img, dtype=np.float32)
    rows = _longest_run(~_separators(pixels, flat_std))
    if rows is None:
        return img
    band = pixels[rows[0]:rows[1]]
    cols = _longest_run(~_separators(band.T, flat_std))
    if cols is None:
        return img
    w, h = cols[1] - cols[0], rows[1] - rows[0]
    if w < img.width * 0.2 or h < img.height * 0.2:
        return img
    return img.crop((cols[0], rows[0], cols[1], rows[1]))


def _centred(img: Image.Image, fraction: float) -> Image.Image:
    w, h = img.size
    cw, ch = max(1, int(w * fraction)), max(1, int(h * fraction))
    left, top = (w - cw) // 2, (h - ch) // 2
    return img.crop((left, top, left + cw, top + ch))


def _as_int(h: imagehash.ImageHash) -> int:
    """The 64 hash bits as one integer (first bit most significant)."""
    return int.from_bytes(np.packbits(h.hash.flatten()).tobytes(), "big")


def _phash(img: Image.Image) -> int:
    return _as_int(imagehash.phash(img))


def candidate_hashes(path: str | os.PathLike) -> list[int] | None:
    """The hashes of one candidate photo (whole, trimmed, centred crops); None if unreadable."""
    try:
        img = _load_small(path)
    except Exception:  # noqa: BLE001 - any unreadable photo is skipped, never fatal
        return None
    # A status bar touching the picture is not uniform: also trim after dropping a top strip.
    w, h = img.size
    variants = [img, trim_borders(img), trim_borders(img.crop((0, int(h * 0.06), w, h)))]
    return [_phash(v) for v in variants]


def reference_hashes(path: str | os.PathLike) -> list[int]:
    """The hashes of one reference photo: whole and trimmed, a centred crop, and mirrors.

    The untrimmed image is always kept: a photo whose background has uniform rows (a sky, a
    studio wall) could otherwise be trimmed as if it had a frame.
    """
    img = _load_small(path)
    bases = [img]
    trimmed = trim_borders(img)
    if trimmed.size != img.size:
        bases.append(trimmed)
    variants = [v for base in bases for v in (base, *(_centred(base, f) for f in _CENTRED_CROPS))]
    return [_phash(v) for v in variants] + [_phash(ImageOps.mirror(v)) for v in variants]


def _bits(values: Sequence[int]) -> np.ndarray:
    return np.array(values, dtype=np.uint64)


def min_distance(ref_hashes: np.ndarray, cand_hashes: Sequence[int]) -> np.ndarray:
    """Smallest Hamming distance from each reference (rows of variants) to the candidate."""
    cand = _bits(cand_hashes)
    xor = np.bitwise_xor(ref_hashes[:, :, None], cand[None, None, :])
    return np.bitwise_count(xor).min(axis=(1, 2))


class ReferenceSet:
    """Reference photos hashed once; compare candidates against all of them at once."""

    def __init__(self, references: dict[str, Sequence[int]]):
        self.names = list(references)
        width = max(len(v) for v in references.values()) if references else 1
        rows = [list(v) + [v[0]] * (width - len(v)) for v in references.values()]
        self.hashes = _bits(rows).reshape(len(rows), width) if rows else np.zeros((0, 1), np.uint64)

    @classmethod
    def from_files(cls, paths: Iterable[str | os.PathLike]) -> ReferenceSet:
        return cls({os.path.basename(p): reference_hashes(p) for p in paths})

    def distances(self, cand_hashes: Sequence[int]) -> dict[str, int]:
        if not self.names:
            return {}
        d = min_distance(self.hashes, cand_hashes)
        return {name: int(x) for name, x in zip(self.names, d, strict=True)}

    def best(self, cand_hashes: Sequence[int]) -> tuple[str, int] | None:
        """The closest reference and its distance, or None when there are no references."""
        if not self.names:
            return None
        d = min_distance(self.hashes, cand_hashes)
        i = int(d.argmin())
        return self.names[i], int(d[i])


def hash_many(
    paths: Sequence[str | os.PathLike],
    workers: int | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> Iterable[tuple[int, list[int] | None]]:
    """Yield (index, hashes) for each path, hashing in a process pool (order kept)."""
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(paths) < 16:
        for i, p in enumerate(paths):
            yield i, candidate_hashes(p)
            if on_progress:
                on_progress(1)
        return
    chunk = max(8, min(256, len(paths) // (workers * 8) or 1))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for i, hashes in enumerate(pool.map(candidate_hashes, paths, chunksize=chunk)):
            yield i, hashes
            if on_progress:
                on_progress(1)


def find_matches(
    references: ReferenceSet,
    paths: Sequence[str | os.PathLike],
    threshold: int = MATCH_THRESHOLD,
    workers: int | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> list[Match]:
    """Every candidate within `threshold` of a reference (the closest reference wins)."""
    found: list[Match] = []
    for i, hashes in hash_many(paths, workers, on_progress):
        if not hashes:
            continue
        best = references.best(hashes)
        if best and best[1] <= threshold:
            found.append(Match(best[0], str(paths[i]), best[1]))
    return found
