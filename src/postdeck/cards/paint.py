"""Card backgrounds, safe areas and contrast: the ground that slides are drawn on.

Kept apart from ``render.py`` (which places text) because the contrast rule and the safe area
are measured here, on the pixels of the background itself.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import PIL
from PIL import Image, ImageDraw, ImageOps

from postdeck.brand.schema import SIZES, Background, Brand, rgb
from postdeck.errors import TemplateError
from postdeck.usercache import file_key, user_cache_dir, write_entry

AA_CONTRAST = 4.5  # WCAG 2 AA for body text; postdeck applies it to every line of text
# Meta asks for ~250 px at the top and bottom of a 1080x1920 story to stay free of text:
# the profile bar and the reply box cover them.
STORY_INSET = 250


@dataclass(frozen=True)
class Box:
    """A rectangle in card pixels: left, top, right and bottom edges (right and bottom exclusive)."""

    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    def contains(self, other: tuple[int, int, int, int]) -> bool:
        x0, y0, x1, y1 = other
        return self.x0 <= x0 and self.y0 <= y0 and x1 <= self.x1 and y1 <= self.y1


def grid_crop(size: str) -> Box:
    """What Instagram's profile grid shows of a card: a centred 3:4 window.

    The grid's cells are 3:4 (since 2025). A 4:5 portrait card (1080x1350) is wider than 3:4,
    so the cell keeps the full height and shows a centred 1012.5 px width: 34 px of each side
    are hidden. Rounded inwards to whole pixels: x 34..1046. Other sizes are not grid posts
    (story, landscape, pinterest) or would lose a quarter of their width (square), so only
    portrait is held to it.
    """
    w, h = SIZES[size]
    if size != "portrait":
        return Box(0, 0, w, h)
    visible = h * 3 / 4
    side = math.ceil((w - visible) / 2)
    return Box(side, 0, w - side, h)


def is_wide(size: str) -> bool:
    """Landscape: too short for a stacked card, so headline and quote sit side by side."""
    w, h = SIZES[size]
    return w / h > 1.5


def is_tall(size: str) -> bool:
    """Story: seen alone, full screen, with far more height than a portrait card."""
    w, h = SIZES[size]
    return h / w > 1.6


def type_boost(size: str) -> tuple[float, float]:
    """Factors on a template's headline and quote maxima for this size. A story's quote may
    grow into its extra height (the maxima are set for portrait); on landscape the headline
    stands alone in its column beside the quote and at the template's size reads as a label."""
    if is_wide(size):
        return 1.3, 1.0
    if is_tall(size):
        return 1.15, 1.3
    return 1.0, 1.0


def scale(size: str) -> float:
    """Type sizes are given for a 1080-wide card; a card is read at the phone's width.

    A landscape card (1200x628) has half a portrait card's room for text, so its type is
    scaled by its height instead (628/720: 0.87), which keeps a 40 px minimum at 35 px.
    """
    w, h = SIZES[size]
    return min(w / 1080, h / 720)


def safe_area(brand: Brand, size: str) -> Box:
    """Where any ink may go: the template's margins, story insets and the portrait grid crop."""
    w, h = SIZES[size]
    m = round(brand.layout.margin * min(w, h) / 1080)  # short side, so landscape keeps room
    top = bottom = m
    if size == "story":
        top = bottom = max(m, STORY_INSET)
    crop = grid_crop(size)
    return Box(max(m, crop.x0), top, min(w - m, crop.x1), h - bottom)


def content_area(brand: Brand, size: str) -> Box:
    """Where text is laid out: the safe area less a small inset, because glyphs may ink a
    little outside their advance box (a 'J' swinging left, an italic's overhang)."""
    box, pad = safe_area(brand, size), round(12 * scale(size))
    return Box(box.x0 + pad, box.y0 + pad, box.x1 - pad, box.y1 - pad)


def background(brand: Brand, size: str, slide: int = 0) -> Image.Image:
    """The ground of slide ``slide`` (0: the cover), before any text. Shared between calls:
    copy it before drawing. Most grounds are the same on every slide; colour blocks
    (``background.alternate``) and a shape that runs across slides are not."""
    return _background(brand.background, brand.colors.background, brand.colors.accent, SIZES[size],
                       ground_variant(brand.background, slide))


def make_grounds(brand: Brand, sizes: Sequence[str]) -> None:
    """Make (and keep) the cover's ground at each size, which is most slides' ground too."""
    for size in sizes:
        background(brand, size)
        background_cells(brand, size)


