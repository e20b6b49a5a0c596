"""Messages for things that go wrong around a build (issue 10, item 18): each says what, where
and what to do, instead of a misleading or bare one. (UTF-16 articles: tests/test_readers_formats.py.)"""

from __future__ import annotations

import errno
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner

from postdeck import build as build_module
from postdeck.cli import cli
from postdeck.build import BuildOptions, build_all

FAST = BuildOptions(posts=2)


@pytest.fixture
def deck(tmp_path: Path, seed: Path) -> Path:
    outcome, = build_all([seed], tmp_path / "out", FAST, jobs=1)
    assert outcome.status == "built"
    return tmp_path / "out" / seed.stem


def full_disk(*args: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))  # as write() reports it: no file name


@pytest.mark.parametrize("command", ["preview", "export"])
def test_a_full_disk_names_the_file_it_could_not_write(deck: Path, tmp_path: Path, monkeypatch, command: str) -> None:
    monkeypatch.setattr("postdeck.deck.atomicwrite.os.replace", full_disk)
    args = [str(deck)] if command == "preview" else [str(deck), "--csv", str(tmp_path / "week.csv")]
    r = CliRunner().invoke(cli, [command, *args])
    target = deck / "index.html" if command == "preview" else tmp_path / "week.csv"
    assert r.exit_code == 1
    assert r.stderr == (f"Error: {target}: cannot be written (No space left on device); free disk space or check "
                        "that the folder is writable, then run again\n")
    assert not [p for p in target.parent.iterdir() if p.name.startswith(f".{target.name}.")]  # no temporary left


def test_an_up_to_date_deck_on_a_read_only_disk_is_up_to_date(deck: Path, seed: Path, monkeypatch) -> None:
    @contextmanager
    def read_only(folder: Path) -> Iterator[None]:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(folder.with_name(f".{folder.name}.lock")))
        yield

    monkeypatch.setattr(build_module, "deck_lock", read_only)
    outcome, = build_all([seed], deck.parent, FAST, jobs=1)
    assert (outcome.status, outcome.error) == ("skipped", None)


def test_a_control_character_in_deck_yaml_renders(deck: Path) -> None:
    """Found by fuzzing deck.yaml: the round-trip rewrite wrote U+001F raw, which PyYAML then
    refused to read back ('invalid YAML ... run with -v')."""
    path = deck / "deck.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("url: null", 'url: "\\x1f"', 1), encoding="utf-8")
    r = CliRunner().invoke(cli, ["render", str(deck)])
    assert r.exit_code == 0, r.output
    assert "\\x1F" in path.read_text(encoding="utf-8") or "\\x1f" in path.read_text(encoding="utf-8")
