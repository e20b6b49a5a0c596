"""Bounds on what a template file can make postdeck do: how far its YAML may expand and nest,
how many pixels a logo or photo may have, whether a font file is a font, and how much of a bad
value an error line quotes. Each problem is found on load, as one line, in bounded time.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from struct import error as struct_error
from typing import Any

import yaml
from PIL import Image, ImageFont

from postdeck.errors import TemplateError
from postdeck.fonttables import cached_tables
from postdeck.usercache import user_cache_dir

MAX_NODES = 10_000  # values in a template with every alias (*name) expanded; a real one has ~100
MAX_DEPTH = 20  # levels of nesting; a real template has 3


def bounded_yaml(text: str, shown: str, *, what: str = "a template", error: type[Exception] = TemplateError,
                 max_nodes: int = MAX_NODES, loader: Any = None) -> Any:
    """``yaml.safe_load`` that refuses, before building anything, a document whose aliases expand
    past ``max_nodes`` values (600 bytes of 'billion laughs' would take gigabytes) or that nests
    deeper than MAX_DEPTH (5,000 brackets would overflow Python's stack). ``what`` names the file
    in messages; ``error`` is the error to raise; ``loader`` defaults to yaml.SafeLoader."""
    parser = (loader or yaml.SafeLoader)(text)
    try:
        try:
            node = parser.get_single_node()
        except RecursionError:
            raise error(f"{shown}: nests lists or mappings more than {MAX_DEPTH} levels deep, which {what} never "
                        "needs") from None
        if node is None:
            return None
        _expanded_size(node, _Limits(shown, what, error, max_nodes), {}, 0)
        return parser.construct_document(node)
    finally:
        parser.dispose()


@dataclass(frozen=True)
class _Limits:
    """The size limits of one kind of YAML document and how to report going past them."""

    shown: str
    what: str
    error: type[Exception]
    max_nodes: int


def _expanded_size(node: Any, limits: _Limits, sizes: dict[int, int], depth: int) -> int:
    """How many values ``node`` stands for with aliases expanded (each shared node counted once
    per use, computed once)."""
    if id(node) in sizes:
        return sizes[id(node)]
    where = f"{limits.shown}: line {node.start_mark.line + 1}"
    if depth > MAX_DEPTH:
        raise limits.error(f"{where}: nests lists or mappings more than {MAX_DEPTH} levels deep, which "
                           f"{limits.what} never needs")
    children = node.value if isinstance(node.value, list) else []
    parts = [c for pair in children for c in (pair if isinstance(pair, tuple) else (pair,))]
    size = 1 + sum(_expanded_size(c, limits, sizes, depth + 1) for c in parts)
    if size > limits.max_nodes:
        raise limits.error(f"{where}: its aliases (*name) expand to more than {limits.max_nodes:,} values, which "
                           f"{limits.what} never needs; write the values out instead")
    sizes[id(node)] = size
    return size


MAX_ERRORS = 20  # problems listed for one template; a file with more is better fixed from the top


MAX_IMAGE_PIXELS = 40_000_000  # a 40-megapixel photo is plenty for a 1080-wide card; more only costs memory


def image_problem(path: Path) -> str | None:
    """Why a logo or background file cannot be used (not an image, or too many pixels), or None."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the size is checked below
            with Image.open(path) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    return (f"is {width}x{height} pixels ({width * height / 1e6:.0f} megapixels), more than the "
                            f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels postdeck takes; scale it down (cards are 1080 px wide)")
                image.verify()  # reads the file through (PNG checksums), without decoding it
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):  # UnidentifiedImageError is an OSError
        return "is not an image Pillow can read; save it as PNG or JPEG"
    return None


@lru_cache(maxsize=64)
def font_problem_cached(path: Path, mtime_ns: int) -> str | None:
    return font_problem(path)  # the same fonts are named three times in a template, and by every load


def font_problem(path: Path) -> str | None:
    """Why a font file cannot be used (Pillow cannot draw with it, or fontTools cannot read the
    tables fallback needs: kept in the user's cache once read, so a known font costs ~1 ms), or None."""
    try:
        ImageFont.truetype(str(path), 12)
        cached_tables(path, user_cache_dir())
    except (OSError, ValueError, EOFError, KeyError, IndexError, AssertionError, struct_error):
        return "is not a font file postdeck can use; give a TrueType or OpenType font (.ttf, .otf)"
    return None


def shown_value(value: Any, limit: int = 60) -> str:
    """A value as quoted in an error, cut to ``limit`` characters: an error line stays a line."""
    return cut(repr(value), limit)


def cut(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else f"{text[:limit - 1]}…"
