"""Text saved in a legacy code page rather than UTF-8; loaded only for such a file."""

from __future__ import annotations

from charset_normalizer import from_bytes


def legacy_text(data: bytes) -> str | None:
    """Text saved in a legacy code page (Windows-1252, -1251, Shift JIS...), or None for bytes
    that read as no text. charset-normalizer cannot tell Windows-1252 from its Latin siblings
    (1250, 852) on a short text, so Windows-1252, by far the commonest, is tried on its own
    first; it gives no match where the bytes make no sense in it (Cyrillic, Polish, Japanese)."""
    western = from_bytes(data, cp_isolation=["cp1252"]).best()
    if western is not None and western.chaos <= 0.1:
        return str(western)
    best = from_bytes(data).best()
    return None if best is None else str(best)
