"""The publishing ledger: what postdeck asked each provider to do, one row per post per channel.

States: planned (or waiting: kept for a later run by the rate limit) -> media (cards uploaded, ids kept) -> creating (intent recorded just before the
create call: the outcome is unknown until the answer is stored) -> created (remote id) | failed
(error); deleted after ``unschedule``. Every write is committed at once, so a killed process
leaves the ledger telling the truth about what may have happened.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from postdeck.deck.lockfile import Busy, HeldLock
from postdeck.errors import PublishError
from postdeck.publish.provider import Item

LEDGER_NAME = "ledger.sqlite"  # in the output folder, beside the deck folders (export looks there)
DEFAULT_PATH = Path("output") / LEDGER_NAME  # 'status' without a deck: the output folder here
# A file with a posts table holding these columns is a postdeck ledger; anything else is not ours.
BUSY_TIMEOUT = 5.0  # seconds to wait for another program's write to the ledger to finish
LEDGER_COLUMNS = {"provider", "deck", "item", "channel_id", "state", "slot_utc", "remote_id"}


def ledger_for(given: Path | None, decks: list[Path]) -> Path:
    """--ledger, else ledger.sqlite beside the decks' folders, else (no deck) output/ledger.sqlite."""
    return given or (ledger_beside(decks) if decks else DEFAULT_PATH)


def ledger_beside(decks: list[Path]) -> Path:
    """The ledger of these decks: ledger.sqlite in their output folder (the deck folders' parent),
    where ``export`` looks too, whatever the current directory."""
    outs = set()
    for deck in decks:
        folder = deck if deck.is_dir() else deck.parent
        if folder.name in ("", ".", ".."):  # 'publish .' from inside the deck folder
            folder = folder.resolve()
        outs.add(folder.parent)
    if len(outs) != 1:
        raise PublishError(f"the decks are in {len(outs)} output folders ({', '.join(sorted(map(str, outs)))}), "
                           "each with its own ledger; publish each folder's decks on their own, or name one --ledger")
    return outs.pop() / LEDGER_NAME


_SCHEMA = """
CREATE TABLE IF NOT EXISTS posts (
    provider TEXT NOT NULL, deck TEXT NOT NULL, item TEXT NOT NULL, channel_id TEXT NOT NULL,
    channel TEXT NOT NULL, platform TEXT NOT NULL, slot_utc TEXT NOT NULL, tz TEXT NOT NULL,
    state TEXT NOT NULL, remote_id TEXT, media TEXT, error TEXT, attempts INTEGER NOT NULL DEFAULT 0,
    fingerprint TEXT, content TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL, content_sha TEXT,
    PRIMARY KEY (provider, deck, item, channel_id)
);
CREATE TABLE IF NOT EXISTS media (
    provider TEXT NOT NULL, sha256 TEXT NOT NULL, file TEXT NOT NULL, ref TEXT NOT NULL,
    PRIMARY KEY (provider, sha256)
);
CREATE TABLE IF NOT EXISTS requests (
    provider TEXT NOT NULL, at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, provider TEXT, deck TEXT, item TEXT,
    channel_id TEXT, state TEXT, detail TEXT
);
"""


@dataclass(frozen=True)
class Row:
    provider: str
    deck: str
    item: str
    channel_id: str
    channel: str
    platform: str
    slot_utc: str
    tz: str
    state: str
    remote_id: str | None
    media: list[dict[str, str]] | None
    error: str | None
    attempts: int
    content: str
    content_sha: str | None = None  # changes.content_digest of what the create call sent


