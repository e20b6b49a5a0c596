"""A person's edits survive: build never overwrites an edited deck.yaml, render keeps edited
captions and alt text while making postdeck's own afresh."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from postdeck.cli import cli
from postdeck.text.textlimits import LIMITS, caption_length


@pytest.fixture
def built(tmp_path: Path, seed: Path) -> tuple[list[str], Path]:
    """The seed article built with two posts, as `postdeck build` does; (build args, deck folder)."""
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "seed.txt").write_bytes(seed.read_bytes())
    args = ["build", str(posts), "-o", str(tmp_path / "out"), "--posts", "2"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return args, tmp_path / "out" / "seed"


def load(folder: Path) -> dict:
    return yaml.safe_load((folder / "deck.yaml").read_text(encoding="utf-8"))


def save(folder: Path, data: dict) -> None:
    (folder / "deck.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def render(folder: Path, *options: str) -> str:
    result = CliRunner().invoke(cli, ["render", str(folder), *options])
    assert result.exit_code == 0, result.output
    return result.output


def test_build_does_not_overwrite_an_edited_deck(built: tuple[list[str], Path]) -> None:
    # The README's flow: edit a quote, render, then build again for the publishing formats.
    args, folder = built
    data = load(folder)
    data["posts"][0]["quote"] = "Our own words, chosen with care."
    save(folder, data)
    render(folder)
    edited = (folder / "deck.yaml").read_bytes()
    rebuilt = CliRunner().invoke(cli, [*args, "--format", "png,jpg,pdf"])
    assert rebuilt.exit_code == 1
    errors = [line for line in rebuilt.output.splitlines() if line.startswith("Error:")]
    assert errors == [f"Error: {folder / 'deck.yaml'}: has edits made after postdeck wrote it, so it was not "
                      f"rebuilt; run 'postdeck render {folder}' (with -t/--size/--format as needed) to redraw it "
                      f"keeping them, or build with --force to rebuild it from the article (the edited file is "
                      f"then kept as {folder / 'deck.edited.yaml'})"]
    assert (folder / "deck.yaml").read_bytes() == edited
    # The edit-safe way to the publishing formats: render with them.
    render(folder, "--format", "png,jpg,pdf")
    assert (folder / "cards" / "01-portrait.jpg").is_file() and (folder / "cards" / "carousel-portrait.pdf").is_file()
    assert load(folder)["posts"][0]["quote"] == "Our own words, chosen with care."
    # An unchanged nightly build leaves it alone; --force rebuilds and keeps the edited file.
    assert CliRunner().invoke(cli, args).exit_code == 0
    assert load(folder)["posts"][0]["quote"] == "Our own words, chosen with care."
    forced = CliRunner().invoke(cli, [*args, "--force"])
    assert forced.exit_code == 0, forced.output
    assert load(folder)["posts"][0]["quote"] != "Our own words, chosen with care."
    kept = yaml.safe_load((folder / "deck.edited.yaml").read_text(encoding="utf-8"))
    assert kept["posts"][0]["quote"] == "Our own words, chosen with care."
    # A second forced rebuild of a fresh deck keeps the earlier copy too.
    assert CliRunner().invoke(cli, [*args, "--force"]).exit_code == 0
    assert (folder / "deck.edited.yaml").is_file()


def test_a_render_without_edits_is_not_an_edit(built: tuple[list[str], Path]) -> None:
    args, folder = built
    render(folder, "--format", "png,jpg")  # new formats, nobody's words changed
    rebuilt = CliRunner().invoke(cli, [*args, "--format", "png,jpg,pdf"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert load(folder)["formats"] == ["png", "jpg", "pdf"]
    assert not (folder / "deck.edited.yaml").exists()


def test_render_keeps_hand_edited_captions_and_alt_text(built: tuple[list[str], Path]) -> None:
    _, folder = built
    data = load(folder)
    first, second = data["posts"]
    first["headline"] = "Gentle needles, steady recovery"
    first["captions"]["linkedin"] = "Our physio team wrote this one by hand."
    second["quote"] = "Small steps every day add up to a stronger back."
    second["alt_text"] = "A card with a quote about recovery, described by our editor."
    save(folder, data)
    render(folder)
    after = load(folder)["posts"]
    assert after[0]["captions"]["linkedin"] == "Our physio team wrote this one by hand."
    assert after[0]["captions"]["x"].startswith("Gentle needles, steady recovery")  # postdeck's own: follows the edit
    assert after[0]["captions"]["instagram"].startswith("Gentle needles, steady recovery")
    assert "headline 'Gentle needles, steady recovery'" in after[0]["alt_text"]
    assert after[1]["alt_text"] == "A card with a quote about recovery, described by our editor."
    # A second render still knows which captions are the person's.
    data = load(folder)
    data["posts"][0]["headline"] = "Needles and patience"
    save(folder, data)
    render(folder)
    after = load(folder)["posts"]
    assert after[0]["captions"]["linkedin"] == "Our physio team wrote this one by hand."
    assert after[0]["captions"]["x"].startswith("Needles and patience")


def test_alt_text_follows_the_quote_and_the_post_count(built: tuple[list[str], Path]) -> None:
    _, folder = built
    data = load(folder)
    assert data["posts"][0]["alt_text"].startswith("Quote card 1 of 2")
    data["posts"][0]["quote"] = "One short line of our own."
    del data["posts"][1]
    save(folder, data)
    render(folder)
    alt = load(folder)["posts"][0]["alt_text"]
    assert alt.startswith("Quote card 1 of 1") and "Quote: 'One short line of our own.'" in alt


def test_an_edited_caption_over_its_limit_is_a_warning(built: tuple[list[str], Path]) -> None:
    _, folder = built
    data = load(folder)
    data["posts"][1]["captions"]["x"] = "word " * 100
    save(folder, data)
    output = render(folder)
    length = caption_length("x", "word " * 100)
    assert (f"warning: {folder}: post 2: the edited x caption is {length}/{LIMITS['x']} characters, over x's "
            "limit; shorten posts[2].captions.x in deck.yaml") in output
    assert load(folder)["posts"][1]["captions"]["x"] == "word " * 100


def test_a_build_with_the_options_of_the_last_render_finds_an_edited_deck_up_to_date(
        built: tuple[list[str], Path]) -> None:
    # The README's branding flow: edit, render with your template and the publishing formats,
    # then the nightly build with the same -t/--format. It used to refuse the deck on every run.
    args, folder = built
    data = load(folder)
    data["posts"][0]["quote"] = "Our own words, chosen with care."
    save(folder, data)
    render(folder, "-t", "clinic", "--format", "png,jpg")
    nightly = CliRunner().invoke(cli, [*args, "-t", "clinic", "--format", "png,jpg"])
    assert nightly.exit_code == 0, nightly.output
    assert "1 up to date" in nightly.output.splitlines()[-1]
    assert CliRunner().invoke(cli, args).exit_code == 0  # the build's own options: up to date too
    assert load(folder)["posts"][0]["quote"] == "Our own words, chosen with care."
    other = CliRunner().invoke(cli, [*args, "-t", "bold"])  # anything else would replace the edits
    assert other.exit_code == 1 and "has edits made after postdeck wrote it" in other.output
