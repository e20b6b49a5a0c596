"""Rebuild Noto Color Emoji with a smaller bitmap strike so the bundled copy stays a few MB.

Usage: python fonts/tools/shrink_emoji.py /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf \
           fonts/NotoColorEmoji.ttf 72
The CBDT PNGs (109 ppem, 136x128) are resampled to the new ppem with Lanczos and re-encoded
as optimised PNGs; metrics in CBDT/CBLC are scaled to match. Outline tables are untouched.
Cards draw emoji at the strike size and scale them to the text size (postdeck.fallback).
"""

from __future__ import annotations

import io
import sys

from fontTools.ttLib import TTFont
from PIL import Image


COLOURS = 64


def _scale(value: int, factor: float) -> int:
    return int(round(value * factor))


def shrink(source: str, target: str, ppem: int) -> None:
    font = TTFont(source)
    strike = font["CBLC"].strikes[0]
    factor = ppem / strike.bitmapSizeTable.ppemX
    size = strike.bitmapSizeTable
    size.ppemX = size.ppemY = ppem
    for lines in (size.hori, size.vert):
        for name in ("ascender", "descender", "widthMax"):
            setattr(lines, name, _scale(getattr(lines, name), factor))
    for glyph in font["CBDT"].strikeData[0].values():
        glyph.decompile()
        m = glyph.metrics
        image = Image.open(io.BytesIO(glyph.imageData)).convert("RGBA")
        m.width, m.height = max(1, _scale(m.width, factor)), max(1, _scale(m.height, factor))
        m.BearingX, m.BearingY = _scale(m.BearingX, factor), _scale(m.BearingY, factor)
        m.Advance = _scale(m.Advance, factor)
        image = image.resize((m.width, m.height), Image.Resampling.LANCZOS)
        # A small palette with alpha, undithered: emoji art is flat, and dithering noise
        # would make the PNGs larger than the originals.
        image = image.quantize(COLOURS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
        out = io.BytesIO()
        image.save(out, "PNG", optimize=True)
        glyph.imageData = out.getvalue()
    font.save(target)


if __name__ == "__main__":
    shrink(sys.argv[1], sys.argv[2], int(sys.argv[3]))
