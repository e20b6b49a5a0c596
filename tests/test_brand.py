"""Brand templates: validated once on load, every problem at once, found by name or path."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from postdeck.brand.schema import Brand, load_brand
from postdeck.brand.files import list_templates, resolve_template, user_templates
from postdeck.cli import cli
from postdeck.errors import TemplateError
from postdeck.model import CaptionSettings

FONTS = "fonts: {headline: Inter-Bold.otf, quote: Inter-Regular.otf, small: Inter-Regular.otf}\n"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / "templates" / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["default", "clinic", "bold", "photo", "editorial", "blocks"])
def test_shipped_templates_load(name: str) -> None:
    brand = load_brand(name)
    assert isinstance(brand, Brand) and brand.name and Path(brand.logo or "").is_file()
    assert all(Path(f).is_file() for f in (brand.fonts.headline, brand.fonts.quote, brand.fonts.small))
    assert isinstance(brand.captions, CaptionSettings)


def test_shipped_templates_look_different() -> None:
    looks = {(b.background.style, b.colors.background, b.fonts.quote, b.layout.align, b.layout.number_style)
             for b in map(load_brand, ("default", "clinic", "bold", "photo", "editorial", "blocks"))}
    assert len(looks) == 6
    assert "Garamond" in load_brand("clinic").fonts.quote  # the calm serif quote face


def test_every_problem_is_reported_at_once_with_file_and_key(tmp_path: Path) -> None:
    write(tmp_path, "bad", """
name: Bad
colr: 1
colors: {text: "#12345", accent: red}
fonts: {headline: nope.ttf, quote: Inter-Regular.otf}
layout: {align: right, slide_numbers: maybe, quote_min: 5}
background: {style: gradient, stops: ["#fff"]}
schedule: {timezone: "Mars Base", slots: [Monday 9am, Tue 18:30]}
captions: {hashtag_counts: {tiktok: 3}}
""")
    with pytest.raises(TemplateError) as e:
        load_brand("bad", tmp_path)
    assert str(e.value).splitlines() == [
        "templates/bad.yaml: colr: unknown key; known keys are background, captions, colors, fonts, handle, "
        "layout, logo, name, schedule, size, website",
        "templates/bad.yaml: fonts.headline: file 'nope.ttf' not found (paths are relative to the template)",
        "templates/bad.yaml: fonts.small: is missing",
        "templates/bad.yaml: colors.text: '#12345' is not a colour; write it as '#rrggbb'",
        "templates/bad.yaml: colors.accent: 'red' is not a colour; write it as '#rrggbb'",
        "templates/bad.yaml: background.stops: a gradient needs at least two colours",
        "templates/bad.yaml: layout.align: 'right' is not one of left, center",
        "templates/bad.yaml: layout.slide_numbers: 'maybe' must be true or false",
        "templates/bad.yaml: layout.quote_min: 5 must be at least 12 and at most quote_max (80)",
        "templates/bad.yaml: captions.hashtag_counts.tiktok: unknown platform; use instagram, facebook, "
        "linkedin, x, threads, bluesky",
        "templates/bad.yaml: schedule.slots[1]: 'Monday 9am' is not a slot like 'Mon 09:00' (day, 24-hour time)",
        "templates/bad.yaml: schedule.timezone: 'Mars Base' is not an IANA time zone; e.g. Asia/Kolkata",
    ]


def test_captions_block_becomes_caption_settings(tmp_path: Path) -> None:
    write(tmp_path, "c", "name: C\n" + FONTS + """
captions:
  call_to_action: Book now.
  hashtags: clinic
  hashtag_counts: {instagram: 8}
  link: https://riversideclinic.co.uk/book
