"""The carousel's two ends: the cover (a hook that stops the scroll: a leading number large in
the accent colour, the title, the brand, a swipe cue) and the closing slide (the call to action,
the web address large enough to type from, a save-and-share nudge, the logo)."""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image

from postdeck.brand.schema import Brand
from postdeck.cards import typeset as ts
from postdeck.cards.assets import logo_at
from postdeck.cards.paint import Box, is_wide
from postdeck.cards.slides import HEADLINE_SPACING, TITLE_SPACING, Canvas, brand_mark, ink_box, progress, x_for
from postdeck.errors import RenderError
from postdeck.model import Deck, in_language
from postdeck.text.sentences import language_of
from postdeck.text.wording import swipe_word

CUE_SIZE = 40  # px: the swipe cue reads at a glance on a phone (it was 32 and looked like a footnote)
HOOK_SHARE = 0.26  # of the title region's height: the cover's leading number, as large as that
# A title that opens with a count ('7 Ways ...', '10 Tips ...'): the count is the hook.
_HOOK = re.compile(r"^([0-9]{1,3})\s+(\S.*)$", re.S)


def title_hook(title: str) -> tuple[str, str] | None:
    """('7', 'Ways to ...') when a left-to-right title opens with a count, else None."""
    m = _HOOK.match(title.strip())
    return (m[1], m[2]) if m and ts.base_direction(title) == "ltr" else None


def render_cover(deck: Deck, brand: Brand, size: str, slides: int = 0) -> Image.Image:
    """Logo and brand, the kicker and article title (its count as the hook), and a swipe cue."""
    c = Canvas(brand, size, f"{size} cover")
    safe = c.area
    head_h = c.px(56)
    wide = is_wide(size)  # brand mark and cue share the bottom row, the title gets the height
    rtl = ts.base_direction(deck.title) == "rtl"
    mark_box = Box(safe.x0, safe.y1 - head_h, safe.x1, safe.y1) if wide else Box(safe.x0, safe.y0, safe.x1, safe.y0 + head_h)
    # Right to left, the mark starts at the right and the cue points on to the left: on the
    # shared landscape row they must sit at opposite ends, never both on the left.
    brand_mark(c, mark_box, brand.name, rtl)
    if slides and not wide:
        progress(c, Box(safe.x0, mark_box.y1 + c.px(24), safe.x1, mark_box.y1 + c.px(40)), (0, slides), rtl)
    # The small face: display faces may map the arrow to an empty glyph (League Spartan does).
    cue_stack, cue_size = ts.font_stack(Path(brand.fonts.small)), c.px(CUE_SIZE)
    cue = ts.layout(swipe_cue(brand, deck.title, deck.language), cue_stack, cue_size, safe.width)
    if brand.layout.align == "left" or wide:  # at the reading end: right, or left for Arabic
        cue_x = safe.x0 if rtl else safe.x1 - cue.width
    else:
        cue_x = safe.x0 + (safe.width - cue.width) // 2
    cue_y = safe.y1 - (head_h + cue.height) // 2 if wide else safe.y1 - cue.height
    c.text(cue, cue_stack, (cue_x, cue_y), "accent", "swipe cue", width=cue.width)
    top = safe.y0 if wide else safe.y0 + head_h + c.px(88 if slides else 48)
    bottom = safe.y1 - (head_h if wide else cue.height) - c.px(48)
    _cover_title(c, deck, Box(safe.x0, top, safe.x1, bottom))
    return c.image


def swipe_cue(brand: Brand, title: str, language: str | None = None) -> str:
    """The cover's swipe cue in the article's language (a template's swipe_text wins), its
    arrow pointing where the next slide is: left for a right-to-left title."""
    if brand.layout.swipe_text:
        return brand.layout.swipe_text
    rtl = ts.base_direction(title) == "rtl"
    word = swipe_word(language or language_of(title))
    return f"{word} \u2190" if rtl else f"{word} \u2192"


def _cover_title(c: Canvas, deck: Deck, region: Box) -> None:
    """Kicker, bar, the hook number and the title, as one group filling the region: the title
    takes the largest size that fits, so a short title does not leave the lower third empty."""
    brand, align = c.brand, c.brand.layout.align
    rtl = ts.base_direction(deck.title) == "rtl"
    stack, gap = ts.font_stack(Path(brand.fonts.headline)), c.px(32)
    kicker = ts.layout(ts.smart_typography(deck.kicker).upper(), stack, c.px(28), region.width) if deck.kicker else None
    used = (kicker.height + gap if kicker else 0) + c.px(8) + gap
    hook = title_hook(deck.title)
    hook_size = _hook_size(c, hook[0], region) if hook else 0
    if hook and hook_size:
        x0, y0, x1, y1 = ink_box(Path(brand.fonts.headline), hook_size, hook[0])
        used += y1 - y0 + gap
    text = hook[1] if hook and hook_size else deck.title
    title = _fit_title(c, text, stack, Box(region.x0, region.y0, region.x1, region.y1 - used))
    y = region.y0 + round((region.height - used - title.height) * 0.5)
    if kicker:
        c.text(kicker, stack, (region.x0, y), "accent", "kicker", align=align, width=region.width)
        y += kicker.height + gap
    c.rule((x_for(c, region, c.px(96), rtl), y), c.px(96), c.px(8))
    y += c.px(8) + gap
    if hook and hook_size:
        w, h = c.glyphs(hook[0], Path(brand.fonts.headline), hook_size,
                        (x_for(c, region, x1 - x0, rtl), y), "accent", "title's number")
        y += h + gap
    # Where the count has no line of its own (landscape), it still stands out in the accent.
    count = frozenset([hook[0]]) if hook and not hook_size else frozenset()
    c.text(title, stack, (region.x0, y), "text", "title", align=align, width=region.width, emphasis=count)


