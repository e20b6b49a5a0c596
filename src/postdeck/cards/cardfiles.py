"""Slides -> the bytes of card files: PNG, JPEG and a multi-page PDF of the carousel.

Files go in ``cards/``, named in posting order and then size (``00-cover-portrait.png``,
``01-portrait.png``..``07-portrait.png``, ``08-closing-portrait.png``), so a file picker
sorted by name lists one size's carousel in the right order; the PDF of the carousel is
``carousel-<size>.pdf``. Every file stays under 8 MB and every JPEG under
1 MB, the tightest limits among the platforms (Bluesky takes 1 MB images).
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageChops, ImageCms

from postdeck.brand.schema import Brand
from postdeck.errors import RenderError
from postdeck.model import CARD_FORMATS

FORMATS = CARD_FORMATS
MAX_FILE = 8 * 1024 * 1024
MAX_JPEG = 1024 * 1024
JPEG_QUALITY = 90
PDF_DPI = 144  # a 1080x1350 card becomes a 7.5 x 9.4 inch page: a sensible document size


def default_formats(brand: Brand) -> tuple[str, ...]:
    """Card files when none are asked for: PNG keeps flat colour and type sharp and small; over
    a photo a PNG is 500-660 KB of photo noise, and JPEG (what platforms re-encode to anyway)
    holds the same card in a third of that."""
    return ("jpg",) if brand.background.style == "image" else ("png",)


def card_path(size: str, name: str, fmt: str) -> str:
    """Path of one card file relative to the deck folder."""
    return f"cards/{name}-{size}.{fmt}"


def card_paths(sizes: Sequence[str], names: Sequence[str], formats: Sequence[str]) -> list[str]:
    """Every card file of a deck: its slides' images by name, then each size's carousel PDF."""
    images = sorted(card_path(size, name, fmt) for size in sizes for name in names for fmt in formats if fmt != "pdf")
    return [*images, *(card_path(size, "carousel", "pdf") for size in sizes if "pdf" in formats)]


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


def encode_png(image: Image.Image, photo: bool = False) -> bytes:
    """The slide as a lossless full-colour PNG (``rgb_png``; Pillow writes other modes).

    Palette PNGs were half the size, but quantizing a card to 256 colours and checking that
    it still looked the same cost 35-70 ms a card and ~50 ms a ground, a third of a deck's
    CPU, for files far below every platform's limit.
    """
    if image.mode == "RGB":
        return rgb_png(image, photo)
    buf = io.BytesIO()
    image.save(buf, "PNG", compress_level=3)
    return buf.getvalue()


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
NO_FILTER, UP = b"\0", b"\2"  # PNG row filter types: the row as it is; each byte less the one above
PNG_BAND = 64  # rows packed at a time


def rgb_png(image: Image.Image, photo: bool = False) -> bytes:
    """An RGB image as a PNG of 8-bit RGB rows in one IDAT, every row with the same filter.

    Flat colour and type repeat byte for byte along a row, which zlib finds unfiltered (11-15
    ms a 1080x1350 card, 76-127 KB). A photo's neighbouring pixels differ a little: rows less
    the row above them are runs of small numbers that zlib's run-length strategy packs (~30
    ms a card, 530 KB). Pillow's writer tries five filters on every row: 23-32 ms a flat card
    for files as large, 52 ms a photo card for 10% smaller files. Any PNG reader reads these
    (PNG spec, ISO/IEC 15948: IHDR, IDAT, IEND; chunk CRCs over type and data).
    """
    width, height = image.size
    kind, stride = (UP if photo else NO_FILTER), 3 * width
    packer = zlib.compressobj(3, zlib.DEFLATED, 15, 8, zlib.Z_RLE if photo else zlib.Z_DEFAULT_STRATEGY)
    packed = []
    # A band of rows at a time: a few hundred KB of buffers rather than copies of the whole
    # card (4.4 MB each), and a zlib call a band that runs without the GIL (a call a row took
    # the GIL back 2,700 times, and the thread drawing the next slide waited for it).
    for top in range(0, height, PNG_BAND):
        band = image.crop((0, top, width, min(top + PNG_BAND, height)))
        if photo:  # less the rows above it (a crop off the image is zeros: above the first row)
            band = ImageChops.subtract_modulo(band, image.crop((0, top - 1, width, top - 1 + band.height)))
        pixels = memoryview(band.tobytes())
        packed.append(packer.compress(kind + kind.join([pixels[at:at + stride] for at in range(0, len(pixels), stride)])))
    data = b"".join(packed) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8 bits, RGB; deflate, row filters of method 0, no interlace
    return PNG_SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def encode_jpeg(image: Image.Image) -> bytes:
    """sRGB JPEG at quality ~90, no chroma subsampling (coloured text stays sharp), < 1 MB."""
    # An RGB slide is saved as it is: its PNG is written from its pixels (rgb_png), never by
    # Image.save, which keeps its options on the image while it writes (a PNG saved by it at
    # the same time took the JPEG's ICC profile along). Any other mode is converted: a copy.
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    for quality in (JPEG_QUALITY, 85, 80, 75, 70):
        buf = io.BytesIO()
        rgb.save(buf, "JPEG", quality=quality, subsampling=0, icc_profile=srgb_profile())
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
