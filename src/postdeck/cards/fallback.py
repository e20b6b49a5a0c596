"""Per-grapheme font fallback: which bundled face draws each piece of text, and its width.

A card's brand face covers Latin; emoji, Devanagari, Tamil, Arabic and CJK come from bundled
fallback faces so nothing renders as an empty box. Coverage is read from each font's cmap
(fonttables.py), decided per grapheme cluster so combining marks and ZWJ emoji stay whole, then
merged into runs that Pillow shapes with raqm (HarfBuzz + FriBiDi) where available (typeset.py
draws them).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import regex
from PIL import ImageFont, features

from postdeck.brand.files import package_folder
from postdeck.fonttables import REFERENCE_SIZE, alphabetic, font_tables

FONTS_DIR = package_folder("postdeck.fonts")
EMOJI_FONT = FONTS_DIR / "NotoColorEmoji.ttf"

DEFAULT_FALLBACKS: tuple[Path, ...] = tuple(
    FONTS_DIR / name
    for name in (
        "NotoSans-Regular.ttf",  # Latin/Greek/Cyrillic a display face may lack
        "NotoColorEmoji.ttf",
        "NotoSansDevanagari-Regular.ttf",
        "NotoSansTamil-Regular.ttf",
        "NotoNaskhArabic-Regular.ttf",
        "DroidSansFallbackFull.ttf",  # CJK: Han and kana
        "NotoSansKR-Hangul.otf",  # Korean (Noto Sans CJK KR cut down to Hangul)
        "NotoSansHebrew-Regular.ttf",
        "NotoSansBengali-Regular.ttf",
        "NotoSansTelugu-Regular.ttf",
        "NotoSansKannada-Regular.ttf",
        "NotoSansMalayalam-Regular.ttf",
        "NotoSansGujarati-Regular.ttf",
        "NotoSansGurmukhi-Regular.ttf",
        "NotoSansThai-Regular.ttf",
        "NotoSansSymbols2-Regular.ttf",  # arrows, check marks, stars
    )
)

_EMOJI_CLUSTER = regex.compile(
    r"\p{Emoji_Presentation}|\uFE0F|\u20E3|\p{Emoji_Modifier}|\p{Regional_Indicator}"
)
_IGNORABLE = regex.compile(r"\p{Default_Ignorable_Code_Point}")
_RTL = regex.compile(r"[\p{Bidi_Class=R}\p{Bidi_Class=AL}]")
_LTR = regex.compile(r"\p{Bidi_Class=L}")
_COMMON = regex.compile(r"^[\p{Script=Common}\p{Script=Inherited}]+$")


@dataclass(frozen=True)
class FontStack:
    """A primary face plus fallbacks, chosen per grapheme cluster."""

    primary: Path
    fallbacks: tuple[Path, ...] = DEFAULT_FALLBACKS

    def __hash__(self) -> int:
        # Stacks key every measurement cache; hashing eight Paths on each lookup adds up.
        try:
            return self._hash  # type: ignore[attr-defined]
        except AttributeError:
            value = hash((self.primary, self.fallbacks))
            object.__setattr__(self, "_hash", value)
            return value

    def __reduce__(self):
        # str hashes differ between processes: rebuild (and re-hash) in a worker process.
        return (FontStack, (self.primary, self.fallbacks))

    @property
    def faces(self) -> tuple[Path, ...]:
        return (self.primary, *self.fallbacks)


BOLD_FALLBACKS: tuple[Path, ...] = tuple(
    path.with_name(path.name.replace("-Regular", "-Bold"))
    if path.name in {"NotoSans-Regular.ttf", "NotoSansDevanagari-Regular.ttf",
                     "NotoSansTamil-Regular.ttf", "NotoNaskhArabic-Regular.ttf"}
    else path
    for path in DEFAULT_FALLBACKS
)


def font_stack(primary: Path) -> FontStack:
    """The primary face with postdeck's bundled fallbacks, bold ones for a bold primary
    (so a Tamil or Arabic word in a bold headline is not visibly lighter than its neighbours)."""
    primary = Path(primary)
    return FontStack(primary, BOLD_FALLBACKS if weight(primary) >= 600 else DEFAULT_FALLBACKS)


def weight(path: Path) -> int:
    """The face's weight class (400 regular, 700 bold) from its OS/2 table."""
    return font_tables(path).weight


