"""Deck + Brand -> slides as PIL images: a cover, one content card per post, a closing slide.

Pure: nothing is written here (``cardfiles.py`` saves the images). This module decides the
type sizes for the whole deck at once (one headline size and one quote size, so a carousel
does not jump), and turns text that will not fit into a RenderError naming the post;
``slides.py`` draws each slide.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NoReturn

from PIL import Image

from postdeck.brand.schema import SIZES, Brand, Color
from postdeck.cards import typeset as ts
from postdeck.cards.ends import render_closing, render_cover
from postdeck.cards.paint import ContrastError, scale, type_boost
from postdeck.cards.slides import (
    HEADLINE_SPACING,
    QUOTE_SPACING,
    CardFrame,
    card_frame,
    group_gaps,
    mark_height,
    number_height,
    render_card,
)
from postdeck.errors import RenderError, TemplateError
from postdeck.model import Deck, Post
from postdeck.text.headlines import shorter_phrases

HEADLINE_LINES = 3  # a headline longer than this at its minimum size is an error


@dataclass(frozen=True)
class Slide:
    """One drawn slide of a carousel, ready to be saved as card files."""

    name: str  # file stem, in posting order: '00-cover', '01'..'07', '08-closing'
    kind: str  # 'cover' | 'card' | 'closing'
    image: Image.Image
    post: int | None = None  # Post.n for content cards
    photo: bool = False  # drawn on a photo: its PNG is packed differently (cardfiles.encode_png)


# --- the deck ---------------------------------------------------------------------------------


def render_deck(deck: Deck, brand: Brand, size: str) -> list[Slide]:
    """Every slide of the carousel at one size, in posting order."""
    return list(iter_slides(deck, brand, size))


def slide_names(deck: Deck) -> list[str]:
    """Every slide's file stem, in posting order: '00-cover', '01'..'07', '08-closing'."""
    total = len(deck.posts) + 2
    return ["00-cover", *(f"{i:02d}" for i in range(1, total - 1)), f"{total - 1:02d}-closing"]


def iter_slides(deck: Deck, brand: Brand, size: str, numbers: Iterable[int] | None = None) -> Iterator[Slide]:
    """The slides one by one, so each can be saved while the next is drawn: all of them in
    posting order, or those ``numbers`` names (0 is the cover), each drawn when its number
    comes (``parallel`` hands out numbers as processes are free to draw).

    Before the first content card, the cards' sizes are settled for the whole deck: text that
    will not fit fails before any card.
    """
    names, photo = slide_names(deck), brand.background.style == "image"
    total = len(names)
    texts: list[tuple[ts.TextBlock, ts.TextBlock]] = []
    for i in range(total) if numbers is None else numbers:
        if i == 0:
            yield Slide(names[0], "cover", render_cover(deck, brand, size, total), photo=photo)
        elif i == total - 1:
            yield Slide(names[i], "closing", render_closing(brand, size, i, deck.language or "en"), photo=photo)
        else:
            texts = texts or card_texts(deck, brand, size)
            post = deck.posts[i - 1]
            yield Slide(names[i], "card", render_card(post, brand, size, *texts[i - 1], slide=(i, total)), post.n, photo)


def card_texts(deck: Deck, brand: Brand, size: str) -> list[tuple[ts.TextBlock, ts.TextBlock]]:
    """Headline and quote blocks for every content card, sized together so the deck is even.

    Headlines share one size; quotes share one size too unless the template says otherwise.
    A quote or headline that will not fit at the minimum size is a RenderError naming the post.
    """
    frame, lay, s = card_frame(brand, size), brand.layout, scale(size)
    head_stack, quote_stack = ts.font_stack(Path(brand.fonts.headline)), ts.font_stack(Path(brand.fonts.quote))
    heads = [ts.smart_typography(p.headline) for p in deck.posts]
    quotes = [ts.smart_typography(p.quote) for p in deck.posts]
    head_boost, quote_boost = type_boost(size)
    hmin, hmax = round(lay.headline_min * s), round(lay.headline_max * s * head_boost)
    led = lay.lead == "headline"
    hsize, head_box = _headline_size(heads, head_stack, frame, hmin, hmax, led)
    if hsize is None:
        lines = None if frame.side else HEADLINE_LINES + led  # the same limit the size search used
        _too_long(deck, heads, "headline", head_stack, head_box, hmin, HEADLINE_SPACING, size, lines)
    head_blocks = [ts.layout(t, head_stack, hsize, head_box[0], line_spacing=HEADLINE_SPACING) for t in heads]
    quote_box = _quote_box(frame, brand, size, max(b.height for b in head_blocks))
    qmin, qmax = round(lay.quote_min * s), round(lay.quote_max * s * quote_boost)
    if lay.lead == "headline" and round(hsize * LED_QUOTE) >= qmin:  # the quote clearly second
        qmax = min(qmax, round(hsize * LED_QUOTE))
    # (Headlines too long to be set large, as long Tamil words make them, cannot lead: the quote
    # then fills the card rather than sitting at its minimum under half a card of air.)
    elif frame.side:  # beside a headline kept clear of lone words, a quote no more than a step larger
        qmax = max(qmin, min(qmax, int(hsize / SIDE_HEADLINE)))
    quote_blocks = _quote_blocks(deck, quotes, quote_stack, quote_box, qmin, qmax, lay.shared_quote_size, size)
    return list(zip(head_blocks, quote_blocks))


