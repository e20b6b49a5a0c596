"""The publishing ledger: what postdeck asked each provider to do, one row per post per channel.

States: planned (or waiting: kept for a later run by the rate limit) -> media (cards uploaded, ids kept) -> creating (intent recorded just before the
create call: the outcome is unknown until the answer is stored) -> created (remote id) | failed
(error); deleted after ``unschedule``. Every write is committed at once, so a killed process
leaves the ledger telling the truth about what may have happened.
"""

from __future__ import annotations

import json
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
DEFAULT_PATH = Path("output") / LEDGER_NAME  # the one default: the CLI and export import it

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
            self._db = _opened(path, _writable)
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
        self._db = _opened(path, _readable)
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


def _opened(path: Path, connect: Callable[[Path], sqlite3.Connection]) -> sqlite3.Connection:
    """``connect(path)``, or one line saying the file is not a ledger (someone else's database, a
    truncated copy, a text file) instead of sqlite's 'file is not a database' without a path."""
    try:
        return connect(path)
    except sqlite3.DatabaseError as e:
        raise PublishError(f"{path}: is not a postdeck ledger ({e}); move it aside and run again") from None


def _writable(path: Path) -> sqlite3.Connection:
    # Autocommit: each state change is durable before the next request goes out.
    db = sqlite3.connect(str(path), isolation_level=None)
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
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        # sqlite opens lazily: read the schema now so a broken file fails here, not mid-command.
        if not db.execute("PRAGMA table_info(posts)").fetchall():
            raise sqlite3.DatabaseError("no posts table")
    except BaseException:
        db.close()
        raise
    return db


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
