"""What the CLI prints: plain-text tables and JSON-ready dicts from core results.

Pure formatting (no click, no I/O) so the ``cli`` package stays a thin adapter and each shape is easy to
test. The batch summary table lives beside its data in ``batch.py``.
"""

from __future__ import annotations

import traceback
from typing import Any, Sequence

STATUS_COLUMNS = ("deck", "post", "slot_local", "slot_utc", "channel", "state", "remote_id", "error")


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    """Left-aligned columns; the last column is not padded (errors can be long)."""
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) for c in columns[:-1]}

    def line(cells: dict[str, Any]) -> str:
        padded = [str(cells[c]).ljust(widths[c]) for c in columns[:-1]]
        return "  ".join([*padded, str(cells[columns[-1]])]).rstrip()

    return "\n".join([line({c: c for c in columns}), *(line(r) for r in rows)])


def publish_row(outcome: Any) -> dict[str, Any]:
    """One publish outcome (runner.Outcome) as a JSON-ready dict."""
    from postdeck.brand.schedule import utc_z  # the slot is local time: convert it, never just append a Z

    return {"post": outcome.item.label, "slot_utc": utc_z(outcome.item.when),
            "state": outcome.state, "remote_id": outcome.remote_id, "error": outcome.error}


def publish_line(outcome: Any) -> str:
    """'created  post 3 on linkedin at Mon 2026-12-07 09:00 IST (id 42)'."""
    tail = f" (id {outcome.remote_id})" if outcome.remote_id else f": {outcome.error}" if outcome.error else ""
    return f"{outcome.state:8} {outcome.item.label} at {outcome.item.when:%a %Y-%m-%d %H:%M %Z}{tail}"


def unschedule_line(outcome: Any) -> str:
    return f"deleted  {outcome.item.label}" + (
        f" (id {outcome.remote_id})" if outcome.remote_id else " (never created)")


def dry_run_lines(planned: Sequence[dict[str, Any]]) -> list[str]:
    """A --dry-run as one line per request (method, path, post -> channel, slot), then a total."""
    from urllib.parse import urlsplit

    lines = []
    for post in planned:
        for request in post["requests"]:
            url = request["url"]
            path = url if url.startswith("<") else urlsplit(url).path  # '<WEBHOOK_URL>': the URL is a secret
            sent = request.get("multipart", {}).get("file")
            what = f" ({sent.rsplit('/', 1)[-1]})" if sent else ""
            lines.append(f"{request['method']:6} {path}  {post['post']} at {post['slot_local']}{what}")
    n_requests = sum(len(p["requests"]) for p in planned)
    if not n_requests:  # every deck failed or was finished: their own lines say so
        return []
    lines.append(f"{n_requests} request{'s' * (n_requests != 1)} for {len(planned)} post{'s' * (len(planned) != 1)}"
                 " would be sent; add -v (or --json) for the full request bodies")
    return lines


def unexpected(error: BaseException) -> str:
    """One line for an exception postdeck did not expect: what failed and where, no traceback."""
    if isinstance(error, OSError) and error.filename:
        # 'output/x/cards/01.png: Permission denied' says which file and why.
        return f"{error.filename}: {error.strerror or error}"
    first = str(error).strip().splitlines()[0] if str(error).strip() else ""
    if type(error).__module__.startswith("yaml"):
        return f"invalid YAML: {first}"
    return f"{type(error).__name__}: {first}" if first else type(error).__name__


def format_traceback(error: BaseException) -> str:
    return "".join(traceback.format_exception(error)).rstrip()
