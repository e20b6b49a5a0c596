"""Drawing one slide: the canvas with its rules, the frame of a content card, and the three
slide kinds (cover, content card, closing).

Every text line goes through ``Canvas.text``, which checks its colour against the pixels behind
it (WCAG AA) and that its ink stays inside the safe area, so a template cannot produce an
unreadable or clipped card. Sizes are px on a 1080-wide card, scaled by ``Canvas.px``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from postdeck.brand.schema import SIZES, Brand, rgb
from postdeck.cards import typeset as ts
from postdeck.cards.assets import logo_at
from postdeck.cards.emphasis import echoes
from postdeck.cards.paint import (
    Box,
    background,
    background_cells,
    content_area,
    is_wide,
    require_contrast,
    safe_area,
    scale,
)
from postdeck.errors import RenderError
from postdeck.model import Post

TITLE_SPACING = 1.08
HEADLINE_SPACING = 1.15
QUOTE_SPACING = 1.3
BIG_NUMBER = 150  # px size of the giant post number (layout.number_style: big)
QUOTE_MARK = 220  # px size of the big opening quote sign (layout.mark: quote)


class Canvas:
    """One slide being drawn: the untouched background, the image, and the rules."""

    def __init__(self, brand: Brand, size: str, where: str, slide: int = 0) -> None:
        self.brand, self.size, self.where = brand, size, where
        self.ground = background(brand, size, slide)  # shared and never drawn on
        self.cells = background_cells(brand, size, slide)  # the ground as contrast is measured on it
        self.image = self.ground.copy()
        self.safe = safe_area(brand, size)  # where ink may go
        self.area = content_area(brand, size)  # where text is laid out
        self.s = scale(size)
        self.drawn: list[tuple[str, tuple[int, int, int, int]]] = []  # (what, inked box)

    def claim(self, what: str, box: tuple[int, int, int, int], hang: int = 0) -> None:
        """Record ink at ``box``: it must stay in the safe area and clear of earlier ink.
        ``hang``: px the ink may reach into the left margin (hanging punctuation)."""
        safe = Box(self.safe.x0 - hang, self.safe.y0, self.safe.x1, self.safe.y1)
        if not safe.contains(box):
            raise RenderError(f"{self.where}: the {what} reaches outside the safe area {self.safe}; "
                              "shorten it or give the template a smaller layout size")
        for other, (x0, y0, x1, y1) in self.drawn:
            if box[0] < x1 and x0 < box[2] and box[1] < y1 and y0 < box[3]:
                raise RenderError(f"{self.where}: the {what} would overlap the {other}; shorten it "
                                  "or give the template a smaller layout size")
        self.drawn.append((what, box))

    def px(self, value: float) -> int:
        return round(value * self.s)

    def text(self, block: ts.TextBlock, stack: ts.FontStack, xy: tuple[int, int], color_key: str,
             what: str, *, align: str = "left", width: int | None = None,
             emphasis: frozenset[str] = frozenset()) -> tuple[int, int, int, int]:
        """Draw a block, after checking its colour (and the emphasis colour) on the ground."""
        color = getattr(self.brand.colors, color_key)
        x, y = xy
        box = (x, y, x + (width or block.width), y + block.height)
        require_contrast(self.cells, box, color, self.brand, f"colors.{color_key}", f"{what} on the {self.where}")
        if emphasis:
            require_contrast(self.cells, box, self.brand.colors.accent, self.brand, "colors.accent",
                             f"highlighted words of the {what} on the {self.where}")
        # 'start' keeps left-aligned templates right-aligned for right-to-left lines (Arabic).
        side = "start" if align == "left" else align
        # An opening quote mark hangs in the margin (up to its width), letters aligned below.
        hang = max((ts.measure(line[0], stack, block.size) for line in block.lines if line and line[0] in ts.OPENING_MARKS), default=0)
        inked = ts.draw_block(self.image, block, stack, xy, rgb(color), align=side, box_width=width,
                              hang=True, emphasis=emphasis, emphasis_fill=rgb(self.brand.colors.accent))
        if inked[2] > inked[0]:
            self.claim(what, inked, hang + self.px(4) if side == "start" else 0)
        return inked

    def logo(self, xy: tuple[int, int], height: int, max_width: int = 0) -> int:
        """Paste the brand's logo ``height`` high (lower if wider than ``max_width``), centred
        on that height; returns its width (0 without a logo)."""
        if not self.brand.logo:
            return 0
        mark = logo_at(self.brand.logo, height, max_width)
        x, y = xy[0], xy[1] + (height - mark.height) // 2
        self.claim("logo", (x, y, x + mark.width, y + mark.height))
        self.image.paste(mark, (x, y), mark)
        return mark.width

    def rule(self, xy: tuple[int, int], width: int, height: int) -> None:
        x, y = xy
        self.claim("accent bar", (x, y, x + width, y + height))
        ImageDraw.Draw(self.image).rectangle((x, y, x + width - 1, y + height - 1), fill=rgb(self.brand.colors.accent))

    def glyphs(self, text: str, font: Path, size: int, xy: tuple[int, int], color_key: str, what: str) -> tuple[int, int]:
        """Display characters (big numeral, quote mark) placed by their ink; returns ink (w, h)."""
        face = _face(font, size)
        x0, y0, x1, y1 = ink_box(font, size, text)
        x, y = xy
        color = getattr(self.brand.colors, color_key)
        ink = (x, y, x + x1 - x0, y + y1 - y0)
        require_contrast(self.cells, ink, color, self.brand, f"colors.{color_key}", f"{what} on the {self.where}")
        self.claim(what, ink)
        ImageDraw.Draw(self.image).text((x - x0, y - y0), text, font=face, fill=rgb(color))
        return x1 - x0, y1 - y0


@lru_cache(maxsize=32)
def _face(path: Path, size: int):  # -> ImageFont.FreeTypeFont
    return ImageFont.truetype(str(path), size)


@lru_cache(maxsize=64)
def ink_box(path: Path, size: int, text: str) -> tuple[int, int, int, int]:
    """The inked box of ``text`` drawn at the origin (getbbox gives the layout box, not ink)."""
    face = _face(path, size)
    x0, y0, x1, y1 = face.getbbox(text)
    pad = size
    im = Image.new("L", (x1 - x0 + 2 * pad, y1 - y0 + 2 * pad))
    ImageDraw.Draw(im).text((pad, pad), text, font=face, fill=255)
    bx0, by0, bx1, by1 = im.getbbox() or (pad, pad, pad, pad)
    return bx0 - pad, by0 - pad, bx1 - pad, by1 - pad


@dataclass(frozen=True)
class CardFrame:
    """Where a content card's parts go at one size (the same for every card of a deck)."""

    header: Box  # landscape: the post number; stacked: the progress indicator's row
    text: Box  # stacked: the content group (number, headline, mark, quote); landscape: the headline
    quote_column: Box  # the quote's column (the text box itself when stacked)
    footer: Box  # logo and handle
    side: bool  # landscape: headline left, quote right (mirrored for right-to-left decks)