class Ledger:
    def __init__(self, path: Path, clock: Callable[[], datetime] | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = _exclusive(path)
        try:
            if not path.exists():
                create_ledger(path)
            self._db = _Guarded(_opened(path, _writable), path)
        except BaseException:
            self._lock.close()  # a broken ledger must not stay locked for the next run
            raise
        self._clock = clock or (lambda: datetime.now(UTC))

    @classmethod
    def read_only(cls, path: Path) -> Ledger | None:
        """For --dry-run, status and export: never creates the file."""
        if not path.is_file():
            return None
        self = cls.__new__(cls)
        self._lock = None
        self._db = _Guarded(_opened(path, _readable), path)
        self._clock = lambda: datetime.now(UTC)
        return self

    def close(self) -> None:
        self._db.close()
        if self._lock is not None:
            self._lock.close()  # closing the file releases the lock

    def _now(self) -> str:
        return self._clock().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def rows(self, provider: str | None = None, deck: str | None = None) -> list[Row]:
        sql, args = "SELECT * FROM posts WHERE 1=1", []
        for col, val in (("provider", provider), ("deck", deck)):
            if val is not None:
                sql += f" AND {col} = ?"
                args.append(val)
        cur = self._db.execute(sql + " ORDER BY slot_utc, deck, item, platform, channel", args)
        return [_row(cur.description, r) for r in cur.fetchall()]

    def get(self, provider: str, item: Item) -> Row | None:
        cur = self._db.execute(
            "SELECT * FROM posts WHERE provider=? AND deck=? AND item=? AND channel_id=?",
            (provider, item.deck, item.key, item.channel.id))
        r = cur.fetchone()
        return _row(cur.description, r) if r else None

    def plan(self, provider: str, item: Item, slot_utc: str, tz: str) -> None:
        """Record the planned slot (a deleted row is planned afresh)."""
        changed = self._db.execute(
            "INSERT INTO posts (provider, deck, item, channel_id, channel, platform, slot_utc, tz, state,"
            " fingerprint, content, updated_at) VALUES (?,?,?,?,?,?,?,?, 'planned', ?, ?, ?)"
            " ON CONFLICT(provider, deck, item, channel_id) DO UPDATE SET state='planned', slot_utc=excluded.slot_utc,"
            " tz=excluded.tz, remote_id=NULL, error=NULL, fingerprint=excluded.fingerprint,"
            " content=excluded.content, updated_at=excluded.updated_at WHERE posts.state='deleted'",
            (provider, item.deck, item.key, item.channel.id, item.channel.name, item.channel.platform,
             slot_utc, tz, item.fingerprint(), item.text, self._now())).rowcount
        if changed:  # a row already planned (or sent) is left alone, and so is the event log
            self._event(provider, item, "planned", slot_utc)

    def reslot(self, provider: str, item: Item, slot_utc: str, tz: str) -> None:
        """Move a post that was never sent (its slot passed) to a new slot; a post that was, or
        may have been, created is never moved."""
        changed = self._db.execute(
            "UPDATE posts SET slot_utc=?, tz=?, fingerprint=?, content=?, updated_at=? WHERE provider=? AND deck=?"
            " AND item=? AND channel_id=? AND state IN ('planned', 'media', 'failed', 'waiting')",
            (slot_utc, tz, item.fingerprint(), item.text, self._now(), provider, item.deck, item.key, item.channel.id)
        ).rowcount
        if changed:
            self._event(provider, item, "rescheduled", slot_utc)

    def set(self, provider: str, item: Item, state: str, **fields: Any) -> None:
        extra = ", attempts=attempts+1" if fields.pop("attempt", False) else ""
        if "media" in fields:
            fields["media"] = json.dumps(fields["media"])
        cols = ", ".join(f"{k}=?" for k in fields)
        sets = f"state=?, updated_at=?{', ' + cols if cols else ''}"
        self._db.execute(
            f"UPDATE posts SET {sets}{extra} WHERE provider=? AND deck=? AND item=? AND channel_id=?",
            (state, self._now(), *fields.values(), provider, item.deck, item.key, item.channel.id))
        self._event(provider, item, state, fields.get("error") or fields.get("remote_id") or "")

    def note_error(self, provider: str, item: Item, error: str) -> None:
        """Keep the state (the outcome may still be unknown) but remember what went wrong."""
        self._db.execute(
            "UPDATE posts SET error=?, updated_at=? WHERE provider=? AND deck=? AND item=? AND channel_id=?",
            (error, self._now(), provider, item.deck, item.key, item.channel.id))
        self._event(provider, item, "error", error)

    def note_request(self, provider: str) -> None:
        """One request that counts towards the provider's hourly limit, made now."""
        self._db.execute("INSERT INTO requests (provider, at) VALUES (?, ?)", (provider, self._now()))

    def requests_since(self, provider: str, since: datetime) -> list[datetime]:
        """When each counted request since ``since`` was made, oldest first."""
        cutoff = since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        try:
            rows = self._db.execute("SELECT at FROM requests WHERE provider=? AND at > ? ORDER BY at",
                                    (provider, cutoff)).fetchall()
        except sqlite3.OperationalError:  # read-only, from before requests were counted: none counted
            return []
        return [datetime.strptime(r[0], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC) for r in rows]

    def media_ref(self, provider: str, sha256: str) -> dict[str, str] | None:
        r = self._db.execute("SELECT ref FROM media WHERE provider=? AND sha256=?", (provider, sha256)).fetchone()
        return json.loads(r[0]) if r else None

    def remember_media(self, provider: str, sha256: str, file: str, ref: dict[str, str]) -> None:
        self._db.execute("INSERT OR REPLACE INTO media VALUES (?,?,?,?)", (provider, sha256, file, json.dumps(ref)))

    def _event(self, provider: str, item: Item, state: str, detail: str) -> None:
        self._db.execute(
            "INSERT INTO events (at, provider, deck, item, channel_id, state, detail) VALUES (?,?,?,?,?,?,?)",
            (self._now(), provider, item.deck, item.key, item.channel.id, state, detail))


class _Guarded:
    """A ledger connection whose errors are one line naming the file (who holds a lock, a damaged
    page found mid-run) instead of sqlite's 'database is locked' without a path."""

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self._db, self._path = db, path

    def execute(self, sql: str, args: Any = ()) -> sqlite3.Cursor:
        try:
            return self._db.execute(sql, args)
        except sqlite3.DatabaseError as e:
            raise ledger_error(self._path, e) from None

    def close(self) -> None:
        self._db.close()


def _opened(path: Path, connect: Callable[[Path], sqlite3.Connection]) -> sqlite3.Connection:
    """``connect(path)`` to a file checked to be a whole postdeck ledger first, so a foreign
    database is never changed and an empty or damaged one is never taken for a new ledger."""
    check_ledger(path)
    try:
        return connect(path)
    except sqlite3.DatabaseError as e:
        raise ledger_error(path, e) from None


def check_ledger(path: Path) -> None:
    """Raise a PublishError naming ``path`` unless it is a readable postdeck ledger."""
    if path.stat().st_size == 0:
        raise PublishError(f"{path}: is empty (0 bytes), not a postdeck ledger; {_RESTORE}")
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.DatabaseError as e:
        raise ledger_error(path, e) from None
    try:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        columns = {r[1] for r in db.execute("PRAGMA table_info(posts)")}
        if "posts" not in tables or not LEDGER_COLUMNS <= columns:
            raise PublishError(f"{path}: is an SQLite database but not a postdeck ledger (no posts table of "
                               "postdeck's), and it was left unchanged; leave out --ledger to use ledger.sqlite "
                               "beside the decks, or name the ledger publish wrote")
        problem = db.execute("PRAGMA quick_check").fetchone()[0]
        if problem != "ok":
            raise sqlite3.DatabaseError(problem)
    except sqlite3.DatabaseError as e:
        raise ledger_error(path, e) from None
    finally:
        db.close()


_RESTORE = ("restore the ledger from a backup, or move this file aside once you have checked what is already "
            "scheduled at the provider (a new ledger schedules every post again)")


def ledger_error(path: Path, error: sqlite3.DatabaseError) -> Exception:
    """One line for sqlite's errors: who holds a lock, or that the file is damaged."""
    if "locked" in str(error) or "busy" in str(error):
        who = ", ".join(_holders(path)) or "another program"
        return PublishError(f"{path}: the ledger is locked by {who}; close it (an sqlite3 shell or database "
                            "browser keeps the lock while a change is open), then run again")
    return PublishError(f"{path}: is damaged or not a postdeck ledger ({error}); {_RESTORE}")


def _holders(path: Path) -> list[str]:
    """'process 4242 (sqlite3)' for each other process with the ledger open (Linux /proc; else none)."""
    names = {str(path.resolve()) + tail for tail in ("", "-wal", "-shm", "-journal")}
    found = []
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit() and int(p) != os.getpid()]
    except OSError:
        return []
    for pid in pids:
        try:
            if any(os.readlink(f"/proc/{pid}/fd/{fd}") in names for fd in os.listdir(f"/proc/{pid}/fd")):
                comm = Path(f"/proc/{pid}/comm").read_text().strip()
                found.append(f"process {pid} ({comm})")
        except OSError:  # gone, or not ours to look at
            continue
    return found


