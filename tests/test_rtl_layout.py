"""Right-to-left decks at every size and template: the Arabic cover's swipe cue and brand mark
sit at opposite ends, and 'postdeck check' draws an Arabic sample."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from postdeck.brand import SIZES, load_brand
from postdeck.cli import cli
from postdeck.pipeline import BuildOptions, make_deck
from postdeck.render import render_deck

ARABIC = Path(__file__).parent / "data" / "arabic.md"


@pytest.mark.parametrize("template", ["default", "clinic", "bold", "photo"])
def test_the_arabic_article_renders_at_every_size(template: str) -> None:
    brand = load_brand(template)
    deck = make_deck(ARABIC, BuildOptions(template=template), brand.captions)
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
    deck = make_deck(ARABIC, BuildOptions(template="bold"), brand.captions)
    cover = render_deck(deck, brand, "landscape")[0].image
    w, h = cover.size
    columns = ink_columns(cover, (h - 110, h - 40), (17, 17, 17))
    left, right = [x for x in columns if x < w // 2], [x for x in columns if x >= w // 2]
    assert left and right and max(left) < w // 3 and min(right) > w // 2  # two groups, far apart
    logo = cover.convert("RGB").getpixel((max(right) - 10, h - 75))
    assert logo[0] > 200 and logo[1] > 180 and logo[2] < 80  # the yellow logo tile is at the right


def test_check_renders_an_arabic_sample(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "default", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for size in SIZES:
        assert (tmp_path / f"rtl-00-cover-{size}.png").is_file()
