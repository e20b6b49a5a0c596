"""Slides -> the bytes of card files: PNG, JPEG and a multi-page PDF of the carousel.

Files go in ``cards/``, named in posting order and then size (``00-cover-portrait.png``,
``01-portrait.png``..``07-portrait.png``, ``08-closing-portrait.png``), so a file picker
sorted by name lists one size's carousel in the right order; the PDF of the carousel is
``carousel-<size>.pdf``. Every file stays under 8 MB and every JPEG under
1 MB, the tightest limits among the platforms (Bluesky takes 1 MB images).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import RenderError

if TYPE_CHECKING:
    from PIL import Image

    from .render import Slide

FORMATS = ("png", "jpg", "pdf")
MAX_FILE = 8 * 1024 * 1024
MAX_JPEG = 1024 * 1024
JPEG_QUALITY = 90
PDF_DPI = 144  # a 1080x1350 card becomes a 7.5 x 9.4 inch page: a sensible document size
# A palette PNG is kept when it is visually lossless: no pixel moves by more than 10 levels
# (of 255, as grey difference) and the mean by under 1.5, below what anyone sees in a smooth
# gradient or at an anti-aliased edge. Otherwise the card is saved in full colour.
PNG_MAX_ERROR = 10
PNG_MEAN_ERROR = 1.5


def card_path(size: str, name: str, fmt: str) -> str:
    """Path of one card file relative to the deck folder."""
    return f"cards/{name}-{size}.{fmt}"


def card_files(slides: dict[str, Sequence[Slide]], formats: Sequence[str]) -> dict[str, bytes]:
    """Every card file for every size: {relative path: bytes}.

    Encoders run on threads: Pillow releases the GIL while it quantizes, compresses and
    encodes, so the files of a deck come out about twice as fast on two cores.
    """
    import os
    from concurrent.futures import Future, ThreadPoolExecutor

    jobs: dict[str, Future[bytes]] = {}
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        for size, deck_slides in slides.items():
            if "pdf" in formats:
                jobs[card_path(size, "carousel", "pdf")] = pool.submit(encode_pdf, [s.image for s in deck_slides])
            for s in deck_slides if "jpg" in formats else ():
                jobs[card_path(size, s.name, "jpg")] = pool.submit(encode_jpeg, s.image)
            palette = _deck_palette(deck_slides) if "png" in formats else None
            for s in deck_slides if "png" in formats else ():
                jobs[card_path(size, s.name, "png")] = pool.submit(encode_png, s.image, palette)
    files = {path: job.result() for path, job in sorted(jobs.items())}
    for path, data in files.items():
        if len(data) > MAX_FILE:
            raise RenderError(f"{path}: {len(data) // 1024} KB is over the 8 MB limit; use a simpler background")
    return files


def _deck_palette(slides: Sequence[Slide]) -> Image.Image | None:
    """One palette for a deck's slides: they share background, colours and fonts, and mapping
    to a known palette is ~15x faster than quantizing each card."""
    cards = [s for s in slides if s.kind == "card"] or list(slides)
    return _quantize(cards[0].image) if cards else None


def _quantize(image: Image.Image) -> Image.Image:
    return image.quantize(256, method=1, dither=0)  # 1 = max coverage: best for flat + AA text


def encode_png(image: Image.Image, palette: Image.Image | None = None) -> bytes:
    """A palette PNG when that is visually lossless (much smaller), else a full-colour one."""
    chosen = image
    for attempt in (palette, None):
        quantized = image.quantize(palette=attempt, dither=0) if attempt else _quantize(image)
        if _looks_same(image, quantized):
            chosen = quantized
            break
    buf = io.BytesIO()
    chosen.save(buf, "PNG", compress_level=6)
    return buf.getvalue()


def _looks_same(image: Image.Image, quantized: Image.Image) -> bool:
    from PIL import ImageChops

    diff = ImageChops.difference(image, quantized.convert("RGB")).convert("L")
    hist = diff.histogram()
    worst = max(i for i, n in enumerate(hist) if n) if any(hist) else 0
    mean = sum(i * n for i, n in enumerate(hist)) / (image.width * image.height)
    return worst <= PNG_MAX_ERROR and mean <= PNG_MEAN_ERROR


def encode_jpeg(image: Image.Image) -> bytes:
    """sRGB JPEG at quality ~90, no chroma subsampling (coloured text stays sharp), < 1 MB."""
    for quality in (JPEG_QUALITY, 85, 80, 75, 70):
        buf = io.BytesIO()
        _rgb(image).save(buf, "JPEG", quality=quality, subsampling=0, icc_profile=srgb_profile())
        if buf.tell() <= MAX_JPEG:
            return buf.getvalue()
    raise RenderError(f"a {image.width}x{image.height} card is over 1 MB as JPEG even at quality 70; "
                      "use a simpler background image")


def encode_pdf(images: Sequence[Image.Image]) -> bytes:
    """One page per slide, RGB, each page the card's own aspect ratio."""
    pages = [_rgb(im) for im in images]
    buf = io.BytesIO()
    pages[0].save(buf, "PDF", save_all=True, append_images=pages[1:], resolution=PDF_DPI,
                  quality=JPEG_QUALITY, subsampling=0, title="carousel")
    return buf.getvalue()


def _rgb(image: Image.Image) -> Image.Image:
    return image if image.mode == "RGB" else image.convert("RGB")


@lru_cache(maxsize=1)
def srgb_profile() -> bytes:
    """The sRGB ICC profile, so viewers and platforms do not guess the colour space."""
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
