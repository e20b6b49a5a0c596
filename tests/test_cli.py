from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from postdeck.cli import cli


def test_build_writes_deck_and_captions(seed: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(seed), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "01-acupuncture-post-surgical-back-pain"
    deck = yaml.safe_load((folder / "deck.yaml").read_text())
    assert len(deck["posts"]) == 7
    assert (folder / "captions.md").read_text().startswith("# 7 Ways Acupuncture")


def test_unknown_suffix_is_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "notes.docx"
    bad.write_text("hello")
    result = CliRunner().invoke(cli, ["build", str(bad), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {bad}: unknown file type '.docx'; postdeck reads .htm, .html, .markdown, .md, .txt\n"
    )
    assert not (tmp_path / "out").exists()
