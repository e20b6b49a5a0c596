"""Slides -> the bytes of card files: PNG, JPEG and a multi-page PDF of the carousel.

Files go in ``cards/``, named in posting order and then size (``00-cover-portrait.png``,
``01-portrait.png``..``07-portrait.png``, ``08-closing-portrait.png``), so a file picker
sorted by name lists one size's carousel in the right order; the PDF of the carousel is
``carousel-<size>.pdf``. Every file stays under 8 MB and every JPEG under
1 MB, the tightest limits among the platforms (Bluesky takes 1 MB images).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
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
# A palette PNG is kept when it is visually lossless: no pixel moves by more than 6 levels
# (of 255, as grey) and no 8x8 area by more than 2 on average. Steps of 1-2 levels in a smooth
# gradient are below what a screen shows; 3-4 level steps show as bands. Otherwise the card is
# saved in full colour.
PNG_MAX_ERROR = 6
PNG_AREA_ERROR = 2


def card_path(size: str, name: str, fmt: str) -> str:
    """Path of one card file relative to the deck folder."""
    return f"cards/{name}-{size}.{fmt}"


def card_files(slides: dict[str, Iterable[Slide]], formats: Sequence[str]) -> dict[str, bytes]:
    """Every card file for every size: {relative path: bytes}.

    ``slides`` may be lazy (``render.iter_slides``): each slide is handed to a thread to encode
    while the next one is drawn. Pillow releases the GIL while it quantizes, compresses and
    encodes, so drawing and saving overlap on two cores.
    """
    import os
    from concurrent.futures import Future, ThreadPoolExecutor

    jobs: dict[str, Future[bytes]] = {}
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        for size, deck_slides in slides.items():
            images = []  # kept only for the PDF: a slide is dropped once its files are saved
            for s in deck_slides:
                if "pdf" in formats:
                    images.append(s.image)
                for fmt in formats:
                    if fmt != "pdf":
                        encode = encode_png if fmt == "png" else encode_jpeg
                        jobs[card_path(size, s.name, fmt)] = pool.submit(encode, s.image)
            if "pdf" in formats:
                jobs[card_path(size, "carousel", "pdf")] = pool.submit(encode_pdf, images)
    files = {path: job.result() for path, job in sorted(jobs.items())}
    for path, data in files.items():
        if len(data) > MAX_FILE:
            raise RenderError(f"{path}: {len(data) // 1024} KB is over the 8 MB limit; use a simpler background")
    return files


def encode_png(image: Image.Image) -> bytes:
    """A palette PNG when that is visually lossless (about half the size), else full colour."""
    quantized = image.quantize(256, method=1, dither=0)  # max coverage: best for flat colour + AA text
    chosen = quantized if looks_same(image, quantized) else image
    buf = io.BytesIO()
    chosen.save(buf, "PNG", compress_level=3)  # level 6 is 2.5x slower for 15% smaller files
    return buf.getvalue()


def looks_same(image: Image.Image, quantized: Image.Image) -> bool:
    """No pixel off by more than PNG_MAX_ERROR, and no 8x8 area off on average by more than
    PNG_AREA_ERROR: the second catches the bands a palette cuts into a smooth gradient."""
    from PIL import ImageChops

    diff = ImageChops.difference(image, quantized.convert("RGB")).convert("L")
    return diff.getextrema()[1] <= PNG_MAX_ERROR and diff.reduce(8).getextrema()[1] <= PNG_AREA_ERROR


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
