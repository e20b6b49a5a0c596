"""Typesetting for cards: typographic punctuation, balanced line breaks on measured widths,
the largest size that fits a box, one shared size for a carousel, and drawing with fallback.

Widths always come from the fonts (fallback.py), never from character counts. Atoms (words,
or single characters in scripts written without spaces) are measured once at a reference size
and scaled; the chosen lines are then re-measured at their real size so a block never exceeds
its width.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import regex
from PIL import Image

from postdeck.fallback import (
    DEFAULT_FALLBACKS,
    FONTS_DIR,
    REFERENCE_SIZE,
    FontStack,
    base_direction,
    draw_line,
    font_stack,
    load_font,
    measure,
    reference_width,
    vertical_extent,
)

__all__ = [
    "DEFAULT_FALLBACKS", "FONTS_DIR", "FontStack", "TextBlock", "draw_block", "fit",
    "font_stack", "layout", "measure", "shared_size", "smart_typography", "words_to_cut",
]

# A last line holding one word reads as an orphan; this outweighs any raggedness (each
# line's squared slack is at most 1).
_WIDOW_PENALTY = 2.0
_HYPHEN_PENALTY = 0.3
_LINE_COST = 1000.0
# A line ending in "a", "I" or "the" leaves the reader hanging: prefer to carry it over.
_WEAK_END = regex.compile(r"(?i)^(?:\p{L}|an|the)$")
_WEAK_END_PENALTY = 0.15
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


# --- atoms: the unbreakable pieces of a paragraph ----------------------------------------

# Thai and Lao also omit spaces but need a dictionary to find word breaks; they break at
# spaces like other scripts (and only over-wide words are split).
_NO_SPACE_SCRIPT = r"\p{Han}\p{Hiragana}\p{Katakana}"
# One ideograph or kana (with marks), keeping closing punctuation on it and opening
# punctuation before it (kinsoku); anything else stays a word.
_ATOM = regex.compile(
    rf"[「『（〔【〈《“‘(]*[{_NO_SPACE_SCRIPT}]\p{{M}}*[、。，．！？：；」』）〕】〉》”’)ー…・]*"
    rf"|[「『（〔【〈《“‘(]*[^{_NO_SPACE_SCRIPT}]+?(?=[「『（〔【〈《“‘(]*[{_NO_SPACE_SCRIPT}]|$)"
)


@dataclass(frozen=True)
class _Atom:
    text: str
    glue: bool  # a space precedes it
    hyphen: bool = False  # a hyphenated piece: shows "-" when a line ends here


def _atoms(paragraph: str) -> list[_Atom]:
    out = []
    for word in paragraph.split():
        for i, piece in enumerate(_ATOM.findall(word)):
            out.append(_Atom(piece, glue=(i == 0 and bool(out))))
    return out


@functools.lru_cache(maxsize=8)
def _hyphenator(lang: str):
    import pyphen

    return pyphen.Pyphen(lang=lang, left=2, right=3)


def _split_wide(atom: _Atom, stack: FontStack, size: int, width: int, lang: str) -> list[_Atom]:
    """A word wider than the line (only then) as fragments the line breaker may break between:
    at its own hyphens and dashes, at pyphen's hyphenation points, and as a last resort between
    graphemes of a fragment that is still too wide."""
    if _scaled(atom.text, stack, size) <= width:
        return [atom]
    word = atom.text
    points = {i + 1 for i, ch in enumerate(word[:-1]) if ch in _HARD_BREAKS}
    points.update(_hyphenator(lang).positions(word))
    bounds = [0, *sorted(points), len(word)]
    out: list[_Atom] = []
    for start, end in zip(bounds, bounds[1:]):
        piece = word[start:end]
        soft = end < len(word) and piece[-1] not in _HARD_BREAKS
        glue = atom.glue and start == 0
        if _scaled(piece + "-", stack, size) <= width:
            out.append(_Atom(piece, glue, hyphen=soft))
        else:
            out += _split_graphemes(_Atom(piece, glue, hyphen=soft), stack, size, width)
    return out


_HARD_BREAKS = "-\u2010\u2013\u2014/"


def _split_graphemes(atom: _Atom, stack: FontStack, size: int, width: int) -> list[_Atom]:
    """Emergency breaks inside an unhyphenatable fragment, each piece plus hyphen fitting."""
    out, head, glue = [], "", atom.glue
    for cluster in regex.findall(r"\X", atom.text):
        if head and _scaled(head + cluster + "-", stack, size) > width:
            out.append(_Atom(head, glue, hyphen=True))
            head, glue = "", False
        head += cluster
    return [*out, _Atom(head, glue, hyphen=atom.hyphen)]


def _scaled(text: str, stack: FontStack, size: int) -> float:
    return reference_width(text, stack) * size / REFERENCE_SIZE


# --- line breaking -----------------------------------------------------------------------


def _line_text(atoms: Sequence[_Atom]) -> str:
    text = "".join((" " if a.glue and i else "") + a.text for i, a in enumerate(atoms))
    return text + ("-" if atoms and atoms[-1].hyphen else "")


def _widths(atoms: list[_Atom], stack: FontStack, size: int):
    """Estimated width of a line holding atoms[i:j], from scaled reference widths."""
    space, hyphen = _scaled(" ", stack, size), _scaled("-", stack, size)
    prefix, glue = [0.0], [0.0]
    for atom in atoms:
        prefix.append(prefix[-1] + _scaled(atom.text, stack, size))
        glue.append(glue[-1] + (space if atom.glue else 0.0))

    def width(i: int, j: int) -> float:
        extra = hyphen if atoms[j - 1].hyphen else 0.0
        return prefix[j] - prefix[i] + glue[j] - glue[i + 1] + extra

    return width


# A line may not start with a dash or closing punctuation ("word —" stays together).
_NO_BREAK_BEFORE = regex.compile(r"[\u2013\u2014\u2026\u00b7\u2022|!?:;,.)\]}”’»]")


def _breakable(atoms: list[_Atom]) -> list[bool]:
    """breakable[i]: a line may start at atoms[i]."""
    return [i == 0 or not _NO_BREAK_BEFORE.match(a.text) for i, a in enumerate(atoms)]


def _greedy(n: int, width_of, width: float, breakable: list[bool]) -> list[tuple[int, int]]:
    """First-fit lines: the fewest lines possible (an atom wider than the line stands alone)."""
    lines, start = [], 0
    while start < n:
        end = None
        for j in range(start + 1, n + 1):
            if j < n and not breakable[j]:
                continue
            fits = width_of(start, j) <= width
            if end is None or fits:
                end = j
            if not fits:
                break
        lines.append((start, end))
        start = end
    return lines


def _balanced(atoms: list[_Atom], width_of, width: float) -> list[tuple[int, int]]:
    """Break into the fewest lines possible, as even as possible, avoiding a one-word last line.

    Dynamic programming over break points (Knuth-Plass style, squared slack as badness). Each
    line costs more than any badness can add up to, so fewer lines always win.
    """
    n = len(atoms)
    breakable = _breakable(atoms)
    words = [0]  # words[j]: words (space-separated) among atoms[:j]
    for i, atom in enumerate(atoms):
        words.append(words[-1] + (1 if atom.glue or i == 0 else 0))
    inf = float("inf")
    best, back = [0.0] + [inf] * n, [0] * (n + 1)
    for j in range(1, n + 1):
        if j < n and not breakable[j]:
            continue
        end_penalty = _HYPHEN_PENALTY if atoms[j - 1].hyphen else 0.0
        if j < n and _WEAK_END.match(atoms[j - 1].text):
            end_penalty += _WEAK_END_PENALTY
        for i in range(j - 1, -1, -1):
            w = width_of(i, j)
            if w > width and i < j - 1:
                break
            if best[i] == inf or not breakable[i]:
                continue
            cost = best[i] + _LINE_COST + ((width - w) / width) ** 2 + end_penalty
            if j == n and i > 0 and words[j] - words[i] + (0 if atoms[i].glue else 1) <= 1:
                cost += _WIDOW_PENALTY
            if cost < best[j]:
                best[j], back[j] = cost, i
    if best[n] == inf:  # some line must overflow (an unbreakable run); keep first-fit
        return _greedy(n, width_of, width, breakable)
    breaks, j = [], n
    while j > 0:
        breaks.append((back[j], j))
        j = back[j]
    return breaks[::-1]


def _paragraph_lines(
    paragraph: str, stack: FontStack, size: int, width: float, lang: str
) -> list[tuple[str, float]]:
    """Balanced lines of one paragraph, each with its estimated width."""
    # Per-character estimates ignore kerning; one shaped measurement of the paragraph corrects
    # them (widths scale by `ratio`), so estimated breaks match the real ones.
    ratio = _calibration(paragraph, stack)
    width = width / ratio
    atoms = [
        piece
        for atom in _atoms(paragraph)
        for piece in _split_wide(atom, stack, size, int(width), lang)
    ]
    if not atoms:
        return [("", 0.0)]
    width_of = _widths(atoms, stack, size)
    return [
        (_line_text(atoms[i:j]), width_of(i, j) * ratio)
        for i, j in _balanced(atoms, width_of, width)
    ]


@functools.lru_cache(maxsize=1024)
def _calibration(paragraph: str, stack: FontStack) -> float:
    estimate = reference_width(paragraph, stack)
    return measure(paragraph, stack, REFERENCE_SIZE) / estimate if estimate else 1.0


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
    return _block(text, stack, size, width, line_spacing, lang, exact=True)


@functools.lru_cache(maxsize=4096)
def _block(
    text: str, stack: FontStack, size: int, width: int, line_spacing: float, lang: str,
    exact: bool,
) -> TextBlock:
    """Lines from estimated widths; exact re-measures them (shaped, at size) and tightens
    the target until the real lines fit. Size searches use estimates, then one exact pass."""
    # Estimates are within about half a percent of the real widths: start a little wide so a
    # line that really fits is not broken early; the exact pass tightens if one overflows.
    target = width * _ESTIMATE_TOLERANCE
    for _ in range(8):
        lines, directions, estimates = [], [], []
        for paragraph in text.split("\n"):
            broken = _paragraph_lines(paragraph, stack, size, target, lang)
            lines += [line for line, _ in broken]
            estimates += [estimate for _, estimate in broken]
            directions += [base_direction(paragraph)] * len(broken)
        if not exact:
            widest = -int(-max(estimates) // 1)
            break
        widest = max(measure(line, stack, size) for line in lines)
        if widest <= width or target < size:
            break
        target -= max(1.0, widest - width)
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


# --- sizes ---------------------------------------------------------------------------------


def _fits(block: TextBlock, box: tuple[int, int], max_lines: int | None) -> bool:
    lines_ok = max_lines is None or len(block.lines) <= max_lines
    return block.width <= box[0] and block.height <= box[1] and lines_ok


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
) -> TextBlock | None:
    """The block at the largest size in [min_size, max_size] that fits box; None if none does.

    Binary search over sizes on estimated layouts (text height grows with size), then the
    exact layout at the size found, stepping down in the rare case re-measuring adds a line.
    """
    def block(size: int, exact: bool) -> TextBlock:
        return _block(text, stack, size, box[0], line_spacing, lang, exact)

    low, high = min_size, max(min_size, max_size)
    while low < high:
        mid = (low + high + 1) // 2
        if _fits(block(mid, False), box, max_lines):
            low = mid
        else:
            high = mid - 1
    found = None
    for size in range(low, min_size - 1, -1):  # estimates may have missed by a pixel or two
        if _fits(exact := block(size, True), box, max_lines):
            found = exact
            break
    # Estimates err wide by design, so a size the search rejected only for width may fit
    # once measured exactly; rejected for height (too many lines), it never does.
    while found is not None and found.size < max_size:
        estimate = block(found.size + 1, False)
        if not _fits(replace(estimate, width=0), box, max_lines):
            break
        if not _fits(bigger := block(found.size + 1, True), box, max_lines):
            break
        found = bigger
    return found


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
    """One size that fits every text (a carousel must not jump); None if one won't fit."""
    size = max_size
    for text in texts:
        block = fit(text, stack, box, max_size=size, min_size=min_size,
                    line_spacing=line_spacing, max_lines=max_lines, lang=lang)
        if block is None:
            return None
        size = block.size
    return size


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


