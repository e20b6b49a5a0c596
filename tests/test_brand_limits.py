"""Hostile or mistaken templates are one clear error each, in bounded time and memory.

Issue 10, items 7 (alias bombs, long values quoted in errors), 8 (huge images), 10 (a font that
is not a font), 11 (inf, nan, huge numbers; deep nesting), 13 (a colour with a trailing newline)
and, from 18, a brand name far too long for a card.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from postdeck.brand.schema import load_brand
from postdeck.cli import cli
from postdeck.errors import TemplateError
from test_brand import FONTS, write

BASE = "name: Acme\nwebsite: acme.co.uk\n" + FONTS


def problem(tmp_path: Path, text: str) -> list[str]:
    write(tmp_path, "t", text)
    with pytest.raises(TemplateError) as e:
        load_brand("t", tmp_path)
    return str(e.value).splitlines()


def billion_laughs(levels: int) -> str:
    lines = ['x0: &x0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"x{i}: &x{i} [{', '.join([f'*x{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "\n".join(lines) + f"\ncaptions: {{hashtags: *x{levels - 1}}}\n"


def test_an_alias_bomb_is_refused_before_it_grows(tmp_path: Path) -> None:
    """600 bytes that expand to 9**9 strings: refused from the node graph, never built."""
    text = BASE + billion_laughs(9)
    assert len(text) < 1000
    lines = problem(tmp_path, text)
    assert lines == ["templates/t.yaml: line 8: its aliases (*name) expand to more than 10,000 values, which a "
                     "template never needs; write the values out instead"]


def test_a_few_aliases_are_still_fine(tmp_path: Path) -> None:
    write(tmp_path, "t", BASE + "colors: {text: &ink '#111111', muted: *ink}\n")
    assert load_brand("t", tmp_path).colors.muted == "#111111"


def test_five_thousand_nested_brackets_are_one_line(tmp_path: Path) -> None:
    assert problem(tmp_path, BASE + "layout: " + "[" * 5000 + "]" * 5000 + "\n") == [
        "templates/t.yaml: nests lists or mappings more than 20 levels deep, which a template never needs"]
    assert problem(tmp_path, BASE + "layout: " + "[" * 30 + "]" * 30 + "\n") == [
        "templates/t.yaml: line 4: nests lists or mappings more than 20 levels deep, which a template never needs"]


def test_a_long_value_is_cut_short_in_the_error(tmp_path: Path) -> None:
    lines = problem(tmp_path, BASE + f"colors: {{text: '{'#' * 100_000}'}}\n" + f"{'k' * 1000}: 1\n")
    assert all(len(line) < 250 for line in lines), [len(line) for line in lines]
    assert f"colors.text: '{'#' * 58}… is not a colour; write it as '#rrggbb'" in lines[1]


def test_hundreds_of_problems_list_the_first_twenty(tmp_path: Path) -> None:
    lines = problem(tmp_path, BASE + "".join(f"unknown{i}: 1\n" for i in range(300)))
    assert len(lines) == 21 and lines[-1] == "templates/t.yaml: ... and 280 more problems"


@pytest.mark.parametrize("layout, said", [
    ("margin: .inf", "layout.margin: inf must be a whole number"),
    ("quote_max: .nan", "layout.quote_max: nan must be a whole number"),
    ("quote_max: 100000000", "layout.quote_max: 100000000 is far too large"),
    ("title_max: 5000", "layout.title_max: 5000 must be at most 400 px"),
    ("margin: -.inf", "layout.margin: -inf must be a whole number"),
])
def test_non_finite_and_huge_layout_numbers_are_refused(tmp_path: Path, layout: str, said: str) -> None:
    assert problem(tmp_path, BASE + f"layout: {{{layout}}}\n") == [f"templates/t.yaml: {said}"]


@pytest.mark.parametrize("angle, said", [
    (".nan", "background.angle: nan must be a number"),
    ("1.0e+300", "background.angle: 1e+300 is far too large"),
    ("720", "background.angle: 720 must be between -360 and 360 degrees"),
])
def test_the_gradient_angle_is_a_finite_angle(tmp_path: Path, angle: str, said: str) -> None:
    text = BASE + f"background: {{style: gradient, stops: ['#ffffff', '#000000'], angle: {angle}}}\n"
    assert problem(tmp_path, text) == [f"templates/t.yaml: {said}"]


def test_a_colour_followed_by_a_newline_is_not_a_colour(tmp_path: Path) -> None:
    assert problem(tmp_path, BASE + 'colors: {text: "#102030\\n"}\n') == [
        "templates/t.yaml: colors.text: '#102030\\n' is not a colour; write it as '#rrggbb'"]


def test_a_font_path_that_is_not_a_font(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    Image.new("RGB", (8, 8)).save(folder / "logo.png")
    (folder / "empty.ttf").write_bytes(b"")
    text = BASE.replace("headline: Inter-Bold.otf", "headline: logo.png").replace("quote: Inter-Regular.otf", "quote: empty.ttf")
    assert problem(tmp_path, text) == [
        "templates/t.yaml: fonts.headline: logo.png is not a font file postdeck can use; give a TrueType or "
        "OpenType font (.ttf, .otf)",
        "templates/t.yaml: fonts.quote: empty.ttf is not a font file postdeck can use; give a TrueType or "
        "OpenType font (.ttf, .otf)"]


def test_a_huge_logo_is_refused_before_it_is_decoded(tmp_path: Path) -> None:
    """12000x12000: 144 megapixels, a 17 KB PNG that took 1.5 GB and printed a raw
    DecompressionBombWarning; now refused from its header."""
    folder = tmp_path / "templates"
    folder.mkdir()
    Image.new("1", (12000, 12000)).save(folder / "big.png")
    write(tmp_path, "t", BASE + "logo: big.png\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a DecompressionBombWarning fails the test
        r = CliRunner().invoke(cli, ["check", str(folder / "t.yaml")])
    assert r.exit_code == 1
    assert r.stderr == (f"Error: {folder / 't.yaml'}: logo: big.png is 12000x12000 pixels (144 megapixels), more than "
                        "the 40 megapixels postdeck takes; scale it down (cards are 1080 px wide)\n")


def test_a_brand_name_too_long_for_a_card_says_so(tmp_path: Path) -> None:
    assert problem(tmp_path, BASE.replace("name: Acme", "name: " + "A" * 10_000)) == [
        "templates/t.yaml: name: 10000 characters is too long; at most 100"]


# --- the same bounds on the other YAML postdeck reads: deck.yaml and Markdown front matter -------


def test_an_alias_bomb_in_deck_yaml_is_refused(tmp_path: Path) -> None:
    from postdeck.deck.deckfile import load_deck
    from postdeck.errors import DeckError

    path = tmp_path / "deck.yaml"
    path.write_text(billion_laughs(9).replace("captions: {hashtags:", "posts: [{headline:") + "", encoding="utf-8")
    path.write_text(path.read_text().replace("}\n", "}]\n"), encoding="utf-8")
    with pytest.raises(DeckError) as e:
        load_deck(path)
    assert str(e.value).endswith("expand to more than 200,000 values, which a deck never needs; write the values out "
                                 "instead")


def test_an_alias_bomb_in_front_matter_is_refused(tmp_path: Path) -> None:
    from postdeck.errors import ArticleError
    from postdeck.readers import read_article

    path = tmp_path / "post.md"
    path.write_text("---\n" + billion_laughs(9).replace("captions: {hashtags: *x8}", "title: *x8") + "---\n\n# Hi\n\nText.\n")
    with pytest.raises(ArticleError) as e:
        read_article(path)
    assert str(e.value) == (f"{path}: front matter: line 5: its aliases (*name) expand to more than 10,000 values, "
                            "which front matter never needs; write the values out instead")


def test_a_time_zone_name_too_long_for_a_file_name(tmp_path: Path) -> None:
    """Found by test_fuzz_inputs: ZoneInfo('x' * 10_000) raises OSError (file name too long)."""
    assert problem(tmp_path, BASE + f"schedule: {{timezone: {'x' * 10_000}}}\n") == [
        f"templates/t.yaml: schedule.timezone: '{'x' * 58}… is not an IANA time zone; e.g. Asia/Kolkata"]
    from postdeck.brand.schedule import zone
    from postdeck.errors import PublishError

    with pytest.raises(PublishError, match=r"^time zone 'x{60}' is not an IANA zone"):
        zone("x" * 10_000)


def test_a_logo_path_too_long_for_a_file_name(tmp_path: Path) -> None:
    """Found by test_fuzz_inputs: Path.is_file() raises OSError for a 10,000-character name."""
    assert problem(tmp_path, BASE + f"logo: {'x' * 10_000}\n") == [
        f"templates/t.yaml: logo: file '{'x' * 58}… not found (paths are relative to the template)"]


def test_a_template_name_too_long_for_a_file_name(tmp_path: Path) -> None:
    from postdeck.brand.files import resolve_template

    with pytest.raises(TemplateError, match=r"^template 'x{60}' not found in ./templates/"):
        resolve_template("x" * 5000, tmp_path)
    with pytest.raises(TemplateError, match=r"^(x/){100}.*: template file not found; check the path$"):
        resolve_template("x/" * 3000 + "t.yaml", tmp_path)


def test_a_website_or_link_that_is_no_web_address_is_named(tmp_path: Path) -> None:
    """The fuzz test found website: '[' ending a build with "ValueError: Invalid IPv6 URL"."""
    assert problem(tmp_path, "name: Acme\nwebsite: '['\n" + FONTS) == [
        "templates/t.yaml: website: '[' is not a web address; write a domain such as acme.co.uk or https://acme.co.uk"]
    assert problem(tmp_path, BASE + "captions: {link: 'https://[::1'}\n") == [
        "templates/t.yaml: captions.link: 'https://[::1' is not a web address; write a domain such as acme.co.uk "
        "or https://acme.co.uk"]
    write(tmp_path, "t", BASE + "captions: {link: 'https://[2001:db8::1]/a'}\n")  # a bracketed IPv6 host is fine
    assert load_brand("t", tmp_path).captions.link == "https://[2001:db8::1]/a"


def test_a_file_name_with_a_null_byte_is_a_file_not_found(tmp_path: Path) -> None:
    """The fuzz test found logo: "\\x00" ending a build with "ValueError: embedded null byte"."""
    assert problem(tmp_path, BASE + 'logo: "a\\0.png"\n') == [
        "templates/t.yaml: logo: file 'a\\x00.png' not found (paths are relative to the template)"]
    assert problem(tmp_path, 'name: Acme\nfonts: {headline: "\\0", quote: Inter-Regular.otf, small: Inter-Regular.otf}\n') == [
        "templates/t.yaml: fonts.headline: file '\\x00' not found (paths are relative to the template)"]


def test_a_deck_whose_template_cannot_be_loaded_names_its_deck_yaml(tmp_path: Path) -> None:
    """Found by test_fuzz_inputs: deck.yaml's template set to a name too long for a file name
    (an OSError from looking for it beside the project), or to a path with no template there,
    was reported without saying that deck.yaml is the file to fix."""
    import re
    from dataclasses import replace

    from postdeck.brand.files import deck_template
    from postdeck.build import render_deck_file
    from postdeck.cards.render import SAMPLE
    from postdeck.deck.deckfile import dump_deck
    from postdeck.deck.exports import Planning, export_csv

    assert deck_template("x" * 5000, tmp_path / "out" / "deck") == "x" * 5000
    folder = tmp_path / "out" / "sample"
    folder.mkdir(parents=True)
    for template, said in (("x" * 5000, r"template 'x{60}' not found"), ("../../nowhere.yaml", "template file not found")):
        (folder / "deck.yaml").write_text(dump_deck(replace(SAMPLE, template=template), folder), encoding="utf-8")
        for make in (lambda: render_deck_file(folder / "deck.yaml"),  # the brand of its cards
                     lambda: export_csv(folder, tmp_path / "w.csv", planning=Planning())):  # its weekly slots
            with pytest.raises(TemplateError, match=rf"^{re.escape(str(folder / 'deck.yaml'))}: template: .*{said}"):
                make()
