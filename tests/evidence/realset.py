"""A realistic matching test set, built deterministically from real photographs in packages.

Real photos that ship inside installed packages (scikit-image's data folder, scikit-learn's
sample images, PyWavelets' data), no download. Six colour photos play "her" reference photos;
the others (and transformed copies of them) are the photos of strangers a chat group also
posts. Each reference is re-posted with every transform of issue 18: chat screenshots on a
Telegram-like wallpaper (gradient + doodle pattern) in light and dark themes with a status bar
and a reply quote, a screenshot of such a screenshot, 2x2 collages, crops to 1:1, 16:9 and by
20 %, a caption band, a watermark, a sticker over the face, a blurred region, a frame, low
resolution, resize, re-compression, mirror, rotation and a colour filter. Every transform is
applied to distractors too, so precision is measured on the same kinds of picture. The other
half of scikit-image's stereo pair (same scene, same instant, another camera) is the "same
scene, different shot" case, whose right answer is "possible".

Building the whole set takes a few seconds; `build(folder)` writes it and returns its items.
"""

from __future__ import annotations

import importlib.util
import io
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageFont, ImageOps

# Her photos: colour photographs of people, animals, things and places.
REFERENCES = (
    ("skimage", "astronaut.png"),
    ("skimage", "chelsea.png"),
    ("skimage", "coffee.png"),
    ("skimage", "rocket.jpg"),
    ("sklearn", "china.jpg"),
    ("skimage", "motorcycle_left.png"),
)
# Photos of something else (some are grey, as old or filtered photos are).
DISTRACTORS = (
    ("sklearn", "flower.jpg"),
    ("skimage", "hubble_deep_field.jpg"),
    ("skimage", "retina.jpg"),
    ("skimage", "ihc.png"),
    ("skimage", "camera.png"),
    ("skimage", "moon.png"),
    ("skimage", "coins.png"),
    ("skimage", "brick.png"),
    ("skimage", "grass.png"),
    ("skimage", "gravel.png"),
    ("skimage", "cell.png"),
    ("skimage", "clock_motion.png"),
    ("skimage", "text.png"),
    ("skimage", "page.png"),
    ("skimage", "horse.png"),
    ("skimage", "phantom.png"),
    ("pywt", "ascent.npz"),
    ("pywt", "aero.npz"),
)
SAME_SCENE = (("skimage", "motorcycle_right.png"), "motorcycle_left.png")

TRANSFORMS = (
    "resized", "recompressed", "mirrored", "rotated", "colour",
    "chat_light", "chat_dark", "screenshot_of_screenshot", "collage",
    "crop_square", "crop_16_9", "crop_20", "caption_band", "watermark",
    "sticker", "blur_region", "frame", "low_resolution",
)
# Each transform is also applied to this many distractors (chosen in turn).
DISTRACTORS_PER_TRANSFORM = 4


@dataclass(frozen=True)
class Item:
    """One picture of the set and the answer a matcher should give for it."""

    name: str
    transform: str  # a TRANSFORMS name, "original" or "same_scene"
    truth: str | None  # the reference it re-posts (or shows the scene of), else None
    answer: str  # "match", "possible" or "no"
    path: Path | None = None


