from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import pty
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from postdeck.build import STAMP, Outcome, build_all, build_article, expand_articles
from postdeck.cli.report import summary_table
from postdeck.cli import cli
from postdeck.errors import TemplateError
from postdeck.build import BuildOptions

# Two posts per deck keep the card rendering, and so the tests, quick.
FAST = BuildOptions(posts=2)
BINARY = "is a binary file, not an article; give a .docx, .html, .md, .mdx or .txt file"


@pytest.fixture
def posts(tmp_path: Path, seed: Path) -> Path:
    """Six copies of the seed article under different names, and one broken article."""
    folder = tmp_path / "posts"
    folder.mkdir()
    for i in range(1, 7):
        (folder / f"article-{i}.txt").write_bytes(seed.read_bytes())
    (folder / "broken.txt").write_bytes(b"\x00\x01 not text")
    return folder


def statuses(outcomes: list[Outcome]) -> dict[str, str]:
    return {Path(o.source).name: o.status for o in outcomes}


def test_builds_every_article_in_parallel_and_reports_the_bad_one(posts: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    finished: list[Outcome] = []
    outcomes = build_all([posts], out, FAST, jobs=2, on_done=finished.append)
    # Outcomes come back in the articles' (sorted) order whatever order the workers finished in.
    assert [Path(o.source).name for o in outcomes] == [p.name for p in expand_articles([posts])]
    assert sorted(o.source for o in finished) == sorted(o.source for o in outcomes)
    assert statuses(outcomes) == {**{f"article-{i}.txt": "built" for i in range(1, 7)}, "broken.txt": "failed"}
    broken = next(o for o in outcomes if o.failed)
    assert broken.error == f"{posts / 'broken.txt'}: {BINARY}"
    assert not (out / "broken").exists()  # nothing half-written for the bad article
    for i in range(1, 7):
        deck = out / f"article-{i}"
        assert {"deck.yaml", "captions.md", "index.html", STAMP} <= {p.name for p in deck.iterdir()}
        assert f'href="article-{i}/index.html"' in (out / "index.html").read_text()
    built = [o for o in outcomes if o.status == "built"]
    assert all(o.posts == 2 and o.seconds > 0 for o in built)


def test_second_run_skips_up_to_date_decks(posts: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_all([posts], out, FAST, jobs=2)
    before = (out / "article-1" / "deck.yaml").stat().st_mtime_ns
    again = build_all([posts], out, FAST, jobs=2)
    assert statuses(again) == {**{f"article-{i}.txt": "skipped" for i in range(1, 7)}, "broken.txt": "failed"}
    assert (out / "article-1" / "deck.yaml").stat().st_mtime_ns == before
    assert all(o.posts == 2 for o in again if o.status == "skipped")  # counts come from the stamp


def test_what_makes_a_deck_out_of_date(posts: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (posts / "broken.txt").unlink()
    build_all([posts], out, FAST, jobs=2)
    with (posts / "article-2.txt").open("a") as f:
        f.write("\nOne more line.\n")  # changed source
    (out / "article-3" / STAMP).unlink()  # deck built by an older postdeck, or by hand
    (out / "article-4" / "deck.yaml").unlink()  # deck removed
    outcomes = build_all([posts], out, FAST, jobs=2)
    rebuilt = {n for n, s in statuses(outcomes).items() if s == "built"}
    assert rebuilt == {"article-2.txt", "article-3.txt", "article-4.txt"}
    # Different options or --force rebuild everything.
    assert set(statuses(build_all([posts], out, BuildOptions(posts=1), jobs=2)).values()) == {"built"}
    assert set(statuses(build_all([posts], out, BuildOptions(posts=1), jobs=2)).values()) == {"skipped"}
    assert set(statuses(build_all([posts], out, BuildOptions(posts=1), force=True)).values()) == {"built"}


def test_stamp_records_what_the_deck_depends_on(posts: Path, tmp_path: Path) -> None:
    build_all([posts / "article-1.txt"], tmp_path / "out", FAST)
    stamp = json.loads((tmp_path / "out" / "article-1" / STAMP).read_text())
    assert set(stamp["inputs"]) == {"source", "template", "options", "postdeck"}
    assert stamp["inputs"]["options"]["posts"] == 2
    assert stamp["inputs"]["source"] == hashlib.sha256((posts / "article-1.txt").read_bytes()).hexdigest()
    assert set(stamp["result"]) == {"posts", "cards", "warnings"} and stamp["result"]["posts"] == 2


def test_two_articles_for_one_deck_folder(posts: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "article-1.md").write_text("# Title\n\n## One\n\nText.\n")
    outcomes = build_all([posts / "article-1.txt", other / "article-1.md"], tmp_path / "out", FAST)
    assert [o.status for o in outcomes] == ["built", "failed"]
    assert outcomes[1].error == (
        f"{other / 'article-1.md'}: builds the same deck folder {tmp_path / 'out' / 'article-1'} "
        f"as {posts / 'article-1.txt'}; rename one of them"
    )


def test_unknown_template_is_one_error_for_the_batch(posts: Path, tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="template 'nope' not found"):
        build_all([posts], tmp_path / "out", BuildOptions(template="nope"))
    assert not (tmp_path / "out").exists()


def test_summary_table() -> None:
    table = summary_table([
        Outcome("posts/a.txt", "built", "a", posts=7, cards=9, warnings=("w",), seconds=1.234),
        Outcome("posts/long-name.md", "skipped", "long-name", posts=5),
        Outcome("posts/bad.txt", "failed", "bad", error="posts/bad.txt: is empty"),
    ])
    assert table.splitlines() == [
        "article             status      posts  cards  warnings   time",
        "posts/a.txt         built           7      9         1  1.23s",
        "posts/long-name.md  up to date      5      0         0      -",
        "posts/bad.txt       FAILED          0      0         0      -",
        "1 built, 1 up to date, 1 failed",
    ]


def test_cli_build_folder_reports_failure_and_skips_on_second_run(posts: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["build", str(posts), "-o", str(out), "--jobs", "2", "--posts", "2"]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 1, first.output
    assert "6 built, 0 up to date, 1 failed" in first.output
    assert f"Error: {posts / 'broken.txt'}: {BINARY}\n" in first.output
    assert "Building" not in first.output  # no progress bar when stderr is not a terminal
    second = CliRunner().invoke(cli, args)
    assert second.exit_code == 1
    assert "0 built, 6 up to date, 1 failed" in second.output
    forced = CliRunner().invoke(cli, [*args, "--force", "--json"])
    rows = json.loads(forced.stdout)
    assert [r["status"] for r in rows] == ["built"] * 6 + ["failed"]


def test_cli_build_exit_code_0_when_all_built(posts: Path, tmp_path: Path) -> None:
    (posts / "broken.txt").unlink()
    result = CliRunner().invoke(cli, ["build", str(posts), "-o", str(tmp_path / "out"), "-j", "2", "--posts", "2"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "6 built, 0 up to date, 0 failed"


def test_progress_bar_on_a_terminal(posts: Path, tmp_path: Path) -> None:
    # stderr is a real pseudo-terminal here, as when a person runs postdeck in a shell.
    main, child = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from postdeck.cli import main; main()", "build", str(posts),
         "-o", str(tmp_path / "out"), "-j", "2", "--posts", "2"],
        stdout=subprocess.PIPE, stderr=child, env={**os.environ, "COLUMNS": "100"},
    )
    os.close(child)
    shown = bytearray()
    reader = threading.Thread(target=drain, args=(main, shown))  # so the child never blocks on a full pty
    reader.start()
    stdout, _ = proc.communicate(timeout=120)
    reader.join(timeout=10)
    os.close(main)
    assert proc.returncode == 1
    assert b"Building" in shown and b"100%" in shown
    assert b"Building" not in stdout  # the table on stdout stays clean for pipes
    assert b"6 built, 0 up to date, 1 failed" in stdout


def drain(fd: int, into: bytearray) -> None:
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the child's side is closed
            return
        if not chunk:
            return
        into += chunk


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="the patch reaches workers only by fork")
def test_a_worker_that_dies_fails_its_article_only(posts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A worker killed mid-build (e.g. by the out-of-memory killer) breaks the pool: every article
    # not yet finished is reported as failed, none is lost, and the batch still returns.
    (posts / "broken.txt").unlink()
    (posts / "article-3.txt").write_text("Die\n\nKILL WORKER\n")
    monkeypatch.setattr("postdeck.build.build_article", _dies_on_kill)
    outcomes = build_all([posts], tmp_path / "out", FAST, jobs=2)
    died = [o for o in outcomes if o.failed]
    assert died and all("the process building it stopped (BrokenProcessPool)" in str(o.error) for o in died)
    assert f"{posts / 'article-3.txt'}" in [o.source for o in died]
    assert len(outcomes) == 6


_build_article = build_article  # the real one, before the test patches postdeck.build.build_article


def _dies_on_kill(path: Path, out_dir: Path, options: BuildOptions, **kept: object) -> object:
    if "KILL WORKER" in path.read_text():
        os._exit(9)
    return _build_article(path, out_dir, options, **kept)  # type: ignore[arg-type]


def test_articles_named_in_other_scripts_get_readable_folders_of_their_own(tmp_path: Path) -> None:
    folder = tmp_path / "posts"
    folder.mkdir()
    data = Path(__file__).parent / "data"
    (folder / "घुटने का दर्द.md").write_bytes((data / "hindi-knee.md").read_bytes())
    (folder / "الوقاية.md").write_bytes((data / "arabic.md").read_bytes())
    (folder / "📊.md").write_bytes((data / "arabic.md").read_bytes())
    outcomes = build_all([folder], tmp_path / "out", FAST, jobs=1)
    assert sorted(o.slug for o in outcomes) == sorted(
        ["घुटने-का-दर्द", "الوقاية", "article-" + hashlib.sha1("📊".encode()).hexdigest()[:8]]
    )
    assert all(o.status == "built" for o in outcomes), [o.error for o in outcomes]
