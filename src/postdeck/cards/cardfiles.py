"""Slides -> the bytes of card files: PNG, JPEG and a multi-page PDF of the carousel.

Files go in ``cards/``, named in posting order and then size (``00-cover-portrait.png``,
``01-portrait.png``..``07-portrait.png``, ``08-closing-portrait.png``), so a file picker
sorted by name lists one size's carousel in the right order; the PDF of the carousel is
``carousel-<size>.pdf``. Every file stays under 8 MB and every JPEG under
1 MB, the tightest limits among the platforms (Bluesky takes 1 MB images).
"""

from __future__ import annotations

import io
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from PIL import Image, ImageChops, ImageCms

from postdeck.brand.schema import Brand
from postdeck.cards.render import Slide
from postdeck.errors import RenderError
from postdeck.model import CARD_FORMATS

FORMATS = CARD_FORMATS
MAX_FILE = 8 * 1024 * 1024
MAX_JPEG = 1024 * 1024
JPEG_QUALITY = 90
PDF_DPI = 144  # a 1080x1350 card becomes a 7.5 x 9.4 inch page: a sensible document size
# A palette PNG is kept when it is visually lossless: no pixel moves by more than 6 levels of
# grey (of 255) and no 8x8 area by more than 2 on average. Steps of 1-2 levels in a smooth
# gradient are below what a screen shows; 3-4 level steps show as bands. Otherwise the card is
# saved in full colour.
PNG_MAX_ERROR = 6
PNG_AREA_ERROR = 2


def default_formats(brand: Brand) -> tuple[str, ...]:
    """Card files when none are asked for: PNG keeps flat colour and type sharp and small; over
    a photo a PNG is 500-660 KB of photo noise, and JPEG (what platforms re-encode to anyway)
    holds the same card in a third of that."""
    return ("jpg",) if brand.background.style == "image" else ("png",)


def card_path(size: str, name: str, fmt: str) -> str:
    """Path of one card file relative to the deck folder."""
    return f"cards/{name}-{size}.{fmt}"


@dataclass(frozen=True)
class CardName:
    """What a card file's name says, as ``card_path`` wrote it: ``cards/08-closing-portrait.png``."""

    order: str  # two digits: the slide's place in the carousel (00 is the cover)
    role: str | None  # "cover", "closing", or None for a post's card
    size: str
    fmt: str

    @property
    def post(self) -> int | None:
        """The post number of a post's card (its order); None for the cover and closing slides."""
        return None if self.role else int(self.order)


# card_path's image names read back; .jpeg and .webp are the same names converted by hand.
_CARD_NAME = re.compile(r"^cards/(\d{2})(?:-(cover|closing))?-([a-z]+)\.(png|jpe?g|webp)$")


def parse_card_path(path: str) -> CardName | None:
    """The parts of a card image's path relative to the deck folder; None for any other file."""
    m = _CARD_NAME.match(path)
    return CardName(order=m[1], role=m[2], size=m[3], fmt=m[4]) if m else None


def card_files(slides: dict[str, Iterable[Slide]], formats: Sequence[str],
               threads: int | None = None) -> dict[str, bytes]:
    """Every card file for every size: {relative path: bytes}."""
    return start_card_files(slides, formats, threads).result()


def default_threads() -> int:
    """Encoding threads when the caller does not say: up to 4 of the machine's cores.

    A batch worker passes its share of the cores instead (--jobs 2 on 2 cores: 1 each), so
    workers and their encoding threads do not outnumber the cores.
    """
    return min(4, os.cpu_count() or 1)


@dataclass(frozen=True)
class PendingCards:
    """Card files being encoded: their paths are known at once, their bytes when ``result``."""

    images: dict[str, Future[bytes]]  # PNG and JPEG files
    pdfs: dict[str, list[tuple[Future[bytes], tuple[int, int]]]]  # carousel PDF: its pages' JPEGs

    @property
    def paths(self) -> list[str]:
        return [*sorted(self.images), *self.pdfs]

    def result(self) -> dict[str, bytes]:
        """Wait for every file; raises the first encoding error (e.g. a JPEG over 1 MB)."""
        files = {path: job.result() for path, job in sorted(self.images.items())}
        for path, pages in self.pdfs.items():
            files[path] = pdf_from_jpegs([(j.result(), wh) for j, wh in pages])
        for path, data in files.items():
            if len(data) > MAX_FILE:
                raise RenderError(f"{path}: {len(data) // 1024} KB is over the 8 MB limit; use a simpler background")
        return files


