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

from postdeck.cards.cardfiles import parse_card_path
from postdeck.deck.lockfile import HeldLock
from postdeck.errors import DeckError

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


# postdeck's own files in a deck folder; any other file in it is a person's, kept by every rebuild.
OWN_NAMES = ("deck.yaml", "captions.md", "index.html", ".build.json", ".generated.json")
DECK_MARKERS = ("deck.yaml", ".build.json", ".generated.json")  # a folder holding one is a deck
_OWN_CARD = re.compile(r"cards/carousel-[a-z]+\.pdf")


def is_own_file(name: str) -> bool:
    """Whether ``name`` (relative to the deck folder, '/'-separated) is a file postdeck writes."""
    return (name in OWN_NAMES or re.fullmatch(r"deck\.edited(-\d+)?\.yaml", name) is not None
            or parse_card_path(name) is not None or _OWN_CARD.fullmatch(name) is not None)


def user_files(folder: Path) -> dict[str, Path]:
    """Files a person put into a deck folder (notes, an extra image): carried into the new deck."""
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*"))
            if p.is_file() and not is_own_file(p.relative_to(folder).as_posix())}


def own_files(folder: Path) -> dict[str, Path]:
    """postdeck's files in a deck folder other than its cards (a render keeps the build stamp)."""
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*"))
            if p.is_file() and is_own_file(p.relative_to(folder).as_posix()) and p.relative_to(folder).parts[0] != "cards"}


def check_replaceable(folder: Path) -> None:
    """Refuse to replace anything at ``folder`` but a deck folder postdeck made (or an empty one):
    with ``-o .`` an article named templates.txt must not take the place of ./templates/."""
    if not folder.exists() and not folder.is_symlink():
        return
    if folder.is_symlink() or not folder.is_dir():
        raise DeckError(f"{folder}: is a file, not a deck folder postdeck made, so it was left as it is; "
                        "move it away, rename the article or build into another folder with -o")
    if any(folder.iterdir()) and not any((folder / name).is_file() for name in DECK_MARKERS):
        raise DeckError(f"{folder}: is a folder postdeck did not make (it has no deck.yaml), so it was left as it "
                        "is; rename the article or build into another folder with -o")


def write_deck_folder(folder: Path, files: dict[str, str | bytes | Path]) -> None:
    """Write files into a fresh temporary folder, then swap it in place of ``folder``, which must
    be a deck folder postdeck made. A ``Path`` value is a file copied as it is."""
    folder = folder.absolute()  # 'render .' from inside the deck: '.' has no name to swap
    folder.parent.mkdir(parents=True, exist_ok=True)
    with deck_lock(folder):
        check_replaceable(folder)
        tmp = fresh_folder(folder.parent, prefix=f".{folder.name}.")
        try:
            for name, content in files.items():
                target = tmp / name
                target.parent.mkdir(parents=True, exist_ok=True)
                if isinstance(content, Path):
                    shutil.copy2(content, target)
                elif isinstance(content, bytes):
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
