"""Second stage of matching: is this candidate region the reference photo, geometrically?

A perceptual hash says two pictures look alike; it cannot tell a crop, a rotated copy or a
photo under a sticker from a different photo with the same layout, nor a re-post from
another shot of the same scene. Keypoints can: ORB features of the reference and of the
candidate region, matched by Hamming distance with Lowe's ratio test, then a RANSAC
homography. A re-post is one flat picture transformed in the plane (resized, cropped,
rotated, mirrored, framed), so nearly every correct correspondence fits one homography
within a few pixels. Another shot of the same scene (a stereo pair, a burst) has
correspondences too, but the depth in the scene makes them disagree with any single
homography while they still agree with one epipolar geometry (a fundamental matrix): that
is the "possibly yours" case. Costly (several ms per pair), so only the first stage's
candidates get here (issue 18).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

WORK_SIDE = 360  # both pictures are compared at about this size (long side, pixels)
_FEATURES = 500
_RATIO = 0.75  # Lowe's ratio test
_H_PIXELS = 4.0  # reprojection error allowed for a re-post, at WORK_SIDE
_F_PIXELS = 2.0  # distance to the epipolar line allowed for another shot of the scene
MIN_INLIERS = 14  # homography inliers needed to call it the same picture


@dataclass(frozen=True)
class Features:
    """ORB keypoint positions and descriptors of one picture (picklable, unlike cv2.KeyPoint)."""

    points: np.ndarray  # (n, 2) float32
    descriptors: np.ndarray  # (n, 32) uint8


@dataclass(frozen=True)
class Geometry:
    """How well the candidate's keypoints fit the reference's: counts, not a verdict."""

    matches: int  # correspondences that pass the ratio test
    plane: int  # of those, inliers of one homography (same flat picture)
    scene: int  # of those, inliers of one fundamental matrix (same scene, any shot)
    mirrored: bool


def _orb() -> cv2.ORB:
    # OpenCV's own type stubs leave out ORB_create, which every build of cv2 has.
    return cv2.ORB_create(nfeatures=_FEATURES, fastThreshold=12,  # type: ignore[attr-defined]
                          edgeThreshold=15, patchSize=31)


def to_work_size(grey: np.ndarray, max_upscale: float = 3.0) -> np.ndarray:
    """Scale so the long side is WORK_SIDE (enlarging small regions at most `max_upscale`)."""
    scale = min(WORK_SIDE / max(grey.shape), max_upscale)
    if abs(scale - 1) < 0.05:
        return grey
    size = (max(1, round(grey.shape[1] * scale)), max(1, round(grey.shape[0] * scale)))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    return cv2.resize(grey, size, interpolation=interpolation)


def features(grey: np.ndarray) -> Features:
    """ORB features of a greyscale picture already at work size."""
    keypoints, descriptors = _orb().detectAndCompute(grey, None)
    if descriptors is None or not keypoints:
        return Features(np.zeros((0, 2), np.float32), np.zeros((0, 32), np.uint8))
    points = np.array([k.pt for k in keypoints], dtype=np.float32)
    return Features(points, descriptors)


@dataclass(frozen=True)
class ReferenceFeatures:
    """A reference photo's features, as it is and mirrored left-right."""

    plain: Features
    mirrored: Features

    @classmethod
    def of(cls, grey: np.ndarray) -> ReferenceFeatures:
        work = to_work_size(grey)
        return cls(features(work), features(np.ascontiguousarray(work[:, ::-1])))


