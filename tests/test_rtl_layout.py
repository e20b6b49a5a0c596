"""Right-to-left decks at every size and template: the Arabic cover's swipe cue and brand mark
sit at opposite ends, a card reads from the right (headline column and number there), and
'postdeck check' draws an Arabic sample."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image, ImageChops

from postdeck.brand.schema import SIZES, load_brand
from postdeck.cli import cli
from postdeck.cards.paint import background
from postdeck.build import BuildOptions, make_deck
from postdeck.cards.render import render_deck
from postdeck.cards.slides import card_frame

ARABIC = Path(__file__).parent / "data" / "arabic.md"


@pytest.mark.parametrize("template", ["default", "clinic", "bold", "photo", "editorial", "blocks"])
def test_the_arabic_article_renders_at_every_size(template: str) -> None:
    brand = load_brand(template)
    deck = make_deck(ARABIC, BuildOptions(template=template), brand)
    assert len(deck.posts) >= 2 and deck.title.startswith("أربع")
    for size in SIZES:
        slides = render_deck(deck, brand, size)
        assert slides[0].kind == "cover" and slides[0].image.size == SIZES[size]


def ink_columns(image: Image.Image, band: tuple[int, int], background: tuple[int, int, int]) -> list[int]:
    """x of every column with ink (far from the background colour) inside a horizontal band."""
    px = image.convert("RGB").load()
    return [x for x in range(image.width)
            if any(sum(abs(a - b) for a, b in zip(px[x, y], background)) > 120 for y in range(*band))]


def test_the_landscape_arabic_cover_puts_the_logo_right_and_the_cue_left() -> None:
    brand = load_brand("bold")  # left-aligned: before the fix the cue moved onto the logo
    deck = make_deck(ARABIC, BuildOptions(template="bold"), brand)
    cover = render_deck(deck, brand, "landscape")[0].image
    w, h = cover.size
    columns = ink_columns(cover, (h - 110, h - 40), (17, 17, 17))
    left, right = [x for x in columns if x < w // 2], [x for x in columns if x >= w // 2]
    assert left and right and max(left) < w // 3 and min(right) > w // 2  # two groups, far apart
    logo = cover.convert("RGB").getpixel((max(right) - 10, h - 75))
    assert logo[0] > 200 and logo[1] > 180 and logo[2] < 80  # the yellow logo tile is at the right


def ink_box(image: Image.Image, band: tuple[int, int], keep) -> tuple[int, int, int, int] | None:
    """Bounding box (in image x, band-relative y) of the pixels ``keep`` accepts inside a band of rows."""
    crop = image.convert("RGB").crop((0, band[0], image.width, band[1]))
    mask = Image.new("L", crop.size, 0)
    px, out = crop.load(), mask.load()
    for y in range(crop.height):
        for x in range(crop.width):
            if keep(px[x, y]):
                out[x, y] = 255
    return mask.getbbox()


def test_the_landscape_arabic_card_puts_the_headline_right_and_the_quote_left() -> None:
    brand = load_brand("bold")  # yellow headline, white quote on near-black
    deck = make_deck(ARABIC, BuildOptions(template="bold"), brand)
    card = render_deck(deck, brand, "landscape")[1].image
    frame, w = card_frame(brand, "landscape", rtl=True), card.width
    band = (frame.header.y1, frame.footer.y0)  # below the number, above the brand mark
    headline = ink_box(card, band, lambda p: p[0] > 200 and p[1] > 150 and p[2] < 100)
    quote = ink_box(card, band, lambda p: min(p) > 200)
    assert headline and quote
    assert headline[0] > w // 2 and frame.text.x0 <= headline[0] and headline[2] <= frame.text.x1
    assert quote[2] < frame.text.x0 and quote[2] < headline[0]  # wholly left of the headline column


@pytest.mark.parametrize("template", ["default", "bold"])  # a small '1/4' and a giant '01'
@pytest.mark.parametrize("size", ["landscape", "story", "portrait"])
def test_an_arabic_card_puts_its_number_on_the_start_side(template: str, size: str) -> None:
    brand = load_brand(template)
    deck = make_deck(ARABIC, BuildOptions(template=template), brand)
    card = render_deck(deck, brand, size)[1].image.convert("RGB")
    frame = card_frame(brand, size, rtl=True)
    # Ink is what the card drew over its own background. On landscape the header band holds
    # only the number; stacked, the number is the first band of ink at the top of the group.
    drawn = ImageChops.difference(card, background(brand, size, 1).convert("RGB")).convert("L").point(lambda v: 255 if v > 60 else 0)
    band = (frame.header.y0, frame.header.y1) if frame.side else first_ink_band(drawn)
    ink = drawn.crop((0, band[0], card.width, band[1])).getbbox()
    assert ink and ink[0] > card.width // 2 and ink[2] <= frame.text.x1, (template, size, ink)


def first_ink_band(mask: Image.Image) -> tuple[int, int]:
    """The rows of the topmost run of inked rows (a blank row ends it)."""
    rows = [mask.crop((0, y, mask.width, y + 1)).getbbox() is not None for y in range(mask.height)]
    top = rows.index(True)
    bottom = rows.index(False, top) if False in rows[top:] else mask.height
    return top, bottom


def test_check_renders_an_arabic_sample(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "default", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for size in SIZES:
        assert (tmp_path / f"rtl-00-cover-{size}.png").is_file()