def fitting_headline(headline: str, brand: Brand, sizes: tuple[str, ...]) -> str:
    """``headline``, or the longest shorter phrase of it (``shorter_phrases``) that fits every
    card size at the minimum headline size: a long heading is shortened before it is an error."""
    options = [headline, *shorter_phrases(headline)]
    return next((h for h in options if all(headline_fits(h, brand, size) for size in sizes)), headline)


def headline_fits(headline: str, brand: Brand, size: str) -> bool:
    """Whether the headline fits its card at the template's minimum headline size."""
    frame, hmin = card_frame(brand, size), round(brand.layout.headline_min * scale(size))
    stack = ts.font_stack(Path(brand.fonts.headline))
    lines = None if frame.side else HEADLINE_LINES
    box = (frame.text.width, frame.text.height if frame.side else round(hmin * HEADLINE_SPACING * HEADLINE_LINES))
    return ts.fit(ts.smart_typography(headline), stack, box, max_size=hmin, min_size=hmin,
                  line_spacing=HEADLINE_SPACING, max_lines=lines) is not None


LED_QUOTE = 0.62  # a headline-led card's quote at most this share of the headline's size
SIDE_HEADLINE = 0.85  # landscape: the headline at least this share of the quote's size


def _headline_size(heads: list[str], stack: ts.FontStack, frame: CardFrame, hmin: int, hmax: int,
                   led: bool = False) -> tuple[int | None, tuple[int, int]]:
    """One headline size for the deck: the largest at which every headline takes at most two
    lines (leaving the quote its room), else at most three (a headline that leads the card:
    three, else four); and, where the minimum allows, small enough that no word of a headline
    has to be broken."""
    hmax = max(hmin, min(hmax, _unbroken_size(heads, stack, frame.text.width)))
    if frame.side:
        box = (frame.text.width, frame.text.height)
        return ts.shared_size(heads, stack, box, max_size=hmax, min_size=hmin, line_spacing=HEADLINE_SPACING), box
    for lines in (2 + led, HEADLINE_LINES + led):
        box = (frame.text.width, round(hmax * HEADLINE_SPACING * lines))
        size = ts.shared_size(heads, stack, box, max_size=hmax, min_size=hmin,
                              line_spacing=HEADLINE_SPACING, max_lines=lines)
        if size is not None:
            return size, box
    return None, box


def _unbroken_size(texts: list[str], stack: ts.FontStack, width: int) -> int:
    """The largest size at which the longest word of every text fits the width."""
    ref = 100  # widths scale with size, so one measurement per word is enough
    widest = max((ts.measure(word[:1000], stack, ref) for t in texts for word in ts.unbreakable_words(t)), default=0)
    return int(ref * width / widest) if widest else 10_000


def _quote_box(frame: CardFrame, brand: Brand, size: str, headline_h: int) -> tuple[int, int]:
    mark = mark_height(brand, size)
    if frame.side:
        return frame.quote_column.width, frame.quote_column.height - mark
    number_gap, head_gap = group_gaps(brand, size)
    above = number_height(brand, size) + number_gap + headline_h + head_gap + mark
    return frame.text.width, frame.text.height - above


def _quote_blocks(deck: Deck, quotes: list[str], stack: ts.FontStack, box: tuple[int, int],
                  qmin: int, qmax: int, shared: bool, size: str) -> list[ts.TextBlock]:
    if shared:
        qsize = ts.shared_size(quotes, stack, box, max_size=qmax, min_size=qmin, line_spacing=QUOTE_SPACING)
        if qsize is None:
            _too_long(deck, quotes, "quote", stack, box, qmin, QUOTE_SPACING, size)
        return [ts.layout(q, stack, qsize, box[0], line_spacing=QUOTE_SPACING) for q in quotes]
    blocks = [ts.fit(q, stack, box, max_size=qmax, min_size=qmin, line_spacing=QUOTE_SPACING) for q in quotes]
    if any(b is None for b in blocks):
        _too_long(deck, quotes, "quote", stack, box, qmin, QUOTE_SPACING, size)
    return blocks  # type: ignore[return-value]


