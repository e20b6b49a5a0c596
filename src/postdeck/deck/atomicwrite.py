"""Writing a file so that a reader never sees half of it: a temporary file, then a rename.

Used for files written outside a deck folder's swap (``pipeline.write_deck_folder``): the
preview pages and the CSV export.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, text: str, *, encoding: str = "utf-8", newline: str | None = None) -> Path:
    """Write text to path via a temporary file beside it, readable by all like any new file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline=newline) as f:
            f.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; pages and exports are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