def draw_block(
    image: Image.Image,
    block: TextBlock,
    stack: FontStack,
    xy: tuple[int, int],
    fill,
    *,
    align: str = "left",
    box_width: int | None = None,
) -> tuple[int, int, int, int]:
    """Draw a block with its top-left at xy; returns the inked bbox (left, top, right, bottom).

    align is left, center, right or start (right for right-to-left lines); center and right
    align within box_width (default: the block's width).
    """
    ascent = block.ascent or load_font(stack.primary, block.size).getmetrics()[0]
    span = block.width if box_width is None else box_width
    box = None
    for i, line in enumerate(block.lines):
        base = block.directions[i] if block.directions else base_direction(line)
        side = {"start": "right" if base == "rtl" else "left"}.get(align, align)
        slack = span - measure(line, stack, block.size)
        dx = {"left": 0, "center": slack / 2, "right": slack}[side]
        baseline = xy[1] + ascent + i * block.line_height
        ink = draw_line(image, line, stack, (xy[0] + dx, baseline), block.size, fill, base)
        if ink is not None:
            box = ink if box is None else (
                min(box[0], ink[0]), min(box[1], ink[1]), max(box[2], ink[2]), max(box[3], ink[3])
            )
    return box if box is not None else (xy[0], xy[1], xy[0], xy[1])
