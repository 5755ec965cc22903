"""Finding the photo inside a picture: chat screenshots on patterned wallpaper, collages."""

from __future__ import annotations

import random

import numpy as np
import pytest
from PIL import Image

from caseprep.evidence import matching, regions
from tests.evidence import realset


def _scaled(box, factor):
    return tuple(round(v * factor) for v in box)


def _best_iou(found, box):
    return max((regions._iou(b, box) for b in found), default=0.0)


@pytest.fixture(scope="module")
def photos():
    return [realset.load_photo(s) for s in realset.REFERENCES]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_photo_in_a_chat_screenshot_is_found(photos, theme, tmp_path):
    """The photo's own box (without the reply quote) is among the regions, on wallpaper."""
    hits = 0
    for seed, photo in enumerate(photos):
        shot, box = realset.chat_screenshot_and_box(photo, theme, seed)
        path = tmp_path / f"{theme}{seed}.png"
        shot.save(path)
        grey, colour = matching.load_candidate(path)
        found = regions.find_regions(grey, colour)
        hits += _best_iou(found, _scaled(box, grey.shape[1] / shot.width)) >= 0.8
    assert hits >= 5


def test_collage_cells_are_found(photos):
    for seed in range(4):
        rnd = random.Random(seed)
        img = realset.collage([photos[(seed + k) % len(photos)] for k in range(4)], rnd,
                              cell=300)
        gap = img.width - 600
        grey = np.asarray(img.convert("L"))
        found = regions.find_regions(grey)
        for i in range(4):
            x, y = (i % 2) * (300 + gap), (i // 2) * (300 + gap)
            assert _best_iou(found, (x, y, x + 300, y + 300)) >= 0.8, (seed, i, found)


def test_trimmed_box_finds_a_uniform_frame():
    grey = np.full((300, 200), 20, np.uint8)
    rng = np.random.default_rng(0)
    grey[40:260, 30:170] = rng.integers(0, 255, (220, 140), dtype=np.uint8)
    assert regions.trimmed_box(grey) == (30, 40, 170, 260)


def test_flat_picture_has_no_regions():
    assert regions.find_regions(np.full((200, 300), 128, np.uint8)) == []


def test_a_plain_photo_is_not_cut_into_boxes_of_nothing(photos):
    """Every region proposed for a plain photo has content (no flat bars or bubbles)."""
    grey = np.asarray(photos[0].convert("L").resize((384, 384), Image.Resampling.BILINEAR))
    for x0, y0, x1, y1 in regions.find_regions(grey):
        assert grey[y0:y1, x0:x1].std() >= 12
