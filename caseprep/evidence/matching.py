"""Find re-posts of a person's own photos, without showing her the rest (issue 4, issue 18).

Three answers per picture: MATCH ("a re-post of your photo", counted as evidence), POSSIBLE
("possibly yours": another shot of the same scene, or a picture too damaged to be sure; shown
blurred and only on request, never counted) and NO (never stored or shown).

Two stages, because the second is about a hundred times dearer than the first:

1. Hashes (high recall). pHash (64-bit DCT hash of a 32x32 greyscale image; own NumPy/OpenCV
   code, the same definition as imagehash.phash) of the whole picture and of every region
   caseprep.evidence.regions proposes (the photo inside a chat screenshot, a nested
   screenshot, collage cells, a frame's content), against many views of each reference:
   whole, trimmed, 90 % and five 80 % windows, 1:1 and 16:9 crops, turned by a few degrees,
   all mirrored too. A candidate whose smallest distance to a reference is at most
   CANDIDATE_DISTANCE goes on, with the region that came closest.
2. Geometry (precision): caseprep.evidence.verify fits ORB keypoints of that region to the
   reference's with RANSAC. Many correspondences on one homography: MATCH. Many on one
   epipolar geometry but not on one plane: another shot of the scene, POSSIBLE.

Both the thresholds come from the measurement on real photographs in
tests/evidence/test_matching.py (docs/evidence-matching.md has the tables). Nothing here
logs, and nothing is written to disk: reference hashes and features live in memory only, in
the worker processes while they run.

Speed: JPEGs are decoded in Pillow's draft mode (the DCT scales by 1/2..1/8 while decoding)
for the first stage; only candidates are decoded at full size for the second.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import BinaryIO

import cv2
import numpy as np
from PIL import ExifTags, Image, ImageOps

from caseprep.evidence import regions, verify

MATCH, POSSIBLE, NO = "match", "possible", "no"
# Hash distance (of 64 bits) that counts as the same photo without the second stage; kept for
# callers that use the hashes alone (ReferenceSet.best).
MATCH_THRESHOLD = 8
# Hash distance up to which a candidate goes to the second stage (a phone screenshot: _TALL).
CANDIDATE_DISTANCE = 14
CANDIDATE_DISTANCE_TALL = 20
# The second stage: share of the epipolar inliers that must also fit one homography.
PLANE_SHARE = 0.9
_SMALL_SIDE = 384  # first stage works on pictures this size (long side)
_SCREENSHOT_SIDE = 640  # ... and on tall ones (screenshots) this size
_TALL = 1.6  # height / width from which a picture is treated as a phone screenshot
_LARGE_SIDE = 1600  # second stage crops regions from pictures up to this size
_REUSE = 1.25  # the first stage's picture serves the second up to this enlargement
_MAX_PIXELS = 80_000_000
_PLACES = (0, 0.5, 1)  # where 80 % windows of a reference sit (each way)
_SLIDES = (0, 0.25, 0.5, 0.75, 1)  # where 1:1 and 16:9 crops of a reference sit
_MAX_REGIONS = 1  # regions of a candidate verified at most
_MAX_REGIONS_TALL = 4  # ... of a screenshot, whose regions hash less reliably
_NEAREST_TALL = 2  # a screenshot's region is verified against at least its closest references

Source = str | os.PathLike | bytes | BinaryIO


@dataclass(frozen=True)
class Verdict:
    """The answer for one picture: MATCH, POSSIBLE or NO, and against which reference."""

    answer: str
    reference: str | None = None
    distance: int = 64  # smallest first-stage hash distance to that reference
    inliers: int = 0  # keypoints on one homography (second stage)


@dataclass(frozen=True)
class Match:
    """A candidate photo that matches (or possibly matches) a reference."""

    reference: str
    candidate: str
    distance: int
    answer: str = MATCH


def _open(source: Source) -> Image.Image:
    if isinstance(source, bytes | bytearray):
        return Image.open(io.BytesIO(source))
    if not isinstance(source, str | os.PathLike):  # a file object: read it from the start
        source.seek(0)
    return Image.open(source)


def load_grey(source: Source, max_side: int) -> np.ndarray:
    """The picture upright, greyscale, long side at most `max_side`, JPEGs decoded in draft."""
    return load_pixels(source, max_side, "L")


def load_pixels(source: Source, max_side: int, mode: str) -> np.ndarray:
    """The picture upright in `mode` ("L" or "RGB"), long side at most `max_side`."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        img = _open(source)
        if img.width * img.height > _MAX_PIXELS:
            raise ValueError("image too large")
        img.draft(mode, (max_side // 2, max_side // 2))  # "L": JPEG skips chroma
        img = ImageOps.exif_transpose(img)
        if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
            img = img.convert("RGBA")
            flat = Image.new("RGBA", img.size, (255, 255, 255, 255))
            img = Image.alpha_composite(flat, img)
        img = img.convert(mode)
    if max(img.size) > max_side:
        img.thumbnail((max_side, max_side), Image.Resampling.BILINEAR)
    return np.asarray(img)


def phash(grey: np.ndarray) -> int:
    """64-bit perceptual hash: DCT of a 32x32 image, the 8x8 lowest frequencies vs their median."""
    return int(phashes([grey])[0])


def _dct_rows(n: int, rows: int) -> np.ndarray:
    """The first `rows` rows of the orthonormal n-point DCT-II matrix (as cv2.dct uses)."""
    k, x = np.arange(rows)[:, None], np.arange(n)[None, :]
    matrix = np.cos(np.pi * (2 * x + 1) * k / (2 * n)) * np.sqrt(2 / n)
    matrix[0] /= np.sqrt(2)
    return matrix


_DCT_LOW = _dct_rows(32, 8)


def phashes(views: Sequence[np.ndarray]) -> np.ndarray:
    """phash of every view at once (uint64): one matrix product instead of a DCT per view."""
    if not views:
        return np.zeros(0, np.uint64)
    small = np.stack([cv2.resize(v, (32, 32), interpolation=cv2.INTER_AREA) for v in views])
    low = (_DCT_LOW @ small.astype(np.float64) @ _DCT_LOW.T).reshape(len(views), 64)
    bits = low > np.median(low, axis=1, keepdims=True)
    return np.packbits(bits, axis=1).view(">u8").ravel().astype(np.uint64)


def _window(grey: np.ndarray, fw: float, fh: float, ax: float, ay: float) -> np.ndarray:
    """A window of `fw` x `fh` of the picture, placed at (ax, ay) in [0, 1] of the room left."""
    h, w = grey.shape
    cw, ch = max(1, round(w * fw)), max(1, round(h * fh))
    x, y = round((w - cw) * ax), round((h - ch) * ay)
    return grey[y:y + ch, x:x + cw]


def _aspect_crops(grey: np.ndarray, aspect: float) -> list[np.ndarray]:
    h, w = grey.shape
    if abs(w / h - aspect) < 0.08:
        return []
    if w / h > aspect:
        return [_window(grey, h * aspect / w, 1, a, 0.5) for a in _SLIDES]
    return [_window(grey, 1, w / aspect / h, 0.5, a) for a in _SLIDES]


def _turned(grey: np.ndarray, degrees: float) -> np.ndarray:
    """The picture turned with its canvas enlarged on white, then its centre 70 %."""
    img = Image.fromarray(grey).rotate(degrees, Image.Resampling.BILINEAR, expand=True,
                                       fillcolor=255)
    return _window(np.asarray(img), 0.7, 0.7, 0.5, 0.5)


def reference_views(grey: np.ndarray) -> list[np.ndarray]:
    """The views of a reference a re-post may show: crops, windows and small turns."""
    bases = [grey]
    box = regions.trimmed_box(grey)
    if box is not None:
        bases.append(grey[box[1]:box[3], box[0]:box[2]])
    views = []
    for base in bases:
        views += [base, _window(base, 0.9, 0.9, 0.5, 0.5)]
        views += [_window(base, 0.8, 0.8, ax, ay) for ax in _PLACES for ay in _PLACES]
        views += _aspect_crops(base, 1.0) + _aspect_crops(base, 16 / 9)
    views += [_turned(grey, d) for d in (-6, 6)]
    return views + [np.ascontiguousarray(v[:, ::-1]) for v in views]


def load_candidate(source: Source) -> tuple[np.ndarray, np.ndarray | None]:
    """Greyscale for hashing and, for a tall picture (a phone screenshot), colour as well.

    Screenshots get a larger size too: the photo in a screenshot of a screenshot is a
    fifth of its width.
    """
    if not _is_tall(_open(source)):
        return load_grey(source, _SMALL_SIDE), None
    colour = load_pixels(source, _SCREENSHOT_SIDE, "RGB")
    return cv2.cvtColor(colour, cv2.COLOR_RGB2GRAY), colour


def _is_tall(img: Image.Image) -> bool:
    """A phone screenshot's shape, upright; read from the header, before any decoding."""
    w, h = img.size
    if img.getexif().get(ExifTags.Base.Orientation, 1) in (5, 6, 7, 8):  # a quarter turn
        w, h = h, w
    return h >= _TALL * w


def _candidate_views(grey: np.ndarray, colour: np.ndarray | None = None,
                     ) -> tuple[list[np.ndarray], list[regions.Box]]:
    h, w = grey.shape
    boxes = [(0, 0, w, h), *regions.find_regions(grey, colour)]
    # A photo sent as a reply has the quote (about a sixth of the bubble) above it.
    boxes += [(x0, y0 + (y1 - y0) * 3 // 20, x1, y1) for x0, y0, x1, y1 in boxes[1:]]
    boxes.append((round(w * 0.15), round(h * 0.15), round(w * 0.85), round(h * 0.85)))
    views = [grey[y0:y1, x0:x1] for x0, y0, x1, y1 in boxes]  # the last: a turned re-post
    return views, boxes


def reference_hashes(source: Source) -> list[int]:
    """The first-stage hashes of one reference photo (all its views)."""
    return phashes(reference_views(load_grey(source, _SMALL_SIDE))).tolist()


def candidate_hashes(source: Source) -> list[int] | None:
    """The first-stage hashes of one picture (whole and regions); None if unreadable."""
    try:
        views, _ = _candidate_views(*load_candidate(source))
    except Exception:  # noqa: BLE001 - any unreadable picture is skipped, never fatal
        return None
    return phashes(views).tolist()


def _bits(values: Sequence[int] | Sequence[Sequence[int]] | np.ndarray) -> np.ndarray:
    return np.array(values, dtype=np.uint64)


def distances(ref_hashes: np.ndarray, cand_hashes: Sequence[int] | np.ndarray) -> np.ndarray:
    """[reference, candidate view]: smallest Hamming distance over the reference's views."""
    xor = np.bitwise_xor(ref_hashes[:, :, None], _bits(cand_hashes)[None, None, :])
    return np.bitwise_count(xor).min(axis=1)


class ReferenceSet:
    """Reference photos' first-stage hashes; compare a candidate's hashes with all at once."""

    def __init__(self, references: Mapping[str, Sequence[int]]):
        self.names = list(references)
        width = max((len(v) for v in references.values()), default=1)
        rows = [list(v) + [v[0]] * (width - len(v)) for v in references.values()]
        self.hashes = _bits(rows).reshape(len(rows), width) if rows else np.zeros((0, 1),
                                                                                  np.uint64)

    @classmethod
    def from_files(cls, paths: Iterable[str | os.PathLike]) -> ReferenceSet:
        return cls({os.path.basename(p): reference_hashes(p) for p in paths})

    def best(self, cand_hashes: Sequence[int]) -> tuple[str, int] | None:
        """The closest reference and its distance (hashes only), or None without references."""
        if not self.names:
            return None
        d = distances(self.hashes, cand_hashes).min(axis=1)
        i = int(d.argmin())
        return self.names[i], int(d[i])


class Matcher:
    """Reference photos prepared for both stages; classify pictures against all of them."""

    def __init__(self, references: Mapping[str, Source]):
        self.names = list(references)
        hashes, features = [], {}
        for name, source in references.items():
            hashes.append(phashes(reference_views(load_grey(source, _SMALL_SIDE))))
            features[name] = verify.ReferenceFeatures.of(load_grey(source, _LARGE_SIDE))
        width = max((len(h) for h in hashes), default=1)
        self._hashes = (np.stack([np.resize(h, width) for h in hashes]) if hashes
                        else np.zeros((0, 1), np.uint64))
        self._index = verify.ReferenceIndex(features)

    @classmethod
    def from_files(cls, paths: Iterable[str | os.PathLike]) -> Matcher:
        return cls({os.path.basename(p): p for p in paths})

    def first_stage(self, grey: np.ndarray, colour: np.ndarray | None = None,
                    ) -> list[tuple[int, str, regions.Box]]:
        """(distance, reference, region) pairs within CANDIDATE_DISTANCE, closest first."""
        return self._first_stage(grey, colour)[0]

    def _first_stage(self, grey: np.ndarray, colour: np.ndarray | None,
                     ) -> tuple[list[tuple[int, str, regions.Box]], dict[regions.Box, list[str]]]:
        """The candidate pairs, and for each region the references near enough to verify."""
        views, boxes = _candidate_views(grey, colour)
        d = distances(self._hashes, phashes(views))
        # Screenshots are harder to hash (the photo is small, its box approximate): they
        # go to the second stage from further away.
        limit = CANDIDATE_DISTANCE_TALL if colour is not None else CANDIDATE_DISTANCE
        pairs = []
        for r, name in enumerate(self.names):
            order = np.argsort(d[r], kind="stable")
            for k in order[:2]:  # the two closest regions of each reference
                if d[r, k] <= limit:
                    pairs.append((int(d[r, k]), name, boxes[k]))
        pairs.sort(key=lambda p: p[0])
        # A screenshot's regions: the references within the limit and always the closest.
        near: dict[regions.Box, list[str]] = {}
        if colour is not None:
            chosen = d <= limit
            chosen[np.argsort(d, axis=0, kind="stable")[:_NEAREST_TALL],
                   np.arange(len(boxes))] = True
            for k, box in enumerate(boxes):
                near.setdefault(box, [self.names[r] for r in np.flatnonzero(chosen[:, k])])
        return pairs, near

    def classify(self, source: Source) -> Verdict:
        """MATCH, POSSIBLE or NO for one picture; an unreadable picture is NO.

        Each candidate reference is judged on the region with the most consistent
        correspondences, so that a part of another shot of the scene that happens to be
        flat (a wall) cannot outvote the whole picture.
        """
        try:
            small, colour = load_candidate(source)
            pairs, near = self._first_stage(small, colour)
            most = _MAX_REGIONS_TALL if colour is not None else _MAX_REGIONS
            boxes = list(dict.fromkeys(box for _, _, box in pairs))[:most]
            pairs = [p for p in pairs if p[2] in boxes]
            if not pairs:
                return Verdict(NO)
            # Decode only as large as the smallest region to verify needs.
            need = max(max(small.shape) / max(b[2] - b[0], b[3] - b[1]) for _, _, b in pairs)
            side = min(_LARGE_SIDE, round(verify.WORK_SIDE * need))
            # The first stage's picture serves when it is about as large (no second decode).
            large = small if side <= _REUSE * max(small.shape) else load_grey(source, side)
        except Exception:  # noqa: BLE001 - an unreadable picture is never fatal
            return Verdict(NO)
        return self._second_stage(small, colour, large, pairs, near)

    def _second_stage(self, small: np.ndarray, colour: np.ndarray | None, large: np.ndarray,
                      pairs: list[tuple[int, str, regions.Box]],
                      near: dict[regions.Box, list[str]]) -> Verdict:
        """Verify the first stage's regions; the best supported reference decides."""
        scale = large.shape[0] / small.shape[0]
        distance: dict[str, int] = {}
        for d, name, _ in pairs:
            distance.setdefault(name, d)
        named = list(distance)
        best: dict[str, verify.Geometry] = {}
        for box in dict.fromkeys(box for _, _, box in pairs):  # distinct, closest first
            crop = _crop(large, box, scale)
            feats = verify.features(verify.to_work_size(crop))
            # A screenshot's regions hash less reliably: each is compared with the
            # references near it, not only with those it came closest to.
            names = near[box] if colour is not None else named
            for name, geometry in self._index.compare(feats, names).items():
                if name not in best or geometry.scene > best[name].scene:
                    best[name] = geometry
        verdicts = [_judge(name, geometry, distance.get(name, 64))
                    for name, geometry in best.items()]
        for answer in (MATCH, POSSIBLE):
            found = [v for v in verdicts if v.answer == answer]
            if found:
                return max(found, key=lambda v: v.inliers)
        return Verdict(NO)


def _judge(name: str, geometry: verify.Geometry, distance: int) -> Verdict:
    if geometry.plane < verify.MIN_INLIERS:
        return Verdict(NO, name, distance, geometry.plane)
    if geometry.plane >= PLANE_SHARE * geometry.scene:
        return Verdict(MATCH, name, distance, geometry.plane)
    # One plane of the scene agrees (a wall, the background), the rest does not: another
    # shot of the same scene.
    return Verdict(POSSIBLE, name, distance, geometry.plane)


def _crop(grey: np.ndarray, box: regions.Box, scale: float) -> np.ndarray:
    """The region of a first-stage box in the larger picture, with a small margin."""
    h, w = grey.shape
    x0, y0, x1, y1 = (round(v * scale) for v in box)
    mx, my = (x1 - x0) // 25, (y1 - y0) // 25
    return grey[max(0, y0 - my):min(h, y1 + my), max(0, x0 - mx):min(w, x1 + mx)]


_worker_matcher: Matcher | None = None
# OpenCV's thread pool does not survive fork(): a forked worker hangs in its first OpenCV
# call once the parent has used one. Workers are spawned instead.
_POOL_CONTEXT = multiprocessing.get_context("spawn")


def _worker_init(matcher: Matcher) -> None:
    global _worker_matcher
    _worker_matcher = matcher
    cv2.setNumThreads(1)  # the pool already uses every core


def _worker_classify(source: Source) -> Verdict:
    if _worker_matcher is None:
        raise RuntimeError("a matching worker was started without its matcher")
    return _worker_matcher.classify(source)


def classify_many(
    matcher: Matcher,
    sources: Sequence[Source],
    workers: int | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> Iterator[tuple[int, Verdict]]:
    """Yield (index, verdict) for each picture, in a process pool over all cores (order kept)."""
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(sources) < 16:
        for i, source in enumerate(sources):
            yield i, matcher.classify(source)
            if on_progress:
                on_progress(1)
        return
    chunk = max(4, min(64, len(sources) // (workers * 8) or 1))
    with ProcessPoolExecutor(max_workers=workers, mp_context=_POOL_CONTEXT,
                             initializer=_worker_init, initargs=(matcher,)) as pool:
        for i, verdict in enumerate(pool.map(_worker_classify, sources, chunksize=chunk)):
            yield i, verdict
            if on_progress:
                on_progress(1)


def hash_many(
    paths: Sequence[str | os.PathLike],
    workers: int | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> Iterable[tuple[int, list[int] | None]]:
    """Yield (index, first-stage hashes) for each path, in a process pool (order kept)."""
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(paths) < 16:
        for i, p in enumerate(paths):
            yield i, candidate_hashes(p)
            if on_progress:
                on_progress(1)
        return
    chunk = max(8, min(256, len(paths) // (workers * 8) or 1))
    with ProcessPoolExecutor(max_workers=workers, mp_context=_POOL_CONTEXT,
                             initializer=cv2.setNumThreads, initargs=(1,)) as pool:
        for i, hashes in enumerate(pool.map(candidate_hashes, paths, chunksize=chunk)):
            yield i, hashes
            if on_progress:
                on_progress(1)


def find_matches(
    matcher: Matcher,
    paths: Sequence[str | os.PathLike],
    workers: int | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> list[Match]:
    """Every picture that is (MATCH) or may be (POSSIBLE) a re-post of a reference."""
    found = []
    for i, verdict in classify_many(matcher, paths, workers, on_progress):
        if verdict.answer != NO and verdict.reference is not None:
            found.append(Match(verdict.reference, str(paths[i]), verdict.distance,
                               verdict.answer))
    return found