""")
    settings = load_brand("c", tmp_path).captions
    assert settings.call_to_action == "Book now." and settings.hashtags == ("clinic",)
    assert settings.link == "https://riversideclinic.co.uk/book"
    assert settings.hashtag_counts == {**CaptionSettings().hashtag_counts, "instagram": 8}


def test_paths_resolve_relative_to_the_template(tmp_path: Path) -> None:
    write(tmp_path, "rel", "name: R\nlogo: assets/logo.png\n" + FONTS)
    with pytest.raises(TemplateError, match=r"^templates/rel.yaml: logo: file 'assets/logo.png' not found"):
        load_brand("rel", tmp_path)
    (tmp_path / "templates" / "assets").mkdir()
    Image.new("RGBA", (8, 8)).save(tmp_path / "templates" / "assets" / "logo.png")
    assert load_brand("rel", tmp_path).logo == str(tmp_path / "templates" / "assets" / "logo.png")


def test_a_logo_or_photo_that_is_no_image_is_found_on_load(tmp_path: Path) -> None:
    write(tmp_path, "x", "name: X\nlogo: logo.png\nbackground: {style: image, image: photo.jpg}\n" + FONTS)
    (tmp_path / "templates" / "logo.png").write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    Image.new("RGB", (64, 64), "#336699").save(tmp_path / "templates" / "full.png")
    cut = (tmp_path / "templates" / "full.png").read_bytes()
    (tmp_path / "templates" / "photo.jpg").write_bytes(cut[: len(cut) // 2])  # a download cut short
    with pytest.raises(TemplateError) as caught:
        load_brand("x", tmp_path)
    assert str(caught.value).splitlines() == [
        "templates/x.yaml: logo: logo.png is not an image Pillow can read; save it as PNG or JPEG",
        "templates/x.yaml: background.image: photo.jpg is not an image Pillow can read; save it as PNG or JPEG",
    ]


def test_local_templates_shadow_built_in_ones_and_paths_work(tmp_path: Path) -> None:
    mine = write(tmp_path, "default", "name: Mine\n" + FONTS)
    assert resolve_template("default", tmp_path) == mine
    assert load_brand("templates/default.yaml", tmp_path).name == "Mine"
    names = dict(list_templates(tmp_path))
    assert names["default"] == mine and {"clinic", "bold"} <= set(names)


def test_unknown_template_name_lists_the_known_ones(tmp_path: Path) -> None:
    write(tmp_path, "mine", "name: Mine\n" + FONTS)
    with pytest.raises(TemplateError) as e:
        load_brand("nope", tmp_path)
    message = str(e.value)
    assert message.startswith(f"template 'nope' not found in ./templates/, {user_templates()}/ or the built-in "
                              "templates; known: ")
    assert message.endswith("; run 'postdeck templates' to list them or 'postdeck init NAME' to make one")
    assert {"bold", "clinic", "default", "mine"} <= set(message.split("known: ")[1].split(";")[0].split(", "))


def test_a_misspelt_template_name_gets_a_did_you_mean(tmp_path: Path) -> None:
    write(tmp_path, "mybrand", "name: Mine\n" + FONTS)
    with pytest.raises(TemplateError, match="did you mean 'mybrand'\\? known: "):
        load_brand("mybrnad", tmp_path)


def test_invalid_yaml_is_one_line(tmp_path: Path) -> None:
    write(tmp_path, "broken", "name: [unclosed\n")
    with pytest.raises(TemplateError) as e:
        load_brand("broken", tmp_path)
    assert str(e.value) == ("templates/broken.yaml: line 2, column 1: not valid YAML (expected ',' or ']', "
                            "but got '<stream end>'); close the [ or { opened on line 1")


TABBED = "name: Tabbed\n" + FONTS + "colors:\n\taccent: '#2e7d6b'\n"
TAB_ERROR = ("Error: templates/tabbed.yaml: line 4, column 1: not valid YAML (a tab character); "
             "replace it with spaces (YAML indents with spaces only)\n")


def test_a_tab_in_a_template_is_one_line_with_line_and_column_in_check_and_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: Path) -> None:
    write(tmp_path, "tabbed", TABBED)
    monkeypatch.chdir(tmp_path)
    checked = CliRunner().invoke(cli, ["check", "tabbed"])
    assert (checked.exit_code, checked.output) == (1, TAB_ERROR)
    built = CliRunner().invoke(cli, ["build", str(seed), "-t", "tabbed"])  # was a ScannerError traceback
    assert (built.exit_code, built.output) == (1, TAB_ERROR)
    assert not (tmp_path / "output").exists()  # nothing half-written


def test_an_unquoted_colour_says_the_hash_started_a_comment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "hash", "name: Hash\n" + FONTS + "colors:\n  accent: #2e7d6b\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "hash"])
    assert (result.exit_code, result.output) == (1, "Error: templates/hash.yaml: colors.accent: is empty (an unquoted "
                                                    "# starts a YAML comment: write '#2e7d6b' in quotes)\n")


def test_init_scaffolds_a_valid_template_and_never_overwrites(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(cli, ["init", "acme"])
    assert result.exit_code == 0, result.output
    assert result.output == ("wrote templates/acme.yaml; edit it (name, handle, website, colours, logo), then run "
                             "'postdeck check acme'\n")
    text = (tmp_path / "templates" / "acme.yaml").read_text()
    assert text.startswith("# postdeck brand template \"acme\"") and "#   " not in text.splitlines()[0]
    checked = runner.invoke(cli, ["check", "acme"])
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.startswith("templates/acme.yaml: ok (Acme; rendered portrait, square, story")
    # Valid, but publish refuses its placeholders: check says so, naming the keys to edit.
    assert checked.stderr == ("warning: templates/acme.yaml: not ready to publish: its template's website "
                              "acme.example is a placeholder; edit website there\n")
    again = runner.invoke(cli, ["init", "acme"])
    assert again.exit_code == 1
    assert again.output == "Error: templates/acme.yaml: already exists; edit it, or pick another name\n"


def test_check_rejects_a_faint_template_with_the_ratio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "faint", "name: F\n" + FONTS + 'colors: {background: "#ffffff", text: "#aaaaaa"}\n')
    result = CliRunner().invoke(cli, ["check", "faint"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: templates/faint.yaml: colors.text: #aaaaaa measures 2.32:1 against")


def test_templates_command_lists_built_ins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "mine", "name: Mine\n" + FONTS)
    result = CliRunner().invoke(cli, ["templates"])
    names = [line.split()[0] for line in result.output.splitlines()]
    assert names == sorted(names) and {"bold", "clinic", "default", "mine"} <= set(names)
    # Short paths, and which are built in (not a long site-packages path).
    assert result.output == ("blocks     built in\nbold       built in\nclinic     built in\ndefault    built in\n"
                             "editorial  built in\nmine       templates/mine.yaml\nphoto      built in\n")


def test_check_rejects_type_too_big_for_the_cards(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "huge", "name: H\n" + FONTS + "layout: {quote_min: 120, quote_max: 140, margin: 200}\n")
    result = CliRunner().invoke(cli, ["check", "huge"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: templates/huge.yaml: a sample deck does not fit the portrait card (post 1: ")
    assert result.output.endswith("); lower the layout sizes or the margin\n")


def test_call_to_action_per_language_code_loads_and_bad_codes_are_named(tmp_path: Path) -> None:
    """Issue 9: captions.call_to_action may be keyed by language code; the plain text still works."""
    write(tmp_path, "multi", "name: Multi\n" + FONTS + "captions:\n  call_to_action:\n    en: Book now.\n    es: Reserve ahora.\n")
    assert load_brand("multi", tmp_path).captions.call_to_action == {"en": "Book now.", "es": "Reserve ahora."}
    write(tmp_path, "bad", "name: Bad\n" + FONTS + "captions:\n  call_to_action:\n    Spanish: Reserve ahora.\n    en: ''\n")
    with pytest.raises(TemplateError) as e:
        load_brand("bad", tmp_path)
    assert "captions.call_to_action.Spanish: is not a language code; use a code such as en, es, pt-BR or zh" in str(e.value)
    assert "captions.call_to_action.en: is empty; write the text or remove the key" in str(e.value)


@pytest.mark.parametrize("name", ["default", "bold", "clinic", "photo"])
def test_built_in_templates_have_their_call_to_action_in_every_language_postdeck_writes(name: str) -> None:
    from postdeck.text.wording import ALT_TEXT

    captions = load_brand(name).captions
    assert isinstance(captions.call_to_action, dict) and set(captions.call_to_action) == set(ALT_TEXT)
    for platform, cta in captions.call_to_action_by_platform.items():  # clinic's "Link in bio" too
        assert isinstance(cta, dict) and set(cta) == set(ALT_TEXT), platform


def test_templates_read_with_libyaml_as_pyyaml_reads_them_and_errors_keep_pyyaml_words() -> None:
    import yaml

    from postdeck.brand.bounds import bounded_yaml
    from postdeck.brand.schema import _FAST_LOADER, parse_yaml

    assert _FAST_LOADER is getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    templates = sorted((Path(__file__).resolve().parent.parent / "templates").glob("*.yaml"))
    assert templates
    for path in templates:
        text = path.read_text(encoding="utf-8")
        assert parse_yaml(text, path.name) == yaml.safe_load(text), path.name
    for bad in ("name: Clinic\ncolors: [#fff\n", "name: a\n  fonts: b\n", "a: 1\na: [\n"):
        with pytest.raises(yaml.YAMLError) as fast:
            parse_yaml(bad, "t.yaml")
        with pytest.raises(yaml.YAMLError) as pure:
            bounded_yaml(bad, "t.yaml")
        assert str(fast.value) == str(pure.value)
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n" for p, c in zip("abcdefg", "bcdefgh"))
    with pytest.raises(TemplateError) as refused:
        parse_yaml(bomb, "t.yaml")
    with pytest.raises(TemplateError) as before:
        bounded_yaml(bomb, "t.yaml")
    assert str(refused.value) == str(before.value)  # still refused, in the same words