def _too_long(deck: Deck, texts: list[str], field: str, stack: ts.FontStack, box: tuple[int, int],
              min_size: int, spacing: float, size: str, max_lines: int | None = None) -> NoReturn:
    for i, text in enumerate(texts, 1):
        cut = ts.words_to_cut(text, stack, box, min_size=min_size, line_spacing=spacing, max_lines=max_lines)
        if cut > 0:
            raise RenderError(
                f"post {i}: {field} is too long for the {size} card at the minimum size {min_size} px"
                + (f" (at most {max_lines} lines)" if max_lines else "")
                + f"; {ts.cut_advice(text, cut)} in deck.yaml posts[{i}].{field}"
            )
    # Not expected (each text alone fits, so they fit together); still name the likeliest post.
    i = max(range(len(texts)), key=lambda k: len(texts[k])) + 1
    raise RenderError(f"post {i}: {field} does not fit the {size} card beside the others; "
                      f"shorten deck.yaml posts[{i}].{field}")


def sample_deck(title: str, kicker: str, slug: str, posts: list[tuple[str, str]]) -> Deck:
    """A deck for ``check``: posts from (headline, quote) pairs, each quote also its body."""
    return Deck(title=title, kicker=kicker, source="(sample)", slug=slug,
                posts=tuple(Post(n=i, headline=h, quote=q, body=q) for i, (h, q) in enumerate(posts, 1)))


SAMPLE = sample_deck("Seven Small Habits That Make a Big Difference to Your Week", "Sample article", "sample", [
    ("Start the Day Without Your Phone", "The first ten minutes of the morning set the tone for the next ten hours, so spend them on something you chose."),
    ("Walk After Lunch", "A short walk after eating steadies your energy for the afternoon."),
    ("Write Down Three Priorities", "A short list you can finish beats a long one you cannot, and it tells you when to stop for the day."),
])


def check_brand(brand: Brand, out: Path | None = None) -> list[str]:
    """Render a sample deck at every size, so contrast and safe-area rules run on real pixels.

    Every colour too faint somewhere is reported at once, one line each: raises TemplateError
    (contrast, or text that will not fit). With ``out``, the sample cards of a template that
    passes are saved there (``01-portrait.png``, ...) for a person to look at.
    """
    problems: dict[str, str] = {}  # colour key -> its first measured problem
    stand_in: dict[str, int] = {}  # colour key -> index into STAND_INS
    for size in SIZES:
        # The right-to-left sample mirrors the cover (mark, cue): a collision shows up here.
        slides = [*_sample_slides(brand, size, problems, stand_in),
                  *_sample_slides(brand, size, problems, stand_in, RTL_SAMPLE)]
        if out is not None and not problems:
            out.mkdir(parents=True, exist_ok=True)
            for slide in slides:
                slide.image.save(out / f"{slide.name}-{size}.png")
    if problems:
        raise TemplateError("\n".join(problems.values()))
    return list(SIZES)


# Arabic: right to left, so the check also draws the mirrored cover and cards.
RTL_SAMPLE = sample_deck("ثلاث عادات صغيرة تصنع فرقاً كبيراً", "Arabic sample article", "rtl", [
    ("امشِ بعد الغداء", "المشي القصير بعد الأكل يمنحك طاقة ثابتة لبقية اليوم."),
    ("اكتب ثلاث أولويات", "قائمة قصيرة تستطيع إنهاءها أفضل من قائمة طويلة لا تنتهي."),
])

STAND_INS = ("#000000", "#ffffff")  # tried in turn for a colour that failed, to measure the rest


def _sample_slides(brand: Brand, size: str, problems: dict[str, str], stand_in: dict[str, int],
                   sample: Deck = SAMPLE) -> list[Slide]:
    """The sample deck at one size; a colour that fails contrast is noted in ``problems`` and
    stood in for, so the other colours are still measured in this same run."""
    while True:
        colors = {key.removeprefix("colors."): Color(STAND_INS[i]) for key, i in stand_in.items()}
        try:
            slides = render_deck(sample, replace(brand, colors=replace(brand.colors, **colors)), size)
            return [replace(s, name=f"{sample.slug}-{s.name}") for s in slides] if sample is not SAMPLE else slides
        except ContrastError as e:
            problems.setdefault(e.key, str(e))
            stand_in[e.key] = stand_in.get(e.key, -1) + 1
            if not e.key.startswith("colors.") or stand_in[e.key] >= len(STAND_INS):
                raise TemplateError("\n".join(problems.values())) from None  # nothing to stand in
        except RenderError as e:  # the sample's text is ordinary: the template's sizes are too big
            raise TemplateError(f"{brand.source}: a sample deck{'' if sample is SAMPLE else ' in Arabic'} does not fit the {size} card ({e}); "
                                "lower the layout sizes or the margin") from None