def create_ledger(path: Path) -> None:
    """A new, empty ledger made whole beside ``path`` and renamed into place (under the writer's
    lock): a kill half-way never leaves a 0-byte file that a later run would refuse."""
    tmp = path.with_name(f".{path.name}.new")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(str(tmp), isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.executescript(_SCHEMA)
    finally:
        db.close()
    os.replace(tmp, path)


def _writable(path: Path) -> sqlite3.Connection:
    # Autocommit: each state change is durable before the next request goes out.
    db = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT)
    try:
        # WAL + NORMAL survives a killed process (what we guard against) without an fsync per write.
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(_SCHEMA)
        columns = {r[1] for r in db.execute("PRAGMA table_info(posts)")}
        if "content_sha" not in columns:  # a ledger from before posts kept what they showed
            db.execute("ALTER TABLE posts ADD COLUMN content_sha TEXT")
    except BaseException:
        db.close()
        raise
    return db


def _readable(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _exclusive(path: Path) -> Any:
    """One writer per ledger: a second 'postdeck publish' (cron overlapping a manual run) could
    otherwise create the same post twice. The OS drops the lock when the process dies."""
    try:
        return HeldLock(path.with_name(path.name + ".lock"), wait=False)
    except Busy:
        raise PublishError(f"{path}: another postdeck publish or unschedule is using this ledger; "
                           "let it finish, then run again") from None


def _row(description: Any, values: tuple[Any, ...]) -> Row:
    d = {col[0]: v for col, v in zip(description, values)}
    d.pop("fingerprint", None)
    d.pop("updated_at", None)
    d["media"] = json.loads(d["media"]) if d["media"] else None
    return Row(**d)
