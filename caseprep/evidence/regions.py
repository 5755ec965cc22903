"""Find the photo inside a picture: screenshot content boxes, nested screenshots, collage cells.

Re-posts are rarely the photo alone. A chat screenshot shows it in a message bubble on a
wallpaper (Telegram's default is a gradient under a doodle pattern, so there are no uniform
bars to trim); a screenshot of that screenshot shows it smaller again; a collage puts it in
one of four cells. What these have in common is that the photo is an axis-aligned rectangle
whose four sides are long straight edges, while wallpaper doodles, text and most of a photo's
own content make only short ones. So: keep only the long horizontal and vertical runs of
strong gradient, and score every rectangle their positions make by how much of its outline
they cover. Uniform-bar trimming (frames, letterboxing) and a plain 2x2 split (collages
without a gap) are added as cheap extra proposals. Nothing here knows about references; it
proposes boxes, and the matcher hashes each of them (issue 18).
"""

from __future__ import annotations

import cv2
import numpy as np

Box = tuple[int, int, int, int]  # left, top, right, bottom (exclusive), in pixels

_EDGE = 9.0  # grey-level step that counts as an edge (JPEG noise on a wallpaper stays below)
_MAX_LINES = 22  # strongest candidate lines kept per direction
_MIN_SUPPORT = 0.72  # share of a rectangle's outline that must lie on long edges
_MIN_SIDE = 0.1  # a region is at least this share of the picture's width and height
_MIN_STD = 12.0
_BORDER_SUPPORT = 0.76  # a flat box (a text bubble's fill, a bar) is not a photo


def _steps(pixels: np.ndarray, axis: int) -> np.ndarray:
    """Steps between neighbours along `axis` (1: x and x + 1), sharp or spread over two pixels
    by resampling, in any colour channel; uint8 0/1 of one pixel less along `axis`."""
    def diff(shift: int) -> np.ndarray:
        a, b = (pixels[shift:], pixels[:-shift]) if axis == 0 else \
            (pixels[:, shift:], pixels[:, :-shift])
        d = cv2.absdiff(np.ascontiguousarray(a), np.ascontiguousarray(b))
        return np.maximum(np.maximum(d[..., 0], d[..., 1]), d[..., 2]) if d.ndim == 3 else d

    one = diff(1) > _EDGE
    two = diff(2) > 1.5 * _EDGE
    if axis == 0:
        one[:-1] |= two
    else:
        one[:, :-1] |= two
    return one.view(np.uint8)


def _long_runs(mask: np.ndarray, length: int, axis: int) -> np.ndarray:
    """Pixels of `mask` on a straight run of at least `length` along `axis` (0: vertical)."""
    # An edge wanders by a pixel after resampling and fades where both sides are alike:
    # widen it across by three pixels and close gaps of a few pixels along it.
    across = (3, 1) if axis == 0 else (1, 3)
    gap = (1, 9) if axis == 0 else (9, 1)
    run = (1, length) if axis == 0 else (length, 1)
    mask = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, across))
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, gap))
    return cv2.morphologyEx(closed, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, run))


def _lines(runs: np.ndarray, min_count: int) -> np.ndarray:
    """Positions (columns of `runs`) carrying the most long-edge pixels, local maxima only."""
    counts = (runs > 0).sum(axis=0).astype(np.float32)
    padded = np.pad(counts, 2)
    peak = np.ones_like(counts, dtype=bool)
    for shift in (-2, -1, 1, 2):
        neighbour = padded[2 + shift: 2 + shift + len(counts)]
        peak &= counts >= neighbour if shift > 0 else counts > neighbour
    idx = np.flatnonzero(peak & (counts >= min_count))
    return np.sort(idx[np.argsort(-counts[idx])][:_MAX_LINES])