def ground_variant(bg: Background, slide: int) -> int:
    """Which of a template's grounds slide ``slide`` is on (so equal grounds are made once)."""
    if bg.shape == "arc":
        return slide
    return slide % 2 if bg.alternate else 0


# Grounds kept: every slide of one size of a template whose shape runs across slides (9 of a
# 7-post deck), and then some. A ground is 6-8 MB; 32 of them made the blocks template at all
# five sizes (45 grounds a deck, so none was met again anyway) peak at 468 MB.
GROUNDS_KEPT = 12


@lru_cache(maxsize=GROUNDS_KEPT)
def _background(bg: Background, fallback: str, accent: str, wh: tuple[int, int], variant: int = 0) -> Image.Image:
    if bg.alternate and variant % 2:
        base = Image.new("RGB", wh, rgb(bg.alternate))
    elif bg.style == "gradient":
        base = _gradient(bg.stops, bg.angle, wh)
    elif bg.style == "image" and bg.image:
        base = cached_photo_ground(Path(bg.image), bg.overlay, fallback, wh, user_cache_dir())
    else:
        base = Image.new("RGB", wh, rgb(fallback))
    return _arcs(base, variant, accent) if bg.shape == "arc" else base


GROUND_MAGIC = b"postdeck ground 1\n"  # the start of a photo ground's cache entry, before its key


def cached_photo_ground(photo: Path, overlay: float, fallback: str, wh: tuple[int, int],
                        folder: Path | None) -> Image.Image:
    """The photo fitted to the card and blended with the fallback colour, from its entry in
    ``folder`` when the same photo was fitted there before (decoding and fitting a photo took
    40-70 ms a run; its pixels read back take ~3 ms), else made (and kept there when it can be)."""
    if folder is None:
        return photo_ground(photo, overlay, fallback, wh)
    key = file_key(photo, overlay, fallback, wh, PIL.__version__)
    entry = folder / f"ground-{hashlib.sha256(key).hexdigest()[:32]}.rgb"
    header = GROUND_MAGIC + len(key).to_bytes(4, "little") + key
    try:
        data = entry.read_bytes()
    except OSError:
        data = b""
    if data.startswith(header) and len(data) == len(header) + 3 * wh[0] * wh[1]:  # whole, and this photo's
        return Image.frombytes("RGB", wh, data[len(header):])
    made = photo_ground(photo, overlay, fallback, wh)
    write_entry(entry, header + made.tobytes())
    return made


def photo_ground(photo: Path, overlay: float, fallback: str, wh: tuple[int, int]) -> Image.Image:
    with Image.open(photo) as image:
        # A JPEG twice the card's size or more is decoded at 1/2, 1/4 or 1/8 scale, still at
        # least the card's size each way, so still enough for the crop fit takes: a phone's
        # 4000x3000 photo decoded and resized whole took several times as long.
        image.draft("RGB", wh)
        fitted = ImageOps.fit(image.convert("RGB"), wh, Image.Resampling.LANCZOS)
    return Image.blend(fitted, Image.new("RGB", wh, rgb(fallback)), overlay)


ARC_TINT = 0.14  # share of colors.accent in a disc on a dark ground: a shape to follow, not a contrast problem
ARC_LIGHT = 0.4  # share of white in a disc on a light ground


def _arcs(base: Image.Image, slide: int, accent: str) -> Image.Image:
    """Discs centred on the edges between slides, one high and the next low: half of each is on
    one slide and half on the next, so the shape runs on as the reader swipes."""
    w, h = base.size
    mask = Image.new("L", (2 * w, 2 * h), 0)  # drawn at twice the size: smooth edges
    draw = ImageDraw.Draw(mask)
    r = round(0.36 * h) * 2
    for edge, x in ((slide - 1, 0), (slide, 2 * w)):  # the edge before this slide and after it
        if edge >= 0:
            y = round((0.22 if edge % 2 == 0 else 0.8) * 2 * h)
            draw.ellipse((x - r, y - r, x + r, y + r), fill=255)
    # On a light ground the disc is lighter still (a soft light shape); on a dark one, a glow
    # of the accent. Either way the text's contrast barely moves.
    mean = base.resize((1, 1), Image.Resampling.BOX).convert("RGB").tobytes()
    light = luminance((mean[0], mean[1], mean[2])) > 0.4
    tint = Image.blend(base, Image.new("RGB", base.size, (255, 255, 255) if light else rgb(accent)),
                       ARC_LIGHT if light else ARC_TINT)
    return Image.composite(tint, base, mask.reduce(2))


