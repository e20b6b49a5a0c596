"""Slide layout rules a carousel reader sees: parts that stay put from card to card, the accent
bar beside its headline, one number per card, right-to-left covers and a brand's own logo."""

from __future__ import annotations

from dataclasses import replace

from PIL import Image, ImageChops

from postdeck.brand.schema import load_brand, rgb
from postdeck.model import Deck, Post
from postdeck.cards.paint import background
from postdeck.cards.render import render_deck
from postdeck.cards.slides import card_frame, swipe_cue

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


def test_accent_and_quote_stay_put_whatever_the_headline_length() -> None:
    brand = load_brand("default")
    cards = [s.image for s in render_deck(DECK, brand, "portrait") if s.kind == "card"]
    bars = [bar_box(card, brand.colors.accent) for card in cards]
    assert all(bars) and len({b[1] for b in bars}) == 1, bars  # type: ignore[index]


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
