"""Writing a file so that a reader never sees half of it: a temporary file, then a rename.

Used for files written outside a deck folder's swap (``pipeline.write_deck_folder``): the
preview pages and the CSV export.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from postdeck.errors import DeckError


def write_atomic(path: Path, text: str, *, encoding: str = "utf-8", newline: str | None = None) -> Path:
    """Write text to path via a temporary file beside it, readable by all like any new file."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as e:
        raise _unwritable(path, e) from None
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline=newline) as f:
            f.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; pages and exports are meant to be shared
        os.replace(tmp, path)
    except OSError as e:  # a full disk says only 'No space left on device': name the file
        Path(tmp).unlink(missing_ok=True)
        raise _unwritable(path, e) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _unwritable(path: Path, error: OSError) -> DeckError:
    return DeckError(f"{path}: cannot be written ({error.strerror or error}); free disk space or check that "
                     "the folder is writable, then run again")
