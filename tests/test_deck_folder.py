"""A deck folder is postdeck's to replace, and only that: nothing a person made there is lost.

Issue 10, items 1 and 2: ``build -o .`` with an article named templates.txt replaced the user's
templates/ folder and ./index.html; files a person added to a deck folder went with a rebuild.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from postdeck.cli import cli
from postdeck.build import BuildOptions, build_all, render_deck_file
from postdeck.deck.folder import is_own_file, write_deck_folder
from postdeck.errors import DeckError

FAST = BuildOptions(posts=2)


def article(folder: Path, name: str, seed: Path) -> Path:
    path = folder / name
    path.write_text(seed.read_text(encoding="utf-8")[:3000], encoding="utf-8")
    return path


def test_a_folder_postdeck_did_not_make_is_never_replaced(tmp_path: Path, seed: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "mine.yaml").write_text("name: Mine\n")
    path = article(tmp_path, "templates.txt", seed)
    outcome, = build_all([path], tmp_path, FAST, jobs=1)
    assert outcome.error == (f"{tmp_path / 'templates'}: is a folder postdeck did not make (it has no deck.yaml), "
                             "so it was left as it is; rename the article or build into another folder with -o")
    assert [p.name for p in (tmp_path / "templates").iterdir()] == ["mine.yaml"]
    assert not [p for p in tmp_path.iterdir() if ".old" in p.name or p.name.startswith(".templates.") and p.is_dir()]


def test_a_file_in_the_decks_place_is_left_as_it_is(tmp_path: Path, seed: Path) -> None:
    (tmp_path / "notes").write_text("mine\n")
    outcome, = build_all([article(tmp_path, "notes.txt", seed)], tmp_path, FAST, jobs=1)
    assert outcome.error == (f"{tmp_path / 'notes'}: is a file, not a deck folder postdeck made, so it was left as "
                             "it is; move it away, rename the article or build into another folder with -o")
    assert (tmp_path / "notes").read_text() == "mine\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".notes.old")] == []


def test_an_index_html_postdeck_did_not_write_is_never_overwritten(tmp_path: Path, seed: Path) -> None:
    (tmp_path / "index.html").write_text("<h1>my site</h1>\n")
    path = article(tmp_path, "story.txt", seed)
    result = CliRunner().invoke(cli, ["build", str(path), "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {tmp_path / 'index.html'}: was not written by postdeck, so it was left as it "
                             "is; move it away or build into another folder with -o (postdeck writes its list of "
                             "decks there)\n")
    assert (tmp_path / "index.html").read_text() == "<h1>my site</h1>\n"
    assert not (tmp_path / "story").exists()  # refused before anything was built


def test_postdecks_own_index_is_rewritten(tmp_path: Path, seed: Path) -> None:
    out = tmp_path / "out"
    build_all([article(tmp_path, "one.txt", seed)], out, FAST, jobs=1)
    outcome, = build_all([article(tmp_path, "two.txt", seed)], out, FAST, jobs=1)
    assert outcome.status == "built" and 'href="two/index.html"' in (out / "index.html").read_text()


def test_write_deck_folder_refuses_a_folder_without_a_deck(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "page.html").write_text("x")
    with pytest.raises(DeckError, match="is a folder postdeck did not make"):
        write_deck_folder(tmp_path / "site", {"deck.yaml": "title: x\n"})
    (tmp_path / "empty").mkdir()  # an empty folder holds nothing to lose
    write_deck_folder(tmp_path / "empty", {"deck.yaml": "title: x\n"})
    assert (tmp_path / "empty" / "deck.yaml").is_file()


def test_a_persons_files_in_a_deck_survive_a_rebuild_and_a_render(tmp_path: Path, seed: Path) -> None:
    out, path = tmp_path / "out", article(tmp_path, "story.txt", seed)
    build_all([path], out, FAST, jobs=1)
    deck = out / "story"
    (deck / "notes-for-client.txt").write_text("call Tuesday\n")
    (deck / "extra.png").write_bytes(b"\x89PNG mine")
    (deck / "cards" / "my-photo.jpg").write_bytes(b"jpeg mine")
    path.write_text(path.read_text(encoding="utf-8") + "\n\nOne more paragraph about posture at work.\n")
    outcome, = build_all([path], out, FAST, jobs=1)
    assert outcome.status == "built"
    render_deck_file(deck / "deck.yaml", sizes=("square",))
    assert (deck / "notes-for-client.txt").read_text() == "call Tuesday\n"
    assert (deck / "extra.png").read_bytes() == b"\x89PNG mine"
    assert (deck / "cards" / "my-photo.jpg").read_bytes() == b"jpeg mine"
    assert not (deck / "cards" / "01-portrait.png").exists()  # postdeck's own old cards do go


@pytest.mark.parametrize("name, own", [
    ("deck.yaml", True), ("captions.md", True), ("index.html", True), (".build.json", True),
    ("deck.edited-2.yaml", True), ("cards/01-portrait.png", True), ("cards/00-cover-story.jpg", True),
    ("cards/carousel-square.pdf", True), ("notes.txt", False), ("cards/photo.jpg", False), ("deck.yml", False),
])
def test_own_files_are_told_from_a_persons(name: str, own: bool) -> None:
    assert is_own_file(name) is own