@dataclass(frozen=True)
class Run:
    """A stretch of text drawn with one face; direction is 'ltr', 'rtl' or None (neutral)."""

    text: str
    font: Path
    direction: str | None


def load_font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    """A cached Pillow font; colour emoji always load at their bitmap strike size (one face)."""
    return _face(path, emoji_strike(path) if is_emoji_font(path) else size)


# Each face maps its whole font file on its own: 30 sizes of the CJK fallback kept ~40 MB
# resident. A deck uses ~60 faces, most of them once, during the fit search; 32 cost ~6 more
# loads a deck (~0.3 ms each).
@functools.lru_cache(maxsize=32)
def _face(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size, layout_engine=_layout_engine())


@functools.lru_cache(maxsize=1)
def _layout_engine() -> ImageFont.Layout:
    # Without raqm Pillow falls back to basic layout: no shaping, no bidi (see README).
    return ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC


def is_emoji_font(path: Path) -> bool:
    """Whether a face is colour bitmap emoji (CBDT), drawn from its strike and scaled."""
    return font_tables(path).emoji_strike > 0


def emoji_strike(path: Path) -> int:
    """The pixel size of a colour emoji font's bitmaps, the only size FreeType loads it at.

    Upstream Noto Color Emoji has 109; the bundled copy is rebuilt at 72 to stay small
    (fonts/tools/shrink_emoji.py).
    """
    return font_tables(path).emoji_strike


def coverage(path: Path) -> frozenset[int]:
    """The code points a font maps to glyphs (its best cmap)."""
    return font_tables(path).points


@functools.lru_cache(maxsize=64)
def _characters(path: Path) -> frozenset[str]:
    return frozenset(map(chr, coverage(path)))


def covers(path: Path, cluster: str) -> bool:
    """Whether a font has glyphs for every visible code point of a grapheme cluster."""
    points = coverage(path)
    return all(ord(ch) in points for ch in _IGNORABLE.sub("", cluster))


def font_for(cluster: str, stack: FontStack, previous: Path | None = None) -> Path:
    """The face that draws a grapheme cluster: emoji first for emoji, else first that covers it."""
    if _EMOJI_CLUSTER.search(cluster) and "\ufe0e" not in cluster:
        emoji = [f for f in stack.faces if is_emoji_font(f) and covers(f, cluster[0])]
        if emoji:
            return emoji[0]
    # Spaces and punctuation stay in the face around them so a Devanagari or Arabic phrase is
    # one run (shaped and reordered together), not split at every space.
    if previous is not None and _COMMON.match(cluster) and covers(previous, cluster):
        if not is_emoji_font(previous):
            return previous
    for face in stack.faces:
        if not is_emoji_font(face) and covers(face, cluster):
            return face
    for face in stack.faces:  # at least the base character (marks may compose in shaping),
        if covers(face, cluster[0]):  # colour emoji included: ☺ beats a box
            return face
    return stack.primary


def _direction(text: str) -> str | None:
    if _RTL.search(text):
        return "rtl"
    return "ltr" if _LTR.search(text) else None


@functools.lru_cache(maxsize=4096)
def runs(text: str, stack: FontStack, base: str | None = None) -> tuple[Run, ...]:
    """Text split into runs of one face, in logical order; whitespace splits runs for bidi.

    base is the paragraph direction that neutral characters at direction changes take.
    """
    if not _EMOJI_CLUSTER.search(text) and set(text) <= _characters(stack.primary):
        # The common case, all in the primary face: one run, no per-cluster work.
        return (Run(text, stack.primary, _direction(text) or base or base_direction(text)),)
    pieces: list[tuple[str, Path]] = []
    previous: Path | None = None
    for cluster in regex.findall(r"\X", text):
        face = font_for(cluster, stack, previous)
        space = cluster.isspace()
        if pieces and pieces[-1][1] == face and pieces[-1][0].isspace() == space:
            pieces[-1] = (pieces[-1][0] + cluster, face)
        else:
            pieces.append((cluster, face))
        previous = face
    items = [Run(t, f, _direction(t)) for t, f in pieces]
    resolved = _resolve_neutrals(items, base or base_direction(text))
    return tuple(_merge(resolved))


