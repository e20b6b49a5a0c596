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
from postdeck.cards.paint import (
    Box,
    background,
    background_cells,
    content_area,
    is_tall,
    is_wide,
    require_contrast,
    safe_area,
    scale,
)
from postdeck.errors import RenderError
from postdeck.model import Deck, Post, in_language
from postdeck.text.sentences import language_of

TITLE_SPACING = 1.08
HEADLINE_SPACING = 1.15
QUOTE_SPACING = 1.3
BIG_NUMBER = 150  # px size of the giant post number (layout.number_style: big)
QUOTE_MARK = 220  # px size of the big opening quote sign (layout.mark: quote)


class Canvas:
    """One slide being drawn: the untouched background, the image, and the rules."""

    def __init__(self, brand: Brand, size: str, where: str) -> None:
        self.brand, self.size, self.where = brand, size, where
        self.ground = background(brand, size)  # shared and never drawn on
        self.cells = background_cells(brand, size)  # the ground as contrast is measured on it
        self.image = self.ground.copy()
        self.safe = safe_area(brand, size)  # where ink may go
        self.area = content_area(brand, size)  # where text is laid out
        self.s = scale(size)
        self.drawn: list[tuple[str, tuple[int, int, int, int]]] = []  # (what, inked box)

    def claim(self, what: str, box: tuple[int, int, int, int]) -> None:
        """Record ink at ``box``: it must stay in the safe area and clear of earlier ink."""
        if not self.safe.contains(box):
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
             what: str, *, align: str = "left", width: int | None = None) -> tuple[int, int, int, int]:
        color = getattr(self.brand.colors, color_key)
        x, y = xy
        box = (x, y, x + (width or block.width), y + block.height)
        require_contrast(self.cells, box, color, self.brand, f"colors.{color_key}", f"{what} on the {self.where}")
        # 'start' keeps left-aligned templates right-aligned for right-to-left lines (Arabic).
        side = "start" if align == "left" else align
        inked = ts.draw_block(self.image, block, stack, xy, rgb(color), align=side, box_width=width)
        if inked[2] > inked[0]:
            self.claim(what, inked)
        return inked

    def logo(self, xy: tuple[int, int], height: int) -> int:
        """Paste the brand's logo scaled to ``height``; returns its width (0 without a logo)."""
        if not self.brand.logo:
            return 0
        mark = _logo(self.brand.logo, height)
        self.claim("logo", (xy[0], xy[1], xy[0] + mark.width, xy[1] + height))
        self.image.paste(mark, xy, mark)
        return mark.width

    def rule(self, xy: tuple[int, int], width: int, height: int) -> None:
        x, y = xy
        self.claim("accent bar", (x, y, x + width, y + height))
        ImageDraw.Draw(self.image).rectangle((x, y, x + width - 1, y + height - 1), fill=rgb(self.brand.colors.accent))

    def glyphs(self, text: str, font: Path, size: int, xy: tuple[int, int], color_key: str, what: str) -> tuple[int, int]:
        """Display characters (big numeral, quote mark) placed by their ink; returns ink (w, h)."""
        face = _face(font, size)
        x0, y0, x1, y1 = _ink(font, size, text)
        x, y = xy
        color = getattr(self.brand.colors, color_key)
        ink = (x, y, x + x1 - x0, y + y1 - y0)
        require_contrast(self.cells, ink, color, self.brand, f"colors.{color_key}", f"{what} on the {self.where}")
        self.claim(what, ink)
        ImageDraw.Draw(self.image).text((x - x0, y - y0), text, font=face, fill=rgb(color))
        return x1 - x0, y1 - y0


@lru_cache(maxsize=16)
def _logo(path: str, height: int) -> Image.Image:
    with Image.open(path) as opened:
        im = opened.convert("RGBA")
        return im.resize((max(1, round(im.width * height / im.height)), height), Image.Resampling.LANCZOS)


@lru_cache(maxsize=32)
def _face(path: Path, size: int):  # -> ImageFont.FreeTypeFont
    return ImageFont.truetype(str(path), size)


