"""A deck folder: its name, and written whole or not at all.

``slugify`` names ``output/<slug>/`` after the article file. ``write_deck_folder`` fills a fresh
hidden folder and swaps it in place of ``output/<slug>/`` under ``deck_lock``, so a failure or a
kill never leaves a half-written deck; ``recover`` puts back what a killed swap left.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import shutil
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import regex

from postdeck.deck.lockfile import HeldLock

_SLUG_MAX = 60  # characters; a folder name must stay under 255 bytes (Devanagari: 3 a letter)


def slugify(name: str) -> str:
    """A folder name for an article: its words, lower-case, joined by hyphens. Latin letters
    lose their accents (``Über`` -> ``uber``); other scripts keep their letters and vowel signs
    (``घुटने का दर्द`` -> ``घुटने-का-दर्द``), so every article gets a folder its reader can read.
    A name with no letters or digits, or one cut to length, ends with a hash of the whole name,
    so two different names never share a folder this way."""
    text = "".join(_unaccented(ch) for ch in unicodedata.normalize("NFKC", name)).casefold()
    slug = regex.sub(r"[^\p{L}\p{M}\p{N}]+", "-", text).strip("-")
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    if not slug:
        return f"article-{digest}"
    if len(slug) > _SLUG_MAX:
        return f"{slug[:_SLUG_MAX].rsplit('-', 1)[0]}-{digest}"
    return slug


def _unaccented(ch: str) -> str:
    """A Latin letter without its accents (é -> e); any other character as it is."""
    base = unicodedata.normalize("NFKD", ch)
    return base.encode("ascii", "ignore").decode() if base[:1].isascii() else ch


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
