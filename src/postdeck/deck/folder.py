"""A deck folder written whole or not at all.

``write_deck_folder`` fills a fresh hidden folder and swaps it in place of ``output/<slug>/``
under ``deck_lock``, so a failure or a kill never leaves a half-written deck; ``recover`` puts
back what a killed swap left.
"""

from __future__ import annotations

import re
import secrets
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from postdeck.deck.lockfile import HeldLock


def write_deck_folder(folder: Path, files: dict[str, str | bytes]) -> None:
    """Write files into a fresh temporary folder, then swap it in place of ``folder``."""
    folder = folder.absolute()  # 'render .' from inside the deck: '.' has no name to swap
    folder.parent.mkdir(parents=True, exist_ok=True)
    with deck_lock(folder):
        tmp = fresh_folder(folder.parent, prefix=f".{folder.name}.")
        try:
            for name, content in files.items():
                target = tmp / name
                target.parent.mkdir(parents=True, exist_ok=True)
                if isinstance(content, bytes):
                    target.write_bytes(content)
                else:
                    target.write_text(content, encoding="utf-8")
            swap_in(tmp, folder)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise


def fresh_folder(parent: Path, prefix: str) -> Path:
    """A new empty folder with the usual permissions (0o777 minus the umask), unlike mkdtemp's
    0o700, which would hide the deck from a web server or a teammate once swapped in."""
    while True:
        tmp = parent / f"{prefix}{secrets.token_hex(4)}"
        try:
            tmp.mkdir()
            return tmp
        except FileExistsError:  # a name another build just took: draw again
            continue


def swap_in(tmp: Path, folder: Path) -> None:
    """Put ``tmp`` in place of ``folder`` (held under ``deck_lock``). Two renames: a kill between
    them leaves the deck only as ``.NAME.old-XXXX``, which ``recover`` renames back."""
    old = None
    if folder.exists():
        old = folder.with_name(f".{folder.name}.old-{secrets.token_hex(4)}")
        folder.rename(old)
    try:
        tmp.rename(folder)
    except BaseException:
        if old is not None and not folder.exists():
            old.rename(folder)  # the deck as it was, not no deck
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


_held = threading.local()  # deck folders this thread has locked: write_deck_folder inside a build's lock


@contextmanager
def deck_lock(folder: Path) -> Iterator[None]:
    """Hold ``.NAME.lock`` beside a deck folder: one build or render of a deck at a time (others
    wait), and a deck half-swapped by a killed build is put back first. The OS drops the lock
    when the process dies; the file goes when the lock is released. Re-entrant within a thread."""
    folder = folder.absolute()  # 'render .' from inside the deck folder: the lock sits beside it
    key = str(folder)
    held: set[str] = _held.__dict__.setdefault("folders", set())
    if key in held:
        yield
        return
    folder.parent.mkdir(parents=True, exist_ok=True)
    with HeldLock(folder.with_name(f".{folder.name}.lock")):  # removed on release: no litter
        held.add(key)
        try:
            recover(folder)
            yield
        finally:
            held.discard(key)


def recover(folder: Path) -> None:
    """Undo what a killed build left (call under ``deck_lock``): with no deck folder, the newest
    ``.NAME.old-*`` copy becomes the deck again; then leftover old copies and temporary folders go."""
    leftovers = re.compile(rf"\.{re.escape(folder.name)}\.(old(-[0-9a-f]{{8}})?|[0-9a-f]{{8}})")
    found = [p for p in folder.parent.glob(f".{folder.name}.*") if leftovers.fullmatch(p.name) and p.is_dir()]
    olds = sorted((p for p in found if ".old" in p.name), key=lambda p: p.stat().st_mtime_ns)
    if olds and not folder.exists():
        olds[-1].rename(folder)
        found.remove(olds[-1])
    for path in found:
        shutil.rmtree(path, ignore_errors=True)
