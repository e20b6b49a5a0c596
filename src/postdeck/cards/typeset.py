"""Typesetting for cards: typographic punctuation, balanced line breaks on measured widths,
the largest size that fits a box, one shared size for a carousel, and drawing with fallback.

Widths always come from the fonts (fallback.py), never from character counts. Lines are
broken on estimated widths (linebreak.py), then re-measured at their real size so a block
never exceeds its width.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import regex
from PIL import Image, ImageDraw

from postdeck.cards.fallback import (
    DEFAULT_FALLBACKS,
    FONTS_DIR,
    FontStack,
    base_direction,
    emoji_strike,
    font_stack,
    is_emoji_font,
    load_font,
    measure,
    raqm_direction,
    run_width,
    runs,
    vertical_extent,
    visual_order,
    weight,
)
from postdeck.cards.linebreak import break_paragraph, orphaned, unbreakable_words

__all__ = [
    "DEFAULT_FALLBACKS", "FONTS_DIR", "FontStack", "TextBlock", "draw_block", "fit",
    "font_stack", "layout", "measure", "shared_size", "smart_typography", "unbreakable_words", "words_to_cut",
]

_ESTIMATE_TOLERANCE = 1.005


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


# --- typographic punctuation -------------------------------------------------------------

# Letters and marks of scripts with their own quotation conventions (CJK, Arabic, Indic...).
_OTHER_LETTER = r"[[\p{L}\p{M}]--[\p{Latin}\p{Greek}\p{Cyrillic}\p{Inherited}]]"
_OPENS_AFTER = r"(?<=^|[\s(\[{\u2014\u2013/-])"
_SMART_RULES: tuple[tuple[regex.Pattern[str], str], ...] = tuple(
    (regex.compile(p, regex.V1 | regex.M), r)
    for p, r in (
        (r"\.\.\.|\. \. \.", "\u2026"),
        (r"(?<=[^\s-])---?(?=[^\s-])|(?<=\s)---?(?=\s)", "\u2014"),
        (r"(?<=\S) - (?=\S)", " \u2013 "),
        (r"(?<=\p{L})'(?=\p{L})", "\u2019"),  # don't, l'homme
        (_OPENS_AFTER + r"'(?=\d\ds\b)", "\u2019"),  # '90s
        (_OPENS_AFTER + r"\"(?=\S)(?!" + _OTHER_LETTER + ")", "\u201c"),
        (r"(?<!" + _OTHER_LETTER + r")\"(?!" + _OTHER_LETTER + ")", "\u201d"),
        (_OPENS_AFTER + r"'(?=\S)(?!" + _OTHER_LETTER + ")", "\u2018"),
        (r"(?<!" + _OTHER_LETTER + r")'(?!" + _OTHER_LETTER + ")", "\u2019"),
    )
)


def smart_typography(text: str) -> str:
    """Curly quotes and apostrophes, dashes and ellipses for Latin-script text.

    >>> smart_typography('"Don\\'t wait" - call us...')
    '“Don’t wait” – call us…'

    Quotes touching letters of other scripts (CJK, Arabic, Devanagari...) are left as typed.
    """
    for pattern, replacement in _SMART_RULES:
        text = pattern.sub(replacement, text)
    return text


def layout(
    text: str,
    stack: FontStack,
    size: int,
    width: int,
    *,
    line_spacing: float = 1.25,
    lang: str = "en_US",
) -> TextBlock:
    """Break text into balanced lines no wider than width (measured) at one size.

    Newlines are hard breaks. Words wider than the line are hyphenated (pyphen, `lang`);
    scripts without spaces break between characters.
    """
    block = _block(text, stack, size, width, line_spacing, lang, True, False)
    if block.width > width:  # rare: small steps did not make the shaped lines fit (see _STEPS)
        block = _block(text, stack, size, width, line_spacing, lang, True, True)
    return block


@functools.lru_cache(maxsize=4096)
def _block(
    text: str, stack: FontStack, size: int, width: int, line_spacing: float, lang: str,
    exact: bool, settle: bool = False,
) -> TextBlock:
    """Lines from estimated widths; exact re-measures them (shaped, at size) and tightens
    the target until the real lines fit (in small steps; with ``settle``, past the estimates
    too). Size searches use estimates, then exact passes."""
    text = drawable(text)
    # Estimates are within about half a percent of the real widths: start a little wide so a
    # line that really fits is not broken early; the exact pass tightens if one overflows.
    target = width * _ESTIMATE_TOLERANCE
    lines: list[str] = []
    for attempt in range(2 * _STEPS if settle else _STEPS):
        previous = lines
        lines, directions, estimates = [], [], []
        for paragraph in text.split("\n"):
            broken = break_paragraph(paragraph, stack, size, target, lang)
            lines += [line for line, _ in broken]
            estimates += [estimate for _, estimate in broken]
            directions += [base_direction(paragraph)] * len(broken)
        if not exact:
            widest = -int(-max(estimates) // 1)
            break
        widths = [measure(line, stack, size) for line in lines]
        widest = max(widths)
        if widest <= width or target < size or (attempt >= _STEPS and lines == previous):
            break  # fits; or only a piece too wide for any line is left over (nothing moves)
        target -= max(1.0, widest - width)
        if settle and attempt >= _STEPS - 1:  # steps moved no word: tighten past the line's estimate
            target = min(target, max(e for e, w in zip(estimates, widths) if w > width) - 0.5)
    ascent, descent = vertical_extent(text, stack, size)
    line_height = round(size * line_spacing)
    return TextBlock(
        lines=tuple(lines),
        size=size,
        line_height=line_height,
        width=widest,
        height=(len(lines) - 1) * line_height + ascent + descent,
        directions=tuple(directions),
        ascent=ascent,
    )


# The exact pass tightens the target by the overflow at most this many times: small steps keep
# the lines as full as they can be. An estimate can err narrow by more than the steps cover (a
# danda before a curly quote drawn from two faces; hinted advances). A size search then counts
# the size as too large: its lines would fit only broken differently, a line more at a size
# barely larger than the next one down (a 4-line cover title became 5 lines, 104 px for 102).
# ``layout`` at a size already chosen settles instead: the target goes past the overflowing
# line's estimate, so that line must break differently.
_STEPS = 8


# --- sizes ---------------------------------------------------------------------------------


def _fits(block: TextBlock, box: tuple[int, int], max_lines: int | None) -> bool:
    lines_ok = max_lines is None or len(block.lines) <= max_lines
    return block.width <= box[0] and block.height <= box[1] and lines_ok


@dataclass(frozen=True)
class _Box:
    """What a block must fit: a box, a line limit; and how it is set."""

    width: int
    height: int
    max_lines: int | None
    line_spacing: float
    lang: str

    def estimated(self, text: str, stack: FontStack, size: int) -> TextBlock:
        return _block(text, stack, size, self.width, self.line_spacing, self.lang, False, False)

    def could_fit(self, text: str, stack: FontStack, size: int) -> bool:
        """Whether the estimate fits in height and lines. The exact layout never has fewer
        lines (it only tightens the estimate's target), so a size that fails this never fits.
        (The estimate's width is no verdict: estimates err wide.)"""
        return _fits(replace(self.estimated(text, stack, size), width=0), (self.width, self.height), self.max_lines)

    def fitted(self, text: str, stack: FontStack, size: int) -> TextBlock | None:
        """The exact block at ``size`` if it fits, else None: the one test that size searches
        and final checks make (``could_fit`` first: it needs no shaping)."""
        if not self.could_fit(text, stack, size):
            return None
        block = _block(text, stack, size, self.width, self.line_spacing, self.lang, True, False)
        return block if _fits(block, (self.width, self.height), self.max_lines) else None


def fit(
    text: str,
    stack: FontStack,
    box: tuple[int, int],
    *,
    max_size: int,
    min_size: int,
    line_spacing: float = 1.25,
    max_lines: int | None = None,
    lang: str = "en_US",
    clean: bool = True,
) -> TextBlock | None:
    """The block at the largest size in [min_size, max_size] that fits box; None if none does.
    With ``clean``, a size up to 20% smaller wins when it breaks without a lone word.

    A binary search over sizes, judging each by its exact layout (``_Box.fitted``, as every
    final check does). Whether a size fits is not quite monotonic (a quote fits at 81 and 83 px
    but not at 82, where its planned lines overflow by a pixel), so the size found fits and the
    next one up does not. When the estimated and the exact layout both fit at max_size (in a
    deck, the size the texts before it share), there is nothing to search.
    """
    if len(text) > most_characters(box, min_size, line_spacing):
        return None  # cannot fit: not laid out at all (a 1 MB word took minutes, and Pillow refuses it)
    target = _Box(box[0], box[1], max_lines, line_spacing, lang)
    # Sizes whose estimate is too tall never fit; the largest of the rest usually does: when its
    # estimate and its exact layout both fit, there is nothing to search (in a deck: max_size).
    top = _largest(lambda size: target.could_fit(text, stack, size), min_size, max(min_size, max_size))
    found = None
    if top is not None and _fits(target.estimated(text, stack, top), box, max_lines):
        found = target.fitted(text, stack, top)
    if top is not None and found is None:
        found = _search(lambda size: target.fitted(text, stack, size), min_size, top)
    if clean and found is not None and orphaned(found.lines):  # a little smaller may break without a lone word
        for size in range(found.size - 1, max(min_size, round(found.size * CLEAN_STEP)) - 1, -1):
            if (tidy := target.fitted(text, stack, size)) and not orphaned(tidy.lines):
                return tidy
    return found


def _largest(could_fit: Callable[[int], bool], low: int, high: int) -> int | None:
    """The largest size in [low, high] for a test that holds up to some size; None if low fails."""
    if could_fit(high):
        return high
    if not could_fit(low):
        return None
    while high - low > 1:  # could_fit(low), not could_fit(high)
        mid = (low + high) // 2
        low, high = (mid, high) if could_fit(mid) else (low, mid)
    return low


def _search(fitted: Callable[[int], TextBlock | None], low: int, high: int) -> TextBlock | None:
    """The block at a size in [low, high] that fits where the next size up does not (or at
    high); None if low does not fit. Sizes are tried down from just under high, 1, 2, 4...
    apart (the size that fits is usually there), then bisected between the last two tried."""
    fits, fails, found = low - 1, high + 1, None  # the largest size known to fit, the next known not to
    size, step = high - 1, 1
    while size > fits:
        size = max(size, low)
        if block := fitted(size):
            fits, found = size, block
            break
        fails, size, step = size, size - step, 2 * step
    while fails - fits > 1:
        mid = (fits + fails) // 2
        if block := fitted(mid):
            fits, found = mid, block
        else:
            fails = mid
    return found


# How far below the size that fits postdeck goes to find lines without a lone word: further
# down, a smaller size costs more than the orphan.
CLEAN_STEP = 0.8


# Line and paragraph separators other than '\n' (raqm_layout() fails on them: a brand name with
# U+001E crashed a build) become '\n'; other control characters, invisible on a card, go.
_SEPARATORS = regex.compile("\r\n?|[\x1c-\x1e\x85\u2028\u2029]")
_CONTROLS = regex.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def drawable(text: str) -> str:
    """``text`` as a card can draw it: one kind of line break, no control characters."""
    return _CONTROLS.sub("", _SEPARATORS.sub("\n", text))


def most_characters(box: tuple[int, int], size: int, line_spacing: float) -> int:
    """More characters than could ever fit ``box`` at ``size``: lines of characters a twentieth of
    the size wide (marks and joiners take no width, so count generously)."""
    lines = max(1, box[1] // max(1, round(size * line_spacing)) + 1)
    return lines * max(1, 20 * box[0] // max(1, size))


def shared_size(
    texts: Sequence[str],
    stack: FontStack,
    box: tuple[int, int],
    *,
    max_size: int,
    min_size: int,
    line_spacing: float = 1.25,
    max_lines: int | None = None,
    lang: str = "en_US",
) -> int | None:
    """One size that fits every text (a carousel must not jump); None if one won't fit.

    The largest size at which every text fits: each text is fitted below the size the texts
    before it allow, until a round lowers it no more (a text fitted at 84 px may not fit at
    82, where a later one stopped). Then, within 20%, the largest with no lone word."""
    target = _Box(box[0], box[1], max_lines, line_spacing, lang)
    size, settled = max_size, False
    while not settled:
        settled = True
        for text in texts:
            block = fit(text, stack, box, max_size=size, min_size=min_size,
                        line_spacing=line_spacing, max_lines=max_lines, lang=lang, clean=False)
            if block is None:
                return None
            settled, size = settled and block.size == size, block.size
    floor = max(min_size, round(size * CLEAN_STEP))
    for clean in range(size, floor - 1, -1):  # each text was fitted alone: one may have a lone word
        blocks = [target.fitted(t, stack, clean) for t in texts]
        if all(b is not None and not orphaned(b.lines) for b in blocks):
            return clean
    return size


def cut_advice(text: str, cut: int) -> str:
    """'cut about 3 words'; when every word would have to go (one 5,000-character 'word'), what to
    shorten instead."""
    words = text.split()
    if 0 < cut < len(words):
        return f"cut about {cut} {'word' if cut == 1 else 'words'}"
    return f"its longest word has {max(map(len, words), default=0):,} characters, more than fit; shorten it"


def words_to_cut(
    text: str,
    stack: FontStack,
    box: tuple[int, int],
    *,
    min_size: int,
    line_spacing: float = 1.25,
    max_lines: int | None = None,
    lang: str = "en_US",
) -> int:
    """How many words to remove from the end so text fits box at min_size (0 if it fits)."""
    words = text.split()

    def fits(keep: int) -> bool:
        return fit(" ".join(words[:keep]), stack, box, max_size=min_size, min_size=min_size,
                   line_spacing=line_spacing, max_lines=max_lines, lang=lang) is not None

    low, high = 0, len(words)  # the most words kept that still fit lies in [low, high]
    while low < high:
        mid = (low + high + 1) // 2
        if fits(mid):
            low = mid
        else:
            high = mid - 1
    return len(words) - low


# --- drawing -------------------------------------------------------------------------------


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
