"""Generated photo-like images and their re-posted variants, for tests and benchmarks.

Used to measure perceptual matching (precision/recall, throughput) on data nobody had to
collect: smooth random scenes, transformed copies (resized, re-compressed, cropped, put in a
phone screenshot with a status bar, mirrored) and near-miss distractors (same palette and
background, different content).
"""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageFilter, ImageOps

TRANSFORMS = ("resized", "recompressed", "cropped", "screenshot", "mirrored", "combined")


def scene(seed: int, size: tuple[int, int] = (480, 640), shapes_seed: int | None = None):
    """A smooth random picture; `shapes_seed` redraws only the foreground (near-miss)."""
    rnd = random.Random(seed)
    w, h = size
    c1 = tuple(rnd.randrange(256) for _ in range(3))
    c2 = tuple(rnd.randrange(256) for _ in range(3))
    img = Image.linear_gradient("L").resize(size)
    img = ImageOps.colorize(img, c1, c2)
    if rnd.random() < 0.5:
        img = img.rotate(90 * rnd.randrange(1, 4), expand=False)
    palette = [tuple(rnd.randrange(256) for _ in range(3)) for _ in range(6)]
    shapes = random.Random(shapes_seed if shapes_seed is not None else seed * 7919 + 1)
    draw = ImageDraw.Draw(img)
    for _ in range(shapes.randrange(6, 14)):
        x0, y0 = shapes.randrange(-w // 4, w), shapes.randrange(-h // 4, h)
        x1 = x0 + shapes.randrange(w // 8, w // 2)
        y1 = y0 + shapes.randrange(h // 8, h // 2)
        colour = shapes.choice(palette)
        if shapes.random() < 0.5:
            draw.ellipse((x0, y0, x1, y1), fill=colour)
        else:
            draw.rectangle((x0, y0, x1, y1), fill=colour)
    return img.filter(ImageFilter.GaussianBlur(2))


def jpeg_bytes(img: Image.Image, quality: int = 90) -> bytes:
    out = io.BytesIO()
    img.convert("RGB").save(out, "JPEG", quality=quality)
    return out.getvalue()


def screenshot(img: Image.Image, seed: int = 0) -> Image.Image:
    """The picture as a phone screenshot: dark frame, status bar with icons, caption bar."""
    rnd = random.Random(seed)
    sw = 720
    sh = 1560
    pic = img.copy()
    pic.thumbnail((sw, sh - 300))
    canvas = Image.new("RGB", (sw, sh), (12, 12, 12))
    canvas.paste(pic, ((sw - pic.width) // 2, (sh - pic.height) // 2))
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((0, 0, sw, 60), fill=(40, 40, 40))
    for i in range(rnd.randrange(3, 7)):
        x = 20 + i * 40 if i < 3 else sw - 40 * (i - 2)
        draw.rectangle((x, 18, x + 24, 42), fill=(230, 230, 230))
    draw.rectangle((0, sh - 120, sw, sh), fill=(30, 30, 30))
    draw.rectangle((30, sh - 90, sw - 200, sh - 60), fill=(200, 200, 200))
    return canvas


def transform(img: Image.Image, name: str, seed: int = 0) -> Image.Image:
    """One of TRANSFORMS applied to `img`, returned as an image to be saved as JPEG."""
    w, h = img.size
    if name == "resized":
        return img.resize((int(w * 0.4), int(h * 0.4)), Image.Resampling.LANCZOS)
    if name == "recompressed":
        return Image.open(io.BytesIO(jpeg_bytes(img, quality=25)))
    if name == "cropped":
        dx, dy = int(w * 0.05), int(h * 0.05)
        return img.crop((dx, dy, w - dx, h - dy))
    if name == "screenshot":
        return screenshot(img, seed)
    if name == "mirrored":
        return ImageOps.mirror(img)
    if name == "combined":
        small = ImageOps.mirror(img).resize((int(w * 0.6), int(h * 0.6)))
        return Image.open(io.BytesIO(jpeg_bytes(small, quality=40)))
    raise ValueError(name)
