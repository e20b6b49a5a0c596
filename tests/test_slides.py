"""Slide layout rules a carousel reader sees: parts that stay put from card to card, the accent
bar beside its headline, one number per card, right-to-left covers and a brand's own logo."""

from __future__ import annotations

from dataclasses import replace

import pytest

from PIL import Image, ImageChops

from postdeck.brand.schema import load_brand, rgb
from postdeck.model import Deck, Post
from postdeck.cards.paint import background
from postdeck.cards.render import render_deck
from postdeck.cards.ends import swipe_cue
from postdeck.cards.slides import card_frame

DECK = Deck(
    title="Three Habits for a Calmer Week",
    source="test",
    slug="test",
    posts=(
        Post(n=1, headline="Why now?", quote="Short walks after lunch steady your energy for the afternoon.", body=""),
        Post(n=2, headline="A much longer headline that takes two full lines on a portrait card",
             quote="A short list you can finish beats a long one you cannot, and it tells you when to stop.", body=""),
        Post(n=3, headline="Rest", quote="Sleep is when the day's learning settles.", body=""),
    ),
)


def bar_box(image: Image.Image, color: str) -> tuple[int, int, int, int] | None:
    """Where the accent bar is: rows holding a long run of exactly the accent colour (text in
    the accent colour is anti-aliased and thin, so it never makes such rows)."""
    mask = Image.new("L", image.size, 0)
    target = rgb(color)
    px, out = image.convert("RGB").load(), mask.load()
    for y in range(image.height):
        row = [x for x in range(image.width) if px[x, y] == target]
        if len(row) >= 60:
            for x in row:
                out[x, y] = 255
    return mask.getbbox()


def ink_bands(image: Image.Image, ground: Image.Image, box) -> list[tuple[int, int]]:
    """Runs of rows (top, bottom) inside ``box`` where the card has ink over its ground."""
    mask = ImageChops.difference(image.convert("RGB"), ground.convert("RGB")).convert("L").point(lambda v: 255 if v > 40 else 0)
    bands: list[tuple[int, int]] = []
    for y in range(box.y0, box.y1):
        if mask.crop((box.x0, y, box.x1, y + 1)).getbbox():
            if bands and bands[-1][1] == y:
                bands[-1] = (bands[-1][0], y + 1)
            else:
                bands.append((y, y + 1))
    return bands


@pytest.mark.parametrize("template", ["default", "bold", "clinic"])
def test_cards_keep_one_rhythm_and_sit_in_the_middle(template: str) -> None:
    # The number-to-headline step is the same on every card whatever the headline's length,
    # and the group is optically centred: no empty band of a third of the card under it.
    brand = load_brand(template)
    frame = card_frame(brand, "portrait")
    steps = []
    for n, slide in enumerate(render_deck(DECK, brand, "portrait")):
        if slide.kind != "card":
            continue
        bands = ink_bands(slide.image, background(brand, "portrait", n), frame.text)
        steps.append(bands[1][0] - bands[0][0])  # number's top to the headline's top
        above, below = bands[0][0] - frame.text.y0, frame.text.y1 - bands[-1][1]
        assert abs(below - above * 58 / 42) <= 24, (slide.name, above, below)  # 42% of the air above
    assert max(steps) - min(steps) <= 4, steps  # capitals' ink differs by a pixel or two


def test_landscape_accent_bar_sits_under_the_headline_in_its_column() -> None:
    brand = load_brand("default")
    frame = card_frame(brand, "landscape")
    for slide in render_deck(DECK, brand, "landscape"):
        if slide.kind == "card":
            bar = bar_box(slide.image, brand.colors.accent)
            assert bar is not None and frame.text.x0 <= bar[0] and bar[2] <= frame.text.x1, bar
            # below the headline: the column's text is above the bar
            above = slide.image.crop((frame.text.x0, frame.text.y0, frame.text.x1, bar[1]))
            assert above.convert("L").getextrema()[0] < 100  # dark headline ink above the bar