def card_frame(brand: Brand, size: str, rtl: bool = False) -> CardFrame:
    """Header, text, footer (and on landscape two columns) inside the content area; with
    ``rtl`` mirrored, so a right-to-left reader meets the headline first (at the right)."""
    f, safe = _card_frame(brand, size), content_area(brand, size)
    # Same widths mirrored, so the deck-wide text sizes (fitted to the LTR frame) still fit.
    flip = (lambda b: Box(safe.x0 + safe.x1 - b.x1, b.y0, safe.x0 + safe.x1 - b.x0, b.y1)) if rtl else (lambda b: b)
    return CardFrame(flip(f.header), flip(f.text), flip(f.quote_column), flip(f.footer), f.side)


def _card_frame(brand: Brand, size: str) -> CardFrame:
    safe, s = content_area(brand, size), scale(size)
    head_h = number_height(brand, size)
    foot_h = round(56 * s)
    gap = round(min(48 * s, SIZES[size][1] * 0.035))  # a square card cannot spare portrait's air
    if is_wide(size):  # two columns, the quote gets the right ~two thirds
        # 0.36, not 0.3: a headline's longest word ('Complementary') sets its size, and a
        # narrower column left it a label beside a quote twice its size.
        # A headline that leads the card takes half the width.
        split = safe.x0 + round(safe.width * (0.5 if brand.layout.lead == "headline" else 0.36))
        # The accent bar goes under the headline (it belongs to it, not to the quote's column).
        bar = rule_height(size) if brand.layout.mark == "rule" else 0
        left = Box(safe.x0, safe.y0 + head_h + gap // 2, split, safe.y1 - foot_h - gap // 2 - bar)
        right = Box(split + round(44 * s), safe.y0, safe.x1, safe.y1)  # a clear gutter
        return CardFrame(Box(safe.x0, safe.y0, split, safe.y0 + head_h), left, right,
                         Box(safe.x0, safe.y1 - foot_h, split, safe.y1), True)
    # The number belongs to the content group (a fixed gap above the headline); the top row
    # is left to the progress indicator, which the group keeps clear of.
    top = safe.y0 + (round(PROGRESS_ROW * s) + gap if brand.layout.progress != "none" else 0)
    text = Box(safe.x0, top, safe.x1, safe.y1 - foot_h - gap)
    return CardFrame(Box(safe.x0, safe.y0, safe.x1, safe.y0 + round(PROGRESS_ROW * s)), text, text,
                     Box(safe.x0, safe.y1 - foot_h, safe.x1, safe.y1), False)


PROGRESS_ROW = 16  # px: the height of the progress indicator's dots or bar
GRID = 8  # px: the baseline grid the content group's gaps are whole steps of


def grid(size: str, steps: int) -> int:
    """``steps`` of the baseline grid at this size."""
    return round(GRID * scale(size)) * steps


def number_height(brand: Brand, size: str) -> int:
    """Room for the post number: the giant numeral's ink, or a label's line."""
    if brand.layout.number_style == "big":
        x0, y0, x1, y1 = ink_box(Path(brand.fonts.headline), big_number_size(size), "08")
        return y1 - y0
    return round(40 * scale(size))


def group_gaps(brand: Brand, size: str) -> tuple[int, int]:
    """(number to headline, headline to mark or quote): the same on every card of a deck."""
    return grid(size, 4 if brand.layout.number_style == "big" else 3), grid(size, 5)


def big_number_size(size: str) -> int:
    w, h = SIZES[size]
    return round(BIG_NUMBER * scale(size) * (0.8 if h <= w else 1))  # less height, smaller numeral


def quote_mark_size(size: str) -> int:
    return round(QUOTE_MARK * scale(size) * (0.7 if is_wide(size) else 1))  # landscape is short of height


def rule_height(size: str) -> int:
    """The accent bar and the gap between it and the text."""
    s = scale(size)
    return round(8 * s) + round(36 * s)


def mark_height(brand: Brand, size: str) -> int:
    """Room taken above the quote by the accent mark (bar or quote sign) and its gap. (On
    landscape the bar goes under the headline, and the quote keeps the room as air.)"""
    if brand.layout.mark == "rule":
        return rule_height(size)
    if brand.layout.mark == "quote" and brand.layout.lead == "quote":
        x0, y0, x1, y1 = ink_box(Path(brand.fonts.quote), quote_mark_size(size), "\u201c")
        return y1 - y0 + round(28 * scale(size))
    return 0


def quotes_itself(text: str) -> bool:
    """Whether a quote opens with its own quotation mark (a second, decorative one is noise)."""
    first = text.lstrip()[:1]
    return bool(first) and first in ts.OPENING_MARKS + "\u201d\u300c\u300e"


# --- shared parts ---------------------------------------------------------------------------


def x_for(c: Canvas, box: Box, width: int, rtl: bool = False) -> int:
    """Left edge of something ``width`` wide, per the template's alignment (a left-aligned
    template sets right-to-left text from the right, so its marks go there too)."""
    if c.brand.layout.align == "center":
        return box.x0 + (box.width - width) // 2
    return box.x1 - width if rtl else box.x0


def brand_mark(c: Canvas, box: Box, text: str, rtl: bool = False) -> None:
    """Logo with a line of text beside it (handle or brand name), centred on the logo; with
    ``rtl`` mirrored (logo at the right, the start of a right-to-left line). A wide wordmark
    gets at most 60% of the row (lower, if need be); the text, what room is left, or none."""
    h = box.height
    stack, size = ts.font_stack(Path(c.brand.fonts.small)), c.px(30)
    logo_w = logo_at(c.brand.logo, h, box.width * 3 // 5).width if c.brand.logo else 0
    gap = c.px(18) if c.brand.logo else 0
    block = ts.layout(text, stack, size, box.width - logo_w - gap) if text else None
    if block and block.width > box.width - logo_w - gap:  # no room beside a wide wordmark
        block = None
    text_w = block.width if block else 0
    x = x_for(c, box, logo_w + (gap + text_w if block else 0), rtl)
    c.logo((x + text_w + gap if rtl and block else x, box.y0), h, box.width * 3 // 5)
    if block:
        c.text(block, stack, (x if rtl else x + logo_w + gap, box.y0 + (h - block.height) // 2), "muted",
               "brand mark", width=block.width)


def _mark(c: Canvas, x_box: Box, y: int, rtl: bool = False, quote: str = "") -> None:
    """The accent above the quote: a short bar, or a big opening quote mark (not before a
    quote that opens with its own mark; a headline-led card's text is no quotation)."""
    kind = c.brand.layout.mark
    if kind == "rule":
        w = c.px(96)
        c.rule((x_for(c, x_box, w, rtl), y), w, c.px(8))
    elif kind == "quote" and c.brand.layout.lead == "quote" and not quotes_itself(quote):
        # Right-to-left text opens with the mirrored mark (Arabic's ” opens a quotation).
        sign = "\u201d" if rtl else "\u201c"
        font, size = Path(c.brand.fonts.quote), quote_mark_size(c.size)
        ink = ink_box(font, size, sign)
        c.glyphs(sign, font, size, (x_for(c, x_box, ink[2] - ink[0], rtl), y), "accent", "quote mark")


# --- content card ---------------------------------------------------------------------------


def render_card(post: Post, brand: Brand, size: str, headline: ts.TextBlock, quote: ts.TextBlock,
                *, slide: tuple[int, int]) -> Image.Image:
    """One post's card: number, headline, mark, quote, brand mark (blocks sized by the deck).
    ``slide`` is (this slide's index, slides in the carousel), the cover being 0."""
    c = Canvas(brand, size, f"{size} card for post {post.n}", slide[0])
    rtl = (quote.directions or ("ltr",))[0] == "rtl"
    frame = card_frame(brand, size, rtl)
    brand_mark(c, frame.footer, brand.handle or brand.name, rtl)  # as on the cover
    emphasis = echoes(post.headline, post.quote) if brand.layout.highlight else frozenset()
    if frame.side:
        _side_card(c, frame, post, headline, quote, rtl, emphasis, slide[1] - 2)
    else:
        progress(c, frame.header, slide, rtl)
        _stacked_card(c, frame, post, headline, quote, rtl, emphasis, slide[1] - 2)
    return c.image


def _stacked_card(c: Canvas, frame: CardFrame, post: Post, headline: ts.TextBlock, quote: ts.TextBlock,
                  rtl: bool, emphasis: frozenset[str], posts: int) -> None:
    """Number, headline, mark and quote as one group with fixed gaps on the baseline grid,
    optically centred in the text box: a short quote leaves air above and below, not a band."""
    brand, box = c.brand, frame.text
    number_gap, head_gap = group_gaps(brand, c.size)
    mark_h = mark_height(brand, c.size) if not quotes_itself(post.quote) or brand.layout.mark != "quote" else 0
    group = number_height(brand, c.size) + number_gap + headline.height + head_gap + mark_h + quote.height
    # Optical centre: a little above the middle, which reads as centred; on a grid step.
    step = grid(c.size, 1)
    y = box.y0 + max(0, round((box.height - group) * 0.42 / step) * step)
    y += _card_number(c, Box(box.x0, y, box.x1, y + number_height(brand, c.size)), post.n, posts, rtl) + number_gap
    c.text(headline, ts.font_stack(Path(brand.fonts.headline)), (box.x0, y), brand.layout.headline_color,
           "headline", align=brand.layout.align, width=box.width)
    y += headline.height + head_gap
    _mark(c, box, y, rtl, post.quote)
    c.text(quote, ts.font_stack(Path(brand.fonts.quote)), (box.x0, y + mark_h), "text", "quote",
           align=brand.layout.align, width=box.width, emphasis=emphasis)


def _side_card(c: Canvas, frame: CardFrame, post: Post, headline: ts.TextBlock, quote: ts.TextBlock,
               rtl: bool, emphasis: frozenset[str], posts: int) -> None:
    """Landscape: number and headline (with the bar under it) in the first column, the quote
    centred in the second."""
    brand, size = c.brand, c.size
    _card_number(c, frame.header, post.n, posts, rtl)
    y = frame.text.y0 + (frame.text.height - headline.height) // 2
    c.text(headline, ts.font_stack(Path(brand.fonts.headline)), (frame.text.x0, y), brand.layout.headline_color,
           "headline", align=brand.layout.align, width=frame.text.width)
    q = frame.quote_column
    if brand.layout.mark == "rule":  # under the headline, in its column; the quote centred alone
        _mark(c, frame.text, y + headline.height + rule_height(size) - c.px(8), rtl)
        y = q.y0 + (q.height - quote.height) // 2
    else:
        mark_h = mark_height(brand, size) if not quotes_itself(post.quote) else 0
        y = q.y0 + (q.height - mark_h - quote.height) // 2
        _mark(c, q, y, rtl, post.quote)
        y += mark_h
    c.text(quote, ts.font_stack(Path(brand.fonts.quote)), (q.x0, y), "text", "quote",
           align=brand.layout.align, width=q.width, emphasis=emphasis)


def progress(c: Canvas, row: Box, slide: tuple[int, int], rtl: bool = False) -> None:
    """Where the reader is in the carousel (``layout.progress``): a dot per slide with this
    one in the accent colour, or a bar filled to here; it runs right to left for Arabic."""

    kind, (i, total) = c.brand.layout.progress, slide
    if kind == "none":
        return
    draw, h = ImageDraw.Draw(c.image), row.height
    accent, track = rgb(c.brand.colors.accent), rgb(c.brand.colors.muted)
    if kind == "dots":
        d, gap = c.px(12), c.px(12)
        width = total * d + (total - 1) * gap
        x0 = x_for(c, row, width, rtl)
        c.claim("progress dots", (x0, row.y0, x0 + width, row.y0 + h))
        for k in range(total):
            x = x0 + (total - 1 - k if rtl else k) * (d + gap)
            big = k == i
            r = d // 2 if big else d // 3
            cx, cy = x + d // 2, row.y0 + h // 2
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=accent if big else track)
        return
    width = min(row.width, c.px(360))
    x0 = x_for(c, row, width, rtl)
    c.claim("progress bar", (x0, row.y0, x0 + width, row.y0 + h))
    y0, y1 = row.y0 + h // 2 - c.px(3), row.y0 + h // 2 + c.px(3)
    draw.rectangle((x0, y0, x0 + width - 1, y1), fill=track)
    done = round(width * (i + 1) / total)
    draw.rectangle((x0 + width - done if rtl else x0, y0, (x0 + width if rtl else x0 + done) - 1, y1), fill=accent)


def _card_number(c: Canvas, box: Box, n: int, posts: int, rtl: bool = False) -> int:
    """The card's one number: a giant '02' (number_style: big), else '2/7' with slide numbers
    on ('post 2 of 7', true whether the card is seen alone or in the carousel), else '02';
    placed as the template aligns (``rtl``: at the start of a right-to-left line, the right).
    Returns the height it takes (the number's room, whatever its own ink)."""
    font = Path(c.brand.fonts.headline)
    if c.brand.layout.number_style == "big":
        text, size = f"{n:02d}", big_number_size(c.size)
        x0, _, x1, _ = ink_box(font, size, text)
        c.glyphs(text, font, size, (x_for(c, box, x1 - x0, rtl), box.y0), "accent", "post number")
        return number_height(c.brand, c.size)
    counted = c.brand.layout.slide_numbers and not is_wide(c.size)  # landscape is shared alone
    stack, size = ts.font_stack(font), c.px(32)
    block = ts.layout(f"{n}/{posts}" if counted else f"{n:02d}", stack, size, box.width)
    c.text(block, stack, (x_for(c, box, block.width, rtl), box.y0), "accent", "post number", width=block.width)
    return number_height(c.brand, c.size)