def base_direction(text: str) -> str:
    """The paragraph direction: right-to-left when most of its strong characters are.

    Unicode's rule P2 takes the first strong character, which sets an Arabic title that opens
    with a product name ("React Canaries: التمكين … خارج Meta") left to right, so its Arabic
    words read in the wrong order; the language most of the text is in decides instead."""
    # Each match is one character: one findall counts them ~20x faster than a match per character.
    return "rtl" if len(_RTL.findall(text)) > len(_LTR.findall(text)) else "ltr"


def _resolve_neutrals(items: list[Run], base: str) -> list[Run]:
    # Bidi rules at run level. Numbers first take the direction of the strong text before them
    # (W2/W7: "Inter 2026" stays left-to-right in Arabic, a number after Arabic joins it); then
    # other neutrals between runs of one direction take it, the rest the paragraph's (N1/N2).
    items = list(items)
    previous = base
    for i, run in enumerate(items):
        if run.direction is None and regex.search(r"\d", run.text):
            items[i] = Run(run.text, run.font, previous)
        previous = items[i].direction or previous
    out = []
    for i, run in enumerate(items):
        if run.direction is None:
            before = next((r.direction for r in reversed(items[:i]) if r.direction), base)
            after = next((r.direction for r in items[i + 1 :] if r.direction), base)
            run = Run(run.text, run.font, before if before == after else base)
        out.append(run)
    return out


def _merge(items: list[Run]) -> list[Run]:
    out: list[Run] = []
    for run in items:
        if out and out[-1].font == run.font and out[-1].direction == run.direction:
            out[-1] = Run(out[-1].text + run.text, run.font, run.direction)
        else:
            out.append(run)
    return out


def visual_order(line_runs: tuple[Run, ...], base: str) -> list[Run]:
    """Runs left to right: groups of the opposite direction reversed (bidi rule L2 at run level)."""
    groups: list[list[Run]] = []
    for run in line_runs:
        if groups and groups[-1][0].direction == run.direction:
            groups[-1].append(run)
        else:
            groups.append([run])
    ordered = [g[::-1] if g[0].direction == "rtl" else g for g in groups]
    if base == "rtl":
        ordered.reverse()
    return [run for group in ordered for run in group]


@functools.lru_cache(maxsize=16384)
def run_width(text: str, font: Path, size: int) -> float:
    """Advance width of one run at a size (emoji scaled from their strike)."""
    if is_emoji_font(font):
        return load_font(font, size).getlength(text) * size / emoji_strike(font)
    return load_font(font, size).getlength(text, direction=raqm_direction(text))


def raqm_direction(text: str) -> str | None:
    # Only raqm knows about direction; basic layout rejects the argument.
    if _layout_engine() != ImageFont.Layout.RAQM:
        return None
    return "rtl" if _direction(text) == "rtl" else "ltr"


@functools.lru_cache(maxsize=16384)
def reference_width(text: str, stack: FontStack) -> float:
    """An estimate of the width at REFERENCE_SIZE; scale by size / REFERENCE_SIZE.

    Alphabetic runs add up cached per-character advances (shaping a word costs ~100 us, a
    dictionary lookup well under 1 us); ignoring kerning errs wide by about 1%. Scripts whose
    shaping changes widths (Indic, Arabic, emoji sequences) are shaped as whole runs.
    """
    total = 0.0
    for run in runs(text, stack):
        if alphabetic(run.text) and not is_emoji_font(run.font):
            advances = font_tables(run.font).advances
            total += sum(advances.get(ch, 0.0) for ch in run.text)
        else:
            total += run_width(run.text, run.font, REFERENCE_SIZE)
    return total


@functools.lru_cache(maxsize=8192)
def measure(text: str, stack: FontStack, size: int) -> int:
    """Advance width of one line in pixels at a size, fallbacks included (rounded up)."""
    return -int(-sum(run_width(r.text, r.font, size) for r in runs(text, stack)) // 1)


@functools.lru_cache(maxsize=4096)
def vertical_extent(text: str, stack: FontStack, size: int) -> tuple[int, int]:
    """(ascent, descent) in pixels covering every face the text uses, the primary included."""
    faces = {stack.primary} | {r.font for line in text.split("\n") for r in runs(line, stack)}
    ascent, descent = 0.0, 0.0
    for face in faces:
        a, d = load_font(face, size).getmetrics()
        scale = size / emoji_strike(face) if is_emoji_font(face) else 1.0
        ascent, descent = max(ascent, a * scale), max(descent, d * scale)
    return round(ascent), round(descent)
