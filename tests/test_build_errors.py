"""A card that cannot be drawn fails the build with one line naming the article."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from postdeck.cli import cli


def test_a_render_error_in_a_build_names_the_article(seed: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(cli, ["init", "big"]).exit_code == 0
    template = tmp_path / "templates" / "big.yaml"
    text = template.read_text().replace("  title_min: 60", "  title_min: 200").replace("  title_max: 104", "  title_max: 200")
    template.write_text(text)
    r = CliRunner().invoke(cli, ["build", str(seed), "-o", str(tmp_path / "out"), "-t", "big"])
    assert r.exit_code == 1
    assert r.stderr.startswith(f"Error: {seed}: cover: the article title is too long for the portrait cover at "
                               "the minimum size 200 px; cut about ")
    assert r.stderr.count("\n") == 1


def test_a_caption_text_longer_than_a_file_name_is_no_crash(seed: Path, tmp_path: Path, monkeypatch) -> None:
    """The template hash looks for files named in the YAML; a 400-character text is none."""
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(cli, ["init", "wordy"]).exit_code == 0
    template = tmp_path / "templates" / "wordy.yaml"
    cta = "Read the full article on our website, " * 11 + "today."
    template.write_text(template.read_text().replace("call_to_action: Read the full article on our website.",
                                                     f"call_to_action: {cta}"))
    r = CliRunner().invoke(cli, ["build", str(seed), "-o", str(tmp_path / "out"), "-t", "wordy"])
    assert r.exit_code == 1 and "File name too long" not in r.output
    assert "captions.call_to_action: is " in r.output and "over its limit of 280" in r.output
