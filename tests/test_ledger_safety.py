"""The ledger is what keeps a post from going out twice: found wherever publish runs from, never
mistaken for a new one when empty, damaged or someone else's, and never changed when foreign.

Issue 10, items 3, 4 and 12, and the kill test: publish killed after any request, re-run from
other directories and against damaged ledgers, schedules every post exactly once.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner
from fake_servers import FakePostiz, env_for, make_deck

from postdeck.cli import cli
from postdeck.errors import PublishError
from postdeck.publish import ledger as ledger_mod
from postdeck.publish.ledger import Ledger, ledger_beside
from postdeck.publish.run import PublishOptions, publish
from test_publish_faults import CHANNELS, DyingSession, assert_exactly_once
from test_publish_postiz import effects

START = dict(provider="postiz", start="2026-12-07T09:00", every="1d", tz="Asia/Kolkata")
RESTORE = ("restore the ledger from a backup, or move this file aside once you have checked what is already "
           "scheduled at the provider (a new ledger schedules every post again)")


def run(server: FakePostiz, deck: Path, session: requests.Session | None = None, **kw: Any) -> Any:
    fx = effects(server)
    fx = type(fx)(**{**fx.__dict__, "session": session or requests.Session()})
    return publish([deck], PublishOptions(**{**START, **kw}), fx)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- item 3: the ledger lives beside the decks, whatever the current directory ------------------


def test_publish_from_other_directories_uses_the_ledger_beside_the_deck(tmp_path, postiz, monkeypatch):
    deck = make_deck(tmp_path / "output")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = env_for(postiz)
    for cwd, path in ((tmp_path, "output/back-pain"), (elsewhere, "../output/back-pain"), (deck, "."),
                      (elsewhere, str(deck / "deck.yaml"))):
        monkeypatch.chdir(cwd)
        r = CliRunner().invoke(cli, ["publish", path, "--start", "2030-01-07T09:00", "--tz", "UTC"], env=env)
        assert r.exit_code == 0, r.output
    assert_exactly_once(postiz)
    assert (tmp_path / "output" / "ledger.sqlite").is_file()
    assert not (elsewhere / "output").exists() and not (deck / "output").exists()
    monkeypatch.chdir(elsewhere)
    r = CliRunner().invoke(cli, ["status", "../output/back-pain"])
    assert r.output.count(" created ") == 3 * len(CHANNELS)


def test_decks_in_two_output_folders_need_a_ledger_named(tmp_path):
    decks = [tmp_path / "a" / "one", tmp_path / "b" / "two"]
    for d in decks:
        d.mkdir(parents=True)
    with pytest.raises(PublishError, match=r"^the decks are in 2 output folders .*; publish each folder's decks "
                                           r"on their own, or name one --ledger$"):
        ledger_beside(decks)
    assert ledger_beside([decks[0], decks[0] / "deck.yaml"]) == tmp_path / "a" / "ledger.sqlite"


# --- item 4: an empty, damaged or foreign ledger is an error, and a foreign one stays as it was --


def test_an_empty_ledger_is_refused_not_taken_for_a_new_one(tmp_path, postiz):
    deck = make_deck(tmp_path)
    run(postiz, deck)
    before = len(postiz.live_posts())
    (tmp_path / "ledger.sqlite").write_bytes(b"")
    for name in ("ledger.sqlite-wal", "ledger.sqlite-shm"):
        (tmp_path / name).unlink(missing_ok=True)
    with pytest.raises(PublishError) as e:
        run(postiz, deck)
    assert str(e.value) == f"{tmp_path / 'ledger.sqlite'}: is empty (0 bytes), not a postdeck ledger; {RESTORE}"
    assert len(postiz.live_posts()) == before
    assert (tmp_path / "ledger.sqlite").read_bytes() == b""


def test_a_foreign_sqlite_database_is_refused_and_left_unchanged(tmp_path, postiz):
    deck = make_deck(tmp_path)
    other = tmp_path / "accounts.db"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE customers (name TEXT)")
    db.execute("INSERT INTO customers VALUES ('Asha')")
    db.commit()
    db.close()
    before = digest(other)
    for dry_run in (False, True):
        with pytest.raises(PublishError) as e:
            run(postiz, deck, ledger=other, dry_run=dry_run)
        assert str(e.value) == (f"{other}: is an SQLite database but not a postdeck ledger (no posts table of "
                                "postdeck's), and it was left unchanged; leave out --ledger to use ledger.sqlite "
                                "beside the decks, or name the ledger publish wrote")
    assert digest(other) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("accounts")) == ["accounts.db"]
    assert postiz.live_posts() == []


def test_a_truncated_ledger_is_refused(tmp_path, postiz):
    deck = make_deck(tmp_path)
    run(postiz, deck)
    path = tmp_path / "ledger.sqlite"
    Ledger(path).close()  # the last close folds the WAL into the file, as a copy elsewhere would have it
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(PublishError, match=rf"^{path}: is damaged or not a postdeck ledger \(.*\); "):
        run(postiz, deck)
    assert_exactly_once(postiz)


def test_a_new_ledger_is_never_left_half_made(tmp_path, monkeypatch):
    """A kill while the new ledger is made leaves no 0-byte ledger.sqlite for the next run to refuse."""
    def killed(*paths: Path) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(ledger_mod.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        Ledger(tmp_path / "ledger.sqlite")
    assert not (tmp_path / "ledger.sqlite").exists()
    monkeypatch.undo()
    Ledger(tmp_path / "ledger.sqlite").close()  # the next run makes it afresh
    assert ledger_mod.Ledger.read_only(tmp_path / "ledger.sqlite") is not None


# --- item 12: a lock held by another program names it ---------------------------------------------

HOLD = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("INSERT INTO events (at) VALUES ('x')")
print("holding", flush=True)
time.sleep(60)
"""