def start_card_files(slides: Mapping[str, Iterable[Slide]], formats: Sequence[str],
                     threads: int | None = None) -> PendingCards:
    """Draw every slide and start encoding it; returns before the encoding is done.

    ``slides`` may be lazy (``render.iter_slides``): each slide is handed to the threads to
    encode while the next one is drawn, and the caller can do other work (the preview page)
    while the last one encodes. Pillow releases the GIL while it quantizes, compresses and
    encodes, so drawing and saving overlap on two cores. A slide drawn waits for the one before
    it to be saved: drawing ran ahead of encoding, and each slide waiting held its pixels and
    its encoders' buffers (peak memory of a 30-article batch 182 -> 146 MB). ``threads``
    encode at most (None: ``default_threads``); 1 encodes on the drawing thread.
    """
    threads = default_threads() if threads is None else max(1, threads)
    pool = ThreadPoolExecutor(max_workers=threads) if threads > 1 else _Inline()
    images: dict[str, Future[bytes]] = {}
    pdfs: dict[str, list[tuple[Future[bytes], tuple[int, int]]]] = {}
    trials: dict[int, tuple[Image.Image, Future[bool]]] = {}  # ground id: (ground, its first card's trial)
    encoding: list[Future[bytes]] = []  # the slide before this one's files
    try:
        for size, deck_slides in slides.items():
            pages = pdfs.setdefault(card_path(size, "carousel", "pdf"), []) if "pdf" in formats else []
            for s in deck_slides:
                wait(encoding)
                encoding = []
                if "png" in formats:
                    trial = deck_trial(trials, s.ground)
                    encoding.append(pool.submit(encode_png, s.image, s.ground, PROCESS_GROUNDS, trial))
                    images[card_path(size, s.name, "png")] = encoding[-1]
                if "jpg" in formats or "pdf" in formats:
                    encoding.append(pool.submit(encode_jpeg, s.image))
                    pages.append((encoding[-1], s.image.size))
                    if "jpg" in formats:
                        images[card_path(size, s.name, "jpg")] = encoding[-1]
    except BaseException:  # a slide that cannot be drawn: do not encode the others
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=False)  # the last slide still encodes; result() waits for it
    return PendingCards(images, pdfs)


def deck_trial(trials: dict[int, tuple[Image.Image, Future[bool]]], ground: Image.Image | None) -> Trial | None:
    """The next card's ``Trial`` on ``ground`` (None: no ground known); ``trials`` holds the
    deck's first trial on each ground, and the ground, so that its id stays its own."""
    if ground is None:
        return None
    first = id(ground) not in trials
    if first:
        trials[id(ground)] = (ground, Future())
    return Trial(trials[id(ground)][1], first)


class _Inline:
    """An executor that runs each job at once on the calling thread (one thread per process)."""

    def submit(self, fn: Callable[..., bytes], *args: Any) -> Future[bytes]:
        job: Future[bytes] = Future()
        try:
            job.set_result(fn(*args))
        except Exception as e:  # raised again by result(), as a pool thread's would be
            job.set_exception(e)
        return job

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        pass


def encode_png(image: Image.Image, ground: Image.Image | None = None,
               grounds: GroundMaps | None = None, trial: Trial | None = None) -> bytes:
    """A palette PNG when that is visually lossless (about half the size), else full colour.

    ``ground`` is the background the slide was drawn on, if known: it makes quantizing faster;
    ``grounds`` keeps its palette form for the other slides on it; ``trial`` is the card's part
    in its deck's palette trials on a photo ground.
    """
    chosen = palette_card(image, ground, grounds, trial) or image
    buf = io.BytesIO()
    chosen.save(buf, "PNG", compress_level=3)  # level 6 is 2.5x slower for 15% smaller files
    return buf.getvalue()


@dataclass(frozen=True)
class Trial:
    """A card's part in its deck's palette trials on one ground. On a ground with too many
    colours to map (a photo) a trial quantizes the whole card, ~100 ms, and once one card's
    ink and the photo do not fit in 256 colours the others' do not either (all 158 photo PNGs
    of 19 corpus articles were full colour). So the deck's first card on the ground is tried and
    ``told`` says how it went; the others are tried only if it passed. The first is the first
    in deck order, not the first thread to get there, so every run writes the same files."""

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
GROUNDS_KEPT = 16  # ground maps a process keeps: every size and slide variant of a template or two


