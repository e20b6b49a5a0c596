"""What the CLI prints: plain-text tables and JSON-ready dicts from core results.

Pure formatting (no click, no I/O) so the ``cli`` package stays a thin adapter and each shape is easy to
test.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from postdeck.build import Outcome

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
    from postdeck.brand.schedule import (
        utc_z,  # the slot is local time: convert it, never just append a Z
    )

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


def summary_table(outcomes: Sequence[Outcome]) -> str:
    """A plain-text table of a batch: one row per article, then totals."""
    from postdeck.build import SHOWN  # the words --json uses too

    header = ("article", "status", "posts", "cards", "warnings", "time")
    rows = [
        (o.source, SHOWN[o.status], str(o.posts), str(o.cards), str(len(o.warnings)),
         f"{o.seconds:.2f}s" if o.status == "built" else "-")
        for o in outcomes
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        first, second = cells[0].ljust(widths[0]), cells[1].ljust(widths[1])
        rest = (c.rjust(w) for c, w in zip(cells[2:], widths[2:]))
        return "  ".join([first, second, *rest]).rstrip()

    counts = {s: sum(o.status == s for o in outcomes) for s in ("built", "skipped", "failed")}
    totals = f"{counts['built']} built, {counts['skipped']} up to date, {counts['failed']} failed"
    return "\n".join([line(header), *(line(r) for r in rows), totals])