def _support(runs: np.ndarray, lines: np.ndarray) -> np.ndarray:
    """Cumulative long-edge pixels along each line (a pixel either side counts too)."""
    width = runs.shape[1]
    cols = [runs[:, np.clip(lines + d, 0, width - 1)] for d in (-1, 0, 1)]
    hit = np.maximum.reduce(cols).astype(np.float32)
    return np.vstack([np.zeros((1, len(lines)), np.float32), np.cumsum(hit, axis=0)])


def edge_rectangles(pixels: np.ndarray, limit: int = 10) -> list[Box]:
    """Axis-aligned rectangles whose outline lies on long straight edges, best first.

    `pixels` is greyscale (h, w) or colour (h, w, 3); colour finds the edge between a
    light-green reply quote and a white sky, which have the same grey.
    """
    h, w = pixels.shape[:2]
    vmask = _steps(pixels, axis=1)  # edge between x and x+1
    hmask = _steps(pixels, axis=0)  # edge between y and y+1
    min_h, min_w = max(10, int(h * _MIN_SIDE)), max(10, int(w * _MIN_SIDE))
    # Lines are boundaries: b is between pixels b - 1 and b; the picture's own borders
    # (0 and w, 0 and h) count as edges, for collage cells and crops that touch them.
    # A border is weaker evidence than a drawn edge: it supports a side just enough.
    vruns = np.pad(_long_runs(vmask, max(8, min_h * 2 // 3), axis=0), ((0, 0), (1, 1)),
                   constant_values=1).astype(np.float32)
    hruns = np.pad(_long_runs(hmask, max(8, min_w * 2 // 3), axis=1), ((1, 1), (0, 0)),
                   constant_values=1).astype(np.float32)
    vruns[:, [0, -1]] = hruns[[0, -1], :] = _BORDER_SUPPORT
    xs = _lines(vruns, max(8, min_h * 2 // 3))
    ys = _lines(hruns.T, max(8, min_w * 2 // 3))
    if len(xs) < 2 or len(ys) < 2:
        return []
    vcum = _support(vruns, xs)  # (h + 1, X): along y
    hcum = _support(hruns.T, ys)  # (w + 1, Y): along x
    # Side support for every (line, span) pair, then for every rectangle at once.
    vside = _span_support(vcum, ys, h)  # [i, k, l]: column line i between row lines k, l
    hside = _span_support(hcum, xs, w)  # [k, i, j]: row line k between column lines i, j
    i, j = np.nonzero(xs[None, :] - xs[:, None] >= min_w)  # column pairs, left < right
    k, m = np.nonzero(ys[None, :] - ys[:, None] >= min_h)  # row pairs, top < bottom
    if not len(i) or not len(k):
        return []
    score = np.minimum(
        np.minimum(vside[i][:, k, m], vside[j][:, k, m]),  # [pair of columns, pair of rows]
        np.minimum(hside[k][:, i, j], hside[m][:, i, j]).T)
    area = (xs[j] - xs[i])[:, None] * (ys[m] - ys[k])[None, :] / (w * h)
    rank = np.where(score >= _MIN_SUPPORT, score + 0.1 * area, -1.0).ravel()
    top = np.argpartition(-rank, 59)[:60] if rank.size > 60 else np.arange(rank.size)
    order = top[np.argsort(-rank[top], kind="stable")]
    boxes: list[Box] = []
    for n in order:
        if rank[n] < 0:
            break
        p, q = divmod(int(n), len(k))
        box = (int(xs[i[p]]), int(ys[k[q]]), int(xs[j[p]]), int(ys[m[q]]))
        if all(_iou(box, b) < 0.8 for b in boxes):
            boxes.append(box)
        if len(boxes) >= limit:
            break
    return boxes


def _span_support(cum: np.ndarray, starts: np.ndarray, length: int) -> np.ndarray:
    """[line, a, b]: share of each line covered between positions starts[a] and starts[b]."""
    a = np.clip(starts, 0, length)
    covered = cum[a][None, :, :] - cum[a][:, None, :]  # [a, b, line] = cum[b] - cum[a]
    span = np.maximum(a[None, :] - a[:, None], 1)[:, :, None]
    return (covered / span).transpose(2, 0, 1)


def _iou(a: Box, b: Box) -> float:
    iw = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    ih = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = iw * ih
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union else 0.0


def _longest_run(busy: np.ndarray) -> tuple[int, int] | None:
    """Start and end (exclusive) of the longest run of True values."""
    padded = np.concatenate(([False], busy, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    if not len(edges):
        return None
    starts, ends = edges[::2], edges[1::2]
    k = int(np.argmax(ends - starts))
    return int(starts[k]), int(ends[k])


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


def trimmed_box(grey: np.ndarray, flat_std: float = 4.0) -> Box | None:
    """The largest block between uniform frame-coloured lines (bars, letterboxing), if any."""
    pixels = grey.astype(np.float32)
    h, w = pixels.shape
    rows = _longest_run(~_separators(pixels, flat_std))
    if rows is None:
        return None
    cols = _longest_run(~_separators(pixels[rows[0]:rows[1]].T, flat_std))
    if cols is None:
        return None
    if cols[1] - cols[0] < w * 0.2 or rows[1] - rows[0] < h * 0.2:
        return None
    box = (cols[0], rows[0], cols[1], rows[1])
    return None if box == (0, 0, w, h) else box


def grid_cells(box: Box) -> list[Box]:
    """The four quarters of a box: the cells of a 2x2 collage without a visible gap."""
    x0, y0, x1, y1 = box
    xm, ym = (x0 + x1) // 2, (y0 + y1) // 2
    return [(x0, y0, xm, ym), (xm, y0, x1, ym), (x0, ym, xm, y1), (xm, ym, x1, y1)]


def find_regions(grey: np.ndarray, colour: np.ndarray | None = None,
                 limit: int = 16) -> list[Box]:
    """Boxes that may hold a photo, most likely first; the whole picture is not included.

    Trimmed frame, rectangles on long edges (screenshot bubbles, collage cells) and the
    rectangles inside the best of those (the photo inside a screenshot inside a screenshot,
    a photo under a reply quote), then the quarters of the whole picture. Flat boxes are
    dropped. `colour` (the same picture in RGB) finds edges that grey hides.
    """
    h, w = grey.shape
    pixels = grey if colour is None else colour
    proposals: list[Box] = []
    trimmed = trimmed_box(grey)
    if trimmed:
        proposals.append(trimmed)
    top_cut = int(h * 0.06)  # a status bar touching the picture is not a uniform line
    cut = trimmed_box(grey[top_cut:])
    if cut:
        proposals.append((cut[0], cut[1] + top_cut, cut[2], cut[3] + top_cut))
    outer = edge_rectangles(pixels, 4)
    proposals += outer
    # A photo in a screenshot in a screenshot: two levels down (screenshots only, given in
    # colour; other pictures are rarely nested, and each level costs as much again).
    for _depth in range(2 if colour is not None else 0):
        inner_all = []
        for x0, y0, x1, y1 in outer[:3]:
            if (x1 - x0) * (y1 - y0) < 0.03 * w * h:
                continue
            inner = edge_rectangles(pixels[y0:y1, x0:x1], 3)
            inner_all += [(x0 + a, y0 + b, x0 + c, y0 + d) for a, b, c, d in inner]
        proposals += inner_all
        outer = inner_all
    boxes: list[Box] = []
    for box in proposals[:limit - 4] + grid_cells((0, 0, w, h)):
        if any(_iou(box, b) >= 0.9 for b in boxes) or _iou(box, (0, 0, w, h)) >= 0.9:
            continue
        x0, y0, x1, y1 = box
        if cv2.meanStdDev(grey[y0:y1, x0:x1])[1][0, 0] < _MIN_STD:
            continue
        boxes.append(box)
    return boxes
