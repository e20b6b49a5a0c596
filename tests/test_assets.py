"""A brand's logo on cards: a wide wordmark fits every size (check and build agree), its
transparent margins are trimmed so its letters are readable, and an opaque box is warned of."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner
from PIL import Image, ImageDraw, ImageFont

from postdeck.brand.schema import SIZES, load_brand
from postdeck.cards.assets import logo_at, logo_warnings
from postdeck.cards.render import SAMPLE, check_brand, render_deck
from postdeck.cli import cli

INTER = Path(__file__).resolve().parent.parent / "fonts" / "Inter-Bold.otf"


def wordmark(path: Path, opaque: bool) -> Path:
    """A 6:1 wordmark with padding around the letters, on white or on transparency."""
    im = Image.new("RGBA", (1200, 200), (255, 255, 255, 255 if opaque else 0))
    ImageDraw.Draw(im).text((60, 30), "NAVYCARE", font=ImageFont.truetype(str(INTER), 130), fill=(255, 200, 87, 255))
    im.save(path)
    return path


def navy(tmp_path: Path, opaque: bool):
    base = load_brand("default")
    colors = replace(base.colors, background="#0b1a3a", text="#ffffff", accent="#ffc857", muted="#c9d3e6")
    logo = wordmark(tmp_path / f"logo-{'opaque' if opaque else 'clear'}.png", opaque)
    return replace(base, logo=str(logo), colors=colors,
                   background=replace(base.background, style="solid"),
                   layout=replace(base.layout, align="center", number_style="big"), source="navy.yaml")


def test_a_wide_wordmark_fits_every_size(tmp_path: Path) -> None:
    # It failed on landscape only ('the logo reaches outside the safe area'), at check and build.
    brand = navy(tmp_path, opaque=False)
    assert check_brand(brand) == list(SIZES)
    for size in SIZES:
        assert len(render_deck(SAMPLE, brand, size)) == len(SAMPLE.posts) + 2


def test_a_wordmark_is_trimmed_to_its_letters(tmp_path: Path) -> None:
    path = str(wordmark(tmp_path / "logo.png", opaque=False))
    mark = logo_at(path, 56)
    ink = mark.getchannel("A").getbbox()
    assert ink is not None and ink[3] - ink[1] >= 54  # the letters fill the height they get


def test_check_warns_of_an_opaque_logo_box_on_a_dark_card(tmp_path: Path) -> None:
    assert logo_warnings(navy(tmp_path, opaque=False)) == []
    assert logo_warnings(navy(tmp_path, opaque=True)) == [
        "navy.yaml: logo: the logo has an opaque #ffffff background that shows as a box on the #0b1a3a card; "
        "save it as a PNG with a transparent background"]


def test_check_command_prints_the_logo_warning(tmp_path: Path) -> None:
    wordmark(tmp_path / "logo.png", opaque=True)
    text = (Path(__file__).resolve().parent.parent / "templates" / "default.yaml").read_text()
    fonts = str(Path(__file__).resolve().parent.parent / "fonts")
    text = text.replace("assets/default-logo.png", "logo.png").replace("../fonts", fonts)
    text = text.replace('"#f8fafc"', '"#0b1a3a"').replace('"#0f172a"', '"#ffffff"').replace('"#1d4ed8"', '"#ffc857"')
    text = text.replace('"#475569"', '"#c9d3e6"').replace("style: gradient", "style: solid")
    (tmp_path / "navy.yaml").write_text(text)
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "navy.yaml")])
    assert result.exit_code == 0, result.output
    assert "logo: the logo has an opaque #ffffff background that shows as a box on the #0b1a3a card" in result.output


def test_the_built_in_logos_are_marks_not_boxes() -> None:
    for name in ("default", "clinic", "bold", "photo", "editorial", "blocks"):
        assert logo_warnings(load_brand(name)) == [], name
