"""What postdeck reads from a font file with fontTools, kept between runs.

Which characters a face maps, its weight class, its advances and whether it is colour emoji are
read once per font file and kept in the user's cache folder (usercache.py), keyed by the file's
path, size, modification time and inode: a build then reads a few small files instead of
importing fontTools (~10 ms) and parsing every face's tables (45 ms and ~18 MB for the CJK
fallback). An entry that is missing, cut short, altered, for another file or another format is
read from the font again; the answer is always the font's.
"""

from __future__ import annotations

import hashlib
import struct
import sys
from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from postdeck.usercache import file_key, user_cache_dir, write_entry

# Widths are measured once at this size and scaled: advances are linear in size to well under
# a pixel per line (layout re-measures the final lines at their real size).
REFERENCE_SIZE = 100
_MAGIC = b"postdeck font tables 1\n"  # a new layout of the entry gets a new number
_HEADER = struct.Struct("<HHII")  # weight class, emoji strike, code points, advances
_DIGEST = 16


@dataclass(frozen=True, eq=False)
class FontTables:
    """A face's weight class (400 regular, 700 bold), the code points it maps (best cmap), the
    advance at REFERENCE_SIZE of each alphabetic character it maps (hmtx: the unhinted advances
    HarfBuzz positions with), and for colour bitmap emoji (CBDT) the pixel size of its
    bitmaps, else 0."""

    weight: int
    points: frozenset[int]
    advances: Mapping[str, float]
    emoji_strike: int


def alphabetic(text: str) -> bool:
    """Latin, Greek, Cyrillic and general punctuation: glyphs map 1:1 to characters, so adding
    up advances gives a run's width (the only characters FontTables keeps advances for)."""
    return all(o < 0x300 or 0x370 <= o < 0x530 or 0x2000 <= o < 0x20D0 for o in map(ord, text))


@lru_cache(maxsize=64)
def font_tables(path: Path) -> FontTables:
    """A font file's tables, from the user's cache when it has them."""
    return cached_tables(path, user_cache_dir())


def cached_tables(path: Path, folder: Path | None) -> FontTables:
    """A font's tables from its entry in ``folder``, else read (and kept there when it can be)."""
    if folder is None:
        return read_tables(path)
    key = _key(path)
    entry = folder / f"font-{hashlib.sha256(key).hexdigest()[:32]}.tables"
    try:
        found = _unpack(entry.read_bytes(), key)
    except OSError:
        found = None
    if found is None:
        found = read_tables(path)
        write_entry(entry, _pack(found, key))
    return found


def read_tables(path: Path) -> FontTables:
    """The tables read from the font file with fontTools, in one pass. A file fontTools cannot
    read raises OSError, ValueError (TTLibError as one), or the struct/Key/Index/EOF/Assertion
    error its parser runs into."""
    # Imported here, not at the top: a run whose fonts are all cached never pays for it.
    from fontTools.ttLib import TTFont, TTLibError

    try:
        with TTFont(str(path), lazy=True, fontNumber=0) as font:  # the face Pillow draws from a collection
            return _tables_of(font)
    except TTLibError as e:
        raise ValueError(f"{path}: {e}") from e


def _tables_of(font) -> FontTables:  # font: fontTools.ttLib.TTFont
    # Placeholder glyph names: the real ones would make fontTools parse the whole CFF
    # or post table, and only glyph indices matter here.
    font.setGlyphOrder([f"g{i}" for i in range(font["maxp"].numGlyphs)])
    cmap = font.getBestCmap()
    scale = REFERENCE_SIZE / font["head"].unitsPerEm
    # hmtx read as it is stored, for the few glyphs whose advances are kept: fontTools would
    # build a metric for every glyph (28,000 in the CJK fallback: +7 MB of a cold build's peak).
    # Each of its first numberOfHMetrics entries is an advance (uint16) and a side bearing; the
    # glyphs after them have the last entry's advance (OpenType spec, hmtx).
    hmtx, last = font.reader["hmtx"], font["hhea"].numberOfHMetrics - 1

    def advance(glyph: str) -> int:
        at = 4 * min(int(glyph[1:]), last)
        return int.from_bytes(hmtx[at:at + 2], "big")

    advances = {chr(cp): advance(name) * scale for cp, name in cmap.items() if alphabetic(chr(cp))}
    weight = font["OS/2"].usWeightClass if "OS/2" in font else 400
    strike = font["CBLC"].strikes[0].bitmapSizeTable.ppemY if "CBDT" in font else 0
    return FontTables(weight, frozenset(cmap), advances, strike)


def _key(path: Path) -> bytes:
    return file_key(path, sys.byteorder)  # byte order, as arrays are kept native


def _pack(tables: FontTables, key: bytes) -> bytes:
    characters = sorted(tables.advances)
    body = b"".join((
        _MAGIC, struct.pack("<I", len(key)), key,
        _HEADER.pack(tables.weight, tables.emoji_strike, len(tables.points), len(characters)),
        array("I", sorted(tables.points)).tobytes(),
        array("I", map(ord, characters)).tobytes(),
        array("d", (tables.advances[c] for c in characters)).tobytes(),  # the exact floats
    ))
    return body + hashlib.blake2b(body, digest_size=_DIGEST).digest()


def _unpack(data: bytes, key: bytes) -> FontTables | None:
    """The tables in a cache entry, or None if it is not a whole entry for exactly this key."""
    body = data[:-_DIGEST]
    if len(data) < _DIGEST or hashlib.blake2b(body, digest_size=_DIGEST).digest() != data[-_DIGEST:]:
        return None
    start = len(_MAGIC) + 4
    if not body.startswith(_MAGIC) or body[start - 4:start] != struct.pack("<I", len(key)) \
            or body[start:start + len(key)] != key:
        return None
    try:
        weight, strike, points, advances = _HEADER.unpack_from(body, start + len(key))
        arrays, offset = [], start + len(key) + _HEADER.size
        for code, count in (("I", points), ("I", advances), ("d", advances)):
            values = array(code)
            values.frombytes(body[offset:offset + count * values.itemsize])
            arrays.append(values)
            offset += count * values.itemsize
        if offset != len(body) or len(arrays[0]) != points or len(arrays[2]) != advances:
            return None
        return FontTables(weight, frozenset(arrays[0]), dict(zip(map(chr, arrays[1]), arrays[2])), strike)
    except (struct.error, ValueError, OverflowError):  # ValueError: a length or code point out of range
        return None