@lru_cache(maxsize=64)
def _ink(path: Path, size: int, text: str) -> tuple[int, int, int, int]:
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

    header: Box  # post number (or big numeral) and slide number
    text: Box  # headline, mark and quote
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
    big = brand.layout.number_style == "big"
    if big:
        x0, y0, x1, y1 = _ink(Path(brand.fonts.headline), big_number_size(size), "08")
        head_h = y1 - y0
    else:
        head_h = round(40 * s)
    foot_h = round(56 * s)
    gap = round(min(48 * s, SIZES[size][1] * 0.035))  # a square card cannot spare portrait's air
    if is_wide(size):  # two columns, the quote gets the right ~two thirds
        # 0.36, not 0.3: a headline's longest word ('Complementary') sets its size, and a
        # narrower column left it a label beside a quote twice its size.
        split = safe.x0 + round(safe.width * 0.36)
        # The accent bar goes under the headline (it belongs to it, not to the quote's column).
        bar = rule_height(size) if brand.layout.mark == "rule" else 0
        left = Box(safe.x0, safe.y0 + head_h + gap // 2, split, safe.y1 - foot_h - gap // 2 - bar)
        right = Box(split + round(44 * s), safe.y0, safe.x1, safe.y1)  # a clear gutter
        return CardFrame(Box(safe.x0, safe.y0, split, safe.y0 + head_h), left, right,
                         Box(safe.x0, safe.y1 - foot_h, split, safe.y1), True)
    text = Box(safe.x0, safe.y0 + head_h + gap, safe.x1, safe.y1 - foot_h - gap)
    return CardFrame(Box(safe.x0, safe.y0, safe.x1, safe.y0 + head_h), text, text,
                     Box(safe.x0, safe.y1 - foot_h, safe.x1, safe.y1), False)


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
    if brand.layout.mark == "quote":
        x0, y0, x1, y1 = _ink(Path(brand.fonts.quote), quote_mark_size(size), "\u201c")
        return y1 - y0 + round(28 * scale(size))
    return 0


# --- shared parts ---------------------------------------------------------------------------


def _x_for(c: Canvas, box: Box, width: int, rtl: bool = False) -> int:
    """Left edge of something ``width`` wide, per the template's alignment (a left-aligned
    template sets right-to-left text from the right, so its marks go there too)."""
    if c.brand.layout.align == "center":
        return box.x0 + (box.width - width) // 2
    return box.x1 - width if rtl else box.x0


def _brand_mark(c: Canvas, box: Box, text: str, rtl: bool = False) -> None:
    """Logo with a line of text beside it (handle or brand name), centred on the logo; with
    ``rtl`` mirrored (logo at the right, the start of a right-to-left line)."""
    h = box.height
    stack, size = ts.font_stack(Path(c.brand.fonts.small)), c.px(30)
    gap = c.px(18) if c.brand.logo else 0
    block = ts.layout(text, stack, size, box.width - h - gap) if text else None
    logo_w = _logo(c.brand.logo, h).width if c.brand.logo else 0
    text_w = block.width if block else 0
    x = _x_for(c, box, logo_w + gap + text_w, rtl)
    c.logo((x + text_w + gap if rtl and block else x, box.y0), h)
    if block:
        c.text(block, stack, (x if rtl else x + logo_w + gap, box.y0 + (h - block.height) // 2), "muted",
               "brand mark", width=block.width)


def _mark(c: Canvas, x_box: Box, y: int, rtl: bool = False) -> None:
    """The accent above the quote: a short bar, or a big opening quote mark."""
    kind = c.brand.layout.mark
    if kind == "rule":
        w = c.px(96)
        c.rule((_x_for(c, x_box, w, rtl), y), w, c.px(8))
    elif kind == "quote":
        # Right-to-left text opens with the mirrored mark (Arabic's ” opens a quotation).
        sign = "\u201d" if rtl else "\u201c"
        font, size = Path(c.brand.fonts.quote), quote_mark_size(c.size)
        ink = _ink(font, size, sign)
        c.glyphs(sign, font, size, (_x_for(c, x_box, ink[2] - ink[0], rtl), y), "accent", "quote mark")


# --- content card ---------------------------------------------------------------------------


def render_card(post: Post, brand: Brand, size: str, headline: ts.TextBlock, quote: ts.TextBlock,
                *, slide: tuple[int, int], room: tuple[int, int] | None = None) -> Image.Image:
    """One post's card: number, headline, mark, quote, brand mark (blocks sized by the deck).

    ``room`` is the tallest headline and quote of the deck: every card of a carousel puts its
    accent and quote at the same height, whatever its own headline's line count.
    """
    c = Canvas(brand, size, f"{size} card for post {post.n}")
    rtl = (quote.directions or ("ltr",))[0] == "rtl"
    frame = card_frame(brand, size, rtl)
    _card_number(c, frame.header, post.n, slide[1] - 2, rtl)
    _brand_mark(c, frame.footer, brand.handle or brand.name, rtl)  # as on the cover
    head_stack, quote_stack = ts.font_stack(Path(brand.fonts.headline)), ts.font_stack(Path(brand.fonts.quote))
    align, mark_h = brand.layout.align, mark_height(brand, size)
    # A story is seen alone, full screen: its own text is centred, not the deck's tallest.
    head_room, quote_room = room if room and not is_tall(size) else (headline.height, quote.height)
    if frame.side:
        y = frame.text.y0 + (frame.text.height - headline.height) // 2
        c.text(headline, head_stack, (frame.text.x0, y), brand.layout.headline_color, "headline", align=align, width=frame.text.width)
        if brand.layout.mark == "rule":  # under the headline, in its column
            _mark(c, frame.text, y + headline.height + rule_height(size) - c.px(8), rtl)
        q = frame.quote_column
        y = q.y0 + (q.height - mark_h - quote.height) // 2
        if brand.layout.mark == "rule":
            y, mark_h = q.y0 + (q.height - quote.height) // 2, 0  # centred: no bar above it
        else:
            _mark(c, q, y, rtl)
    else:
        gap = c.px(40)
        group = head_room + gap + mark_h + quote_room
        # Optical centre: a little above the middle, which reads as centred.
        top = frame.text.y0 + round((frame.text.height - group) * 0.42)
        # The headline stands on the mark: a one-line headline grows no gap, the quote stays put.
        c.text(headline, head_stack, (frame.text.x0, top + head_room - headline.height),
               brand.layout.headline_color, "headline", align=align, width=frame.text.width)
        y = top + head_room + gap
        q = frame.text
        _mark(c, q, y, rtl)
    c.text(quote, quote_stack, (q.x0, y + mark_h), "text", "quote", align=align, width=q.width)
    return c.image


def _card_number(c: Canvas, box: Box, n: int, posts: int, rtl: bool = False) -> None:
    """The card's one number: a giant '02' (number_style: big), else '2/7' with slide numbers
    on ('post 2 of 7', true whether the card is seen alone or in the carousel), else '02'.
    ``rtl`` puts it at the start of a right-to-left line: the right."""
    font = Path(c.brand.fonts.headline)
    if c.brand.layout.number_style == "big":
        text, size = f"{n:02d}", big_number_size(c.size)
        x0, _, x1, _ = _ink(font, size, text)
        c.glyphs(text, font, size, (box.x1 - (x1 - x0) if rtl else box.x0, box.y0), "accent", "post number")
        return
    counted = c.brand.layout.slide_numbers and not is_wide(c.size)  # landscape is shared alone
    stack, size = ts.font_stack(font), c.px(32)
    block = ts.layout(f"{n}/{posts}" if counted else f"{n:02d}", stack, size, box.width)
    c.text(block, stack, (_x_for(c, box, block.width, rtl), box.y0), "accent", "post number", width=block.width)


# --- cover and closing ----------------------------------------------------------------------


def render_cover(deck: Deck, brand: Brand, size: str) -> Image.Image:
    """Logo and brand, the kicker and article title, and a swipe cue."""
    c = Canvas(brand, size, f"{size} cover")
    safe = c.area
    head_h = c.px(56)
    wide = is_wide(size)  # brand mark and cue share the bottom row, the title gets the height
    rtl = ts.base_direction(deck.title) == "rtl"
    mark_box = Box(safe.x0, safe.y1 - head_h, safe.x1, safe.y1) if wide else Box(safe.x0, safe.y0, safe.x1, safe.y0 + head_h)
    # Right to left, the mark starts at the right and the cue points on to the left: on the
    # shared landscape row they must sit at opposite ends, never both on the left.
    _brand_mark(c, mark_box, brand.name, rtl)
    # The small face: display faces may map the arrow to an empty glyph (League Spartan does).
    cue_stack, cue_size = ts.font_stack(Path(brand.fonts.small)), c.px(32)
    cue = ts.layout(swipe_cue(brand, deck.title), cue_stack, cue_size, safe.width)
    if brand.layout.align == "left" or wide:  # at the reading end: right, or left for Arabic
        cue_x = safe.x0 if rtl else safe.x1 - cue.width
    else:
        cue_x = safe.x0 + (safe.width - cue.width) // 2
    cue_y = safe.y1 - (head_h + cue.height) // 2 if wide else safe.y1 - cue.height
    c.text(cue, cue_stack, (cue_x, cue_y), "accent", "swipe cue", width=cue.width)
    top = safe.y0 if wide else safe.y0 + head_h + c.px(48)
    bottom = safe.y1 - (head_h if wide else cue.height) - c.px(48)
    _cover_title(c, deck, Box(safe.x0, top, safe.x1, bottom))
    return c.image


# The cue in the article's language where postdeck knows it; a template's swipe_text wins.
SWIPE_WORDS = {"ar": "\u0627\u0633\u062d\u0628"}  # اسحب


def swipe_cue(brand: Brand, title: str) -> str:
    """The cover's swipe cue, its arrow pointing where the next slide is: left for Arabic."""
    if brand.layout.swipe_text:
        return brand.layout.swipe_text
    if ts.base_direction(title) == "rtl":
        return f"{SWIPE_WORDS.get(language_of(title), 'Swipe')} \u2190"
    return "Swipe \u2192"


def _cover_title(c: Canvas, deck: Deck, region: Box) -> None:
    brand, align = c.brand, c.brand.layout.align
    kicker = None
    gap = c.px(28)
    if deck.kicker:
        stack = ts.font_stack(Path(brand.fonts.headline))
        kicker = (ts.layout(ts.smart_typography(deck.kicker).upper(), stack, c.px(28), region.width), stack)
    used = (kicker[0].height + gap if kicker else 0) + c.px(8) + gap
    stack = ts.font_stack(Path(brand.fonts.headline))
    lo, hi = c.px(brand.layout.title_min), c.px(brand.layout.title_max)
    # Where the minimum allows, small enough that no word of the title is broken (a hyphen
    # inside a Tamil or German word on a cover reads as a mistake).
    widest = max((ts.measure(w, stack, 100) for w in deck.title.split()), default=0)
    hi = max(lo, min(hi, int(100 * region.width / widest))) if widest else hi
    title = ts.fit(ts.smart_typography(deck.title), stack, (region.width, region.height - used),
                   max_size=hi, min_size=lo, line_spacing=TITLE_SPACING)
    if title is None:
        cut = ts.words_to_cut(deck.title, stack, (region.width, region.height - used), min_size=lo, line_spacing=TITLE_SPACING)
        raise RenderError(f"cover: the article title is too long for the {c.size} cover at the minimum size "
                          f"{lo} px; cut about {cut} words in deck.yaml article.title")
    y = region.y0 + (region.height - used - title.height) // 2
    if kicker:
        c.text(kicker[0], kicker[1], (region.x0, y), "accent", "kicker", align=align, width=region.width)
        y += kicker[0].height + gap
    c.rule((_x_for(c, region, c.px(96), ts.base_direction(deck.title) == "rtl"), y), c.px(96), c.px(8))
    y += c.px(8) + gap
    c.text(title, stack, (region.x0, y), "text", "title", align=align, width=region.width)


def render_closing(brand: Brand, size: str, language: str = "en") -> Image.Image:
    """The call to action (in the deck's language when the brand gives it), with logo,
    handle and website."""
    c = Canvas(brand, size, f"{size} closing slide")
    safe = c.area
    head = ts.font_stack(Path(brand.fonts.headline))
    small = ts.font_stack(Path(brand.fonts.small))
    box = (safe.width, round(safe.height * 0.4))
    cta = ts.fit(ts.smart_typography(in_language(brand.captions.call_to_action, language)), head, box,
                 max_size=c.px(72), min_size=c.px(36), line_spacing=HEADLINE_SPACING)
    if cta is None:
        raise RenderError(f"{brand.source}: captions.call_to_action is too long for the {size} closing slide; shorten it")
    handle = ts.layout(brand.handle, head, c.px(40), safe.width) if brand.handle else None
    site = ts.layout(brand.website, small, c.px(30), safe.width) if brand.website else None
    logo_h = min(c.px(150), safe.height // 5) if brand.logo else 0
    gap = c.px(44)
    parts = [logo_h, cta.height, handle.height if handle else 0, site.height if site else 0]
    y = safe.y0 + (safe.height - sum(parts) - gap * 2 - c.px(10)) // 2
    if logo_h:
        c.logo((_x_for(c, safe, _logo(brand.logo, logo_h).width), y), logo_h)
        y += logo_h + gap
    align = brand.layout.align
    c.text(cta, head, (safe.x0, y), "text", "call to action", align=align, width=safe.width)
    y += cta.height + gap
    if handle:
        c.text(handle, head, (safe.x0, y), "accent", "handle", align=align, width=safe.width)
        y += handle.height + c.px(10)
    if site:
        c.text(site, small, (safe.x0, y), "muted", "website", align=align, width=safe.width)
    return c.image