def test_a_card_carries_one_number() -> None:
    # '02' or '2/3' on the left; no second counter ('3/5') at the right of the header.
    for name in ("default", "bold", "photo", "clinic"):
        brand = load_brand(name)
        card = next(s.image for s in render_deck(DECK, brand, "portrait") if s.kind == "card")
        h = card_frame(brand, "portrait").header
        right = (h.x0 + h.width * 2 // 3, h.y0, h.x1, h.y1)
        diff = ImageChops.difference(card.crop(right), background(brand, "portrait").crop(right))
        assert diff.convert("L").point(lambda v: 255 if v > 24 else 0).getbbox() is None, name


def test_right_to_left_cover_cue_points_left_and_a_template_may_word_it() -> None:
    brand = load_brand("default")
    assert swipe_cue(brand, "Seven habits") == "Swipe \u2192"
    assert swipe_cue(brand, "\u0633\u0628\u0639 \u0639\u0627\u062f\u0627\u062a").endswith("\u2190")
    own = replace(brand, layout=replace(brand.layout, swipe_text="Glissez \u2192"))
    assert swipe_cue(own, "Sept habitudes") == "Glissez \u2192"


def test_the_swipe_cue_follows_the_article_language() -> None:
    """A Spanish deck's cover said "Swipe →" (issue 9: the words postdeck adds follow the
    article's language)."""
    brand = load_brand("default")
    assert swipe_cue(brand, "Siete hábitos", "es") == "Desliza \u2192"
    assert swipe_cue(brand, "七つの習慣", "ja") == "スワイプ \u2192"
    assert swipe_cue(brand, "Seven habits", "xx") == "Swipe \u2192"


def test_right_to_left_cover_puts_the_cue_at_the_left() -> None:
    brand = load_brand("default")
    arabic = replace(DECK, title="\u0633\u0628\u0639 \u0639\u0627\u062f\u0627\u062a \u0644\u0623\u0633\u0628\u0648\u0639 \u0623\u0647\u062f\u0623")
    cover = render_deck(arabic, brand, "portrait")[0].image
    bottom = cover.crop((0, cover.height - 200, cover.width, cover.height - 80))
    accent = rgb(brand.colors.accent)
    near = ImageChops.difference(bottom, Image.new("RGB", bottom.size, accent)).convert("L")
    cue = near.point(lambda v: 255 if v < 40 else 0).getbbox()
    assert cue is not None and cue[2] < cover.width // 2  # the cue's ink is on the left half


def test_photo_template_has_its_own_logo() -> None:
    assert load_brand("photo").logo != load_brand("bold").logo


def accent_ink(image: Image.Image, color: str, box=None) -> tuple[int, int, int, int] | None:
    """The box of pixels within 12 levels of the accent colour (inside ``box``, in image
    coordinates)."""
    crop = image.convert("RGB").crop(box or (0, 0, image.width, image.height))
    near = ImageChops.difference(crop, Image.new("RGB", crop.size, rgb(color))).convert("L")
    found = near.point(lambda v: 255 if v < 12 else 0).getbbox()
    if found is None or box is None:
        return found
    return found[0] + box[0], found[1] + box[1], found[2] + box[0], found[3] + box[1]


def test_a_big_numeral_is_centred_with_the_rest_of_a_centred_card() -> None:
    bold = load_brand("bold")
    brand = replace(bold, layout=replace(bold.layout, align="center", progress="none"))
    card = render_deck(DECK, brand, "portrait")[1].image
    frame = card_frame(brand, "portrait")
    top = ink_bands(card, background(brand, "portrait", 1), frame.text)[0]
    number = accent_ink(card, brand.colors.accent, (0, top[0], card.width, top[1]))
    assert number is not None
    middle = (number[0] + number[2]) / 2
    assert abs(middle - (frame.text.x0 + frame.text.x1) / 2) <= 4, number


def test_a_headline_led_card_puts_the_headline_first_in_size() -> None:
    from postdeck.cards.render import card_texts

    brand = load_brand("bold")  # a listicle look: lead: headline
    for head, quote in card_texts(DECK, brand, "portrait"):
        assert head.size >= quote.size * 1.5, (head.size, quote.size)


def test_the_cover_sets_a_leading_count_large_in_the_accent_colour() -> None:
    brand = load_brand("default")
    deck = replace(DECK, title="7 Ways to a Calmer Week")
    cover = render_deck(deck, brand, "portrait")[0].image
    hook = accent_ink(cover, brand.colors.accent, (0, 300, cover.width, cover.height - 200))
    assert hook is not None and hook[3] - hook[1] >= 200, hook  # a numeral a fifth of the card high
    plain = render_deck(replace(deck, title="Ways to a Calmer Week"), brand, "portrait")[0].image
    found = accent_ink(plain, brand.colors.accent, (0, 300, plain.width, plain.height - 200))
    assert found is None or found[3] - found[1] < 60  # only the bar: no count, no hook


def test_the_swipe_cue_is_large_enough_to_see() -> None:
    brand = load_brand("default")
    cover = render_deck(DECK, brand, "portrait")[0].image
    cue = accent_ink(cover, brand.colors.accent, (cover.width // 2, cover.height - 160, cover.width, cover.height))
    assert cue is not None and cue[3] - cue[1] >= 28 and cue[2] - cue[0] >= 140, cue


def test_the_closing_shows_the_web_address_large_and_a_nudge() -> None:
    from postdeck.cards.ends import web_address
    from postdeck.model import in_language

    brand = load_brand("clinic")
    closing = render_deck(DECK, brand, "portrait")[-1].image
    site = accent_ink(closing, brand.colors.accent, (0, 400, closing.width, closing.height - 150))
    assert site is not None and site[3] - site[1] >= 40, site  # cap height ~40 px: a 56 px face
    assert web_address("https://www.example.org/") == "example.org"
    muted = ImageChops.difference(closing.convert("RGB").crop((0, closing.height - 160, closing.width, closing.height - 80)),
                                  background(brand, "portrait", 4).crop((0, closing.height - 160, closing.width, closing.height - 80)))
    assert muted.convert("L").point(lambda v: 255 if v > 40 else 0).getbbox() is not None  # the nudge at the foot
    assert in_language(brand.layout.nudge, "en") == "Save this post \u00b7 Share it with a friend"  # the default


def test_no_decorative_quote_mark_before_a_quote_with_its_own() -> None:
    brand = load_brand("clinic")  # mark: quote
    own = replace(DECK, posts=(replace(DECK.posts[0], quote="\u201cRest is part of the work,\u201d she said."),))
    plain = replace(DECK, posts=(DECK.posts[0],))
    frame = card_frame(brand, "portrait")

    def accent_rows(deck: Deck) -> list[tuple[int, int]]:
        card = render_deck(deck, brand, "portrait")[1].image
        found = accent_ink(card, brand.colors.accent, (frame.text.x0, frame.text.y0, frame.text.x1, frame.text.y1))
        return found

    mark = accent_rows(plain)
    assert mark is not None and mark[3] - mark[1] > 40  # the big quote sign
    found = accent_rows(own)
    assert found is None or found[3] - found[1] < 40, found  # only the small number is accent


def test_an_opening_quote_mark_hangs_in_the_margin() -> None:
    brand = load_brand("default")  # left-aligned
    deck = replace(DECK, posts=(replace(DECK.posts[0], quote="\u201cRest is part of the work,\u201d she said, \u201cnot a pause in it.\u201d"),))
    card = render_deck(deck, brand, "portrait")[1].image
    frame = card_frame(brand, "portrait")
    bands = ink_bands(card, background(brand, "portrait", 1), frame.text)
    drawn = ImageChops.difference(card.convert("RGB"), background(brand, "portrait", 1)).convert("L").point(lambda v: 255 if v > 40 else 0)
    headline = drawn.crop((0, bands[1][0], card.width, bands[1][1])).getbbox()
    quote_first = drawn.crop((0, bands[3][0], card.width, bands[3][1])).getbbox()  # number, headline, bar, quote
    second = drawn.crop((0, bands[4][0], card.width, bands[4][1])).getbbox()
    assert quote_first[0] < headline[0] - 8, (quote_first, headline)  # the mark stands out in the margin
    assert abs(second[0] - headline[0]) <= 6, (second, headline)  # the letters line up


def test_highlight_picks_the_quote_words_that_echo_the_headline() -> None:
    from postdeck.cards.emphasis import echoes

    assert echoes("Minimizes Pain Without Medication",
                  "It reduces reliance on medications and triggers the body's own painkillers.") == {"medications", "painkillers"}
    assert echoes("Why now?", "Sleep is when the day's learning settles.") == frozenset()


def test_highlighted_words_are_drawn_in_the_accent_colour() -> None:
    editorial = load_brand("editorial")  # highlight: true
    deck = replace(DECK, posts=(replace(DECK.posts[0], headline="Walk after lunch",
                                        quote="A short walk after eating steadies your energy for the afternoon."),))
    frame = card_frame(editorial, "portrait")

    def accent_in_quote(brand) -> tuple[int, int, int, int] | None:
        card = render_deck(deck, brand, "portrait")[1].image
        quote_top = ink_bands(card, background(brand, "portrait", 1), frame.text)[-1][0] - 120
        return accent_ink(card, brand.colors.accent, (frame.text.x0, quote_top, frame.text.x1, frame.text.y1))

    on = accent_in_quote(editorial)
    assert on is not None and on[3] - on[1] >= 20, on  # 'walk' in the accent colour (not just the bar)
    off = accent_in_quote(replace(editorial, layout=replace(editorial.layout, highlight=False)))
    assert off is None or off[3] - off[1] <= 10, off  # the accent bar above the quote only


def test_progress_dots_move_with_the_slide() -> None:
    base = load_brand("default")
    brand = replace(base, layout=replace(base.layout, progress="dots"))
    frame = card_frame(brand, "portrait")
    row = (frame.header.x0, frame.header.y0, frame.header.x1, frame.header.y1)
    lefts = [accent_ink(s.image, brand.colors.accent, row)[0] for s in render_deck(DECK, brand, "portrait") if s.kind == "card"]
    assert lefts == sorted(lefts) and len(set(lefts)) == len(lefts), lefts  # the filled dot steps right


def test_the_shape_runs_on_from_one_slide_to_the_next() -> None:
    brand = load_brand("blocks")  # alternate colour blocks, discs on the edges between slides

    def shaded(slide: int, x: int) -> list[bool]:
        ground = background(brand, "portrait", slide)
        plain = rgb(brand.background.alternate if slide % 2 else brand.colors.background)
        return [ground.getpixel((x, y)) != plain for y in range(ground.height)]

    for i in range(3):
        assert shaded(i, 1079) == shaded(i + 1, 0)  # the disc's two halves meet at the edge
        assert any(shaded(i, 1079))
    assert background(brand, "portrait", 0).getpixel((540, 675)) != background(brand, "portrait", 1).getpixel((540, 675))


def test_a_later_line_that_opens_with_a_quote_mark_may_hang_too() -> None:
    # A Tamil quote broke before '"பதிவிறக்க"': only the first line was allowed to hang.
    from pathlib import Path as P

    from postdeck.cards import typeset as ts
    from postdeck.cards.slides import Canvas

    brand = load_brand("default")
    c = Canvas(brand, "portrait", "test card")
    stack = ts.font_stack(P(brand.fonts.quote))
    block = ts.layout("Rest is\n\u201cpart of the work\u201d", stack, 72, 800)
    inked = c.text(block, stack, (c.area.x0, c.area.y0 + 200), "text", "quote")
    assert inked[0] < c.area.x0 - 12  # the mark of the second line hangs in the margin


def test_the_closing_speaks_the_deck_language() -> None:
    from postdeck.cards.ends import render_closing

    brand = load_brand("default")
    foot = (0, 1130, 1080, 1262)  # the nudge's row at the foot of the portrait closing slide
    english = render_closing(brand, "portrait", 8, "en").crop(foot)
    japanese = render_closing(brand, "portrait", 8, "ja").crop(foot)
    assert ImageChops.difference(english, japanese).getbbox() is not None  # この投稿を保存 · 友だちにシェア
    mute = replace(brand, layout=replace(brand.layout, nudge=""))
    bare = render_closing(mute, "portrait", 8, "ja").crop(foot)
    assert ImageChops.difference(bare, background(brand, "portrait", 8).crop(foot)).getbbox() is None


def text_lines(image: Image.Image, color: str) -> list[tuple[int, int]]:
    """(top, bottom) of each band of rows holding text in ``color`` (a line of text)."""
    px, target = image.convert("RGB").load(), rgb(color)
    rows = [y for y in range(image.height)
            if sum(1 for x in range(0, image.width, 2) if sum(abs(a - b) for a, b in zip(px[x, y], target)) < 60) > 3]
    bands: list[tuple[int, int]] = []
    for y in rows:
        if bands and y - bands[-1][1] <= 12:
            bands[-1] = (bands[-1][0], y)
        else:
            bands.append((y, y))
    return bands


def test_the_closing_call_to_action_is_not_broken_inside_a_word() -> None:
    """Thai writes no spaces between words: "อ่านบทความฉบับเต็มได้ที่เว็บไซต์ของเรา" was cut as
    "…เว็บไ-" / "ซต์ของเรา", inside the word for website. Smaller, on one line, as on the cover."""
    from postdeck.cards.ends import render_closing

    brand = load_brand("default")
    assert len(text_lines(render_closing(brand, "portrait", 8, "th"), brand.colors.text)) == 1
    assert len(text_lines(render_closing(brand, "portrait", 8, "en"), brand.colors.text)) == 2  # it still wraps


def test_a_right_to_left_closing_puts_the_logo_and_nudge_at_the_right() -> None:
    """Hebrew and Arabic nudges and the logo sat at the left, around a call to action set from
    the right (the cover already mirrors its brand mark); so did the web address and handle."""
    from postdeck.cards.ends import render_closing

    brand = load_brand("default")
    ground = background(brand, "portrait", 8)
    foot = (0, 1130, 1080, 1262)  # the nudge's row at the foot of the portrait closing slide
    for language in ("he", "ar"):
        closing = render_closing(brand, "portrait", 8, language)
        lines = text_lines(closing, brand.colors.text)
        above = (0, 0, 1080, lines[0][0] - 20)  # the logo, above the call to action
        below = (0, lines[-1][1] + 20, 1080, foot[1])  # the web address and handle, below it
        for where, band in (("nudge", foot), ("logo", above), ("address and handle", below)):
            ink = ImageChops.difference(closing.crop(band), ground.crop(band)).convert("L")
            box = ink.point(lambda v: 255 if v > 40 else 0).getbbox()
            assert box is not None and box[0] > 1080 // 3 and box[2] > 1080 - 120, (language, where, box)


def test_a_blank_brand_name_or_empty_line_draws_without_error() -> None:
    """The fuzz test found a brand name of one space crashing the cover: an empty line was
    taken for one opening with a quotation mark ('' is in every string)."""
    brand = load_brand("default")
    slides = render_deck(DECK, replace(brand, name=" "), "portrait")
    assert slides[0].image.size == (1080, 1350)
