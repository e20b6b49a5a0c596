"""A block of text set at one size: its lines, their direction, and its measured box (typeset.py
sets it, draw.py draws it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TextBlock:
    """Lines ready to draw at one size; width is the widest measured line, height the block's."""

    lines: tuple[str, ...]
    size: int
    line_height: int
    width: int
    height: int
    # Each line's paragraph direction ("ltr"/"rtl"), so bidi reordering and align="start"
    # follow the paragraph, not a line that happens to begin with a word of the other script.
    directions: tuple[str, ...] = ()
    # Baseline of the first line below the block's top: the tallest face used (a Tamil or
    # Devanagari fallback reaches higher than most Latin faces).
    ascent: int = 0
