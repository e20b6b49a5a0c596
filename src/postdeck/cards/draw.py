"""Drawing typeset blocks: each line's runs (one face each, in visual order) at whole-pixel
positions, hanging quote marks, emphasised words, colour emoji scaled from their strike, and
faux bold for a regular-only fallback in a bold stack. Returns the inked box for the canvas's
safe-area and overlap checks."""

from __future__ import annotations

from pathlib import Path

import regex
from PIL import Image, ImageDraw

from postdeck.cards.block import TextBlock
from postdeck.cards.fallback import (
    FontStack,
    base_direction,
    emoji_strike,
    is_emoji_font,
    load_font,
    measure,
    raqm_direction,
    run_width,
    runs,
    visual_order,
    weight,
)

OPENING_MARKS = "\u201c\u2018\"'\u00ab\u201e"  # hang into the margin at the start of a line


def draw_block(
    image: Image.Image,
    block: TextBlock,
    stack: FontStack,
    xy: tuple[int, int],
    fill,
    *,
    align: str = "left",
    box_width: int | None = None,
    hang: bool = False,
    emphasis: frozenset[str] = frozenset(),
    emphasis_fill=None,
) -> tuple[int, int, int, int]:
    """Draw a block with its top-left at xy; returns the inked bbox (left, top, right, bottom).

    align is left, center, right or start (right for right-to-left lines); center and right
    align within box_width (default: the block's width). ``hang``: a left-aligned line that
    opens with a quote mark sets the mark in the margin, so its letters line up with the
    lines below. Words whose ``word_key`` is in ``emphasis`` are drawn in ``emphasis_fill``.
    """
    ascent = block.ascent or load_font(stack.primary, block.size).getmetrics()[0]
    span = block.width if box_width is None else box_width
    box = None
    for i, line in enumerate(block.lines):
        base = block.directions[i] if block.directions else base_direction(line)
        side = {"start": "right" if base == "rtl" else "left"}.get(align, align)
        slack = span - measure(line, stack, block.size)
        dx = {"left": 0, "center": slack / 2, "right": slack}[side]
        if hang and side == "left" and line and line[0] in OPENING_MARKS:
            dx -= measure(line[0], stack, block.size)
        baseline = xy[1] + ascent + i * block.line_height
        if emphasis and base == "ltr":
            ink = _draw_emphasised(image, line, stack, (xy[0] + dx, baseline), block.size, (fill, emphasis_fill), emphasis)
        else:
            ink = draw_line(image, line, stack, (xy[0] + dx, baseline), block.size, fill, base)
        box = _union(box, ink)
    return box if box is not None else (xy[0], xy[1], xy[0], xy[1])


def word_key(word: str) -> str:
    """A word as emphasis matches it: lower case, without the punctuation around it."""
    return regex.sub(r"^\W+|\W+$", "", word).casefold()


def _draw_emphasised(image: Image.Image, line: str, stack: FontStack, xy: tuple[float, float], size: int,
                     fills: tuple, emphasis: frozenset[str]):
    """A left-to-right line in runs of plain and emphasised words, each at its measured offset."""
    words = line.split(" ")
    groups: list[tuple[bool, list[str]]] = []
    for word in words:
        on = word_key(word) in emphasis
        if groups and groups[-1][0] == on:
            groups[-1][1].append(word)
        else:
            groups.append((on, [word]))
    box, done = None, ""
    for on, group in groups:
        text = " ".join(group)
        x = xy[0] + (measure(done + " ", stack, size) if done else 0)
        box = _union(box, draw_line(image, text, stack, (x, xy[1]), size, fills[on], "ltr"))
        done = f"{done} {text}" if done else text
    return box


def draw_line(
    image: Image.Image,
    text: str,
    stack: FontStack,
    xy: tuple[float, float],
    size: int,
    fill,
    base: str | None = None,
) -> tuple[int, int, int, int] | None:
    """Draw one line with its left edge at x and baseline at y; returns the inked bbox.

    base is the paragraph's direction (default: the line's own first strong character).
    """
    x, baseline = xy
    draw = ImageDraw.Draw(image)
    box = None
    base = base or base_direction(text)
    for run in visual_order(runs(text, stack, base), base):
        at = (round(x), round(baseline))  # whole pixels: crisp, and the ink bbox is exact
        if is_emoji_font(run.font):
            ink = _draw_emoji(image, run.text, run.font, at, size)
        else:
            font = load_font(run.font, size)
            # The run's resolved direction, so its spaces and digits sit on the correct side.
            direction = run.direction if raqm_direction(run.text) else None
            stroke = _faux_bold(stack, run.font, size)
            draw.text(at, run.text, font=font, fill=fill, anchor="ls", stroke_fill=fill, direction=direction,
                      stroke_width=stroke)
            ink = draw.textbbox(at, run.text, font=font, anchor="ls", direction=direction, stroke_width=stroke)
            ink = None if ink[0] >= ink[2] or run.text.isspace() else ink
        box = _union(box, ink)
        x += run_width(run.text, run.font, size)
    return box


def _faux_bold(stack: FontStack, face: Path, size: int) -> int:
    """Outline width that thickens a regular-only fallback (CJK, symbols) in a bold stack,
    so a Chinese word in a bold headline is not visibly lighter than the words around it."""
    if face == stack.primary or weight(stack.primary) < 600 or weight(face) >= 600:
        return 0
    return round(size / 48)  # whole pixels: float outlines need Pillow 11.1+


def _draw_emoji(image: Image.Image, text: str, path: Path, xy: tuple[float, float], size: int):
    font = load_font(path, size)
    ascent, descent = font.getmetrics()
    width = max(1, int(font.getlength(text)) + 1)
    strip = Image.new("RGBA", (width, ascent + descent))
    ImageDraw.Draw(strip).text((0, ascent), text, font=font, anchor="ls", embedded_color=True)
    scale = size / emoji_strike(path)
    scaled = strip.resize(
        (max(1, round(width * scale)), max(1, round((ascent + descent) * scale))),
        Image.Resampling.LANCZOS,
    )
    left, top = round(xy[0]), round(xy[1] - ascent * scale)
    if image.mode == "RGBA":
        # alpha_composite takes no negative offsets: clip what lies above or left of the image.
        clip = (max(0, -left), max(0, -top))
        image.alpha_composite(scaled, (left + clip[0], top + clip[1]), clip)
    else:
        image.paste(scaled, (left, top), scaled)
    ink = scaled.getbbox()
    return None if ink is None else (left + ink[0], top + ink[1], left + ink[2], top + ink[3])


def _union(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