class GroundMaps:
    """Each ground's ``ground_map``, made once for all the slides drawn on it, in every deck of
    the process (a batch worker's decks share their grounds: ``paint.background`` keeps them);
    shared by the threads that encode the slides. Grounds are never drawn on, so a ground's map
    stays right while the ground is kept with it (which also keeps its id its own)."""

    def __init__(self, kept: int = GROUNDS_KEPT) -> None:
        self._maps: OrderedDict[int, tuple[Image.Image, tuple[Image.Image, bool] | None]] = OrderedDict()  # id: (ground, map)
        self._kept = kept
        self._lock = threading.Lock()

    def get(self, ground: Image.Image) -> tuple[Image.Image, bool] | None:
        with self._lock:  # the first thread maps it; the others wait for that instead of mapping it too
            if id(ground) not in self._maps:
                self._maps[id(ground)] = (ground, ground_map(ground))
                if len(self._maps) > self._kept:
                    self._maps.popitem(last=False)
            self._maps.move_to_end(id(ground))
            return self._maps[id(ground)][1]


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
    r, g, b = ImageChops.difference(image, ground).split()
    mask = ImageChops.lighter(ImageChops.lighter(r, g), b).point(lambda v: 255 if v else 0)
    box = mask.getbbox()
    if box is None:
        return mask, []
    x0, x1 = box[0] // BLOCK * BLOCK, min(image.width, -(-box[2] // BLOCK) * BLOCK)
    boxes: list[tuple[int, int, int, int]] = []
    for y in range(box[1] // BLOCK * BLOCK, box[3], BLOCK):
        y1 = min(y + BLOCK, image.height)
        if mask.crop((x0, y, x1, y1)).getbbox() is None:
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


def encode_jpeg(image: Image.Image) -> bytes:
    """sRGB JPEG at quality ~90, no chroma subsampling (coloured text stays sharp), < 1 MB."""
    for quality in (JPEG_QUALITY, 85, 80, 75, 70):
        buf = io.BytesIO()
        _rgb(image).save(buf, "JPEG", quality=quality, subsampling=0, icc_profile=srgb_profile())
        if buf.tell() <= MAX_JPEG:
            return buf.getvalue()
    raise RenderError(f"a {image.width}x{image.height} card is over 1 MB as JPEG even at quality 70; "
                      "use a simpler background image")


def pdf_from_jpegs(pages: Sequence[tuple[bytes, tuple[int, int]]]) -> bytes:
    """A PDF with one page per slide, each showing that slide's JPEG (RGB, DCT-encoded).

    Written by hand because Pillow's PDF writer would encode every slide to JPEG a second
    time; embedding the JPEG files as they are keeps the PDF identical to them and saves
    that work. Pages are the card at PDF_DPI (a 1080x1350 card is 7.5 x 9.375 in).
    """
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Kids [{' '.join(f'{3 + 3 * i} 0 R' for i in range(len(pages)))}] "
               f"/Count {len(pages)} >>".encode()]
    for i, (jpeg, (w, h)) in enumerate(pages):
        pw, ph = w * 72 / PDF_DPI, h * 72 / PDF_DPI
        draw = f"q {pw:g} 0 0 {ph:g} 0 0 cm /Im0 Do Q".encode()
        objects += [
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pw:g} {ph:g}] "
            f"/Resources << /XObject << /Im0 {4 + 3 * i} 0 R >> >> /Contents {5 + 3 * i} 0 R >>".encode(),
            f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceRGB "
            f"/BitsPerComponent 8 /Filter /DCTDecode /Length {len(jpeg)} >>\nstream\n".encode() + jpeg + b"\nendstream",
            f"<< /Length {len(draw)} >>\nstream\n".encode() + draw + b"\nendstream",
        ]
    objects.append(b"<< /Title (carousel) /Producer (postdeck) >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n".encode()
    return bytes(out + f"startxref\n{xref}\n%%EOF\n".encode())


def _rgb(image: Image.Image) -> Image.Image:
    return image if image.mode == "RGB" else image.convert("RGB")


# The ICC header's creation date (bytes 24-35) is stamped by LittleCMS when the profile is
# made; a fixed one keeps the same deck the same bytes in every run (approvals and publish's
# change check hash the card files). The profile ID (84-99) stays zero: no checksum to redo.
ICC_DATE = slice(24, 36)
ICC_FIXED_DATE = b"".join(n.to_bytes(2, "big") for n in (2000, 1, 1, 0, 0, 0))  # year, month, day, h, m, s


@lru_cache(maxsize=1)
def srgb_profile() -> bytes:
    """The sRGB ICC profile, so viewers and platforms do not guess the colour space; the same
    bytes in every run (a fixed creation date: 2000-01-01 00:00:00)."""
    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    profile[ICC_DATE] = ICC_FIXED_DATE
    return bytes(profile)
