"""Line breaking on measured widths: a paragraph into balanced lines for one size and width.

Atoms (words, or single characters in scripts written without spaces) are measured once at a
reference size and scaled; a dynamic programme picks the fewest lines, then the most even
ones, avoiding a one-word last line and lines ending on "a" or "the". Words wider than the line
are hyphenated (pyphen), and only those.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from postdeck.cards.fallback import REFERENCE_SIZE, FontStack, measure, reference_width
from postdeck.text.sentences import THAI, thai_words

# A last line holding one word reads as an orphan; this outweighs any raggedness (each
# line's squared slack is at most 1).
_WIDOW_PENALTY = 2.0
_HYPHEN_PENALTY = 0.5  # a hyphen postdeck adds
_HARD_HYPHEN_PENALTY = 0.1  # a break after the word's own hyphen: less surprising
_LINE_COST = 1000.0
# A line ending in "a", "I" or "the" leaves the reader hanging: prefer to carry it over.
_WEAK_END = regex.compile(r"(?i)^(?:\p{L}|an|the)$")
_WEAK_END_PENALTY = 0.15
# A line under 40% full between two others (a lone "and" between long names) is a hole in
# the paragraph, worse than a one-word last line. (A short first line, "7 Ways", is fine.)
_SHORT_LINE = 0.4
_SHORT_LINE_PENALTY = 2.5

# --- atoms: the unbreakable pieces of a paragraph ----------------------------------------

# Thai also omits spaces: it breaks between the words BudouX finds (text.sentences.thai_words).
# Lao, Khmer and Burmese break at spaces like other scripts (and only over-wide words are split).
_NO_SPACE_SCRIPT = r"\p{Han}\p{Hiragana}\p{Katakana}"
# One ideograph or kana (with marks), keeping closing punctuation on it and opening
# punctuation before it (kinsoku); anything else stays a word.
_ATOM = regex.compile(
    rf"[「『（〔【〈《“‘(]*[{_NO_SPACE_SCRIPT}]\p{{M}}*[、。，．！？：；」』）〕】〉》”’)ー…・]*"
    rf"|[「『（〔【〈《“‘(]*[^{_NO_SPACE_SCRIPT}]+?(?=[「『（〔【〈《“‘(]*[{_NO_SPACE_SCRIPT}]|$)"
)


@dataclass(frozen=True)
class _Atom:
    """A piece of a paragraph that a line may not break inside."""

    text: str
    glue: bool  # a space precedes it
    hyphen: bool = False  # a hyphenated piece: shows "-" when a line ends here


# A line may end after a word's own hyphen ("CarpentryConnect-" / "Davis") when at least two
# letters come before it and three after, so "e-mail" and "x-ray" stay whole; but only to
# close a hole in the paragraph, never just to save a line ("Post-" / "Surgical" in a title).
_AFTER_HYPHEN = regex.compile(r"(?<=\p{L}{2,}[-\u2010])(?=\p{L}{3,})")


def _atoms(paragraph: str, at_hyphens: bool = False) -> list[_Atom]:
    out: list[_Atom] = []
    for word in paragraph.split():
        pieces = list(thai_words(word)) if THAI.search(word) else _ATOM.findall(word)
        if at_hyphens and not is_literal(word):  # a URL's own hyphen is not a break point
            pieces = [p for chunk in pieces for p in _AFTER_HYPHEN.split(chunk)]
        for i, piece in enumerate(pieces):
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
    literal = is_literal(word)
    if literal:  # a hyphen would become part of the address: break after '/' or before '.', '@'
        points = {i + 1 for i, ch in enumerate(word[:-1]) if ch in "/"}
        points.update(i for i, ch in enumerate(word) if ch in ".@?&=_" and 0 < i < len(word) - 1
                      and not word[:i].lower().endswith("www"))
    else:
        points = {i + 1 for i, ch in enumerate(word[:-1]) if ch in _HARD_BREAKS}
        points.update(_hyphenator(lang).positions(word))
    bounds = [0, *sorted(points), len(word)]
    out: list[_Atom] = []
    for start, end in zip(bounds, bounds[1:]):
        piece = word[start:end]
        soft = end < len(word) and piece[-1] not in _HARD_BREAKS and not literal
        glue = atom.glue and start == 0
        if _scaled(piece + ("" if literal else "-"), stack, size) <= width:
            out.append(_Atom(piece, glue, hyphen=soft))
        else:
            out += _split_graphemes(_Atom(piece, glue, hyphen=soft), stack, size, width, mark=not literal)
    return out


# URLs, domains, e-mail addresses, @handles and #hashtags: a hyphen added inside one changes
# what a reader types, so they break only at their own '/' and '.' (and never get a hyphen).
_LITERAL = regex.compile(
    r"^\W*(?:[@#]\w|\w+://|www\.|[\w.+-]+@[\w-]+\.\w|[\w-]+(?:\.[\w-]+)*\.\p{Ll}{2,}(?:/|\W*$))",
)


def is_literal(word: str) -> bool:
    """Whether a word is a URL, domain, e-mail address, handle or hashtag (never hyphenated)."""
    return bool(_LITERAL.match(word))


_HARD_BREAKS = "-\u2010\u2013\u2014/"


def _split_graphemes(atom: _Atom, stack: FontStack, size: int, width: int, *, mark: bool = True) -> list[_Atom]:
    """Emergency breaks inside an unhyphenatable fragment, each piece plus hyphen fitting
    (``mark=False``: no hyphen, for URLs and handles)."""
    out, head, glue = [], "", atom.glue
    hyphen = "-" if mark else ""
    for cluster in regex.findall(r"\X", atom.text):
        if head and _scaled(head + cluster + hyphen, stack, size) > width:
            out.append(_Atom(head, glue, hyphen=mark))
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
_NO_BREAK_BEFORE = regex.compile(r"[\u2013\u2014\u2026\u00b7\u2022|!?:;,.)\]}”’»।॥،؛؟]")


def _breakable(atoms: list[_Atom], width_of, width: float) -> list[bool]:
    """breakable[i]: a line may start at atoms[i].

    Not before a dash or closing punctuation, unless the atoms held together that way would
    not fit on one line (better "—" starting a line than text past the edge)."""
    breakable = [i == 0 or not _NO_BREAK_BEFORE.match(a.text) for i, a in enumerate(atoms)]
    start = 0
    for i in range(1, len(atoms)):
        if breakable[i]:
            start = i
        elif width_of(start, i + 1) > width:
            breakable[i], start = True, i
    return breakable


def _greedy(n: int, width_of, width: float, breakable: list[bool]) -> list[tuple[int, int]]:
    """First-fit lines: the fewest lines possible (an atom wider than the line stands alone)."""
    lines: list[tuple[int, int]] = []
    start = 0
    while start < n:
        end = 0  # no end yet: the first candidate is taken even when it does not fit
        for j in range(start + 1, n + 1):
            if j < n and not breakable[j]:
                continue
            fits = width_of(start, j) <= width
            if not end or fits:
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
    breakable = _breakable(atoms, width_of, width)
    words = [0]  # words[j]: words (space-separated) among atoms[:j]
    for i, atom in enumerate(atoms):
        words.append(words[-1] + (1 if atom.glue or i == 0 else 0))
    inf = float("inf")
    best, back = [0.0] + [inf] * n, [0] * (n + 1)
    for j in range(1, n + 1):
        if j < n and not breakable[j]:
            continue
        end_penalty = _HYPHEN_PENALTY if atoms[j - 1].hyphen else 0.0
        if _ends_hyphen(atoms, j):
            end_penalty += _HARD_HYPHEN_PENALTY
        if j < n and _WEAK_END.match(atoms[j - 1].text):
            end_penalty += _WEAK_END_PENALTY
        for i in range(j - 1, -1, -1):
            w = width_of(i, j)
            if w > width and i < j - 1:
                break
            if best[i] == inf or not breakable[i]:
                continue
            cost = best[i] + _LINE_COST + ((width - w) / width) ** 2 + end_penalty
            if 0 < i and j < n and w < _SHORT_LINE * width:
                cost += _SHORT_LINE_PENALTY
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


def _ends_hyphen(atoms: list[_Atom], j: int) -> bool:
    """Whether a break before atoms[j] splits a hyphenated word at its own hyphen."""
    return j < len(atoms) and not atoms[j].glue and atoms[j - 1].text.endswith(("-", "\u2010"))


@functools.lru_cache(maxsize=4096)
def break_paragraph(
    paragraph: str, stack: FontStack, size: int, width: float, lang: str
) -> tuple[tuple[str, float], ...]:
    """Balanced lines of one paragraph, each with its estimated width. (Cached: a size's exact
    layout starts from the same break as its estimate.)"""
    # Per-character estimates ignore kerning; one shaped measurement of the paragraph corrects
    # them (widths scale by `ratio`), so estimated breaks match the real ones.
    ratio = _calibration(paragraph, stack)
    width = width / ratio
    for at_hyphens in (False, True):
        atoms = [
            piece
            for atom in _atoms(paragraph, at_hyphens)
            for piece in _split_wide(atom, stack, size, int(width), lang)
        ]
        if not atoms:
            return (("", 0.0),)
        width_of = _widths(atoms, stack, size)
        breaks = _balanced(atoms, width_of, width)
        if not any(width_of(i, j) < _SHORT_LINE * width for i, j in breaks[1:-1]):
            break
    return tuple((_line_text(atoms[i:j]), width_of(i, j) * ratio) for i, j in breaks)


@functools.lru_cache(maxsize=1024)
def _calibration(paragraph: str, stack: FontStack) -> float:
    estimate = reference_width(paragraph, stack)
    return measure(paragraph, stack, REFERENCE_SIZE) / estimate if estimate else 1.0


# --- what a finished block should not have ---------------------------------------------

_UNBREAKABLE = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]|[^\s\p{Han}\p{Hiragana}\p{Katakana}/-]+[/-]?")


def unbreakable_words(text: str) -> list[str]:
    """The pieces a line need not break inside: words up to and including their own hyphens
    or slashes (a line may end there), each ideograph or kana on its own (Japanese and
    Chinese break between characters, so a whole title is no 'word'), and Thai words."""
    return [w for piece in _UNBREAKABLE.findall(text)
            for w in (thai_words(piece) if THAI.search(piece) else (piece,))]


_NO_SPACES = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}]")


def orphaned(lines: Sequence[str]) -> bool:
    """A one-word last line under longer ones, or a short word alone between two lines (a hole
    in the paragraph).
    Scripts written without spaces have no words to orphan."""
    if len(lines) < 2 or any(_NO_SPACES.search(line) for line in lines):
        return False
    last = lines[-1].strip()
    # A word alone under lines twice its length (a column of one-word lines is no orphan).
    if " " not in last and len(" ".join(lines).split()) > 2 and 2 * len(last) < max(len(x) for x in lines):
        return True
    return any(" " not in line.strip() and len(line.strip()) <= 4 for line in lines[1:-1])
