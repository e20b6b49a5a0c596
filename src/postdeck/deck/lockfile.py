"""One process at a time, on every OS: an OS lock on a file beside what it guards (filelock:
flock on Unix, LockFileEx on Windows), dropped by the OS if the process dies.

The lock file is removed while still held, then released, so none is left beside the decks.
That is safe: filelock takes a lock only on a file that still has its name (a waiter that
locked the removed file tries again on the new one).
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path

from filelock import FileLock, Timeout


class Busy(Exception):
    """Another process holds the lock (only when not waiting for it)."""


class HeldLock:
    """An acquired lock on ``path``; ``close()`` (or leaving a ``with``) removes and releases it."""

    def __init__(self, path: Path, *, wait: bool = True) -> None:
        self.path = path
        self._lock = FileLock(path, timeout=-1 if wait else 0, thread_local=False)
        try:
            self._lock.acquire()
        except Timeout:
            raise Busy(str(path)) from None

    def close(self) -> None:
        if not self._lock.is_locked:
            return
        with suppress(OSError):  # Windows cannot remove an open file: filelock removes it on release
            self.path.unlink()
        self._lock.release(force=True)

    def __enter__(self) -> HeldLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
