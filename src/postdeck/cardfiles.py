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
# A palette PNG is kept when it is visually lossless: no pixel moves by more than 6 levels of
# grey (of 255) and no 8x8 area by more than 2 on average. Steps of 1-2 levels in a smooth
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
    pdf_pages: dict[str, list[tuple[Future[bytes], tuple[int, int]]]] = {}
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        for size, deck_slides in slides.items():
            pages = pdf_pages.setdefault(size, [])
            for s in deck_slides:
                if "png" in formats:
                    jobs[card_path(size, s.name, "png")] = pool.submit(encode_png, s.image)
                if "jpg" in formats or "pdf" in formats:
                    jpeg = pool.submit(encode_jpeg, s.image)
                    pages.append((jpeg, s.image.size))
                    if "jpg" in formats:
                        jobs[card_path(size, s.name, "jpg")] = jpeg
    files = {path: job.result() for path, job in sorted(jobs.items())}
    for size, pages in pdf_pages.items() if "pdf" in formats else ():
        files[card_path(size, "carousel", "pdf")] = pdf_from_jpegs([(j.result(), wh) for j, wh in pages])
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

    diff = ImageChops.difference(image, quantized.convert("RGB")).convert("L")  # as the eye weighs it
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


@lru_cache(maxsize=1)
def srgb_profile() -> bytes:
    """The sRGB ICC profile, so viewers and platforms do not guess the colour space."""
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