class ReferenceIndex:
    """References' descriptors (plain and mirrored) pooled: one search per region.

    Matching a region against several references costs one nearest-neighbour search over
    their pooled descriptors; the ratio test then also rejects a feature that two of them
    share (a logo, a watermark). Only the references the first stage named are pooled:
    the search is the dearest step.
    """

    def __init__(self, references: dict[str, ReferenceFeatures]):
        self.references = references

    def compare(self, cand: Features, names: list[str]) -> dict[str, Geometry]:
        """How the region fits each of `names` that shares enough features with it."""
        parts = [(name, flip, f) for name in names
                 for flip, f in ((False, self.references[name].plain),
                                 (True, self.references[name].mirrored))]
        descriptors = np.vstack([f.descriptors for _, _, f in parts])
        if len(descriptors) < 2 or len(cand.descriptors) < 2:
            return {}
        points = np.vstack([f.points for _, _, f in parts])
        owner = np.concatenate([np.full(len(f.points), i // 2) for i, (_, _, f)
                                in enumerate(parts)])
        mirrored = np.concatenate([np.full(len(f.points), flip) for _, flip, f in parts])
        pairs = cv2.BFMatcher(cv2.NORM_HAMMING).knnMatch(cand.descriptors, descriptors, k=2)
        good = [(p[0].trainIdx, p[0].queryIdx) for p in pairs
                if len(p) == 2 and p[0].distance < _RATIO * p[1].distance]
        if len(good) < MIN_INLIERS:
            return {}
        t, q = np.array(good).T
        found = {}
        for n in np.unique(owner[t]):
            mine = owner[t] == n
            if mine.sum() < MIN_INLIERS:
                continue
            flip = bool(mirrored[t[mine]].sum() * 2 > mine.sum())
            keep = mine & (mirrored[t] == flip)
            plane = _plane(points[t[keep]], cand.points[q[keep]])
            if plane < MIN_INLIERS:
                found[names[n]] = Geometry(int(keep.sum()), plane, plane, flip)
                continue
            # Enough to tell a re-post from another shot: keep only mutual best matches
            # (repeated structure, a lattice or a tiled floor, gives matches that one
            # epipolar geometry absorbs and one plane does not), then fit both models.
            mutual = keep & _mutual(descriptors, cand.descriptors, t, q)
            src, dst = points[t[mutual]], cand.points[q[mutual]]
            plane = _plane(src, dst)
            scene = max(_scene(src, dst), plane)
            found[names[n]] = Geometry(int(mutual.sum()), plane, scene, flip)
        return found


def _mutual(train: np.ndarray, query: np.ndarray, t: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Which (train t, query q) pairs are also each other's nearest from the train side."""
    rows = np.unique(t)
    back = cv2.BFMatcher(cv2.NORM_HAMMING).match(train[rows], query)
    nearest = dict(zip(rows.tolist(), (m.trainIdx for m in back), strict=True))
    return np.array([nearest[a] == b for a, b in zip(t.tolist(), q.tolist(), strict=True)])


def _plane(src: np.ndarray, dst: np.ndarray) -> int:
    """Inliers of one homography (0 when there is none, or an implausible one)."""
    if len(src) < MIN_INLIERS:
        return 0
    cv2.setRNGSeed(0)  # RANSAC draws at random; the same input must give the same answer
    homography, inliers = cv2.findHomography(src, dst, cv2.RANSAC, _H_PIXELS, maxIters=1000,
                                             confidence=0.995)
    if homography is None or not _plausible(homography):
        return 0
    return int(inliers.sum())


def _scene(src: np.ndarray, dst: np.ndarray) -> int:
    """Inliers of one fundamental matrix: correspondences that fit some camera motion."""
    cv2.setRNGSeed(0)
    _, inliers = cv2.findFundamentalMat(src, dst, cv2.FM_RANSAC, _F_PIXELS, 0.99)
    return int(inliers.sum()) if inliers is not None else 0


def _plausible(h: np.ndarray) -> bool:
    """A re-post scales, crops and turns a picture; it does not fold or flip it."""
    a = h[:2, :2] / h[2, 2]
    det = float(np.linalg.det(a))
    return 1 / 400 < det < 400 and abs(h[2, 0]) + abs(h[2, 1]) < 0.003 * abs(h[2, 2])