def _gradient(stops: tuple[str, ...], angle: float, wh: tuple[int, int]) -> Image.Image:
    """A CSS-style linear gradient: 180 deg runs top to bottom, 90 deg left to right.

    The position along the gradient line is computed on a small grid and scaled up (a linear
    ramp survives bilinear scaling exactly), then mapped through a 256-colour palette.
    """
    w, h = wh
    gw, gh = 64, max(2, round(64 * h / w))
    a = math.radians(angle)
    dx, dy = math.sin(a), -math.cos(a)
    length = abs(w * dx) + abs(h * dy)
    ramp = Image.new("L", (gw, gh))
    ramp.putdata([
        max(0, min(255, round(255 * (((x + 0.5) / gw - 0.5) * w * dx + ((y + 0.5) / gh - 0.5) * h * dy) / length + 127.5)))
        for y in range(gh) for x in range(gw)
    ])
    ramp = ramp.resize(wh, Image.Resampling.BILINEAR)
    ramp.putpalette(_palette([rgb(s) for s in stops]))
    return ramp.convert("RGB")


def _palette(colors: list[tuple[int, int, int]]) -> list[int]:
    out: list[int] = []
    spans = len(colors) - 1
    for i in range(256):
        t = i / 255 * spans
        k = min(int(t), spans - 1)
        f = t - k
        out += [round(colors[k][c] + (colors[k + 1][c] - colors[k][c]) * f) for c in range(3)]
    return out


@lru_cache(maxsize=4096)  # a photo ground's cells are thousands of colours, each met on several checks
def luminance(color: tuple[int, int, int]) -> float:
    """WCAG relative luminance of an sRGB colour."""

    def channel(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in color[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


CELL = 16  # px: contrast is measured on the background averaged over cells this size


def worst_contrast(ground: Image.Image, box: tuple[int, int, int, int], color: str) -> float:
    """The lowest contrast of ``color`` against the background cells under ``box``.

    The background is averaged over 16 px cells first: a stroke sits on the average of the
    few pixels around it, and a lone bright speck in a photo should not fail a template.
    Every cell the box touches counts.
    """
    return cells_contrast(cells_of(ground), box, color)


def cells_contrast(cells: Image.Image, box: tuple[int, int, int, int], color: str) -> float:
    """``worst_contrast`` on a ground already averaged into cells (``cells_of``)."""
    x0, y0, x1, y1 = box
    region = cells.crop((x0 // CELL, y0 // CELL, max(x0 // CELL + 1, -(-x1 // CELL)), max(y0 // CELL + 1, -(-y1 // CELL))))
    ink = rgb(color)
    return min(contrast_ratio(ink, px) for px in set(getattr(region, "get_flattened_data", region.getdata)()))


def background_cells(brand: Brand, size: str, slide: int = 0) -> Image.Image:
    """The card's ground averaged over CELL-px cells, where contrast is measured; made once
    per ground, as the ground itself is. Shared between calls: never draw on it."""
    return _background_cells(brand.background, brand.colors.background, brand.colors.accent, SIZES[size],
                             ground_variant(brand.background, slide))


@lru_cache(maxsize=32)
def _background_cells(bg: Background, fallback: str, accent: str, wh: tuple[int, int], variant: int) -> Image.Image:
    return cells_of(_background(bg, fallback, accent, wh, variant))


def cells_of(ground: Image.Image) -> Image.Image:
    """The ground reduced to CELL-px cells (each the average of its pixels)."""
    return ground.resize((-(-ground.width // CELL), -(-ground.height // CELL)), Image.Resampling.BOX)


class ContrastError(TemplateError):
    """Text too faint on its background; ``key`` is the colour's key path, e.g. colors.muted."""

    def __init__(self, message: str, key: str) -> None:
        super().__init__(message)
        self.key = key


def require_contrast(cells: Image.Image, box: tuple[int, int, int, int], color: str,
                     brand: Brand, key: str, where: str) -> None:
    """Reject a template whose text colour is hard to read on the pixels behind the text
    (``cells``: the ground as ``background_cells`` gives it)."""
    ratio = cells_contrast(cells, box, color)
    if ratio < AA_CONTRAST:
        raise ContrastError(
            f"{brand.source}: {key}: {color} measures {ratio:.2f}:1 against the background behind "
            f"the {where}; WCAG AA needs {AA_CONTRAST}:1, so pick a colour with more contrast "
            "or change the background",
            key,
        )