def _hook_size(c: Canvas, number: str, region: Box) -> int:
    """The hook number's size: its ink HOOK_SHARE of the region's height (0 where the region is
    too short for a hook and a title, as on landscape)."""
    if is_wide(c.size):
        return 0
    font = Path(c.brand.fonts.headline)
    x0, y0, x1, y1 = ink_box(font, 100, number)
    return max(0, round(100 * region.height * HOOK_SHARE / max(1, y1 - y0)))


def _fit_title(c: Canvas, title: str, stack: ts.FontStack, region: Box) -> ts.TextBlock:
    lo = c.px(c.brand.layout.title_min)
    hi = unbroken_size(title, stack, region.width, lo, c.px(c.brand.layout.title_max))
    block = ts.fit(ts.smart_typography(title), stack, (region.width, region.height),
                   max_size=hi, min_size=lo, line_spacing=TITLE_SPACING)
    if block is None:
        cut = ts.words_to_cut(title, stack, (region.width, region.height), min_size=lo, line_spacing=TITLE_SPACING)
        raise RenderError(f"cover: the article title is too long for the {c.size} cover at the minimum size "
                          f"{lo} px; {ts.cut_advice(title, cut)} in deck.yaml article.title")
    return block


def render_closing(brand: Brand, size: str, slide: int = 0, language: str = "en") -> Image.Image:
    """The logo, the call to action, the web address large (to read and type), the handle,
    and a save-and-share nudge at the foot; the words in the deck's language where the brand
    gives them in it."""
    c = Canvas(brand, size, f"{size} closing slide", slide)
    safe = c.area
    head, small = ts.font_stack(Path(brand.fonts.headline)), ts.font_stack(Path(brand.fonts.small))
    words = in_language(brand.layout.nudge, language)
    nudge = ts.layout(words, small, c.px(30), safe.width) if words else None
    if nudge:
        # Right-to-left words start at the right, as the call to action above them does.
        c.text(nudge, small, (x_for(c, safe, nudge.width, ts.base_direction(words) == "rtl"), safe.y1 - nudge.height),
               "muted", "save and share nudge", width=nudge.width)
    room = Box(safe.x0, safe.y0, safe.x1, safe.y1 - (nudge.height + c.px(48) if nudge else 0))
    action = in_language(brand.captions.call_to_action, language)
    rtl = ts.base_direction(action) == "rtl"
    cta = ts.fit(ts.smart_typography(action), head, (room.width, round(room.height * 0.4)),
                 max_size=unbroken_size(action, head, room.width, c.px(36), c.px(72)), min_size=c.px(36),
                 line_spacing=HEADLINE_SPACING)
    if cta is None:
        raise RenderError(f"{brand.source}: captions.call_to_action is too long for the {size} closing slide; shorten it")
    address = web_address(brand.website)
    site = ts.fit(address, head, (room.width, c.px(120)), max_size=c.px(56), min_size=c.px(30),
                  line_spacing=HEADLINE_SPACING) if address else None
    handle = ts.layout(brand.handle, small, c.px(34), room.width) if brand.handle else None
    logo_h = min(c.px(150), room.height // 5) if brand.logo else 0
    gap, small_gap = c.px(48), c.px(16)
    parts = [logo_h + gap if logo_h else 0, cta.height, gap, site.height if site else 0,
             small_gap + handle.height if handle else 0]
    y = room.y0 + round((room.height - sum(parts)) * 0.45)
    if logo_h:
        logo_w = logo_at(brand.logo, logo_h, room.width).width  # above a right-to-left call to action: at the right
        c.logo((x_for(c, room, logo_w, rtl), y), logo_h, room.width)
        y += logo_h + gap
    align = brand.layout.align
    c.text(cta, head, (room.x0, y), "text", "call to action", align=align, width=room.width)
    y += cta.height + gap
    # The address and handle are Latin, but line up with the right-to-left words above them.
    follow = "right" if align == "left" and rtl else align
    if site:
        c.text(site, head, (room.x0, y), "accent", "website", align=follow, width=room.width)
        y += site.height + small_gap
    if handle:
        c.text(handle, small, (room.x0, y), "muted", "handle", align=follow, width=room.width)
    return c.image


def unbroken_size(text: str, stack: ts.FontStack, width: int, lo: int, hi: int) -> int:
    """The largest size up to ``hi`` at which no word of ``text`` is wider than ``width``, where
    ``lo`` allows: a hyphen inside a Tamil, German or Thai word on a slide reads as a mistake."""
    widest = max((ts.measure(w[:1000], stack, 100) for w in ts.unbreakable_words(text)), default=0)  # wider is no card's
    return max(lo, min(hi, int(100 * width / widest))) if widest else hi


def web_address(website: str) -> str:
    """The website as a person types it: no scheme, no 'www.', no trailing slash."""
    return re.sub(r"^(?:https?://)?(?:www\.)?", "", website.strip()).rstrip("/")
