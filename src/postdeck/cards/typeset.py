"""Typesetting for cards: typographic punctuation, balanced line breaks on measured widths,
the largest size that fits a box, one shared size for a carousel (drawing: draw.py).

Widths always come from the fonts (fallback.py), never from character counts. Lines are
broken on estimated widths (linebreak.py), then re-measured at their real size so a block
never exceeds its width.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import regex

from postdeck.cards.block import TextBlock
from postdeck.cards.draw import OPENING_MARKS, draw_block, draw_line, word_key
from postdeck.cards.fallback import (
    DEFAULT_FALLBACKS,
    FONTS_DIR,
    FontStack,
    base_direction,
    font_stack,
    measure,
    vertical_extent,
)
from postdeck.cards.linebreak import break_paragraph, orphaned, unbreakable_words

# Blocks are drawn by draw.py; callers find everything about setting text here.
__all__ = [
    "DEFAULT_FALLBACKS", "FONTS_DIR", "OPENING_MARKS", "FontStack", "TextBlock", "base_direction", "draw_block",
    "draw_line", "fit", "font_stack", "layout", "measure", "shared_size", "smart_typography", "unbreakable_words",
    "word_key", "words_to_cut",
]

_ESTIMATE_TOLERANCE = 1.005


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

    Every size is judged by its exact layout (``_Box.fitted``), as every final check judges
    it. Whether a size fits is not quite monotonic (a quote fits at 81 and 83 px but not at 82,
    where its planned lines overflow by a pixel), so the size found is one that fits where the
    next one up does not. Estimates only say where to start: the largest size whose estimate
    is not too tall. When its estimate and its exact layout both fit (in a deck: at the size
    the texts before it share) there is nothing to search; else exact layouts are tried down
    from there (``_search``).
    """
    if len(text) > most_characters(box, min_size, line_spacing):
        return None  # cannot fit: not laid out at all (a 1 MB word took minutes, and Pillow refuses it)
    target = _Box(box[0], box[1], max_lines, line_spacing, lang)
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

    Each text is fitted below the size the texts before it allow, round after round until one
    lowers it no more: a text fitted at 84 px may not fit at 82, where a later one stopped, so
    every text fits at the size returned (by the test ``fit`` makes). Then, within 20% below
    it, the largest size at which no text has a lone word."""
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
