"""CSV export of a deck: one row per post and platform, for bulk-import tools and spreadsheets.

When the deck has been scheduled, each row carries its local date and time from the publishing
ledger (the caller reads it: publish.run.scheduled_slots); posts not scheduled yet can be given
dates planned as publish would (``Planning``: a series from a start, or the template's weekly
slots), so the CSV is useful on its own, e.g. for another scheduling tool.
``captions.md`` stays the copy-paste view; this is the machine-readable one.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from postdeck.brand.schedule import series_times, weekly_times
from postdeck.brand.schema import template_schedule, template_zone
from postdeck.deck.atomicwrite import write_atomic
from postdeck.deck.deckfile import its_template, load_deck
from postdeck.errors import DeckError
from postdeck.model import PLATFORMS, Deck

COLUMNS = ("date", "time", "timezone", "platform", "caption", "card", "alt_text", "post", "status")
# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets (OWASP
# "CSV injection"); a leading single quote makes them show it as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Slot:
    """When one post goes out on one platform, in the schedule's own time zone."""

    local: datetime
    timezone: str
    status: str  # the ledger's state: planned, created, failed, ...


NOT_SCHEDULED = "not scheduled"  # the status of a row whose date export planned


@dataclass(frozen=True)
class Planning:
    """Dates for posts not scheduled yet: ``count`` slots from ``start`` every ``every`` in ``tz``
    (default: the template's time zone), or without ``start`` the template's next weekly slots."""

    start: str | None = None
    every: str = "1d"
    tz: str | None = None
    now: datetime | None = None  # the weekly slots come after this; default: the clock


def planned_slots(deck: Deck, planning: Planning) -> dict[int, Slot]:
    """Post number -> a planned slot, in posting order; empty when the template has no slots."""
    if planning.start:
        tz = planning.tz or template_zone(deck.template)
        times = series_times(planning.start, planning.every, tz, len(deck.posts))
    else:
        weekly = template_schedule(deck.template)
        if weekly is None:
            return {}
        tz = weekly.timezone
        times = weekly_times(weekly, len(deck.posts), planning.now or datetime.now(UTC))
    return {post.n: Slot(when, tz, NOT_SCHEDULED) for post, when in zip(deck.posts, times)}


def deck_folder(path: Path) -> Path:
    """The deck folder for a DECK argument: the folder itself, or the folder of its deck.yaml."""
    return path.parent if path.name == "deck.yaml" else path


def csv_rows(deck: Deck, folder: Path, slots: Mapping[tuple[int, str], Slot], base: Path,
             planned: Mapping[int, Slot] | None = None) -> list[dict[str, str]]:
    """One row per post and platform, in posting order; card paths are relative to ``base``.
    A row not in ``slots`` (the ledger) takes its post's ``planned`` slot, if any."""
    rows = []
    for post in deck.posts:
        for platform in (p for p in PLATFORMS if p in post.captions):
            card = os.path.relpath(card_file(folder, post.card, platform), base) if post.card else ""
            slot = slots.get((post.n, platform)) or (planned or {}).get(post.n)
            rows.append({
                "date": slot.local.strftime("%Y-%m-%d") if slot else "",
                "time": slot.local.strftime("%H:%M") if slot else "",
                "timezone": slot.timezone if slot else "",
                "platform": platform,
                "caption": as_text_cell(post.captions[platform]),
                "card": as_text_cell(Path(card).as_posix()),
                "alt_text": as_text_cell(post.alt_text),
                "post": str(post.n),
                "status": slot.status if slot else "",
            })
    return rows


def card_file(folder: Path, card: str, platform: str) -> Path:
    """The card to upload: Instagram takes only JPEG, so its rows name the .jpg when one was made."""
    path = folder / card
    jpeg = path.with_suffix(".jpg")
    return jpeg if platform == "instagram" and path.suffix.lower() != ".jpg" and jpeg.is_file() else path


def as_text_cell(text: str) -> str:
    """Text a spreadsheet shows as written instead of evaluating it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")  # RFC 4180 line ends
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def export_csv(deck_path: Path, target: Path,
               slots_of: Callable[[Path, str], Mapping[tuple[int, str], Slot]] = lambda folder, slug: {},
               planning: Planning | None = None) -> list[dict[str, str]]:
    """Write DECK's posts to ``target`` as CSV; returns the rows written. ``slots_of(folder,
    slug)`` gives the deck's scheduled slots (the publisher's ledger: publish.run.scheduled_slots).
    With ``planning``, posts without a slot there get planned dates (status 'not scheduled')."""
    folder = deck_folder(deck_path)
    deck = load_deck(folder / "deck.yaml")
    slots = slots_of(folder, deck.slug)
    with its_template(folder / "deck.yaml"):  # its time zone and weekly slots
        planned = planned_slots(deck, planning) if planning is not None else {}
    if planning is not None:  # a post scheduled on some platforms keeps its (earliest) slot on the others
        for (n, _), slot in sorted(slots.items(), key=lambda kv: kv[1].local, reverse=True):
            planned[n] = Slot(slot.local, slot.timezone, NOT_SCHEDULED)
    rows = csv_rows(deck, folder, slots, target.resolve().parent, planned)
    if not target.parent.is_dir():
        raise DeckError(f"{target}: folder {target.parent} does not exist; create it or pick another path")
    # With a byte-order mark Excel reads the file as UTF-8 (’, é, Tamil); without, as ANSI.
    write_atomic(target, csv_text(rows), encoding="utf-8-sig", newline="")
    return rows
