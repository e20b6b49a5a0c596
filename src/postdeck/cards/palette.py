"""Palette PNGs: a card in 256 colours when that looks the same as the card, found quickly.

Quantizing costs ~25 ns a pixel and most of a card is bare ground, so a ground with few colours
(solid, gradient) is mapped once per process and only the inked blocks of each card are
quantized; a card on a photo is quantized whole, and in a deck only until one fails.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from concurrent.futures import Future
from dataclasses import dataclass

from PIL import Image, ImageChops

# A palette PNG is kept when it is visually lossless: no pixel moves by more than 6 levels of
# grey (of 255) and no 8x8 area by more than 2 on average. Steps of 1-2 levels in a smooth
# gradient are below what a screen shows; 3-4 level steps show as bands. Otherwise the card is
# saved in full colour.
PNG_MAX_ERROR = 6
PNG_AREA_ERROR = 2


@dataclass(frozen=True)
class Trial:
    """A card's part in its deck's palette trials on one ground. On a ground with too many
    colours to map (a photo) a trial quantizes the whole card, ~100 ms, and once one card's
    ink and the photo do not fit in 256 colours the others' do not either (not one of 1,284
    photo cards, 39 corpus articles in 4 sizes, passed). So the deck's first card on the
    ground is tried and ``told`` says how it went; the others are tried only if it passed.
    The first is the first in deck order, not the first thread to get there, so every run
    writes the same files."""

    told: Future[bool]
    first: bool


def palette_card(image: Image.Image, ground: Image.Image | None = None,
                 grounds: GroundMaps | None = None, trial: Trial | None = None) -> Image.Image | None:
    """The card in 256 colours when that is visually lossless (``looks_same``), else None.

    Colours are chosen by max coverage (best for flat colour + AA text). Quantizing costs
    ~25 ns a pixel and most of a card is bare background, so when the card's ground is known
    and has few colours (solid, gradient) it is mapped and checked once per process, with
    palette entries of its own; then only the blocks with ink are quantized into the other
    entries and checked. Other cards are quantized whole, unless ``trial`` says that the
    deck's first card on the same ground failed: then this one is full colour (None) untried.
    """
    if trial is None or not trial.first:
        return _palette_card(image, ground, grounds, trial)
    try:
        out = _palette_card(image, ground, grounds, trial)
    except BaseException as e:  # the cards waiting for this one fail with it, rather than wait forever
        trial.told.set_exception(e)
        raise
    trial.told.set_result(out is not None)
    return out


def _palette_card(image: Image.Image, ground: Image.Image | None, grounds: GroundMaps | None,
                  trial: Trial | None) -> Image.Image | None:
    mapped = None
    if ground is not None and ground.size == image.size:
        mapped = grounds.get(ground) if grounds is not None else ground_map(ground)
    if ground is not None and mapped is not None and mapped[1]:
        return _looks_same_in(image, *_quantize_ink(image, ground, mapped[0]))
    if trial is not None and not trial.first and not trial.told.result():
        return None  # the deck's first card on this ground did not fit in 256 colours: nor will this one
    return _looks_same_in(image, quantize_exact(image, 256), [(0, 0, *image.size)])


def _looks_same_in(image: Image.Image, out: Image.Image, boxes: list[tuple[int, int, int, int]]) -> Image.Image | None:
    """``out`` when it looks the same as ``image`` in every box: with its brand colours exact
    (``quantize_exact``), else with its palette as quantized; None when neither does."""
    for palette in (None, out.info.get("raw_palette")):
        if palette:
            out.putpalette(palette)
        if all(looks_same(image.crop(box), out.crop(box)) for box in boxes):
            return out
    return None


def _quantize_ink(image: Image.Image, ground: Image.Image, base: Image.Image
                  ) -> tuple[Image.Image, list[tuple[int, int, int, int]]]:
    """The card as ``base`` (its ground in palette form) with the inked pixels quantized into
    the palette entries ``base`` leaves free; and the boxes that hold all of the ink."""
    mask, boxes = _ink(image, ground)
    out = base.copy()
    if not boxes:
        return out, boxes
    width = boxes[0][2] - boxes[0][0]
    # The inked rows, stacked; bare ground in them is one flat colour so it takes one entry.
    ink = Image.new("RGB", (width, sum(y1 - y0 for _, y0, _, y1 in boxes)), image.getpixel(boxes[0][:2]))
    top = 0
    for box in boxes:
        ink.paste(image.crop(box), (0, top), mask.crop(box))
        top += box[3] - box[1]
    first = len(base.getpalette() or ()) // 3
    ink_q = quantize_exact(ink, 256 - first)
    out.putpalette((base.getpalette() or []) + (ink_q.getpalette() or []))
    out.info["raw_palette"] = (base.getpalette() or []) + ink_q.info.get("raw_palette", [])
    ink_q = ink_q.point(lambda i: i + first)  # after the ground's entries
    top = 0
    for box in boxes:
        out.paste(ink_q.crop((0, top, width, top + box[3] - box[1])), box[:2], mask.crop(box))
        top += box[3] - box[1]
    return out, boxes


# A ground with more colours (a photo) is quantized with each card instead; one with as many
# or fewer keeps every colour exactly (a gradient's steps stay one level apart: no bands).
GROUND_COLOURS = 64
BLOCK = 8  # px: looks_same's areas; ink is found and checked in whole blocks
GROUNDS_KEPT = 16  # ground maps a process keeps, of grounds still in use


class GroundMaps:
    """Each ground's ``ground_map``, made once for all the slides drawn on it, in every deck of
    the process (a batch worker's decks share their grounds: ``paint.background`` keeps them);
    shared by the threads that encode the slides. Grounds are never drawn on, so a ground's map
    stays right while the ground lives; a map goes with its ground (it does not keep the ground
    alive: a ground is 6-8 MB)."""

    def __init__(self, kept: int = GROUNDS_KEPT) -> None:
        # id(ground): (the ground, weakly, so a new ground given a dead one's id is not mistaken for it; its map)
        self._maps: OrderedDict[int, tuple[weakref.ref[Image.Image], tuple[Image.Image, bool] | None]] = OrderedDict()
        self._kept = kept
        self._lock = threading.Lock()

    def get(self, ground: Image.Image) -> tuple[Image.Image, bool] | None:
        with self._lock:  # the first thread maps it; the others wait for that instead of mapping it too
            entry = self._maps.get(id(ground))
            if entry is None or entry[0]() is not ground:
                for gone in [key for key, (ref, _) in self._maps.items() if ref() is None]:
                    del self._maps[gone]
                entry = self._maps[id(ground)] = (weakref.ref(ground), ground_map(ground))
                if len(self._maps) > self._kept:
                    self._maps.popitem(last=False)
            self._maps.move_to_end(id(ground))
            return entry[1]


PROCESS_GROUNDS = GroundMaps()  # start_card_files': grounds outlive a deck in a batch worker


def ground_map(ground: Image.Image) -> tuple[Image.Image, bool] | None:
    """The ground as a palette image of its own colours and whether that looks the same;
    None when the ground has too many colours (a photo)."""
    colours = ground.getcolors(GROUND_COLOURS)
    mapped = ground.quantize(len(colours), method=1, dither=Image.Dither.NONE) if colours else None  # every colour exactly
    return (mapped, looks_same(ground, mapped)) if mapped else None


def _ink(image: Image.Image, ground: Image.Image) -> tuple[Image.Image, list[tuple[int, int, int, int]]]:
    """Where the card differs from its ground: a mask (255 = ink) and boxes of whole BLOCKs
    (the rows with ink, between the left and right edges of all ink) that hold all of it."""
    diff = ImageChops.difference(image, ground)
    box = diff.getbbox()  # any band differs
    mask = Image.new("L", image.size, 0)
    if box is None:
        return mask, []
    r, g, b = diff.crop(box).split()  # the mask is worked out where there is ink only
    mask.paste(ImageChops.lighter(ImageChops.lighter(r, g), b).point(lambda v: 255 if v else 0), box[:2])
    x0, x1 = box[0] // BLOCK * BLOCK, min(image.width, -(-box[2] // BLOCK) * BLOCK)
    rows = mask.getprojection()[1]  # rows[y]: whether row y has ink (all of it lies in x0..x1)
    boxes: list[tuple[int, int, int, int]] = []
    for y in range(box[1] // BLOCK * BLOCK, box[3], BLOCK):
        y1 = min(y + BLOCK, image.height)
        if not any(rows[y:y1]):
            continue
        if boxes and boxes[-1][3] == y:
            boxes[-1] = (x0, boxes[-1][1], x1, y1)
        else:
            boxes.append((x0, y, x1, y1))
    return mask, boxes


SNAP = 3  # levels: a palette entry this close to one of the image's main colours becomes it
MAIN_COLOURS = 16  # the image's most used colours: ground, text, accent and muted cores, a logo's


def quantize_exact(image: Image.Image, colours: int) -> Image.Image:
    """``image`` in at most ``colours`` palette entries, the entry nearest each of its main
    colours set to that colour exactly (where it lies within SNAP levels).

    A quantizer averages the colours it merges, so a brand's #ffd400 came out #fed300. Moving
    an entry moves every pixel on it a level or three, so the palette as quantized is kept in
    ``info["raw_palette"]`` for when the moved one no longer ``looks_same``."""
    quantized = image.quantize(colours, method=1, dither=Image.Dither.NONE)
    palette = quantized.getpalette() or []
    quantized.info["raw_palette"] = list(palette)
    # Every 4th pixel each way is enough to rank the colours laid flat (and 16 times quicker).
    counted = image.resize((max(1, image.width // 4), max(1, image.height // 4)), Image.Resampling.NEAREST).getcolors(1 << 14)
    if not counted:
        return quantized  # a photo: no colour is a brand colour laid flat
    entries = [tuple(palette[i:i + 3]) for i in range(0, len(palette), 3)]
    exact = {e: k for k, e in enumerate(entries)}
    taken: set[int] = set()
    main: list[tuple[int, ...]] = [c for _, c in sorted(counted, reverse=True)[:MAIN_COLOURS]]  # type: ignore[misc]
    for full in main:  # the most used first
        colour = full[:3]
        if colour in exact:
            taken.add(exact[colour])
            continue
        r, g, b = colour
        distances = [max(abs(r - e0), abs(g - e1), abs(b - e2)) for e0, e1, e2 in entries]
        distance = min(distances)
        k = distances.index(distance)
        if distance <= SNAP and k not in taken:
            palette[3 * k:3 * k + 3] = colour
        taken.add(k)
    quantized.putpalette(palette)
    return quantized


def looks_same(image: Image.Image, quantized: Image.Image) -> bool:
    """No pixel off by more than PNG_MAX_ERROR, and no 8x8 area off on average by more than
    PNG_AREA_ERROR: the second catches the bands a palette cuts into a smooth gradient.
    (Areas are 8x8 blocks from the top left, so a crop at multiples of 8 checks its blocks.)"""
    diff = ImageChops.difference(image, quantized.convert("RGB")).convert("L")  # as the eye weighs it
    worst, area = diff.getextrema(), diff.reduce(BLOCK).getextrema()  # one band (L): (low, high)
    return worst[1] <= PNG_MAX_ERROR and area[1] <= PNG_AREA_ERROR  # type: ignore[operator]


Trials = dict[int, tuple["weakref.ref[Image.Image]", Future[bool]]]  # id(ground): (the ground, weakly; its first trial)


def deck_trial(trials: Trials, ground: Image.Image | None) -> Trial | None:
    """The next card's ``Trial`` on ``ground`` (None: no ground known); ``trials`` holds the
    deck's first trial on each ground. It holds the ground weakly: a deck at every size of a
    template whose shape runs across slides draws 45 grounds of 6-8 MB, and holding them all
    made it peak at 385 MB (a new ground given a dead one's id starts trials of its own)."""
    if ground is None:
        return None
    entry = trials.get(id(ground))
    first = entry is None or entry[0]() is not ground
    if first:
        entry = trials[id(ground)] = (weakref.ref(ground), Future())
    assert entry is not None
    return Trial(entry[1], first)
