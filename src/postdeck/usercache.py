"""postdeck's per-user cache folder: work kept between runs (compiled page templates, font
tables) that can always be done again, so a cache that cannot be used only costs time.

The folder sits in the temp directory, private to the user (mode 0700), as jinja2 keeps its
bytecode cache; one that is someone else's, a symlink or open to others is not used, since
whoever can write there could change what a later run reads.
"""

from __future__ import annotations

import os
import stat
import tempfile
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def user_cache_dir() -> Path | None:
    """The current user's cache folder (made if missing), or None when none is safe to use."""
    if not hasattr(os, "getuid"):  # no owner to check (Windows): no cache
        return None
    return private_folder(Path(tempfile.gettempdir()) / f"_postdeck-cache-{os.getuid()}")


def private_folder(folder: Path) -> Path | None:
    """``folder``, made if missing, when it is a real folder only this user can use; else None."""
    try:
        folder.mkdir(mode=stat.S_IRWXU, exist_ok=True)
        found = os.lstat(folder)
    except OSError:
        return None
    if found.st_uid != os.getuid() or not stat.S_ISDIR(found.st_mode) or stat.S_IMODE(found.st_mode) != stat.S_IRWXU:
        return None
    return folder


def file_key(path: Path, *inputs: object) -> bytes:
    """What a cache entry made from reading ``path`` is kept under: the file's path, size, time,
    inode and device (all the same: the same file), and the other ``inputs`` it was made with."""
    found = os.stat(path)
    return "\0".join(map(str, (os.path.abspath(path), found.st_size, found.st_mtime_ns, found.st_ino, found.st_dev,
                               *inputs))).encode("utf-8", "surrogateescape")


def write_entry(path: Path, data: bytes) -> None:
    """Write a cache file whole or not at all (a temporary file, then a rename), so another
    process never reads half of one; a folder that cannot be written is no error."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