def _package_dir(package: str, sub: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{package} is needed for the real test set (test extra)")
    return Path(next(iter(spec.submodule_search_locations))) / sub


_SOURCES = {"skimage": ("skimage", "data"), "sklearn": ("sklearn", "datasets/images"),
            "pywt": ("pywt", "data")}


def load_photo(source: tuple[str, str]) -> Image.Image:
    """A sample photo as RGB (transparent parts on white)."""
    package, name = source
    path = _package_dir(*_SOURCES[package]) / name
    if name.endswith(".npz"):
        with np.load(path) as data:
            pixels = data[data.files[0]]
        img = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    else:
        img = Image.open(path)
        img.load()
    if img.mode in ("RGBA", "LA", "P"):
        img = img.convert("RGBA")
        canvas = Image.new("RGB", img.size, (255, 255, 255))
        canvas.paste(img, mask=img.getchannel("A"))
        return canvas
    return img.convert("RGB")


def jpeg(img: Image.Image, quality: int = 88) -> bytes:
    out = io.BytesIO()
    img.convert("RGB").save(out, "JPEG", quality=quality)
    return out.getvalue()


def _font(size: int) -> ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _text_lines(draw: ImageDraw.ImageDraw, box, rnd: random.Random, colour, size=22) -> None:
    words = ("ok", "look", "who is she", "lol", "more here", "send more", "saw this",
             "new", "from her page", "haha", "again", "channel", "link below")
    x0, y0, x1, y1 = box
    y = y0
    while y + size < y1:
        draw.text((x0, y), " ".join(rnd.choice(words) for _ in range(3)), fill=colour,
                  font=_font(size))
        y += int(size * 1.4)


# --- Telegram-like chat screenshots -------------------------------------------------------

_THEMES = {
    "light": {"top": (208, 222, 170), "bottom": (134, 178, 140), "doodle": (110, 150, 110),
              "bar": (255, 255, 255), "bar_ink": (20, 20, 20), "bubble": (255, 255, 255),
              "own": (225, 250, 200), "ink": (10, 10, 10), "accent": (50, 130, 200)},
    "dark": {"top": (24, 34, 48), "bottom": (14, 22, 30), "doodle": (40, 56, 72),
             "bar": (23, 33, 43), "bar_ink": (230, 230, 230), "bubble": (24, 37, 51),
             "own": (43, 82, 120), "ink": (235, 235, 235), "accent": (110, 180, 240)},
}


def _wallpaper(size, theme: dict, rnd: random.Random) -> Image.Image:
    """Telegram's default wallpaper, roughly: a diagonal gradient under a doodle pattern."""
    w, h = size
    sw, sh = w // 8 + 1, h // 8 + 1  # the gradient is smooth: compute it small, scale it up
    t = (np.add.outer(np.arange(sh), np.arange(sw)) / (sw + sh))[..., None]
    top, bottom = np.array(theme["top"], float), np.array(theme["bottom"], float)
    img = Image.fromarray((top * (1 - t) + bottom * t).astype(np.uint8))
    img = img.resize(size, Image.Resampling.BILINEAR)
    draw = ImageDraw.Draw(img)
    for _ in range(w * h // 2200):
        x, y = rnd.randrange(-20, w), rnd.randrange(-20, h)
        s = rnd.randrange(10, 34)
        shape = rnd.randrange(4)
        if shape == 0:
            draw.ellipse((x, y, x + s, y + s), outline=theme["doodle"], width=2)
        elif shape == 1:
            draw.line((x, y, x + s, y + s // 2), fill=theme["doodle"], width=2)
        elif shape == 2:
            draw.arc((x, y, x + s, y + s), 20, 250, fill=theme["doodle"], width=2)
        else:
            draw.regular_polygon((x + s // 2, y + s // 2, s // 2), 5, outline=theme["doodle"])
    return img


def _status_bar(canvas: Image.Image, theme: dict, rnd: random.Random, height: int) -> None:
    draw = ImageDraw.Draw(canvas)
    w = canvas.width
    draw.rectangle((0, 0, w, height), fill=theme["bar"])
    draw.text((24, height // 4), f"{rnd.randrange(0, 24):02d}:{rnd.randrange(60):02d}",
              fill=theme["bar_ink"], font=_font(height // 2))
    for i in range(3):  # signal, wifi, battery
        x = w - 40 - i * 34
        draw.rectangle((x, height // 3, x + 22, 2 * height // 3), fill=theme["bar_ink"])


def _chat_header(canvas: Image.Image, theme: dict, top: int, height: int) -> None:
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((0, top, canvas.width, top + height), fill=theme["bar"])
    draw.ellipse((70, top + 10, 70 + height - 20, top + height - 10), fill=theme["accent"])
    draw.text((90 + height, top + height // 4), "Group chat  182,406 members",
              fill=theme["bar_ink"], font=_font(height // 3))


def _rounded(img: Image.Image, radius: int, background: Image.Image, xy) -> None:
    mask = Image.new("L", img.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, img.width - 1, img.height - 1), radius,
                                           fill=255)
    background.paste(img, xy, mask)


def chat_screenshot(photo: Image.Image, theme_name: str, seed: int,
                    size=(720, 1560), photo_width: int = 520) -> Image.Image:
    """The photo as a message in a group chat, captured on a phone."""
    return chat_screenshot_and_box(photo, theme_name, seed, size, photo_width)[0]


def chat_screenshot_and_box(photo: Image.Image, theme_name: str, seed: int,
                            size=(720, 1560), photo_width: int = 520):
    """The screenshot and the box (left, top, right, bottom) the photo fills in it."""
    rnd = random.Random(seed)
    theme = _THEMES[theme_name]
    w, h = size
    scale = w / 720
    canvas = _wallpaper(size, theme, rnd)
    bar = int(56 * scale)
    _status_bar(canvas, theme, rnd, bar)
    _chat_header(canvas, theme, bar, int(100 * scale))
    draw = ImageDraw.Draw(canvas)
    y = bar + int(100 * scale) + rnd.randrange(10, 200)
    # A text message above.
    bw = rnd.randrange(int(260 * scale), int(560 * scale))
    draw.rounded_rectangle((20, y, 20 + bw, y + int(90 * scale)), 18, fill=theme["bubble"])
    _text_lines(draw, (36, y + 12, 20 + bw - 16, y + int(80 * scale)), rnd, theme["ink"],
                int(22 * scale))
    y += int(110 * scale)
    # The photo, with a reply quote above it inside its bubble and the time over its corner.
    pw = int(photo_width * scale)
    pic = photo.resize((pw, max(1, round(photo.height * pw / photo.width))),
                       Image.Resampling.LANCZOS)
    if pic.height > h * 0.55:
        pic = photo.resize((round(photo.width * h * 0.55 / photo.height), int(h * 0.55)),
                           Image.Resampling.LANCZOS)
    x = 20 if rnd.random() < 0.5 else w - 20 - pic.width - 8
    quote = int(70 * scale)
    draw.rounded_rectangle((x, y, x + pic.width + 8, y + quote + pic.height + 8), 18,
                           fill=theme["own"])
    draw.rectangle((x + 12, y + 10, x + 16, y + quote - 8), fill=theme["accent"])
    draw.text((x + 24, y + 8), "Anon", fill=theme["accent"], font=_font(int(20 * scale)))
    draw.text((x + 24, y + 8 + int(26 * scale)), "who is this?", fill=theme["ink"],
              font=_font(int(20 * scale)))
    _rounded(pic, 16, canvas, (x + 4, y + quote))
    box = (x + 4, y + quote, x + 4 + pic.width, y + quote + pic.height)
    px, py = x + 4 + pic.width, y + quote + pic.height
    draw.rounded_rectangle((px - 80 * scale, py - 36 * scale, px - 8, py - 8), 10,
                           fill=(0, 0, 0))
    draw.text((px - 72 * scale, py - 34 * scale), "21:07", fill=(255, 255, 255),
              font=_font(int(20 * scale)))
    y = py + 24
    # More messages below while there is room, then the input bar.
    while y + 100 * scale < h - 110 * scale:
        bw = rnd.randrange(int(200 * scale), int(600 * scale))
        draw.rounded_rectangle((20, y, 20 + bw, y + int(70 * scale)), 18, fill=theme["bubble"])
        _text_lines(draw, (36, y + 10, 20 + bw - 16, y + int(60 * scale)), rnd, theme["ink"],
                    int(22 * scale))
        y += int(90 * scale)
    draw.rectangle((0, h - int(96 * scale), w, h), fill=theme["bar"])
    draw.rounded_rectangle((80, h - int(80 * scale), w - 90, h - int(20 * scale)), 24,
                           fill=theme["bubble"], outline=theme["doodle"])
    return canvas, box


# --- the other transforms -------------------------------------------------------------------

def _crop_fraction(img: Image.Image, fw: float, fh: float, rnd: random.Random) -> Image.Image:
    w, h = img.size
    cw, ch = int(w * fw), int(h * fh)
    left, top = rnd.randrange(0, w - cw + 1), rnd.randrange(0, h - ch + 1)
    return img.crop((left, top, left + cw, top + ch))


def _crop_aspect(img: Image.Image, aspect: float, rnd: random.Random) -> Image.Image:
    w, h = img.size
    if w / h > aspect:
        cw, ch = int(h * aspect), h
    else:
        cw, ch = w, int(w / aspect)
    left, top = rnd.randrange(0, w - cw + 1), rnd.randrange(0, h - ch + 1)
    return img.crop((left, top, left + cw, top + ch))


def collage(cells: list[Image.Image], rnd: random.Random, cell: int = 360) -> Image.Image:
    gap = rnd.choice((0, 6, 12))
    canvas = Image.new("RGB", (2 * cell + gap, 2 * cell + gap), (255, 255, 255))
    for i, img in enumerate(cells):
        fitted = ImageOps.fit(img, (cell, cell), Image.Resampling.LANCZOS)
        canvas.paste(fitted, ((i % 2) * (cell + gap), (i // 2) * (cell + gap)))
    return canvas


def _sticker(img: Image.Image, rnd: random.Random) -> Image.Image:
    """A round emoji sticker over where a face usually is (upper middle of the photo)."""
    out = img.copy()
    w, h = out.size
    d = int(min(w, h) * 0.32)
    cx = int(w * rnd.uniform(0.35, 0.65))
    cy = int(h * rnd.uniform(0.25, 0.45))
    draw = ImageDraw.Draw(out)
    box = (cx - d // 2, cy - d // 2, cx + d // 2, cy + d // 2)
    draw.ellipse(box, fill=(255, 204, 51), outline=(200, 120, 0), width=4)
    e = d // 8
    draw.ellipse((cx - 2 * e, cy - 2 * e, cx - e, cy - e), fill=(60, 30, 0))
    draw.ellipse((cx + e, cy - 2 * e, cx + 2 * e, cy - e), fill=(60, 30, 0))
    draw.arc((cx - 2 * e, cy - e, cx + 2 * e, cy + 2 * e), 20, 160, fill=(60, 30, 0), width=4)
    return out


def _blur_region(img: Image.Image, rnd: random.Random) -> Image.Image:
    out = img.copy()
    w, h = out.size
    bw, bh = int(w * 0.4), int(h * 0.4)
    left, top = rnd.randrange(0, w - bw), rnd.randrange(0, h - bh)
    box = (left, top, left + bw, top + bh)
    out.paste(out.crop(box).filter(ImageFilter.GaussianBlur(12)), box[:2])
    return out


def _caption_band(img: Image.Image, rnd: random.Random) -> Image.Image:
    out = img.copy().convert("RGBA")
    w, h = out.size
    band = Image.new("RGBA", out.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(band)
    top = int(h * rnd.uniform(0.72, 0.8))
    draw.rectangle((0, top, w, h), fill=(0, 0, 0, 190))
    _text_lines(draw, (12, top + 8, w - 12, h - 4), rnd, (255, 255, 255, 255),
                max(12, h // 22))
    return Image.alpha_composite(out, band).convert("RGB")


def _watermark(img: Image.Image, rnd: random.Random) -> Image.Image:
    out = img.copy().convert("RGBA")
    w, h = out.size
    layer = Image.new("RGBA", out.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    size = max(14, w // 14)
    for y in range(-h, 2 * h, size * 4):
        draw.text((rnd.randrange(-40, 0), y), "@leaks_channel   " * 4,
                  fill=(255, 255, 255, 110), font=_font(size))
    layer = layer.rotate(30, center=(w // 2, h // 2))
    draw = ImageDraw.Draw(layer)
    draw.text((w - 6 * size, h - 2 * size), "t.me/xx", fill=(255, 255, 255, 220),
              font=_font(size))
    return Image.alpha_composite(out, layer).convert("RGB")


def _frame(img: Image.Image, rnd: random.Random) -> Image.Image:
    """A decorative frame: a colour gradient border, wider at the bottom, with a caption."""
    w, h = img.size
    side, bottom = int(w * 0.07), int(h * 0.2)
    fw, fh = w + 2 * side, h + side + bottom
    a = np.array([rnd.randrange(256) for _ in range(3)], float)
    b = np.array([rnd.randrange(256) for _ in range(3)], float)
    t = np.linspace(0, 1, fh)[:, None, None]
    canvas = Image.fromarray(np.broadcast_to(a * (1 - t) + b * t, (fh, fw, 3)).astype(np.uint8))
    canvas.paste(img, (side, side))
    ImageDraw.Draw(canvas).text((side, h + side + bottom // 4), "memories", fill=(255, 255, 255),
                                font=_font(max(12, bottom // 3)))
    return canvas


def transform(img: Image.Image, name: str, seed: int, fillers: list[Image.Image]) -> Image.Image:
    """`img` re-posted with one of TRANSFORMS; `fillers` are strangers' photos for collages."""
    rnd = random.Random(seed)
    w, h = img.size
    if name == "resized":
        return img.resize((int(w * 0.4), int(h * 0.4)), Image.Resampling.LANCZOS)
    if name == "recompressed":
        return Image.open(io.BytesIO(jpeg(img, 22)))
    if name == "mirrored":
        return ImageOps.mirror(img)
    if name == "rotated":
        return img.rotate(rnd.choice((-1, 1)) * rnd.uniform(4, 8), Image.Resampling.BICUBIC,
                          expand=True, fillcolor=(255, 255, 255))
    if name == "colour":
        out = ImageEnhance.Color(img).enhance(rnd.choice((0.0, 1.7)))
        out = ImageEnhance.Contrast(out).enhance(1.25)
        warm = Image.new("RGB", img.size, (255, 170, 90))
        return Image.blend(out, warm, 0.15)
    if name in ("chat_light", "chat_dark"):
        return chat_screenshot(img, name.split("_")[1], seed)
    if name == "screenshot_of_screenshot":
        inner = chat_screenshot(img, rnd.choice(("light", "dark")), seed)
        return chat_screenshot(inner, rnd.choice(("light", "dark")), seed + 1,
                               size=(591, 1280), photo_width=300)
    if name == "collage":
        cells = [f for f in fillers[:3]]
        cells.insert(rnd.randrange(4), img)
        return collage(cells, rnd)
    if name == "crop_square":
        return _crop_aspect(img, 1.0, rnd)
    if name == "crop_16_9":
        return _crop_aspect(img, 16 / 9, rnd)
    if name == "crop_20":
        return _crop_fraction(img, 0.8, 0.8, rnd)
    if name == "caption_band":
        return _caption_band(img, rnd)
    if name == "watermark":
        return _watermark(img, rnd)
    if name == "sticker":
        return _sticker(img, rnd)
    if name == "blur_region":
        return _blur_region(img, rnd)
    if name == "frame":
        return _frame(img, rnd)
    if name == "low_resolution":
        small = img.copy()
        small.thumbnail((150, 150), Image.Resampling.BILINEAR)
        return small
    raise ValueError(name)


def _stem(source: tuple[str, str]) -> str:
    return source[1].rsplit(".", 1)[0]


def build(folder: Path, transforms=TRANSFORMS) -> tuple[list[Path], list[Item]]:
    """Write the references and the set under `folder`; return (reference paths, items)."""
    folder.mkdir(parents=True, exist_ok=True)
    refs = {_stem(s): load_photo(s) for s in REFERENCES}
    strangers = {_stem(s): load_photo(s) for s in DISTRACTORS}
    stranger_names = list(strangers)
    ref_paths = []
    for name, img in refs.items():
        path = folder / f"ref_{name}.jpg"
        path.write_bytes(jpeg(img, 92))
        ref_paths.append(path)
    items: list[Item] = []

    def add(name: str, img: Image.Image, t: str, truth: str | None, answer: str) -> None:
        path = folder / f"{name}.jpg"
        path.write_bytes(jpeg(img, 22 if t == "recompressed" else 85))
        items.append(Item(name, t, f"ref_{truth}.jpg" if truth else None, answer, path))

    for name, img in strangers.items():
        add(f"original_{name}", img, "original", None, "no")
    turn = 0
    for ti, t in enumerate(transforms):
        for ri, (name, img) in enumerate(refs.items()):
            seed = 1000 * ti + ri
            fillers = [strangers[stranger_names[(seed + k) % len(stranger_names)]]
                       for k in range(3)]
            add(f"{t}_{name}", transform(img, t, seed, fillers), t, name, "match")
        for k in range(DISTRACTORS_PER_TRANSFORM):
            name = stranger_names[turn % len(stranger_names)]
            turn += 1
            seed = 1000 * ti + 100 + k
            fillers = [strangers[stranger_names[(turn + j) % len(stranger_names)]]
                       for j in range(1, 4)]
            add(f"{t}_x_{name}", transform(strangers[name], t, seed, fillers), t, None, "no")
    same_scene, truth = SAME_SCENE
    add(f"same_scene_{_stem(same_scene)}", load_photo(same_scene), "same_scene",
        _stem((None, truth)), "possible")
    return ref_paths, items
