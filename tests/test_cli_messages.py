"""What a new user sees when they get something slightly wrong: one line that says what to do.

Each test asserts the whole message, so a change in wording is a deliberate one.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from postdeck.brand.files import resolve_template
from postdeck.cli import cli

from conftest import SEED

SUFFIXES = ".docx, .htm, .html, .markdown, .md, .mdx, .txt"


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(cli, ["build", str(SEED), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out / SEED.stem


def test_a_folder_build_names_each_skipped_file_on_stderr(seed: Path, tmp_path: Path) -> None:
    posts = tmp_path / "posts"
    posts.mkdir()
    shutil.copy(seed, posts)
    (posts / "notes.pdf").write_bytes(b"%PDF-1.7")
    (posts / "README.md").write_text("# What these articles are\n")
    (posts / ".DS_Store").write_bytes(b"\x00")  # hidden: not worth a line
    (posts / "~$article.docx").write_bytes(b"\x08Asha Rao")  # Word's owner file while it is open
    result = CliRunner().invoke(cli, ["build", str(posts), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[:2] == [
        f"{posts / 'README.md'}: skipped, its name says it is about the folder, not an article; rename it to build it",
        f"{posts / 'notes.pdf'}: skipped, postdeck reads {SUFFIXES}",
    ]
    assert "1 built, 0 up to date, 0 failed" in result.stdout


def test_render_accepts_the_deck_folder_and_says_captions_md_is_not_a_deck(deck: Path) -> None:
    ok = CliRunner().invoke(cli, ["render", str(deck), "--format", "JPEG"])
    assert ok.exit_code == 0, ok.output
    assert ok.output == f"{deck}: 9 slides (portrait; jpg) -> {deck / 'cards'}/\n"
    wrong = CliRunner().invoke(cli, ["render", str(deck / "captions.md")])
    assert (wrong.exit_code, wrong.output) == (
        2, f"Error: {deck / 'captions.md'}: is not a deck; give the deck folder or its deck.yaml\n")


@pytest.mark.parametrize("command", [["render"], ["export", "--csv", "x.csv"], ["publish", "--dry-run"],
                                     ["status"], ["unschedule"]])
def test_every_deck_argument_explains_an_output_folder_the_same_way(deck: Path, command: list[str]) -> None:
    result = CliRunner().invoke(cli, [command[0], str(deck.parent), *command[1:]])
    assert (result.exit_code, result.output) == (
        2, f"Error: {deck.parent}: is a folder of decks; give one of them, e.g. {deck}\n")


def test_help_says_what_render_and_unschedule_really_do() -> None:
    render = CliRunner().invoke(cli, ["render", "--help"], terminal_width=200).output
    fmt = " ".join(render.split("--format")[1].split("--")[0].split())
    assert fmt == "TEXT Card files, comma-separated: png, jpg, pdf. [default: the deck's]"
    assert "[default: png]" not in render
    unschedule = CliRunner().invoke(cli, ["unschedule", "--help"], terminal_width=200).output
    assert "Where the posts were scheduled." in unschedule and "Where to schedule." not in unschedule


def test_template_names_ignore_case_when_unambiguous(tmp_path: Path) -> None:
    assert resolve_template("Clinic", tmp_path).name == "clinic.yaml"
    (tmp_path / "templates").mkdir()
    for name in ("acme", "ACME"):
        (tmp_path / "templates" / f"{name}.yaml").write_text("name: x\n")
    if len(list((tmp_path / "templates").glob("*.yaml"))) == 2:  # a case-sensitive file system
        with pytest.raises(Exception, match="template 'Acme' not found"):
            resolve_template("Acme", tmp_path)


FAINT = ("name: Faint\nfonts: {headline: Inter-Bold.otf, quote: Inter-Regular.otf, small: Inter-Regular.otf}\n"
         "colors: {background: '#ffffff', text: '#1a1a1a', accent: '#ffee58', muted: '#cccccc'}\n")


def test_check_reports_every_faint_colour_in_one_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "faint.yaml").write_text(FAINT)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "faint"])
    aa = "WCAG AA needs 4.5:1, so pick a colour with more contrast or change the background"
    assert (result.exit_code, result.output) == (1, (
        "Error: templates/faint.yaml: colors.muted: #cccccc measures 1.61:1 against the background behind the "
        f"brand mark on the portrait cover; {aa}\n"
        "templates/faint.yaml: colors.accent: #ffee58 measures 1.19:1 against the background behind the "
        f"swipe cue on the portrait cover; {aa}\n"))


def test_check_saves_the_sample_cards_where_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "default", "--out", "sample"])
    source = resolve_template("default")
    assert (result.exit_code, result.output) == (0, (
        f"{source}: ok (Postdeck; rendered portrait, square, story, landscape, pinterest; sample cards in sample/)\n"))
    names = sorted(p.name for p in (tmp_path / "sample").iterdir())
    # Five slides of the English sample and four of the Arabic one (rtl-...) at each of five sizes.
    assert len(names) == 5 * 5 + 4 * 5 and names[:2] == ["00-cover-landscape.png", "00-cover-pinterest.png"]
    assert "04-closing-portrait.png" in names and "01-story.png" in names and "rtl-00-cover-landscape.png" in names


def test_publish_dry_run_is_a_summary_and_warns_of_a_missing_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fake_servers import make_deck

    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.delenv("POSTIZ_API_KEY", raising=False)
    deck = make_deck(tmp_path / "output", n_posts=1)
    result = CliRunner().invoke(cli, ["publish", str(deck), "--dry-run", "--channel", "instagram",
                                      "--start", "2027-01-05T09:00", "--tz", "Asia/Kolkata"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "POST   /public/v1/upload  back-pain post 1 -> instagram at Tue 2027-01-05 09:00 IST (01-portrait.jpg)\n"
        "POST   /public/v1/posts  back-pain post 1 -> instagram at Tue 2027-01-05 09:00 IST\n"
        "2 requests for 1 post would be sent; add -v (or --json) for the full request bodies\n")
    assert result.stderr == "note: POSTIZ_API_KEY is not set; the real run needs it in .env or the environment\n"


def test_export_counts_one_row_in_the_singular(tmp_path: Path) -> None:
    from postdeck.deck.deckfile import dump_deck
    from postdeck.model import Deck, Post

    post = Post(n=1, headline="H", quote="Q", body="B", captions={"x": "One caption."}, card="cards/01-portrait.png")
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "deck.yaml").write_text(dump_deck(Deck(title="T", source="posts/a.txt", slug="a", posts=(post,))))
    result = CliRunner().invoke(cli, ["export", str(folder), "--csv", str(tmp_path / "a.csv")])
    assert (result.exit_code, result.output) == (0, f"{tmp_path / 'a.csv'}: 1 row, 0 scheduled, 1 with planned dates "
                                                    "(not scheduled yet)\n")
