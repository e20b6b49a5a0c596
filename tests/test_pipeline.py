from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from postdeck.deck.folder import recover, write_deck_folder


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
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["deck"]  # no temporary folder or lock file left


def test_rewriting_a_deck_folder_replaces_it_whole(tmp_path: Path) -> None:
    folder = tmp_path / "deck"
    write_deck_folder(folder, {"deck.yaml": "1", "old.txt": "gone soon"})
    write_deck_folder(folder, {"deck.yaml": "2"})  # a build carries a person's files itself (user_files)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck"]
    assert [p.name for p in folder.iterdir()] == ["deck.yaml"] and (folder / "deck.yaml").read_text() == "2"


# --- a killed or failed swap, and builds of one deck at the same time ---------------------------

KILL_BETWEEN_RENAMES = """
import os, pathlib, sys
real = pathlib.Path.rename
def rename(self, target):
    moved = real(self, target)
    if ".old" in pathlib.Path(target).name:  # the old deck moved aside, the new one not yet in
        os._exit(9)
    return moved
pathlib.Path.rename = rename
from postdeck.cli import main
sys.argv = ["postdeck", *sys.argv[1:]]
main()
"""


def postdeck(*args: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
    command = ["-c", code] if code else ["-m", "postdeck.cli"]
    return subprocess.run([sys.executable, *command, *args], capture_output=True, text=True, timeout=120)


def test_a_build_killed_between_the_renames_loses_no_deck(tmp_path: Path, seed: Path) -> None:
    """The next build puts the old deck back before it looks at it: a person's edits survive."""
    out = tmp_path / "out"
    assert postdeck("build", str(seed), "-o", str(out), "-q").returncode == 0
    deck = out / seed.stem / "deck.yaml"
    edited = deck.read_text(encoding="utf-8").replace("title:", "title: EDITED", 1)
    deck.write_text(edited, encoding="utf-8")
    killed = postdeck("build", "--force", str(seed), "-o", str(out), "-q", code=KILL_BETWEEN_RENAMES)
    assert killed.returncode == 9 and not deck.exists()  # the kill really came between the renames
    again = postdeck("build", str(seed), "-o", str(out))
    assert again.returncode == 0 and "1 up to date" in again.stdout, again.stderr  # the deck is back, stamp and all
    assert deck.read_text(encoding="utf-8") == edited
    assert [p.name for p in out.iterdir() if ".old" in p.name] == []
    forced = postdeck("build", "--force", str(seed), "-o", str(out), "-q")
    assert forced.returncode == 0, forced.stderr
    assert (out / seed.stem / "deck.edited.yaml").read_text(encoding="utf-8") == edited
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []  # no .slug.lock left beside the deck


def test_a_render_after_the_kill_finds_the_deck_too(tmp_path: Path) -> None:
    folder = tmp_path / "deck"
    write_deck_folder(folder, {"deck.yaml": "kept\n"})
    folder.rename(tmp_path / ".deck.old-0123abcd")  # what the kill leaves
    recover(folder)
    assert (folder / "deck.yaml").read_text() == "kept\n"


def test_a_failed_rename_puts_the_old_deck_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "deck"
    write_deck_folder(folder, {"deck.yaml": "old\n"})
    real = Path.rename

    def rename(self: Path, target: Path) -> Path:
        if Path(target) == folder and ".old-" not in self.name:  # the new deck into place: e.g. a disk error
            raise OSError(5, "Input/output error")
        return real(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(OSError):
        write_deck_folder(folder, {"deck.yaml": "new\n"})
    monkeypatch.undo()
    assert (folder / "deck.yaml").read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck"]


def test_parallel_builds_of_one_article_all_succeed(tmp_path: Path, seed: Path) -> None:
    """Processes, like cron and a person at once: each waits for the deck's lock."""
    out = tmp_path / "out"
    command = [sys.executable, "-m", "postdeck.cli", "build", "--force", str(seed), "-o", str(out), "-q"]
    procs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]  # type: ignore[union-attr]
    assert results == [(0, "")] * 4
    folder = out / seed.stem
    stamp = json.loads((folder / ".build.json").read_text(encoding="utf-8"))
    assert stamp["deck_sha256"] == hashlib.sha256((folder / "deck.yaml").read_bytes()).hexdigest()
    assert stamp["result"]["cards"] == len(list((folder / "cards").iterdir()))
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []  # no .slug.lock left beside the deck


def test_parallel_builds_with_slow_renames_keep_deck_and_stamp(tmp_path: Path, seed: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Threads, each its own build; renames slowed down so that, without the lock, one build's swap
    lands while another writes its stamp (this failed with '.build.json.tmp: No such file')."""
    from postdeck.build import BuildOptions, build_all

    real = Path.rename

    def slow(self: Path, target: Path) -> Path:
        moved = real(self, target)
        time.sleep(0.05)
        return moved

    monkeypatch.setattr(Path, "rename", slow)
    out, errors = tmp_path / "out", []

    def build() -> None:
        errors.extend(o.error for o in build_all([seed], out, BuildOptions(posts=2), force=True, jobs=1))

    threads = [threading.Thread(target=build) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [None] * 4
    folder = out / seed.stem
    stamp = json.loads((folder / ".build.json").read_text(encoding="utf-8"))
    assert stamp["deck_sha256"] == hashlib.sha256((folder / "deck.yaml").read_bytes()).hexdigest()


def test_locks_work_on_every_os() -> None:
    """fcntl exists only on Unix (no lock at all on Windows): every lock goes through filelock."""
    src = Path(__file__).resolve().parent.parent / "src" / "postdeck"
    assert [p.name for p in src.rglob("*.py") if "fcntl" in p.read_text(encoding="utf-8")] == []


def test_the_command_leaves_at_once_with_everything_said_and_its_exit_code(tmp_path: Path, seed: Path) -> None:
    # main() ends the process without tearing the interpreter down (~15 ms a build): what the
    # command printed must still all arrive, and its exit code stay the same.
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # as a user's shell has it

    def postdeck(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "postdeck.cli", *args], capture_output=True, text=True,
                              timeout=120, env=buffered)

    built = postdeck("build", str(seed), "-o", str(tmp_path / "out"), "--json")
    assert built.returncode == 0 and json.loads(built.stdout)[0]["status"] == "built", built.stderr
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    failed = postdeck("build", str(empty), "-o", str(tmp_path / "out"))
    assert failed.returncode == 1 and failed.stderr.startswith("Error: ") and "Traceback" not in failed.stderr
    usage = postdeck("build", str(tmp_path / "missing.txt"))
    assert usage.returncode == 2 and "does not exist" in usage.stderr
    listed = postdeck("templates")
    assert listed.returncode == 0 and listed.stdout.endswith("\n") and "clinic" in listed.stdout
