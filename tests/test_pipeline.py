from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from postdeck.pipeline import write_deck_folder


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_deck_folder_gets_normal_permissions(tmp_path: Path, umask: int) -> None:
    """Like any folder the user makes: 0o777 minus the umask (not mkdtemp's private 0o700)."""
    old = os.umask(umask)
    try:
        write_deck_folder(tmp_path / "out" / "deck", {"deck.yaml": "title: x\n", "cards/01.png": b"png"})
    finally:
        os.umask(old)
    folder = tmp_path / "out" / "deck"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o777 & ~umask
    assert stat.S_IMODE((folder / "cards").stat().st_mode) == 0o777 & ~umask
    assert stat.S_IMODE((folder / "deck.yaml").stat().st_mode) == 0o666 & ~umask
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["deck"]  # no temporary folder left


def test_rewriting_a_deck_folder_replaces_it_whole(tmp_path: Path) -> None:
    folder = tmp_path / "deck"
    write_deck_folder(folder, {"a.txt": "1", "old.txt": "gone soon"})
    write_deck_folder(folder, {"a.txt": "2"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck"]
    assert [p.name for p in folder.iterdir()] == ["a.txt"] and (folder / "a.txt").read_text() == "2"