def test_a_ledger_locked_by_another_program_says_which_and_what_to_do(tmp_path, monkeypatch):
    path = tmp_path / "ledger.sqlite"
    Ledger(path).close()
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
        monkeypatch.setattr(ledger_mod, "BUSY_TIMEOUT", 0.2)
        ledger = Ledger(path)
        from postdeck.publish.provider import Channel, Item
        from datetime import datetime, timezone

        item = Item(deck="d", key="1", channel=Channel(id="c", name="c", platform="x"),
                    when=datetime(2030, 1, 1, tzinfo=timezone.utc), text="t")
        with pytest.raises(PublishError) as e:
            ledger.plan("postiz", item, "2030-01-01T00:00:00Z", "UTC")
        ledger.close()
    finally:
        holder.kill()
        holder.wait()
    name = Path(sys.executable).name[:15]
    assert str(e.value) == (f"{path}: the ledger is locked by process {holder.pid} ({name}); close it (an sqlite3 "
                            "shell or database browser keeps the lock while a change is open), then run again")


# --- the kill test ------------------------------------------------------------------------------


def test_killed_runs_from_other_directories_and_damaged_ledgers_never_duplicate(tmp_path, monkeypatch):
    """Each run is killed after request k (channels, 3 uploads, 3 creates: one per slot), from one directory;
    the ledger is then damaged (emptied, truncated, overwritten) and the re-run from another
    directory must refuse; with the ledger restored, a re-run from a third finishes exactly once."""
    damages = {"empty": lambda b: b"", "truncated": lambda b: b[: len(b) // 3], "garbage": lambda b: b"\x00" * len(b)}
    dirs = ["root", "elsewhere", "deck"]
    for k in range(1, 8):
        with FakePostiz() as server:
            root = tmp_path / f"k{k}"
            deck = make_deck(root / "output")
            (root / "elsewhere").mkdir()
            ledger = root / "output" / "ledger.sqlite"
            where = {"root": (root, Path("output/back-pain")), "elsewhere": (root / "elsewhere", Path("../output/back-pain")),
                     "deck": (deck, Path("."))}
            cwd, path = where[dirs[k % 3]]
            monkeypatch.chdir(cwd)
            with pytest.raises(KeyboardInterrupt):
                run(server, path, DyingSession(k))
            Ledger(ledger).close()  # checkpoint: the backup is the whole ledger
            backup = ledger.read_bytes()
            live = len(server.live_posts())
            name, damage = list(damages.items())[k % 3]
            ledger.write_bytes(damage(backup))
            cwd, path = where[dirs[(k + 1) % 3]]
            monkeypatch.chdir(cwd)
            with pytest.raises(PublishError, match="not a postdeck ledger"):
                run(server, path)
            assert len(server.live_posts()) == live, name
            ledger.write_bytes(backup)
            cwd, path = where[dirs[(k + 2) % 3]]
            monkeypatch.chdir(cwd)
            run(server, path)
            assert_exactly_once(server)
            shutil.rmtree(root / "elsewhere")


def test_a_real_publish_killed_in_one_directory_finishes_from_another(tmp_path, postiz):
    """A `postdeck publish` process SIGKILLed inside its second create call from ./elsewhere; a
    re-run against an emptied ledger refuses; the restored ledger, re-run from inside the deck
    folder, finds the post the killed run made: 0 duplicates."""
    deck = make_deck(tmp_path / "output")
    (tmp_path / "elsewhere").mkdir()
    postiz.fail("POST /posts", None, "hold-after")  # the first slot answered, the second held
    command = [sys.executable, "-m", "postdeck.cli", "publish", "--start", "2030-01-07T09:00", "--tz", "UTC"]
    env = {**os.environ, **env_for(postiz)}
    proc = subprocess.Popen([*command, "../output/back-pain"], cwd=tmp_path / "elsewhere", env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert postiz.holding.wait(30), "the second create call never arrived"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    finally:
        postiz.release.set()
    ledger = tmp_path / "output" / "ledger.sqlite"
    assert len(postiz.live_posts()) == 6 and not (tmp_path / "elsewhere" / "output").exists()
    Ledger(ledger).close()  # fold the WAL in: the file alone is the ledger
    kept = ledger.read_bytes()
    ledger.write_bytes(b"")
    empty = subprocess.run([*command, "."], cwd=deck, env=env, capture_output=True, text=True, timeout=60)
    assert empty.returncode == 1 and "is empty (0 bytes), not a postdeck ledger" in empty.stderr
    assert len(postiz.live_posts()) == 6
    ledger.write_bytes(kept)
    done = subprocess.run([*command, "."], cwd=deck, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert_exactly_once(postiz)
